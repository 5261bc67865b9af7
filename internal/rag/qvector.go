package rag

import (
	"context"
	"fmt"
	"sync"
)

// questionVectors hold the built-in embedder's vectors of questions while
// they are searched for: 4 KB that every answer allocated and dropped, the
// largest of its allocations (issue 15, fifth round).
var questionVectors = sync.Pool{New: func() any {
	v := make([]float32, BuiltinDims)
	return &v
}}

// questionVector embeds a question for the vector search. With the
// built-in embedder and the sparse index, which keeps nothing of the
// vector it is given, the vector is written into a pooled buffer, returned
// as pooled for putQuestionVector once the search is done; otherwise it is
// the embedder's own (pooled nil). Either way it is the vector
// ix.embedder.Embed gives, bit for bit (TestQuestionVectorIsEmbed).
func (ix *Index) questionVector(ctx context.Context, text string) (vec []float32, pooled *[]float32, err error) {
	if e, ok := ix.embedder.(*BuiltinEmbedder); ok {
		if _, ok := ix.vectors.(*sparseIndex); ok {
			if err := ctx.Err(); err != nil {
				return nil, nil, fmt.Errorf("embedding the question: %w", err)
			}
			pooled = questionVectors.Get().(*[]float32)
			clear(*pooled)
			return e.vectorInto(text, *pooled), pooled, nil
		}
	}
	vecs, err := ix.embedder.Embed(ctx, []string{text})
	if err != nil {
		return nil, nil, fmt.Errorf("embedding the question: %w", err)
	}
	if len(vecs) != 1 || len(vecs[0]) == 0 {
		return nil, nil, fmt.Errorf("embedding the question: %s returned no vector", ix.embedder.Name())
	}
	return vecs[0], nil, nil
}

// putQuestionVector gives questionVector's pooled buffer back (nil: none).
func putQuestionVector(pooled *[]float32) {
	if pooled != nil {
		questionVectors.Put(pooled)
	}
}
