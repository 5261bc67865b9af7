package chat

import (
	"context"
	"strconv"
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
