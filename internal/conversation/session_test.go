package conversation

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/careerbot/careerbot/internal/conversation/conversationtest"
)

// Session ids are the only key to a conversation, so they must be
// unguessable: random (version 4) UUIDs from crypto/rand — 122 random bits,
// all distinct, every random bit set about half the time.
func TestSessionIDsAreRandomUUIDs(t *testing.T) {
	const n = 2000
	seen := map[string]bool{}
	var ones [16 * 8]int
	for range n {
		id := newSessionID()
		u, err := uuid.Parse(id)
		if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 || u.String() != id {
			t.Fatalf("session id %q is not a canonical random UUID", id)
		}
		if seen[id] {
			t.Fatalf("session id %q issued twice", id)
		}
		seen[id] = true
		for i, b := range u {
			for k := range 8 {
				if b&(1<<k) != 0 {
					ones[i*8+k]++
				}
			}
		}
	}
	// Bits fixed by the version (byte 6, high nibble) and variant (byte 8,
	// top two bits) aside, each bit is set n/2 ± 6σ times (σ = √n/2 ≈ 22).
	for bit, count := range ones {
		byteIdx, k := bit/8, bit%8
		if byteIdx == 6 && k >= 4 || byteIdx == 8 && k >= 6 {
			continue
		}
		if count < n/2-135 || count > n/2+135 {
			t.Errorf("bit %d of byte %d set in %d of %d ids: not random", k, byteIdx, count, n)
		}
	}
}

// downStore is a session store whose backend is unreachable (Redis down):
// every call fails.
type downStore struct{ appended []string }

func (d *downStore) Load(context.Context, string) ([]Turn, bool, error) {
	return nil, false, errors.New("redis session_load: connection refused")
}
func (d *downStore) Append(_ context.Context, id string, _ Turn) error {
	d.appended = append(d.appended, id)
	return errors.New("redis session_append: connection refused")
}
func (d *downStore) Reset(context.Context, string) error { return errors.New("down") }

// A client-chosen session id is refused whether the store answers (it does
// not know the id) or not (it cannot confirm it): the client gets a new
// random id, so it can never choose the id its conversation is stored under
// (session fixation, issue 14 defect 6).
func TestUnknownSessionIDsAreRefusedStoreUpOrDown(t *testing.T) {
	chosen := "0badc0de-0000-4000-8000-000000000001"
	for _, c := range []struct {
		name  string
		store SessionStore
	}{{"store up", NewBoundedSessions(SessionLimits{TTL: time.Hour, MaxTurns: 20}, nil)}, {"store down", &downStore{}}} {
		name, store := c.name, c.store
		svc := New(Config{}, Deps{Index: &conversationtest.Index{}, Sessions: store})
		sess, ready := svc.Open(context.Background(), "192.0.2.1", chosen)
		if ready.Session == chosen || sess.ID() == chosen || ready.Resumed {
			t.Errorf("%s: the client-chosen id %s was kept (ready %+v)", name, chosen, ready)
		}
		if _, err := uuid.Parse(ready.Session); err != nil {
			t.Errorf("%s: new session id %q: %v", name, ready.Session, err)
		}
		ask(t, sess, "1", "What does a media specialist earn?")
		if d, ok := store.(*downStore); ok {
			for _, id := range d.appended {
				if id == chosen {
					t.Errorf("%s: a turn was written under the client-chosen id", name)
				}
			}
		}
	}
}
