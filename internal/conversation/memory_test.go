package conversation

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/rag/ragtest"
	"github.com/careerbot/careerbot/protocol"
)

// realTurns are the turns of a 20-question conversation about the media
// specialist guide, answered offline from the real index: turns as big as
// users make them (answers, sources, suggestions).
func realTurns(t testing.TB) []Turn {
	t.Helper()
	store := NewBoundedSessions(SessionLimits{MaxBytes: 1 << 30}, nil)
	svc := New(Config{}, Deps{Index: ragtest.Open(t, ragtest.MediaSpecialist), Sessions: store})
	sess, _ := svc.Open(context.Background(), "192.0.2.1", "")
	for i, q := range []string{
		"What does a media specialist earn?", "What skills do they need?", "Which tools do they use?",
		"How do I become a media specialist?", "What degree do I need?", "What does a typical day look like?",
		"Can they work from home?", "What is the job outlook?", "How do they move up to senior roles?",
		"What certifications help?", "What are the pros and cons?", "Is the work stressful?",
		"Where do media specialists work?", "What soft skills matter?", "How much do entry-level ones make?",
		"What do senior ones earn?", "Do they need a portfolio?", "What industries hire them?",
		"Is it a good career for introverts?", "How long does it take to get started?",
	} {
		sess.Answer(context.Background(), fmt.Sprint(i), q, func(protocol.Frame) {})
	}
	turns, _, _ := store.Load(context.Background(), sess.ID())
	if len(turns) != DefaultMaxTurns {
		t.Fatalf("%d turns stored, want %d", len(turns), DefaultMaxTurns)
	}
	return turns
}

// clone copies every string of a turn, so that sessions made from the same
// turns hold their own bytes, as real ones do.
func clone(t Turn) Turn {
	c := t
	c.Question, c.Standalone, c.Answer = strings.Clone(t.Question), strings.Clone(t.Standalone), strings.Clone(t.Answer)
	c.Guide, c.AskID, c.Notice = strings.Clone(t.Guide), strings.Clone(t.AskID), strings.Clone(t.Notice)
	c.Suggestions = make([]string, len(t.Suggestions))
	for i, s := range t.Suggestions {
		c.Suggestions[i] = strings.Clone(s)
	}
	c.Sources = make([]protocol.Source, len(t.Sources))
	for i, s := range t.Sources {
		c.Sources[i] = protocol.Source{Guide: strings.Clone(s.Guide), Section: strings.Clone(s.Section), Text: strings.Clone(s.Text), Score: s.Score}
	}
	return c
}

func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// fillShared is fill with the turns' sources' texts shared between the
// sessions, as the texts of the index's chunks are.
func fillShared(tb testing.TB, m *MemorySessions, turns []Turn, n, turnsEach int) float64 {
	ctx := context.Background()
	before := liveHeap()
	for i := range n {
		id := fmt.Sprintf("%08d-0000-4000-8000-000000000000", i)
		for k := range turnsEach {
			c := clone(turns[k%len(turns)])
			for j := range c.Sources {
				c.Sources[j].Text = turns[k%len(turns)].Sources[j].Text
			}
			if err := m.Append(ctx, id, c); err != nil {
				tb.Fatal(err)
			}
		}
	}
	after := liveHeap()
	runtime.KeepAlive(m)
	runtime.KeepAlive(turns)
	return float64(after-before) / float64(m.Len())
}

// fill appends turnsEach real turns to each of n new sessions and returns
// the live heap the store holds afterwards, per session held.
func fill(tb testing.TB, m *MemorySessions, turns []Turn, n, turnsEach int) float64 {
	ctx := context.Background()
	before := liveHeap()
	for i := range n {
		id := fmt.Sprintf("%08d-0000-4000-8000-000000000000", i)
		for k := range turnsEach {
			if err := m.Append(ctx, id, clone(turns[k%len(turns)])); err != nil {
				tb.Fatal(err)
			}
		}
	}
	after := liveHeap()
	runtime.KeepAlive(m)
	return float64(after-before) / float64(m.Len())
}

// The in-memory store holds at most MaxSessions sessions, each under twice
// MaxBytes of turns plus its array's free slots, whatever comes in: filling
// it with twice as many sessions as it may hold, of 20 to 40 real turns
// (every point of a full session's cycle, the dropped turns accumulating
// until they are copied away), leaves the live heap under MaxSessions × (2
// × MaxBytes + slots + bookkeeping). The figures per session go in
// docs/hardening.md:
//
//	go test -run TestSessionMemoryIsBounded -v ./internal/conversation
func TestSessionMemoryIsBounded(t *testing.T) {
	turns := realTurns(t)
	full := 0
	for _, turn := range turns {
		full += TurnBytes(turn)
	}
	t.Logf("a real 20-turn session: %d bytes by TurnBytes (%.1f KiB), %d per turn", full, float64(full)/1024, full/len(turns))

	const maxSessions = 500
	var worst, at20 float64
	for n := DefaultMaxTurns; n <= 2*DefaultMaxTurns; n++ {
		m := NewBoundedSessions(SessionLimits{TTL: time.Hour, MaxSessions: maxSessions}, nil)
		perSession := fill(t, m, turns, 2*maxSessions, n)
		if m.Len() != maxSessions {
			t.Fatalf("%d sessions held, want %d", m.Len(), maxSessions)
		}
		if n == DefaultMaxTurns {
			at20 = perSession
		}
		worst = max(worst, perSession)
	}
	t.Logf("full sessions at the default byte cap (%d): %.1f KiB of live heap each after 20 turns, %.1f KiB at most after 20 to 40", DefaultMaxSessionBytes, at20/1024, worst/1024)
	// The turns hold under twice the cap; the array's free slots add at
	// most DefaultMaxTurns structs, the map entry and the session's
	// bookkeeping a few hundred bytes, allocation slack a little more.
	if limit := 2*float64(DefaultMaxSessionBytes)*1.1 + float64(DefaultMaxTurns*turnOverhead) + 1024; worst > limit {
		t.Errorf("%.0f bytes of live heap per held session, want at most %.0f", worst, limit)
	}
	total := float64(DefaultMaxSessions) * worst / (1 << 20)
	t.Logf("so DefaultMaxSessions (%d) full sessions hold at most about %.0f MiB (%.0f MiB after 20 turns each)", DefaultMaxSessions, total, float64(DefaultMaxSessions)*at20/(1<<20))
	if total > 512 {
		t.Errorf("the defaults allow %.0f MiB of sessions, want at most 512", total)
	}

	shared := NewBoundedSessions(SessionLimits{TTL: time.Hour, MaxSessions: maxSessions}, nil)
	t.Logf("full sessions whose sources' texts are the index's, as in-process answers' are: %.1f KiB of live heap each after 20 turns", fillShared(t, shared, turns, 2*maxSessions, DefaultMaxTurns)/1024)

	one := NewBoundedSessions(SessionLimits{TTL: time.Hour, MaxSessions: 4000}, nil)
	t.Logf("one-question sessions: %.1f KiB of live heap each", fill(t, one, turns, 4000, 1)/1024)
}
