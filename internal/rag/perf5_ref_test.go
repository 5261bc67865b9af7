package rag

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/testutil"
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
	texts = append(texts, testutil.FileLines(t, "../../corpus/*", "../../testdata/guides/*", "../../testdata/eval/*.dev.jsonl")...)
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

// TestPrepareMatchesReference holds prepare (four zero dimensions skipped
// at a time) to the loop over every dimension (refPrepare): the same
// nonzero dimensions and the same vector to the last bit, for question
// vectors, vectors of every length, sparse and dense, with negative zeros,
// NaNs, infinities and subnormals.
func TestPrepareMatchesReference(t *testing.T) {
	texts := perf5Texts(t)
	e := NewBuiltinEmbedder(texts[:2000])
	var vectors [][]float32
	for _, s := range texts[1000:4000] {
		vectors = append(vectors, e.Vector(s))
	}
	rng := rand.New(rand.NewPCG(27, 28))
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, 1, -0.5, 3, 2, -2}
	for range 5000 {
		v := make([]float32, 1+rng.IntN(40))
		for i := range v {
			switch rng.IntN(4) {
			case 0:
				v[i] = specials[rng.IntN(len(specials))]
			case 1:
				v[i] = rng.Float32() - 0.5
			}
		}
		vectors = append(vectors, v)
	}
	nonzeros := 0
	for _, v := range vectors {
		s := &sparseIndex{chunks: 1, dims: len(v)}
		got, gotNZ, err := s.prepare(slices.Clone(v), 1, nil)
		want, wantNZ, wantErr := refPrepare(s, slices.Clone(v), 1, nil)
		if err != nil || wantErr != nil {
			t.Fatalf("%v: errors %v, %v", v, err, wantErr)
		}
		if !slices.Equal(gotNZ, wantNZ) {
			t.Fatalf("%v: nonzero %v, want %v", v, gotNZ, wantNZ)
		}
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%v: dimension %d is %v, want %v", v, i, got[i], want[i])
			}
		}
		nonzeros += len(gotNZ)
	}
	if nonzeros < 50000 {
		t.Fatalf("only %d nonzero dimensions compared", nonzeros)
	}
}

// refPrepare is sparseIndex.prepare as it was (main 897c4f8).
func refPrepare(s *sparseIndex, q []float32, n int, nonzero []int) ([]float32, []int, error) {
	if len(q) == 0 {
		return nil, nil, errors.New("queryEmbedding is empty")
	}
	if n <= 0 {
		return nil, nil, errors.New("nResults must be > 0")
	}
	if n > s.chunks {
		return nil, nil, errors.New("nResults must be <= the number of documents in the collection")
	}
	if len(q) != s.dims {
		return nil, nil, fmt.Errorf("the question's vector has %d dimensions, the index %d", len(q), s.dims)
	}
	var sqSum float64
	for d, x := range q {
		if x != 0 {
			nonzero = append(nonzero, d)
			sqSum += float64(x) * float64(x)
		}
	}
	if math.Abs(math.Sqrt(sqSum)-1) >= normalizedTolerance {
		q = normalizeVector(q)
	}
	return q, nonzero, nil
}

// TestAskedInIsQuestionTopics holds a questionRead's kept topics
// (restTopics: read once, then shared by routing's QuestionTopics and the
// search) to reading them afresh, before and after the searches and
// routing's look-ups of one answer have used them, for every DEV eval
// question and history, and for another text than the rest.
func TestAskedInIsQuestionTopics(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	ctx := t.Context()
	kept := 0
	for _, m := range testutil.DevMessages(t, "../../testdata/eval") {
		r := ix.Reader()
		q := r.read(m)
		want := questionTopics(stemsOf(q.match.rest))
		if got := q.askedIn(q.match.rest); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: askedIn(rest) = %+v, want %+v", m, got, want)
		}
		for _, cs := range [][]int{nil, {0}, {len(ix.Careers()) - 1}} {
			if _, err := r.SearchCareers(ctx, m, cs); err != nil && !errors.Is(err, ErrNothingRelevant) {
				t.Fatal(err)
			}
		}
		if got, w := r.QuestionTopics(m), ix.QuestionTopics(m); !reflect.DeepEqual(got, w) {
			t.Fatalf("%q: QuestionTopics = %v, want %v", m, got, w)
		}
		if got := r.read(m).askedIn(q.match.rest); !reflect.DeepEqual(got, questionTopics(stemsOf(q.match.rest))) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: askedIn(rest) after the searches = %+v, want %+v", m, got, want)
		}
		if other := q.normalized + " salary"; !reflect.DeepEqual(q.askedIn(other), questionTopics(stemsOf(other))) {
			t.Fatalf("%q: askedIn(%q) is not its questionTopics", m, other)
		}
		if q.rest.read {
			kept++
		}
	}
	if kept < 500 {
		t.Fatalf("only %d questions' topics kept", kept)
	}
}
