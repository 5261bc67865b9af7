// Package rag is retrieval: it loads, cleans and chunks the guides in the
// corpus, embeds the chunks into a chromem-go collection that is persisted as
// one index file, and retrieves the sections relevant to a question (Search).
// Writing an answer from them is internal/compose; how text is cut into
// words is internal/vocab.
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
}

// Embedder turns texts into vectors. Vectors must be L2-normalised: chromem-go
// does not normalise what an embedding function returns.
type Embedder interface {
	// Name identifies the embedder and its model/version; it is part of the
	// index fingerprint, so changing it forces a rebuild.
	Name() string
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// DefaultTopK is how many hits Search returns when Options.TopK is 0; the
// BOT_TOP_K setting's default is this constant.
const DefaultTopK = 4

// Options configure Open.
type Options struct {
	CorpusDir    string   // directory of .txt/.md guides
	DataDir      string   // where the index file lives
	TopK         int      // results per search (0 = DefaultTopK)
	MinScore     float32  // minimum score to count as relevant
	StopHeadings []string // headings whose sections are page chrome (nil = DefaultStopHeadings)
	Embedder     Embedder // nil = the built-in offline embedder
	Logger       *slog.Logger
	// Progress, when set, is called about once a second while an index is
	// built (and at each phase change), from the building goroutine.
	Progress func(Progress)
}
