package compose

import (
	"slices"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
)

func TestCitedFindsTheLinesSources(t *testing.T) {
	hits := []rag.Hit{
		{Chunk: rag.Chunk{Section: "Annual Salary", Text: "Median: $71,350\nEntry-Level: $52,120\n\nPay rises with SQL and dashboard skills."}},
		{Chunk: rag.Chunk{Section: "Work Setting", Text: "Most analysts work in offices. Many roles are hybrid or fully remote."}},
		{Chunk: rag.Chunk{Section: "Annual Salary", Text: "Median: $81,220\nEntry-Level: $62,730"}},
		{Chunk: rag.Chunk{Section: "Tools", Text: "- Excel\n- SQL\n- Tableau or Power BI"}},
	}
	for _, tt := range []struct {
		answer string
		want   []int
	}{
		{"Many roles are hybrid or fully remote.", []int{1}},
		// A sentence of one hit joined to one of another.
		{"Pay rises with SQL and dashboard skills. Most analysts work in offices.", []int{0, 1}},
		// Labels a writer adds, and a "$" it restores, hide nothing.
		{"Data Analyst: Median: $71,350\nRegistered Nurse: Median: $81,220", []int{0, 2}},
		{"Tools:\n- Excel\n- SQL\n- Tableau or Power BI", []int{3}},
		{"Typical day:\n- Morning — Excel, SQL, Tableau or Power BI…", []int{3}},
		// Words that are in every guide do not cite one.
		{"Median pay", nil},
		{"Sorry, I couldn't find that in my career guides.", nil},
		{"", nil},
	} {
		if got := Cited(tt.answer, hits); !slices.Equal(got, tt.want) {
			t.Errorf("Cited(%q) = %v, want %v", tt.answer, got, tt.want)
		}
	}
}

// The offline answer cites the hit it was written from, whatever its rank.
func TestCitedOfWrittenAnswers(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	for _, q := range []string{"How much does a media specialist earn?", "Which tools does a media specialist use?", "What does a typical day look like?"} {
		hits := ragtest.Search(t, ix, q)
		answer := new(Writer).Answer(q, hits)
		cited := Cited(answer, hits)
		if len(cited) == 0 {
			t.Errorf("%q: nothing cited for %q", q, answer)
		}
		for _, i := range cited {
			// Every cited hit holds a line of the answer.
			found := false
			for _, line := range strings.Split(answer, "\n") {
				line = strings.TrimPrefix(line, "- ")
				if _, rest, ok := strings.Cut(line, " — "); ok {
					line = rest
				}
				if len(line) > 12 && strings.Contains(wordString(hits[i].Text), wordString(strings.TrimSuffix(line, "…"))) {
					found = true
				}
			}
			if !found {
				t.Errorf("%q: cites %s, which holds no line of %q", q, hits[i].Section, answer)
			}
		}
	}
}
