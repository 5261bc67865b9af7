package rag

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/testutil"
)

// Issue 15, fifth round (docs/benchmarks.md): the guards of this round's
// hand optimisations in rag, each against the code it replaced.

// TestQuestionVectorIsEmbed holds questionVector (the built-in embedder's
// question vector written into a pooled buffer) to what rankRead did
// before, ix.embedder.Embed of the question: the same vector to the bit
// for every DEV eval message, lower-cased and empty, with the buffers put
// back and reused dirty between them, and the same error for a cancelled
// context.
func TestQuestionVectorIsEmbed(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	if _, ok := ix.vectors.(*sparseIndex); !ok {
		t.Fatalf("the test index is not sparse (%T): the pooled path is not tested", ix.vectors)
	}
	ctx := context.Background()
	texts := []string{"", " ", "?", "zzzzqqq"}
	for _, m := range testutil.DevMessages(t, "../../testdata/eval") {
		texts = append(texts, m, strings.ToLower(m))
	}
	var held []*[]float32
	for i, text := range texts {
		got, pooled, err := ix.questionVector(ctx, text)
		if err != nil || pooled == nil {
			t.Fatalf("%q: %v, pooled %v", text, err, pooled != nil)
		}
		vecs, err := ix.embedder.Embed(ctx, []string{text})
		if err != nil {
			t.Fatal(err)
		}
		want := vecs[0]
		if len(got) != len(want) {
			t.Fatalf("%q: %d dimensions, Embed's %d", text, len(got), len(want))
		}
		for d := range want {
			if math.Float32bits(got[d]) != math.Float32bits(want[d]) {
				t.Fatalf("%q: dimension %d is %v, Embed's %v", text, d, got[d], want[d])
			}
		}
		// Keep some buffers a while, so that the pool hands out several, all
		// dirty with earlier questions' vectors.
		held = append(held, pooled)
		if i%3 == 0 {
			for _, p := range held {
				putQuestionVector(p)
			}
			held = held[:0]
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, _, got := ix.questionVector(cancelled, "what does a media specialist earn")
	_, want := ix.embedder.Embed(cancelled, []string{"x"})
	if got == nil || want == nil || got.Error() != "embedding the question: "+want.Error() {
		t.Fatalf("cancelled: %v, Embed's %v", got, want)
	}
}
