package widget_test

// A stand-in for the corpus index until internal/rag lands on main: a keyword
// retriever over excerpts of corpus/media-specialist.txt. Delete this file
// and build the index with rag.Open then.

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/rag"
)

type stubIndex struct{}

var stubChunks = []rag.Chunk{
	{ID: "media-specialist-1", Guide: "Media Specialist Career Path Guide", Section: "Annual Salary (US, USD)", Ordinal: 1,
		Text: "Median: $65,000\nEntry-Level: $51,000\nMid-Level: $65,000\nSenior-Level: $79,000\n\nTop 10% of earners in this field can expect salaries starting from $85,000+ per year."},
	{ID: "media-specialist-2", Guide: "Media Specialist Career Path Guide", Section: "Tech Skills", Ordinal: 2,
		Text: "- Adobe Creative Cloud (Premiere Pro, After Effects, Photoshop, Illustrator)\n- SEO tools (Ahrefs, SEMrush)\n- Audio recording and editing tools (Audacity, Adobe Audition)"},
	{ID: "media-specialist-3", Guide: "Media Specialist Career Path Guide", Section: "Education", Ordinal: 3,
		Text: "Most Media Specialist positions require at minimum a bachelor's degree in communications, media studies, journalism, marketing, digital media, or a related field."},
}

func (stubIndex) Search(_ context.Context, question string) ([]rag.Hit, error) {
	var hits []rag.Hit
	for _, c := range stubChunks {
		text := strings.ToLower(c.Section + " " + c.Text)
		var score float32
		for _, w := range strings.Fields(strings.ToLower(question)) {
			w = strings.Trim(w, "?.,!")
			if len(w) > 3 && strings.Contains(text, strings.TrimSuffix(w, "s")) {
				score++
			}
		}
		if strings.Contains(question, "earn") && strings.Contains(c.Section, "Salary") {
			score += 2
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

func (stubIndex) Guides() []string { return []string{"Media Specialist Career Path Guide"} }

func (stubIndex) Starters(n int) []string {
	all := []string{"How much does a Media Specialist earn?", "Which tools does a Media Specialist use?", "What education does a Media Specialist need?"}
	return all[:min(n, len(all))]
}

func corpusIndex(t *testing.T) chat.Retriever {
	t.Helper()
	return stubIndex{}
}
