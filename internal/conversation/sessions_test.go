package conversation

import (
	"context"
	"strconv"
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
		m := NewMemorySessions(time.Hour, maxTurns, nil)
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
	m := NewMemorySessions(time.Hour, 3, clock)
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
