package rag

import (
	"context"
	"math/bits"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// withinEdits keeps its rows on the stack (a hand optimisation, see there):
// it must answer as the allocating version did for words of any length,
// including those longer than the stack rows.
func TestWithinEditsMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	word := func() string {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = "abcde"[rng.IntN(5)]
		}
		return string(b)
	}
	for range 20000 {
		a, b := word(), word()
		if rng.IntN(2) == 0 && len(a) > 2 { // near misses, the usual case
			b = a[:len(a)-1]
			if rng.IntN(2) == 0 {
				b = a[1:] + "x"
			}
		}
		for k := 1; k <= 2; k++ {
			if got, want := withinEdits(a, b, k), withinEditsReference(a, b, k); got != want {
				t.Fatalf("withinEdits(%q, %q, %d) = %v, want %v", a, b, k, got, want)
			}
		}
	}
	for _, tt := range []struct {
		a, b string
		want bool
	}{{"salry", "salary", true}, {"sallary", "salary", true}, {"aslary", "salary", true}, {"analsyt", "analyst", true}, {"nurse", "purge", false}} {
		if got := withinEdits(tt.a, tt.b, 1); got != tt.want {
			t.Errorf("withinEdits(%q, %q, 1) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if a := testing.AllocsPerRun(100, func() { withinEdits("salary", "salry", 1) }); a != 0 {
		t.Errorf("withinEdits allocated %v times, want 0", a)
	}
}

// withinEditsReference is withinEdits as it was before its rows moved to
// the stack (commit 8047da0).
func withinEditsReference(a, b string, k int) bool {
	n, m := len(a), len(b)
	if n-m > k || m-n > k {
		return false
	}
	prev2 := make([]int, m+1)
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= m; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > k {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[m] <= k
}

// correct skips the words whose letterSet differs from the typo's in more
// than 2k bits (a hand optimisation, see letterSet): no two words within k
// edits may differ in more, random pairs, near misses and every byte
// included.
func TestLetterSetBoundsEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	word := func(alphabet string) string {
		b := make([]byte, 1+rng.IntN(14))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	edit := func(w string) string {
		b := []byte(w)
		i := rng.IntN(len(b) + 1)
		switch rng.IntN(4) {
		case 0:
			if i < len(b) {
				b[i] = byte(rng.IntN(256))
			}
		case 1:
			if i < len(b) {
				b = append(b[:i], b[i+1:]...)
			}
		case 2:
			b = append(b[:i], append([]byte{byte(rng.IntN(256))}, b[i:]...)...)
		case 3:
			if i+1 < len(b) {
				b[i], b[i+1] = b[i+1], b[i]
			}
		}
		return string(b)
	}
	within := 0
	for n := range 200000 {
		alphabet := "abcdefghijklmnopqrstuvwxyz"
		if n%4 == 0 {
			alphabet = "abc@ABC!\xe9\x80a0p1"
		}
		a := word(alphabet)
		b := edit(a)
		if n%3 == 0 {
			b = edit(b)
		}
		if n%5 == 0 {
			b = word(alphabet)
		}
		for k := 1; k <= 2; k++ {
			if withinEditsReference(a, b, k) {
				within++
				if d := bits.OnesCount64(letterSet(a) ^ letterSet(b)); d > 2*k {
					t.Fatalf("%q and %q are within %d edits but their letter sets differ in %d bits", a, b, k, d)
				}
			}
		}
	}
	if within < 100000 {
		t.Fatalf("only %d pairs within the edits: the test checks too little", within)
	}
}

// correct reads the counts and the job-title flags from its word lists
// instead of maps (a hand optimisation, see vocabulary.byFirst): it must
// correct every word as the map version did, ties included.
func TestCorrectMatchesReference(t *testing.T) {
	text, err := os.ReadFile("../../corpus/media-specialist.txt")
	if err != nil {
		t.Fatal(err)
	}
	v := &vocabulary{texts: func(yield func(string)) { yield(string(text)); yield("baker painter writer sallary salery") }}
	v.words()
	rng := rand.New(rand.NewPCG(5, 6))
	var words []string
	for w := range v.count {
		words = append(words, w)
	}
	slices.Sort(words)
	byFirst := map[byte][]string{}
	for _, c := range words {
		if len(c) >= 3 {
			byFirst[c[0]] = append(byFirst[c[0]], c)
		}
	}
	checked, corrected := 0, 0
	for _, w := range words {
		for range 3 {
			b := []byte(w)
			switch i := rng.IntN(len(b)); rng.IntN(4) {
			case 0: // a letter wrong
				b[i] = byte('a' + rng.IntN(26))
			case 1: // a letter missing
				b = append(b[:i], b[i+1:]...)
			case 2: // a letter extra
				b = append(b[:i], append([]byte{byte('a' + rng.IntN(26))}, b[i:]...)...)
			case 3: // two swapped
				if i+1 < len(b) {
					b[i], b[i+1] = b[i+1], b[i]
				}
			}
			for _, typo := range []string{string(b), w, "bak", "bake", "paint", "writ"} {
				got, want := v.correct(typo), correctReference(v, byFirst, typo)
				if got != want {
					t.Fatalf("correct(%q) = %q, want %q", typo, got, want)
				}
				checked++
				if got != "" {
					corrected++
				}
			}
		}
	}
	if corrected < 100 {
		t.Fatalf("only %d of %d words corrected: the test checks too little", corrected, checked)
	}
}

// correctReference is vocabulary.correct as it was before the counts moved
// into its word lists (commit 8047da0), over the same vocabulary.
func correctReference(v *vocabulary, byFirst map[byte][]string, w string) string {
	if len(w) < 4 || v.known(w) || !isASCIIWord(w) {
		return ""
	}
	maxEdits := 1
	if len(w) >= 8 {
		maxEdits = 2
	}
	best, bestCount := "", 0
	try := func(list []string) {
		for _, c := range list {
			if d := len(c) - len(w); d > maxEdits || -d > maxEdits || v.count[c] <= bestCount || agentOf(w, c) || doerOf(w, c) { // doerOf: a rule added since, not part of what is guarded
				continue
			}
			if withinEdits(w, c, maxEdits) {
				best, bestCount = c, v.count[c]
			}
		}
	}
	try(byFirst[w[0]])
	if w[1] != w[0] {
		try(byFirst[w[1]])
	}
	return best
}

func TestIsSuperlative(t *testing.T) {
	for w, want := range map[string]bool{
		"lowest": true, "highest": true, "biggest": true, "largest": true, "safest": true, "newest": true,
		"interest": false, "request": false, "test": false, "suggest": false, "manifest": false, "forest": false,
	} {
		if got := isSuperlative(w); got != want {
			t.Errorf("isSuperlative(%q) = %v, want %v", w, got, want)
		}
	}
}

// A kind of tool asked for in a question about tools ("photos", "video
// calls") is found where the guide lists tools by name: the question is
// answered from the tools, not declined for a word the guide never uses.
func TestToolKindIsAWordOfTheToolsTopic(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	for _, q := range []string{"which software for photos", "what apps for video calls"} {
		hits, err := ix.Search(context.Background(), q)
		if err != nil || len(hits) == 0 {
			t.Errorf("Search(%q) = %v, %v; want the tools", q, hits, err)
			continue
		}
		if !ix.inTopics(indexOfChunk(ix, hits[0].ID), toolsTopic) {
			t.Errorf("Search(%q) top hit %q, want a tools section", q, hits[0].Section)
		}
	}
}

func indexOfChunk(ix *Index, id string) int {
	for i, c := range ix.chunks {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// An amount in thousands ("85k") is a word of pay, found in the salary
// section: the question is not declined for its other words.
func TestAnAmountInThousandsIsPay(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	hits, err := ix.Search(context.Background(), "could i ever hit 85k doing this")
	if err != nil || len(hits) == 0 {
		t.Fatalf("Search = %v, %v; want the salary section", hits, err)
	}
	if !strings.Contains(hits[0].Section, "Salary") {
		t.Errorf("top hit %q, want the salary section", hits[0].Section)
	}
}

// Duties asked at a time of day are that block of the day in the life:
// "tasks" is a duties word, but the blocks are the duties by the hour.
func TestDutiesAtATimeOfDayAreThatBlock(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	for q, want := range map[string]string{
		"evening tasks for a media specialist?": "Late Afternoon",
		"what do they do from 12 to 4":          "Afternoon (12",
		"what are their tasks in the morning":   "Morning",
	} {
		hits, err := ix.Search(context.Background(), q)
		if err != nil || len(hits) == 0 {
			t.Errorf("Search(%q) = %v, %v", q, hits, err)
			continue
		}
		if !strings.Contains(hits[0].Section, want) {
			t.Errorf("Search(%q) top hit %q, want %q", q, hits[0].Section, want)
		}
	}
	// With no time of day, the duties.
	if hits, err := ix.Search(context.Background(), "what tasks do media specialists have"); err != nil || len(hits) == 0 || strings.Contains(hits[0].Section, "Day in the Life") {
		t.Errorf("Search(duties) = %v, %v; want the duties", hits, err)
	}
}

// "Non-technical skills" are the soft skills, however it is written.
func TestNonTechnicalSkillsAreTheSoftOnes(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	for _, q := range []string{"non technical skills needed", "what non-technical skills do they need", "nontechnical skills?"} {
		hits, err := ix.Search(context.Background(), q)
		if err != nil || len(hits) == 0 {
			t.Errorf("Search(%q) = %v, %v", q, hits, err)
			continue
		}
		if !ix.inTopics(indexOfChunk(ix, hits[0].ID), softSkillsTopic) {
			t.Errorf("Search(%q) top hit %q, want the soft skills", q, hits[0].Section)
		}
	}
	if got := ix.Normalize("a non technician role"); strings.Contains(got, "soft") {
		t.Errorf("Normalize = %q: only 'technical' makes the soft skills", got)
	}
}

// One who does or makes a guide's thing ("tiktoker", "vlogger") is a job
// title of its own, not a typo of that thing: it is a career no guide
// covers. Real typos are still corrected.
func TestDoerOfAGuidesWordIsNoTypo(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	if m := ix.ResolveCareers("i wanna be a tiktoker full time how much can u actually make"); len(m.Uncovered) != 1 || m.Uncovered[0] != "Tiktoker" {
		t.Errorf("ResolveCareers(tiktoker) = %+v, want the uncovered Tiktoker", m)
	}
	if got := ix.Normalize("wats the avg salry"); !strings.Contains(got, "salary") {
		t.Errorf("Normalize = %q: a typo is still corrected", got)
	}
	for w, c := range map[string]string{"tiktoker": "tiktok", "vlogger": "vlog", "bloggers": "blog"} {
		if !doerOf(w, c) {
			t.Errorf("doerOf(%q, %q) = false", w, c)
		}
	}
	if doerOf("salry", "salary") || doerOf("edit", "editor") {
		t.Error("doerOf: a typo or the verb of a doer is no doer")
	}
}
