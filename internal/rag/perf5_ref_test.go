package rag

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/vocab"
)

// Issue 15, fourth round (docs/benchmarks.md): the guards of retrieval's
// hand optimisations, each against the code it replaced (kept below).

// perf5Texts are the guides' lines, the DEV eval files' lines (questions
// and histories among them) and random texts of words, capitals,
// apostrophes, numbers, other scripts and invalid UTF-8.
func perf5Texts(t *testing.T) []string {
	t.Helper()
	texts := []string{"", "How much does a data analyst earn?", "What is the job outlook for media specialists?", "How do I bake sourdough bread?"}
	for _, pattern := range []string{"../../corpus/*", "../../testdata/guides/*", "../../testdata/eval/*.dev.jsonl"} {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("no files match %s (%v)", pattern, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, strings.Split(string(data), "\n")...)
		}
	}
	pieces := []string{"a", "Z", "pay", "Salary", "don't", "master’s", "$51,000", "1.5", "the", "of", " ", " ", "\n", "-", "editing",
		"naïve", "ÉCOLE", "日本語", "ß", "\xff", "\xe2\x80", strings.Repeat("x", 70), "how much", "get started", "where", "work", "q&a", "abcd"}
	rng := rand.New(rand.NewPCG(20, 26))
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(14) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	return texts
}

// TestForEachFeatureMatchesReference holds forEachFeature (words without
// a string each, trigrams hashed without the padded word) to the version
// before: the same features with the same weights in the same order, so
// every vector the same to the last bit.
func TestForEachFeatureMatchesReference(t *testing.T) {
	type feature struct {
		h uint64
		w float32
	}
	features := 0
	for _, s := range perf5Texts(t) {
		var got, want []feature
		forEachFeature(s, func(h uint64, w float32) { got = append(got, feature{h, w}) })
		refForEachFeature(s, func(h uint64, w float32) { want = append(want, feature{h, w}) })
		if len(got) != len(want) {
			t.Fatalf("%q: %d features, want %d", s, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%q: feature %d is %v, want %v", s, i, got[i], want[i])
			}
		}
		features += len(got)
	}
	if features < 100000 {
		t.Fatalf("only %d features compared", features)
	}
}

// refForEachFeature is forEachFeature as it was (main 897c4f8).
func refForEachFeature(text string, fn func(h uint64, weight float32)) {
	prev := ""
	vocab.ForEachWord(text, func(word string) {
		if vocab.IsStopWord(word) {
			prev = ""
			return
		}
		st := vocab.Stem(word)
		fn(hashParts('w', st, ""), weightWord)
		if c := vocab.ConceptOf(st); c != "" {
			fn(hashParts('c', c, ""), weightConcept)
		}
		if prev != "" {
			fn(hashParts('b', prev, st), weightBigram)
		}
		prev = st
		if len(word) >= 4 {
			padded := "^" + word + "$"
			for i := 0; i+3 <= len(padded); i++ {
				fn(hashParts('g', padded[i:i+3], ""), weightTrigram)
			}
		}
	})
	for _, c := range vocab.PhraseConcepts(text) {
		fn(hashParts('c', c, ""), weightConcept)
	}
}
