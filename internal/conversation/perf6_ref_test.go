package conversation

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/compose"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
	"github.com/careerbot/careerbot/internal/testutil"
	"github.com/careerbot/careerbot/protocol"
)

// Issue 15, fifth round (docs/benchmarks.md): the guards of this round's
// hand optimisations, each against the code it replaced (kept below).

// refSessions is MemorySessions.Append's turn keeping before the fifth
// round: the byte cap counted every turn in the array, the dropped ones
// included, so a full session copied its turns on nearly every Append.
type refSessions struct {
	lim   SessionLimits
	turns []Turn
	start int
	bytes int
}

func (r *refSessions) append(t Turn) {
	size := TurnBytes(t)
	if len(r.turns) == cap(r.turns) || r.bytes+size > r.lim.MaxBytes {
		keep, bytes := r.turns[r.start:], 0
		if len(keep) > r.lim.MaxTurns-1 {
			keep = keep[len(keep)-(r.lim.MaxTurns-1):]
		}
		for i := len(keep) - 1; i >= 0; i-- {
			if b := TurnBytes(keep[i]); bytes+b+size <= r.lim.MaxBytes {
				bytes += b
				continue
			}
			keep = keep[i+1:]
			break
		}
		turns := make([]Turn, len(keep), r.lim.MaxTurns+max(r.lim.MaxTurns/4, 1))
		copy(turns, keep)
		r.turns, r.start, r.bytes = turns, 0, bytes
	}
	r.turns = append(r.turns, t)
	r.bytes += size
	if len(r.turns)-r.start > r.lim.MaxTurns {
		r.start = len(r.turns) - r.lim.MaxTurns
	}
}

// TestAppendKeepsTheReferenceTurns holds MemorySessions.Append (the cap
// counting the kept turns only, the dropped ones copied away once they
// hold as much) to refSessions: after every Append of random sessions —
// turns of random sizes, some over the cap alone, caps in turns and bytes
// from tiny to the defaults — Load returns the same turns, every slice an
// earlier Load returned is unchanged, the kept turns are within the caps,
// the session holds (TurnBytes of every turn in its array) under twice
// the kept turns' bytes, and its array has at most 2 × MaxTurns slots.
// It also counts the turns copied from array to array: at most a few per
// Append on average, where the reference copied a full session's turns on
// nearly every one.
func TestAppendKeepsTheReferenceTurns(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(15, 5))
	text := strings.Repeat("abcdefghij", 2000)
	var copied, appended, refCopied int
	for run := range 400 {
		lim := SessionLimits{TTL: time.Hour, MaxTurns: 1 + rng.IntN(25), MaxBytes: 1 + rng.IntN(40<<10)}
		if run%10 == 0 {
			lim.MaxTurns, lim.MaxBytes = 0, 0 // the defaults
		}
		m := NewBoundedSessions(lim, nil)
		ref := &refSessions{lim: m.lim}
		type load struct {
			turns []Turn
			first string
		}
		var loads []load
		base := 1 + rng.IntN(4000)
		for i := range 60 + rng.IntN(60) {
			n := rng.IntN(base)
			if rng.IntN(20) == 0 {
				n = rng.IntN(len(text)) // sometimes over the cap alone
			}
			turn := Turn{Question: fmt.Sprintf("q%d", i), Answer: text[:n]}
			if rng.IntN(3) == 0 {
				turn.Sources = []protocol.Source{{Guide: "g", Section: "s", Text: text[:rng.IntN(base)]}}
			}
			before := m.sessions["s"]
			var oldArray []Turn
			if before != nil {
				oldArray = before.turns
			}
			if err := m.Append(ctx, "s", turn); err != nil {
				t.Fatal(err)
			}
			refArray := ref.turns
			ref.append(turn)
			appended++
			s := m.sessions["s"]
			if oldArray == nil || &s.turns[:1][0] != &oldArray[:1][0] {
				copied += len(s.turns) - 1
			}
			if refArray == nil || &ref.turns[:1][0] != &refArray[:1][0] {
				refCopied += len(ref.turns) - 1
			}
			got, _, _ := m.Load(ctx, "s")
			want := ref.turns[ref.start:]
			if len(got) != len(want) {
				t.Fatalf("run %d, append %d (%+v): %d turns kept, the reference %d", run, i, m.lim, len(got), len(want))
			}
			live := 0
			for k := range got {
				if got[k].Question != want[k].Question || len(got[k].Answer) != len(want[k].Answer) {
					t.Fatalf("run %d, append %d: turn %d is %q, the reference's %q", run, i, k, got[k].Question, want[k].Question)
				}
				live += TurnBytes(got[k])
			}
			held := 0
			for _, h := range s.turns {
				held += TurnBytes(h)
			}
			if s.live != live || held != s.live+s.dead {
				t.Fatalf("run %d, append %d: counted %d live and %d dropped, the array holds %d live and %d in all", run, i, s.live, s.dead, live, held)
			}
			if len(got) > m.lim.MaxTurns || (len(got) > 1 && live > m.lim.MaxBytes) {
				t.Fatalf("run %d, append %d: %d turns of %d bytes kept, over the caps %+v", run, i, len(got), live, m.lim)
			}
			if held >= 2*live || cap(s.turns) > 2*m.lim.MaxTurns {
				t.Fatalf("run %d, append %d: the session holds %d bytes for %d kept, in %d slots (MaxTurns %d)", run, i, held, live, cap(s.turns), m.lim.MaxTurns)
			}
			loads = append(loads, load{got, got[0].Question})
			for k, l := range loads {
				if l.turns[0].Question != l.first || l.turns[len(l.turns)-1].Question != fmt.Sprintf("q%d", k) {
					t.Fatalf("run %d: load %d changed", run, k)
				}
			}
		}
	}
	t.Logf("%d appends: %d turns copied between arrays (%.2f per append); the reference copied %d (%.2f)", appended, copied, float64(copied)/float64(appended), refCopied, float64(refCopied)/float64(appended))
	if copied > 3*appended {
		t.Errorf("%d turns copied in %d appends, want at most 3 per append", copied, appended)
	}
}

// countingRouter counts the look-ups a memoRouter passes on.
type countingRouter struct {
	router
	careers, topics map[string]int
}

func (c *countingRouter) ResolveCareers(q string) rag.CareerMatch {
	c.careers[q]++
	return c.router.ResolveCareers(q)
}

func (c *countingRouter) QuestionTopics(q string) []rag.AskedTopic {
	c.topics[q]++
	return c.router.QuestionTopics(q)
}

// refResolveCareers is memoRouter.ResolveCareers before the fifth round,
// its memory a map.
func refResolveCareers(m *memoRouter, memo map[string]rag.CareerMatch, question string) rag.CareerMatch {
	c, ok := memo[question]
	if !ok {
		c = m.router.ResolveCareers(question)
		var uncovered []string
		for _, name := range c.Uncovered {
			if notOccupation(name) {
				continue
			}
			if i := m.CareerOfRole(name); i >= 0 {
				if !slices.Contains(c.Covered, i) {
					c.Covered = append(slices.Clip(c.Covered), i)
				}
				continue
			}
			uncovered = append(uncovered, name)
		}
		c.Uncovered = uncovered
		memo[question] = c
	}
	return c
}

// TestMemoRouterIsTheMapsOne holds memoRouter (its questions in small
// arrays) to the version with maps (refResolveCareers; QuestionTopics
// remembered in a map): on six guides, for groups of 1 to 12 DEV eval
// messages asked about in a random order with repeats (past the arrays'
// four entries), the same careers and topics, and each distinct question
// passed on to the index once for each.
func TestMemoRouterIsTheMapsOne(t *testing.T) {
	files, err := filepath.Glob("../../testdata/guides/*")
	if err != nil {
		t.Fatal(err)
	}
	ix := ragtest.Open(t, append(files, ragtest.MediaSpecialist)...)
	messages := testutil.DevMessages(t, "../../testdata/eval")
	rng := rand.New(rand.NewPCG(15, 7))
	for range 300 {
		group := make([]string, 1+rng.IntN(12))
		for i := range group {
			group[i] = messages[rng.IntN(len(messages))]
		}
		counted := &countingRouter{router: ix.Reader(), careers: map[string]int{}, topics: map[string]int{}}
		m := newMemoRouter(counted)
		ref := &memoRouter{router: ix.Reader()}
		careers, topics := map[string]rag.CareerMatch{}, map[string][]rag.AskedTopic{}
		for range 3 * len(group) {
			q := group[rng.IntN(len(group))]
			if got, want := m.ResolveCareers(q), refResolveCareers(ref, careers, q); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: ResolveCareers %+v, the maps' %+v", q, got, want)
			}
			want, ok := topics[q]
			if !ok {
				want = ref.router.QuestionTopics(q)
				topics[q] = want
			}
			if got := m.QuestionTopics(q); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: QuestionTopics %+v, the map's %+v", q, got, want)
			}
		}
		for q, n := range counted.careers {
			if n != 1 || counted.topics[q] != 1 {
				t.Fatalf("%q passed on %d times for its careers, %d for its topics, want once", q, n, counted.topics[q])
			}
		}
		if len(counted.careers) != len(careers) || len(counted.topics) != len(topics) {
			t.Fatalf("%d and %d questions passed on, the maps held %d and %d", len(counted.careers), len(counted.topics), len(careers), len(topics))
		}
	}
}

// TestPastTurnsInABuffer holds pastTurns (written into the caller's array)
// to the slice it made before, for histories shorter and longer than the
// array, and checks that the chips keep nothing of it: a conversation's
// chips are the same when every answer's past turns are in one array,
// overwritten after each answer, as when each answer has its own slice.
func TestPastTurnsInABuffer(t *testing.T) {
	ref := func(history []Turn) []compose.PastTurn {
		past := make([]compose.PastTurn, len(history))
		for i, t := range history {
			past[i] = compose.PastTurn{Question: t.Question, Standalone: t.Standalone, Grounded: t.Grounded, Guide: t.Guide, Suggestions: t.Suggestions}
		}
		return past
	}
	var history []Turn
	for i := range 3 * DefaultMaxTurns {
		var buf [DefaultMaxTurns]compose.PastTurn
		if got, want := pastTurns(buf[:0], history), ref(history); !reflect.DeepEqual(got, want) {
			t.Fatalf("%d turns: %+v, want %+v", len(history), got, want)
		}
		history = append(history, Turn{Question: fmt.Sprint("q", i), Standalone: fmt.Sprint("s", i), Grounded: i%3 != 0, Guide: fmt.Sprint("g", i%2), Suggestions: []string{fmt.Sprint("c", i)}})
	}

	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	fresh, reused := new(compose.Chips), new(compose.Chips)
	var shared [DefaultMaxTurns]compose.PastTurn
	history = nil
	messages := testutil.DevMessages(t, "../../testdata/eval")
	for i, q := range messages[:200] {
		hits, _ := ix.Search(t.Context(), q)
		want := fresh.ForAnswer(ref(history), ix.Guides(), 3, q, q, hits)
		got := reused.ForAnswer(pastTurns(shared[:0], history), ix.Guides(), 3, q, q, hits)
		clear(shared[:])
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("answer %d (%q): chips %q, with their own slice %q", i, q, got, want)
		}
		guide := ""
		if len(hits) > 0 {
			guide = hits[0].Guide
		}
		history = append(history, Turn{Question: q, Standalone: q, Grounded: len(hits) > 0, Guide: guide, Suggestions: want})
		if len(history) > DefaultMaxTurns {
			history = history[1:]
		}
	}
}
