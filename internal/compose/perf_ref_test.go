package compose

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
	"github.com/careerbot/careerbot/internal/vocab"
)

// TestNewQueryReadsOnce holds newQuery (the question's words and phrases
// read once) to the version before (refNewQuery, below) on every eval
// question, as asked and with a carried part, for three careers.
func TestNewQueryReadsOnce(t *testing.T) {
	for _, m := range evalMessages(t) {
		for _, q := range []string{m, m + " (" + m + ")", strings.ToUpper(m)} {
			for _, career := range []string{"Media Specialist", "Registered Nurse", ""} {
				if got, want := newQuery(q, career), refNewQuery(q, career); !reflect.DeepEqual(got, want) {
					t.Fatalf("newQuery(%q, %q) = %+v, want %+v", q, career, got, want)
				}
			}
			if got, want := questionTerms(q), refQuestionTerms(q); !reflect.DeepEqual(got, want) {
				t.Fatalf("questionTerms(%q) = %v, want %v", q, got, want)
			}
		}
	}
}

// TestAnalysisHeadingIsSection holds what a chunk's analysis keeps of its
// section (caseStudy, heading; headingMatches) to what the answer writer
// computed from the section on every use: for every chunk of the six-guide
// corpus, as cached and without an id (not cached), and for each eval
// question's terms.
func TestAnalysisHeadingIsSection(t *testing.T) {
	files := append(guideFiles(t), ragtest.MediaSpecialist)
	ix := ragtest.Open(t, files...)
	var sets []map[string]bool
	for i, m := range evalMessages(t) {
		if i%7 == 0 {
			sets = append(sets, questionTerms(m))
		}
	}
	w := new(Writer)
	for _, c := range ix.Chunks() {
		for _, c := range []rag.Chunk{c, {Text: c.Text, Section: c.Section}} {
			a := w.analysisOf(c)
			if a.caseStudy != isCaseStudy(c.Section) {
				t.Fatalf("%q: caseStudy %v", c.Section, a.caseStudy)
			}
			if want := vocab.Terms(sectionName(c.Section)); !reflect.DeepEqual(a.heading, want) {
				t.Fatalf("%q: heading %v, want %v", c.Section, a.heading, want)
			}
			for _, q := range sets {
				if got, want := w.headingMatches(rag.Hit{Chunk: c}, q), matchesAny(sectionName(c.Section), q); got != want {
					t.Fatalf("headingMatches(%q, %v) = %v, want %v", c.Section, q, got, want)
				}
			}
		}
	}
}

// TestTopicAboutIsSprintf: every topic's question has one %s and no other
// verb, so topic.about is fmt.Sprintf of it, for any role.
func TestTopicAboutIsSprintf(t *testing.T) {
	for _, tp := range topics {
		if strings.Count(tp.question, "%") != 1 || !strings.Contains(tp.question, "%s") {
			t.Fatalf("topic %q: question %q is not one %%s", tp.concept, tp.question)
		}
		for _, role := range []string{"Media Specialist", "this career", "", "100% Pro", "%s %d", "Ünïcode Rôle"} {
			if got, want := tp.about(role), fmt.Sprintf(tp.question, role); got != want {
				t.Fatalf("about(%q) = %q, want %q", role, got, want)
			}
		}
	}
}

// guideFiles are the multi-guide corpus's guides besides the corpus's.
func guideFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/guides/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no guides (%v)", err)
	}
	slices.Sort(files)
	return files
}

// The versions before newQuery read the question once (commit 467126d).

func refNewQuery(question, career string) *query {
	q := &query{set: refQuestionTerms(question)}
	defer q.withoutCareer(career)
	prev := ""
	vocab.ForEachWord(question, func(w string) {
		if resultWords[vocab.Stem(w)] || (prev == "work" || prev == "turn" || prev == "pan") && w == "out" || prev == "it" && (w == "work" || w == "go") {
			q.results = true
		}
		prev = w
	})
	q.asks = answerTypeOf(question) // a field added since, not part of what is guarded
	for _, t := range questionWords(question) {
		if !slices.Contains(q.terms, queryTerm{stem: t.Stem, concept: t.Concept}) {
			q.terms = append(q.terms, queryTerm{stem: t.Stem, concept: t.Concept})
		}
	}
	for _, c := range vocab.PhraseConcepts(question) {
		if !slices.ContainsFunc(q.terms, func(t queryTerm) bool { return t.concept == c }) {
			q.terms = append(q.terms, queryTerm{concept: c})
		}
	}
	return q
}

func refQuestionTerms(question string) map[string]bool {
	q := map[string]bool{}
	for _, t := range questionWords(question) {
		q[t.Stem] = true
		if t.Concept != "" {
			q["§"+t.Concept] = true
		}
	}
	for _, c := range vocab.PhraseConcepts(question) {
		q["§"+c] = true
	}
	return q
}

// TestContainsWordsIsContains holds containsWords to bytes.Contains on the
// word strings of every chunk of the six-guide corpus and pieces cut from
// them (whole, shifted by a letter, across chunks), and on random word
// strings of a few letters, where near misses are many.
func TestContainsWordsIsContains(t *testing.T) {
	ix := ragtest.Open(t, append(guideFiles(t), ragtest.MediaSpecialist)...)
	w := new(Writer)
	var texts [][]byte
	for _, c := range ix.Chunks() {
		texts = append(texts, w.analysisOf(c).words)
	}
	check := func(text, piece []byte) {
		t.Helper()
		if got, want := containsWords(text, piece), bytes.Contains(text, piece); got != want {
			t.Fatalf("containsWords(%q, %q) = %v, want %v", text, piece, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(15, 3))
	for k, text := range texts {
		for range 40 {
			i, j := rng.IntN(len(text)), rng.IntN(len(text))
			if i > j {
				i, j = j, i
			}
			piece := text[i : j+1]
			check(text, piece)
			check(texts[(k+1)%len(texts)], piece)
			if sp := bytes.IndexByte(piece[1:], ' '); sp >= 0 {
				p := append([]byte{' '}, piece[sp+2:]...)
				check(text, p) // from a word's start
				check(text, append([]byte(" x"), p...))
			}
		}
	}
	words := []string{"a", "b", "ab", "ba", "aa", "b1", "1"}
	gen := func(n int) []byte {
		b := []byte{' '}
		for range n {
			b = append(append(b, words[rng.IntN(len(words))]...), ' ')
		}
		return b
	}
	for range 50000 {
		text, piece := gen(rng.IntN(30)), gen(1+rng.IntN(4))
		check(text, piece)
		check(text, piece[:len(piece)-1])
		check(text, []byte("x"+string(piece)))
	}
	check(nil, []byte(" "))
	check([]byte(" a "), []byte(""))
}

// TestPickMatchesMaps holds pick (keys in one buffer, looked up without a
// string each) and chipKey to the versions before, which made a string
// and a map entry per candidate: 5,000 random candidate lists (the
// starters and follow-ups of six careers, cased, punctuated and accented
// every way, with repeats and empty keys) against random memories.
func TestPickMatchesMaps(t *testing.T) {
	guides := []string{"Media Specialist Career Path Guide", "Registered Nurse Career Guide", "UX Researcher", "Électricien Guide", "Data Analyst", "Graphic Designer"}
	var pool []string
	for _, g := range guides {
		pool = append(pool, Starters([]string{g}, everyCandidate)...)
		pool = append(pool, FollowUps("how much does a "+RoleOf(g)+" earn", []rag.Hit{{Chunk: rag.Chunk{Guide: g, Section: "Annual Salary"}}}, everyCandidate)...)
	}
	pool = append(pool, "", "?!", "  ", "HOW MUCH does a media specialist EARN", "how much does a media-specialist earn??", "Ça va?", "ÜBER pay", strings.Repeat("long question ", 100))
	rng := rand.New(rand.NewPCG(15, 4))
	for _, c := range pool {
		if got, want := chipKey(c), refChipKey(c); got != want {
			t.Fatalf("chipKey(%q) = %q, want %q", c, got, want)
		}
	}
	for range 5000 {
		cands := make([]string, rng.IntN(80))
		for i := range cands {
			cands[i] = pool[rng.IntN(len(pool))]
		}
		m := &chipMemory{asked: map[string]bool{}, offered: map[string]bool{}}
		for range rng.IntN(30) {
			m.asked[refChipKey(pool[rng.IntN(len(pool))])] = true
		}
		for range rng.IntN(4) {
			m.offered[refChipKey(pool[rng.IntN(len(pool))])] = true
		}
		n, atLeast := rng.IntN(5), rng.IntN(4)
		if got, want := m.pick(cands, n, atLeast), refPick(m, cands, n, atLeast); !slices.Equal(got, want) {
			t.Fatalf("pick(%q, %d, %d) = %q, want %q", cands, n, atLeast, got, want)
		}
	}
}

func refPick(m *chipMemory, candidates []string, n, atLeast int) []string {
	var fresh, offered, asked []string
	seen := map[string]bool{}
	for _, c := range candidates {
		k := refChipKey(c)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		switch {
		case m.asked[k]:
			asked = append(asked, c)
		case m.offered[k]:
			offered = append(offered, c)
		default:
			fresh = append(fresh, c)
		}
	}
	out := slices.Clone(fresh[:min(n, len(fresh))])
	for _, c := range slices.Concat(offered, asked) {
		if len(out) >= min(atLeast, n) {
			break
		}
		out = append(out, c)
	}
	return out
}

func refChipKey(q string) string {
	var b strings.Builder
	b.Grow(len(q))
	gap := false
	// ASCII first, without unicode tables: every candidate chip goes
	// through here on every answer (pick), and nearly all are ASCII.
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c >= utf8.RuneSelf:
			return chipKeyUnicode(q)
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteByte(c)
	}
	return b.String()
}
