package compose

import (
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
)

// A general skills question pairs the soft skills with the basic technical
// list, not with an advanced sibling under the soft skills' own heading.
func TestGeneralSkillsPairSoftWithTheBasicTechList(t *testing.T) {
	guide := "Site Manager Career Path Guide"
	hits := []rag.Hit{
		{Score: 3, Chunk: rag.Chunk{ID: "s-1", Guide: guide, Ordinal: 1, Section: "Skills and Qualifications › Soft Skills",
			Text: "- Clear communication\n- Calm under pressure\n- Negotiation"}},
		{Score: 2, Chunk: rag.Chunk{ID: "s-2", Guide: guide, Ordinal: 3, Section: "Skills and Qualifications › Advanced Technical Skills",
			Text: "- Building information modelling\n- Earned value analysis\n- Lean construction"}},
		{Score: 1, Chunk: rag.Chunk{ID: "s-3", Guide: guide, Ordinal: 2, Section: "Tech Skills",
			Text: "- Reading blueprints\n- Scheduling software\n- Cost estimating"}},
	}
	got := new(Writer).Answer("what skills do i need for it", hits)
	if !strings.Contains(got, "Clear communication") || !strings.Contains(got, "Reading blueprints") {
		t.Errorf("answer lacks the soft skills or the basic tech list:\n%s", got)
	}
}
