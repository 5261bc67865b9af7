// Package conversationtest holds stand-ins for the answer service's ports,
// shared by the tests of internal/conversation and of the transports in
// front of it.
package conversationtest

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/careerbot/careerbot/internal/rag"
)

// Index is a keyword retriever over a few real sections of the media
// specialist guide, for tests of the answer service and of the transport in
// front of it. It records the questions it was asked. The zero value is
// ready to use.
type Index struct {
	// Block, when set before a search, makes Search wait for it to be
	// closed (or for its ctx to end).
	Block chan struct{}

	mu       sync.Mutex
	searches []string
}

// Chunks are the sections Index searches.
var Chunks = []rag.Chunk{
	{ID: "media-specialist-1", Guide: "Media Specialist Career Path Guide", Section: "Annual Salary (US, USD)", Ordinal: 1,
		Text: "Median: $65,000. Entry level: $51,000. Senior: $79,000. Top 10% of earners in this field can expect salaries starting from $85,000+ per year."},
	{ID: "media-specialist-2", Guide: "Media Specialist Career Path Guide", Section: "Tech Skills", Ordinal: 2,
		Text: "- Adobe Creative Cloud (Premiere Pro, After Effects, Photoshop, Illustrator)\n- SEO tools (Ahrefs, SEMrush)\n- Audio recording and editing tools (Audacity, Adobe Audition)"},
	{ID: "media-specialist-3", Guide: "Media Specialist Career Path Guide", Section: "Education", Ordinal: 3,
		Text: "Most Media Specialist positions require at minimum a bachelor's degree in communications, media studies, journalism, marketing, digital media, or a related field."},
}

var stopWords = map[string]bool{"what": true, "does": true, "the": true, "and": true, "how": true, "much": true, "they": true, "which": true, "those": true, "are": true, "for": true, "with": true, "use": true, "do": true, "a": true}

// Search implements conversation.Retriever: sections sharing words with
// the question, best first, or rag.ErrNothingRelevant.
func (f *Index) Search(ctx context.Context, question string) ([]rag.Hit, error) {
	f.mu.Lock()
	f.searches = append(f.searches, question)
	block := f.Block
	f.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var hits []rag.Hit
	for _, c := range Chunks {
		text := strings.ToLower(c.Section + " " + c.Text)
		var score float32
		for _, w := range strings.FieldsFunc(strings.ToLower(question), func(r rune) bool { return !('a' <= r && r <= 'z') }) {
			if len(w) > 3 && !stopWords[w] && strings.Contains(text, strings.TrimSuffix(w, "s")) {
				score++
			}
		}
		if score > 0 {
			hits = append(hits, rag.Hit{Chunk: c, Score: score / 10})
		}
	}
	if len(hits) == 0 {
		return nil, rag.ErrNothingRelevant
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits, nil
}

// Guides implements conversation.Retriever.
func (f *Index) Guides() []string { return []string{"Media Specialist Career Path Guide"} }

// Searches returns the questions searched so far, oldest first.
func (f *Index) Searches() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.searches...)
}
