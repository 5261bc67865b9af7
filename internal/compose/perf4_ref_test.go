package compose

import (
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
	"github.com/careerbot/careerbot/internal/vocab"
)

// Issue 15, third round (docs/benchmarks.md): the guards of the answer
// writer's and the chips' hand optimisations, each against the code it
// replaced (kept below).

// TestAnswerUnitsMatchScoreReference holds answerUnits (each chunk's
// matches with the question's terms computed once per query, matchesOf) to
// the version before, which matched every unit on every scoring
// (refAnswerUnits, refScore): for every eval question (as asked, with a
// carried part, and for two careers) on its hits, on each hit alone, on
// the top three, on shuffled and repeated hits, and on hits of other
// questions, all with one query — so that the matches kept from one
// scoring are used by the next, as an answer does.
func TestAnswerUnitsMatchScoreReference(t *testing.T) {
	ix := ragtest.Open(t, append(guideFiles(t), ragtest.MediaSpecialist)...)
	w := new(Writer)
	rng := rand.New(rand.NewPCG(15, 4))
	var prev []rag.Hit
	compared := 0
	for i, m := range evalMessages(t) {
		if i%2 == 1 {
			continue
		}
		hits, err := ix.Search(context.Background(), m)
		if err != nil || len(hits) == 0 {
			continue
		}
		for _, question := range []string{m, m + " (salary)"} {
			for _, career := range []string{RoleOf(hits[0].Guide), "Registered Nurse"} {
				q := newQuery(question, career)
				lists := [][]rag.Hit{hits, hits[:min(3, len(hits))], prev, append(slices.Clone(hits), hits...)}
				for _, h := range hits {
					lists = append(lists, []rag.Hit{h})
				}
				shuffled := slices.Clone(hits)
				rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
				lists = append(lists, shuffled, hits)
				for _, l := range lists {
					got, want := w.answerUnits(l, q), refAnswerUnits(w, l, q)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%q (%s), %d hits: answerUnits\n%+v\nwant\n%+v", question, career, len(l), got, want)
					}
					compared++
				}
			}
		}
		prev = hits
	}
	if compared < 5000 {
		t.Fatalf("only %d hit lists compared", compared)
	}
}

// refAnswerUnits and refScore are answerUnits and query.score before
// matchesOf (main at 0b78dfc).
func refAnswerUnits(w *Writer, hits []rag.Hit, q *query) []unit {
	var units []unit
	for rank, h := range hits {
		a := w.analysisOf(h.Chunk)
		caseStudy := a.caseStudy
		for _, au := range a.units {
			u := au.unit
			u.hit = rank
			u.ordinal = h.Ordinal
			u.para += rank * 1000 // paragraphs of different chunks stay apart
			u.outcome = u.result && (q.results || caseStudy)
			units = append(units, u)
		}
		if rank >= 3 && h.Section != hits[0].Section {
			units = units[:len(units)-len(a.units)] // below the top 3 only the top section's other chunks count
		}
	}
	refScore(q, units, func(i int) []vocab.Term {
		u := units[i]
		return w.analysisOf(hits[u.hit].Chunk).units[u.pos].terms
	}, func(i int) []vocab.Term {
		return w.analysisOf(hits[units[i].hit].Chunk).title
	})
	return units
}

func refScore(q *query, units []unit, termsOf, titleOf func(i int) []vocab.Term) {
	if len(units) == 0 {
		return
	}
	var buf [16]float64
	matches := buf[:0]
	if n := len(q.terms) * len(units); n > len(buf) {
		matches = make([]float64, 0, n)
	}
	held := make([]int, len(q.terms))
	for i := range units {
		terms, title := termsOf(i), titleOf(i)
		for k, t := range q.terms {
			m := t.match(terms)
			if m > 0 {
				held[k]++
			}
			if len(title) > 0 {
				m = max(m, titleWeight*t.match(title))
			}
			matches = append(matches, m)
		}
	}
	pay := q.set["§pay"]
	for i := range units {
		s := 0.0
		for k := range q.terms {
			if m := matches[i*len(q.terms)+k]; m > 0 {
				s += m * (1 + rarityBonus*(1-float64(held[k])/float64(len(units))))
			}
		}
		if units[i].figure && pay {
			s++
		}
		if units[i].outcome {
			s += resultBonus
		}
		if q.asks != anyAnswer && s > 0 && q.asks.holds(units[i].text) {
			s += answerTypeBonus // a rule of scoring added since, not part of what is guarded
		}
		units[i].score = s
	}
}

// TestForAnswerMatchesRebuiltMemory holds ForAnswer (the asked set updated
// from the previous answer's, askedCounts) to the version before, which
// rebuilt it from every turn (refForAnswer, with newChipMemory as ForReady
// and ForClarify still build it): conversations of the eval questions on
// six guides' hits, one Chips each, kept to 20, 5 or 3 turns, with turns
// grounded or not, naming their guide or not, restarted, cut in the middle,
// reordered, replaced by another's, and the guides changed.
func TestForAnswerMatchesRebuiltMemory(t *testing.T) {
	ix := ragtest.Open(t, append(guideFiles(t), ragtest.MediaSpecialist)...)
	type asked struct {
		question string
		hits     []rag.Hit
	}
	var pool []asked
	for i, m := range evalMessages(t) {
		if i%5 != 0 {
			continue
		}
		hits, err := ix.Search(context.Background(), m)
		if err != nil {
			hits = nil
		}
		pool = append(pool, asked{m, hits})
	}
	allGuides := ix.Guides()
	rng := rand.New(rand.NewPCG(15, 5))
	compared := 0
	for conv := range 300 {
		var c Chips
		var history []PastTurn
		guides := allGuides
		limit := []int{20, 5, 3}[conv%3]
		for step := range 60 {
			switch r := rng.IntN(40); {
			case r == 0:
				history = nil // a new conversation on the same connection
			case r == 1 && len(history) > 2:
				k := rng.IntN(len(history))
				history = slices.Delete(slices.Clone(history), k, k+1)
			case r == 2 && len(history) > 2:
				history = slices.Clone(history)
				rng.Shuffle(len(history), func(a, b int) { history[a], history[b] = history[b], history[a] })
			case r == 3:
				guides = allGuides[:1+rng.IntN(len(allGuides))]
			case r == 4 && len(history) > 0:
				history = slices.Clone(history)
				history[len(history)-1].Guide = "" // stored before turns named a guide
			}
			a := pool[rng.IntN(len(pool))]
			hits := a.hits
			if rng.IntN(6) == 0 {
				hits = nil
			}
			standalone := a.question
			if len(history) > 0 && rng.IntN(3) == 0 {
				standalone += " (" + history[len(history)-1].Standalone + ")"
			}
			starters := 2 + rng.IntN(3)
			got := c.ForAnswer(history, guides, starters, a.question, standalone, hits)
			want := refForAnswer(history, guides, starters, a.question, standalone, hits)
			if !slices.Equal(got, want) {
				t.Fatalf("conversation %d, step %d: ForAnswer = %q, want %q", conv, step, got, want)
			}
			compared++
			turn := PastTurn{Question: a.question, Standalone: standalone, Grounded: len(hits) > 0, Suggestions: got}
			if turn.Grounded && rng.IntN(8) != 0 {
				turn.Guide = hits[0].Guide
			}
			history = append(history, turn)
			if len(history) > limit {
				history = history[len(history)-limit:]
			}
		}
	}
	if compared < 10000 {
		t.Fatalf("only %d answers compared", compared)
	}
}

// refForAnswer is ForAnswer before askedCounts (main at 0b78dfc), with
// FollowUps and pick as they were before followUps and pickKeyed (main at
// 897c4f8: refFollowUps, refPick).
func refForAnswer(history []PastTurn, guides []string, starters int, question, standalone string, hits []rag.Hit) []string {
	var shown []string // the previous offer only before the first answer
	if len(history) == 0 {
		shown = Starters(guides, starters)
	}
	m := newChipMemory(history, guides, shown, nil)
	if len(hits) == 0 {
		m.addAsked(question, standalone, nil)
		return refPick(m, Starters(guides, everyCandidate), starters, minFollowUps)
	}
	m.addAsked(question, standalone, []string{hits[0].Guide})
	return refPick(m, refFollowUps(standalone, hits, everyCandidate), maxFollowUps, minFollowUps)
}
