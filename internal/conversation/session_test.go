package conversation

import (
	"testing"

	"github.com/google/uuid"
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
