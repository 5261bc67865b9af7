package compose

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
	"github.com/careerbot/careerbot/internal/testutil"
	"github.com/careerbot/careerbot/internal/vocab"
)

// Issue 15, fourth round (docs/benchmarks.md): the guards of the chips'
// hand optimisations, each against the code it replaced (kept below).

// TestFollowUpsMatchReference holds FollowUps and the candidates behind it
// (followUps: the topics' questions and keys from topicQuestionsAbout, the
// question's concepts without a map) to FollowUps as it was (refFollowUps),
// for every DEV eval question on its own hits, on the top hit of every
// section of the six guides, and with no hits, for every n; and each key
// it gives to chipKey of its question, also appended after another.
func TestFollowUpsMatchReference(t *testing.T) {
	ix := ragtest.Open(t, append(guideFiles(t), ragtest.MediaSpecialist)...)
	var hitLists [][]rag.Hit
	sections := map[string]bool{}
	for _, m := range testutil.DevMessages(t, "../../testdata/eval") {
		hits, err := ix.Search(t.Context(), m)
		if err != nil || len(hits) == 0 {
			continue
		}
		if !sections[hits[0].Guide+"\x00"+hits[0].Section] {
			sections[hits[0].Guide+"\x00"+hits[0].Section] = true
			hitLists = append(hitLists, hits[:1])
		}
		hitLists = append(hitLists, hits)
	}
	questions := append(testutil.DevMessages(t, "../../testdata/eval"), "", "pay", "What does a media specialist earn?", "(salary) tools and remote?")
	compared := 0
	for i, q := range questions {
		lists := [][]rag.Hit{nil, hitLists[i%len(hitLists)], hitLists[(i*7+3)%len(hitLists)]}
		for _, hits := range lists {
			want := refFollowUps(q, hits, everyCandidate)
			for _, n := range []int{0, 1, 2, 3, 4, 13, everyCandidate} {
				if got, w := FollowUps(q, hits, n), refFollowUps(q, hits, n); !slices.Equal(got, w) {
					t.Fatalf("FollowUps(%q, %d hits, %d) = %q, want %q", q, len(hits), n, got, w)
				}
			}
			var got []string
			for _, c := range followUps([]topicQuestion{{question: "x"}}, q, hits)[1:] {
				if string(c.key) != chipKey(c.question) {
					t.Fatalf("followUps(%q) gives %q the key %q, want %q", q, c.question, c.key, chipKey(c.question))
				}
				got = append(got, c.question)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("followUps(%q, %d hits) = %q, want %q", q, len(hits), got, want)
			}
			compared++
		}
	}
	if compared < 1500 || len(hitLists) < 100 {
		t.Fatalf("only %d questions and %d hit lists compared", compared, len(hitLists))
	}
}

// refFollowUps is FollowUps as it was before followUps (main 897c4f8).
func refFollowUps(question string, hits []rag.Hit, n int) []string {
	role := "this career"
	if len(hits) > 0 {
		role = RoleOf(hits[0].Guide)
	}
	asked := questionTerms(question)
	var current []string
	for _, t := range topics {
		if asked["§"+t.concept] {
			current = append(current, t.concept)
		}
	}
	if len(current) == 0 && len(hits) > 0 {
		section := questionTerms(hits[0].Section)
		for _, t := range topics {
			if section["§"+t.concept] {
				current = append(current, t.concept)
			}
		}
	}
	var out []string
	add := func(c string) {
		if len(out) >= n || slices.Contains(current, c) {
			return
		}
		if t, ok := topicByConcept(c); ok {
			q := t.about(role)
			if !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
	}
	for _, c := range current {
		if t, ok := topicByConcept(c); ok {
			for _, r := range t.related {
				add(r)
			}
		}
	}
	for _, t := range topics {
		add(t.concept)
	}
	return out
}

// topicQuestionsAbout empties its cache past maxCachedRoles careers and
// answers alike before and after.
func TestTopicQuestionsAboutIsBounded(t *testing.T) {
	for i := range 3 * maxCachedRoles {
		role := "Role " + strings.Repeat("x", i%7) + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
		qs := topicQuestionsAbout(role)
		if len(qs) != len(topics) {
			t.Fatalf("%d questions about %q, want %d", len(qs), role, len(topics))
		}
		for j, tq := range qs {
			if tq.question != topics[j].about(role) || string(tq.key) != chipKey(tq.question) {
				t.Fatalf("topic %d about %q: %q key %q", j, role, tq.question, tq.key)
			}
		}
		if n := topicQuestionRoles.Load(); n > maxCachedRoles {
			t.Fatalf("%d careers cached, want at most %d", n, maxCachedRoles)
		}
	}
}

// TestPickKeyedMatchesPick holds pickKeyed (the follow-ups' keys from
// topicQuestionsAbout, not keyed again) to pick as it was (refPick): the
// follow-ups of six careers after questions on every topic, against
// random memories of asked and offered keys (the counted ones are
// TestForAnswerMatchesRebuiltMemory's).
func TestPickKeyedMatchesPick(t *testing.T) {
	guides := []string{"Media Specialist Career Path Guide", "Registered Nurse Career Guide", "UX Researcher", "Électricien Guide", "Data Analyst", "Graphic Designer"}
	var asks []string
	for _, tp := range topics {
		asks = append(asks, tp.about("them"))
	}
	asks = append(asks, "", "what about the morning", "and pay?")
	var pool []string
	for _, g := range guides {
		pool = append(pool, Starters([]string{g}, everyCandidate)...)
	}
	rng := rand.New(rand.NewPCG(41, 42))
	for range 20000 {
		hits := []rag.Hit{{Chunk: rag.Chunk{Guide: guides[rng.IntN(len(guides))], Section: []string{"Annual Salary", "Overview", "Tools", ""}[rng.IntN(4)]}}}
		q := asks[rng.IntN(len(asks))]
		// Mostly the career's own questions, so that often few are fresh
		// and the offered and asked ones are taken too.
		own := Starters([]string{hits[0].Guide}, everyCandidate)
		key := func() string {
			if rng.IntN(4) == 0 {
				return refChipKey(pool[rng.IntN(len(pool))])
			}
			return refChipKey(own[rng.IntN(len(own))])
		}
		m := &chipMemory{asked: map[string]bool{}, offered: map[string]bool{}}
		for range rng.IntN(16) {
			m.asked[key()] = true
		}
		for range rng.IntN(12) {
			m.offered[key()] = true
		}
		n, atLeast := rng.IntN(5), rng.IntN(4)
		var buf [16]topicQuestion
		got := m.pickKeyed(followUps(buf[:0], q, hits), n, atLeast)
		if want := refPick(m, refFollowUps(q, hits, everyCandidate), n, atLeast); !slices.Equal(got, want) {
			t.Fatalf("pickKeyed(followUps(%q, %v), %d, %d) = %q, want %q", q, hits, n, atLeast, got, want)
		}
	}
}

// TestRenderMatchesReference holds render (its builder sized once, the
// marks written piece by piece) to the version before (refRender): every
// DEV eval question's units on its hits, all of them, the first few, and
// random picks of items, pairs and sentences in random order.
func TestRenderMatchesReference(t *testing.T) {
	ix := ragtest.Open(t, append(guideFiles(t), ragtest.MediaSpecialist)...)
	w := new(Writer)
	rng := rand.New(rand.NewPCG(43, 44))
	compared := 0
	for _, m := range testutil.DevMessages(t, "../../testdata/eval") {
		hits, err := ix.Search(t.Context(), m)
		if err != nil || len(hits) == 0 {
			continue
		}
		units := w.answerUnits(hits, newQuery(m, RoleOf(hits[0].Guide)))
		picks := [][]unit{nil, units, units[:min(3, len(units))], units[:min(12, len(units))]}
		for range 3 {
			var p []unit
			for range rng.IntN(14) {
				if len(units) > 0 {
					p = append(p, units[rng.IntN(len(units))])
				}
			}
			picks = append(picks, p)
		}
		for _, p := range picks {
			if got, want := render(hits, p), refRender(hits, p); got != want {
				t.Fatalf("%q: render = %q, want %q", m, got, want)
			}
			compared++
		}
	}
	if compared < 5000 {
		t.Fatalf("only %d picks compared", compared)
	}
}

// refRender is render as it was (main 897c4f8).
func refRender(hits []rag.Hit, picked []unit) string {
	var b strings.Builder
	lastKind, lastHit := unitKind(-1), -1
	for _, u := range picked {
		if b.Len() >= maxAnswerBytes {
			break
		}
		switch u.kind {
		case sentenceUnit:
			if lastKind == sentenceUnit && lastHit == u.hit {
				b.WriteByte(' ')
			} else if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(u.text)
		case pairUnit:
			if len(picked) > 0 && !hasList(picked) {
				if b.Len() > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString(u.text)
				break
			}
			fallthrough
		default:
			if lastKind != itemUnit && lastKind != pairUnit {
				if b.Len() > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString(sectionName(hits[u.hit].Section) + ":\n")
			} else {
				b.WriteByte('\n')
			}
			b.WriteString("- " + strings.TrimPrefix(u.text, "- "))
		}
		lastKind, lastHit = u.kind, u.hit
	}
	return strings.TrimSpace(b.String())
}

// TestFilterMatchesReference holds filter (the kept units found first,
// copied into a slice made once) to the version before (refFilter): the
// same units in the same order, nil for none, for every DEV question's
// units and random ones, more than its buffer of indexes included, under
// predicates that keep none, all, some and each unit once (keep is called
// once per unit, in order).
func TestFilterMatchesReference(t *testing.T) {
	ix := ragtest.Open(t, append(guideFiles(t), ragtest.MediaSpecialist)...)
	w := new(Writer)
	rng := rand.New(rand.NewPCG(45, 46))
	lists := [][]unit{nil, {}}
	for i, m := range testutil.DevMessages(t, "../../testdata/eval") {
		if i%3 != 0 {
			continue
		}
		if hits, err := ix.Search(t.Context(), m); err == nil && len(hits) > 0 {
			lists = append(lists, w.answerUnits(hits, newQuery(m, RoleOf(hits[0].Guide))))
		}
	}
	for range 200 {
		us := make([]unit, rng.IntN(400))
		for i := range us {
			us[i] = unit{text: fmt.Sprint(i), para: rng.IntN(5), kind: unitKind(rng.IntN(3)), score: float64(rng.IntN(3))}
		}
		lists = append(lists, us)
	}
	for _, us := range lists {
		for _, keep := range []func(unit) bool{
			func(unit) bool { return false },
			func(unit) bool { return true },
			func(u unit) bool { return u.kind == itemUnit },
			func(u unit) bool { return u.para == 2 && u.score > 0 },
		} {
			var gotCalls, wantCalls []string
			got := filter(us, func(u unit) bool { gotCalls = append(gotCalls, u.text); return keep(u) })
			want := refFilter(us, func(u unit) bool { wantCalls = append(wantCalls, u.text); return keep(u) })
			if !reflect.DeepEqual(got, want) || (got == nil) != (want == nil) || !slices.Equal(gotCalls, wantCalls) {
				t.Fatalf("filter of %d units = %d units (nil %v), want %d (nil %v)", len(us), len(got), got == nil, len(want), want == nil)
			}
		}
	}
}

// refFilter is filter as it was (main 897c4f8).
func refFilter(units []unit, keep func(unit) bool) []unit {
	var out []unit
	for _, u := range units {
		if keep(u) {
			out = append(out, u)
		}
	}
	return out
}

// TestMatchMatchesReference holds queryTerm.match (the term's tool and
// region names looked up once per call) to the version before (refMatch):
// every DEV question's terms against every unit of its hits and of other
// questions' hits, and every kind of tool and region asked for against
// the names of every kind, with and without a stem or a concept.
func TestMatchMatchesReference(t *testing.T) {
	ix := ragtest.Open(t, append(guideFiles(t), ragtest.MediaSpecialist)...)
	w := new(Writer)
	var unitTerms [][]vocab.Term
	var qterms []queryTerm
	for i, m := range testutil.DevMessages(t, "../../testdata/eval") {
		q := newQuery(m, "")
		qterms = append(qterms, q.terms...)
		if i%4 != 0 {
			continue
		}
		if hits, err := ix.Search(t.Context(), m); err == nil && len(hits) > 0 {
			for _, au := range w.analysisOf(hits[0].Chunk).units {
				unitTerms = append(unitTerms, au.terms)
			}
		}
	}
	var names []vocab.Term
	for _, byAsk := range []map[string]map[string]bool{toolNamesOf, regionNamesOf} {
		for ask, ns := range byAsk {
			qterms = append(qterms, queryTerm{stem: ask}, queryTerm{stem: ask, concept: "tools"})
			for n := range ns {
				names = append(names, vocab.Term{Stem: n})
			}
		}
	}
	for p := range placeNames {
		names = append(names, vocab.Term{Stem: p, Concept: "abroad"})
	}
	qterms = append(qterms, queryTerm{}, queryTerm{concept: "abroad"}, queryTerm{concept: "pay"})
	for i := 0; i < len(names); i += 3 {
		unitTerms = append(unitTerms, names[i:min(i+5, len(names))])
	}
	unitTerms = append(unitTerms, nil, []vocab.Term{{}})
	nonzero, compared := 0, 0
	for k, qt := range qterms {
		for j, ut := range unitTerms {
			if (j+k)%7 != 0 && len(qterms) > 2000 {
				continue // a seventh of the pairs, every term and unit
			}
			got, want := qt.match(ut), refMatch(qt, ut)
			if got != want {
				t.Fatalf("%+v.match(%v) = %v, want %v", qt, ut, got, want)
			}
			compared++
			if got > 0 {
				nonzero++
			}
		}
	}
	if compared < 100000 || nonzero < 5000 {
		t.Fatalf("only %d pairs compared, %d matching", compared, nonzero)
	}
}

// refMatch is queryTerm.match as it was (main 897c4f8).
func refMatch(t queryTerm, terms []vocab.Term) float64 {
	best := 0.0
	for _, u := range terms {
		switch {
		case t.stem != "" && u.Stem == t.stem:
			return exactMatch
		case t.stem != "" && (toolNamesOf[t.stem][u.Stem] || regionNamesOf[t.stem][u.Stem]):
			best = max(best, toolMatch) // "in asia?" → "India and Singapore…" too
		case t.concept != "" && u.Concept == t.concept, t.concept == "abroad" && placeNames[u.Stem]:
			best = max(best, conceptMatch)
		}
	}
	return best
}

// TestLeaningMatchesReference holds leaning (words without a string each,
// terms counted, the question padded once) to the version before
// (refLeaning): every DEV question and history, as typed, lowered, with
// the pointers' phrases and leaning words around it, and random texts.
func TestLeaningMatchesReference(t *testing.T) {
	extra := []string{"", "and?", "both", "those two?", "which of these three", "them both", "EITHER one", "  what about   ", "so", "ok now the other", "n the pay?", "& tools", "pay", "the", "Ça?", "ÉITHER", "those two", "those  two"}
	rng := rand.New(rand.NewPCG(47, 48))
	var texts []string
	for _, m := range testutil.DevMessages(t, "../../testdata/eval") {
		texts = append(texts, m, strings.ToUpper(m), "and "+m, m+" both?", "which of those two "+m)
	}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(extra[rng.IntN(len(extra))])
			b.WriteByte(" ?,"[rng.IntN(3)])
		}
		texts = append(texts, b.String())
	}
	counts := [4]int{}
	for _, s := range texts {
		gl, gi := leaning(s)
		wl, wi := refLeaning(s)
		if gl != wl || gi != wi {
			t.Fatalf("leaning(%q) = %v, %v; want %v, %v", s, gl, gi, wl, wi)
		}
		k := 0
		if gl {
			k++
		}
		if gi {
			k += 2
		}
		counts[k]++
	}
	if counts[0] < 100 || counts[1] < 100 || counts[3] < 100 { // about items without leaning does not occur
		t.Fatalf("too few texts of a kind (neither, leans, -, both): %v", counts)
	}
}

// refLeaning is leaning as it was (main 897c4f8).
func refLeaning(question string) (leans, aboutItems bool) {
	lower := strings.ToLower(strings.TrimSpace(question))
	for _, prefix := range leaningPrefixes {
		if strings.HasPrefix(lower, prefix) {
			leans = true
		}
	}
	vocab.ForEachWord(lower, func(w string) {
		if leaningWords[w] {
			leans = true
		}
		if itemWords[w] {
			aboutItems = true
		}
	})
	if IsCorrection(question) {
		leans = true // a rule added since, not part of what is guarded
	}
	if len(vocab.Terms(question)) <= 1 {
		leans = true
	}
	if isFragment(lower) {
		leans = true
	}
	// "which of those two…", "both of them", "either one" point at the
	// careers just compared, not at the items of the answer.
	for _, p := range []string{"those two", "these two", "the two", "both", "either", "those three", "these three", "them both"} {
		if strings.Contains(" "+lower+" ", " "+p+" ") || strings.Contains(" "+lower+"?", " "+p+"?") {
			aboutItems = false
		}
	}
	return leans, aboutItems
}

// TestContainsWordsLongPieces holds containsWords to bytes.Contains for
// pieces longer than the head it looks for first (containsHead): many
// words of a small alphabet, so that the head is found often where the
// whole is not, at the text's start and end, overlapping, and lines of
// the guides in one another.
func TestContainsWordsLongPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(49, 50))
	words := []string{"a", "b", "ab", "ba", "aa", "media", "specialist", "1"}
	gen := func(n int) []byte {
		b := []byte{' '}
		for range n {
			b = append(append(b, words[rng.IntN(len(words))]...), ' ')
		}
		return b
	}
	found, long := 0, 0
	for range 50000 {
		text := gen(rng.IntN(80))
		piece := gen(8 + rng.IntN(20))
		if rng.IntN(2) == 0 && len(text) > 2 { // a piece of the text, from a word's start
			start := rng.IntN(len(text) - 1)
			start += bytes.IndexByte(text[start:], ' ')
			piece = text[start:]
			if n := rng.IntN(len(piece)); n > 1 {
				piece = piece[:n]
			}
		}
		for _, p := range [][]byte{piece, append(bytes.Clone(piece), 'x'), piece[:len(piece)-1]} {
			got, want := containsWords(text, p), bytes.Contains(text, p)
			if got != want {
				t.Fatalf("containsWords(%q, %q) = %v, want %v", text, p, got, want)
			}
			if len(p) > containsHead+1 {
				long++
				if got {
					found++
				}
			}
		}
	}
	if long < 10000 || found < 1000 {
		t.Fatalf("only %d long pieces, %d found", long, found)
	}
}
