// Package rag turns career guides into cited answers: it cleans and chunks the
// guides in the corpus, embeds the chunks into a chromem-go collection that is
// persisted as one index file, retrieves the sections relevant to a question,
// and builds the short extractive answer used when no LLM is configured.
package rag

import (
	"context"
	"errors"
	"log/slog"
)

// ErrNothingRelevant is returned by Search when no section of any guide scores
// above the minimum: callers decline instead of guessing.
var ErrNothingRelevant = errors.New("rag: nothing in the guides is relevant to the question")

// Chunk is one retrievable unit of a guide: a section, or part of a long one.
type Chunk struct {
	ID      string `json:"id"`      // stable: guide file slug + ordinal
	Guide   string `json:"guide"`   // guide title, e.g. "Media Specialist Career Path Guide"
	Section string `json:"section"` // section path, e.g. "Career Path Tiers › Senior Media Specialist"
	Ordinal int    `json:"ordinal"` // position of the chunk within its guide, from 0
	Text    string `json:"text"`    // cleaned text, without the section title
}

// Hit is a retrieved chunk with its relevance score (higher is better).
type Hit struct {
	Chunk
	Score float32 `json:"score"`

	analysis *chunkAnalysis // set by Index.Search; Answer computes it when nil
}

// Embedder turns texts into vectors. Vectors must be L2-normalised: chromem-go
// does not normalise what an embedding function returns.
type Embedder interface {
	// Name identifies the embedder and its model/version; it is part of the
	// index fingerprint, so changing it forces a rebuild.
	Name() string
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Options configure Open.
type Options struct {
	CorpusDir    string   // directory of .txt/.md guides
	DataDir      string   // where the index file lives
	TopK         int      // results per search (default 4)
	MinScore     float32  // minimum score to count as relevant
	StopHeadings []string // headings whose sections are page chrome (nil = DefaultStopHeadings)
	Embedder     Embedder // nil = the built-in offline embedder
	Logger       *slog.Logger
	// Progress, when set, is called about once a second while an index is
	// built (and at each phase change), from the building goroutine.
	Progress func(Progress)
}
