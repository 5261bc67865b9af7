package conversation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemorySessionsLoadIsStable(t *testing.T) {
	// Load hands out the store's own turns without copying them: what a
	// caller got must not change however many turns are appended later,
	// and every Load must see exactly the newest maxTurns.
	ctx := context.Background()
	for _, maxTurns := range []int{1, 2, 3, 20} {
		m := NewBoundedSessions(SessionLimits{TTL: time.Hour, MaxTurns: maxTurns}, nil)
		var loads [][]Turn
		var want [][]string
		for i := range 3*maxTurns + 5 {
			if err := m.Append(ctx, "s", Turn{Question: strconv.Itoa(i)}); err != nil {
				t.Fatal(err)
			}
			turns, ok, err := m.Load(ctx, "s")
			if !ok || err != nil {
				t.Fatalf("Load: ok=%v err=%v", ok, err)
			}
			var qs []string
			for j := max(0, i+1-maxTurns); j <= i; j++ {
				qs = append(qs, strconv.Itoa(j))
			}
			loads, want = append(loads, turns), append(want, qs)
		}
		for i, turns := range loads {
			if len(turns) != len(want[i]) {
				t.Fatalf("max %d, load %d: %d turns, want %v", maxTurns, i, len(turns), want[i])
			}
			for j, turn := range turns {
				if turn.Question != want[i][j] {
					t.Fatalf("max %d, load %d changed: turn %d is %q, want %q", maxTurns, i, j, turn.Question, want[i][j])
				}
			}
		}
	}
}

func TestMemorySessionsCapAndExpiry(t *testing.T) {
	var now atomic.Int64
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	m := NewBoundedSessions(SessionLimits{TTL: time.Hour, MaxTurns: 3}, clock)
	ctx := context.Background()
	for _, q := range []string{"1", "2", "3", "4"} {
		if err := m.Append(ctx, "s", Turn{Question: q}); err != nil {
			t.Fatal(err)
		}
	}
	turns, ok, _ := m.Load(ctx, "s")
	if !ok || len(turns) != 3 || turns[0].Question != "2" || turns[2].Question != "4" {
		t.Fatalf("capped turns %+v", turns)
	}
	now.Add(int64(59 * time.Minute))
	if _, ok, _ := m.Load(ctx, "s"); !ok {
		t.Fatal("expired before the TTL")
	}
	now.Add(int64(59 * time.Minute)) // the Load above restarted the idle clock
	if _, ok, _ := m.Load(ctx, "s"); !ok {
		t.Fatal("activity should keep a session alive")
	}
	now.Add(int64(61 * time.Minute))
	if _, ok, _ := m.Load(ctx, "s"); ok {
		t.Fatal("idle session not expired")
	}
	if m.Len() != 0 {
		t.Errorf("%d sessions kept after expiry", m.Len())
	}
}

// Past MaxSessions the least recently used session is forgotten, so that
// rotating addresses opening one-question sessions cannot grow the store
// without bound (issue 14, defect 2: 100,000 such sessions took 922 MiB).
func TestMemorySessionsEvictTheLeastRecentlyUsed(t *testing.T) {
	ctx := context.Background()
	m := NewBoundedSessions(SessionLimits{TTL: time.Hour, MaxSessions: 3}, nil)
	for _, id := range []string{"a", "b", "c"} {
		if err := m.Append(ctx, id, Turn{Question: id}); err != nil {
			t.Fatal(err)
		}
	}
	m.Load(ctx, "a") // a is used again: b is now the least recently used
	m.Append(ctx, "d", Turn{Question: "d"})
	for id, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok, _ := m.Load(ctx, id); ok != want {
			t.Errorf("session %s held: %v, want %v", id, ok, want)
		}
	}
	for i := range 100 {
		m.Append(ctx, strconv.Itoa(i), Turn{Question: "q"})
	}
	if m.Len() != 3 || m.Evicted() != 101 {
		t.Errorf("%d sessions held, %d evicted; want 3 and 101", m.Len(), m.Evicted())
	}
	if _, ok, _ := m.Load(ctx, "99"); !ok {
		t.Error("the newest session was evicted")
	}
}

// A session's turns are capped in bytes as well as in number: the oldest
// go first, the newest is always kept, and what Load returned earlier does
// not change.
func TestMemorySessionsCapTheBytesOfASession(t *testing.T) {
	ctx := context.Background()
	big := strings.Repeat("x", 1000)
	perTurn := TurnBytes(Turn{Question: "00", Answer: big})
	m := NewBoundedSessions(SessionLimits{TTL: time.Hour, MaxTurns: 20, MaxBytes: 5 * perTurn}, nil)
	var loads [][]Turn
	for i := range 30 {
		m.Append(ctx, "s", Turn{Question: fmt.Sprintf("%02d", i), Answer: big})
		turns, _, _ := m.Load(ctx, "s")
		loads = append(loads, turns)
		held := 0
		for _, turn := range turns {
			held += TurnBytes(turn)
		}
		if held > 5*perTurn || len(turns) != min(i+1, 5) || turns[len(turns)-1].Question != fmt.Sprintf("%02d", i) {
			t.Fatalf("after %d appends: %d turns of %d bytes (cap %d), newest %q", i+1, len(turns), held, 5*perTurn, turns[len(turns)-1].Question)
		}
		if s := m.sessions["s"]; s.live != held || s.dead >= s.live {
			t.Fatalf("the session counts %d bytes live (%d held) and %d dropped: want the dropped ones under the live ones", s.live, held, s.dead)
		}
	}
	for i, turns := range loads {
		if turns[len(turns)-1].Question != fmt.Sprintf("%02d", i) {
			t.Fatalf("load %d changed: newest is %q", i, turns[len(turns)-1].Question)
		}
	}
	// One turn over the cap on its own is still kept (a resume needs it).
	m.Append(ctx, "s", Turn{Question: "huge", Answer: strings.Repeat("y", 10*perTurn)})
	if turns, _, _ := m.Load(ctx, "s"); len(turns) != 1 || turns[0].Question != "huge" {
		t.Errorf("after an oversized turn: %d turns", len(turns))
	}
}
