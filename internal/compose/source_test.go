package compose

import (
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
)

// When retrieval cannot tell two sections apart (scores within 15%), the
// answer comes from the one whose lines answer the question; a section far
// below the top hit is not promoted by its words alone.
func TestAnswerComesFromTheSectionWhoseLinesAnswer(t *testing.T) {
	const guide = "Media Specialist Career Path Guide"
	setting := rag.Chunk{ID: "g-1", Guide: guide, Section: "Work Setting", Ordinal: 1,
		Text: "Media Specialists typically work in dynamic office settings. Some take work home in busy weeks."}
	salary := rag.Chunk{ID: "g-2", Guide: guide, Section: "Annual Salary (US, USD)", Ordinal: 2,
		Text: "- Entry-Level: $51,000\n- Senior-Level: $79,000\n\nSenior staff take home more in large markets."}
	q := "how much do senior folks take home"
	tests := []struct {
		name        string
		salaryScore float32
		want, not   string
	}{
		{"close scores: the lines decide", 0.22, "$79,000", "office settings"},
		{"far below: retrieval decides", 0.10, "office settings", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := []rag.Hit{{Chunk: setting, Score: 0.24}, {Chunk: salary, Score: tt.salaryScore}}
			got := new(Writer).Answer(q, hits)
			if !strings.Contains(got, tt.want) || tt.not != "" && strings.Contains(got, tt.not) {
				t.Errorf("Answer(%q) = %q, want %q and not %q", q, got, tt.want, tt.not)
			}
		})
	}
}
