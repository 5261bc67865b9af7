package compose

import (
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
)

// takeHomeFixture is a question whose words a work-setting line shares
// ("take work home") and whose answer is a salary line.
func takeHomeFixture() (setting, salary rag.Chunk, question string) {
	const guide = "Media Specialist Career Path Guide"
	setting = rag.Chunk{ID: "g-1", Guide: guide, Section: "Work Setting", Ordinal: 1,
		Text: "Media Specialists typically work in dynamic office settings. Some take work home in busy weeks."}
	salary = rag.Chunk{ID: "g-2", Guide: guide, Section: "Annual Salary (US, USD)", Ordinal: 2,
		Text: "- Entry-Level: $51,000\n- Senior-Level: $79,000\n\nSenior staff take home more in large markets."}
	return setting, salary, "how much do senior folks take home"
}

// When retrieval cannot tell two sections apart (scores within 15%), the
// answer comes from the one whose lines answer the question; a section far
// below the top hit is not promoted by its words alone.
func TestAnswerComesFromTheSectionWhoseLinesAnswer(t *testing.T) {
	setting, salary, q := takeHomeFixture()
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

// A short answer still short after a second section's line takes the
// third section's too; a long one does not grow.
func TestAShortAnswerTakesAThirdSection(t *testing.T) {
	const guide = "Media Specialist Career Path Guide"
	hit := func(id, section, text string, score float32) rag.Hit {
		return rag.Hit{Score: score, Chunk: rag.Chunk{ID: id, Guide: guide, Section: section, Text: text}}
	}
	hits := []rag.Hit{
		hit("g-1", "Work Setting", "Remote work is common in agencies.", 0.9),
		hit("g-2", "Frequently Asked Questions › Can they work from home?", "Remote roles grew after 2020.", 0.6),
		hit("g-3", "Pros", "Remote schedules suit parents.", 0.5),
	}
	got := new(Writer).Answer("is remote work possible", hits)
	for _, want := range []string{"agencies", "2020", "parents"} {
		if !strings.Contains(got, want) {
			t.Errorf("answer lacks %q:\n%s", want, got)
		}
	}
}

// A comparison's block keeps retrieval's top section even where a close
// second's lines match better, so two careers' blocks answer from the same
// topic; a one-career answer still takes the better-matching section.
func TestCompareBlocksKeepRetrievalsSection(t *testing.T) {
	setting, salary, q := takeHomeFixture()
	hits := []rag.Hit{{Chunk: setting, Score: 0.24}, {Chunk: salary, Score: 0.22}}
	w := new(Writer)
	if one := w.Answer(q, hits); !strings.Contains(one, "$79,000") {
		t.Fatalf("one-career answer = %q, want the salary section's line", one)
	}
	got := w.Compare(q, []CareerPart{{Career: "Media Specialist", Hits: hits}})
	if !strings.Contains(got, "office settings") || strings.Contains(got, "$79,000") {
		t.Errorf("Compare block = %q, want retrieval's top section (Work Setting)", got)
	}
}

// An answer about the job market that states no rate gets the guide's
// growth-rate table from a lower hit; an answer from another topic's
// section does not.
func TestOutlookAnswerStatesTheGrowthRate(t *testing.T) {
	const guide = "Media Specialist Career Path Guide"
	hit := func(id, section, text string, score float32) rag.Hit {
		return rag.Hit{Score: score, Chunk: rag.Chunk{ID: id, Guide: guide, Section: section, Text: text}}
	}
	rate := hit("g-9", "Job Outlook & Related Roles", "Growth Rate: 8%\nStatus: Growing much faster than average\nSource: U.S. Bureau of Labor Statistics", 0.3)
	for _, tc := range []struct {
		name, question, section, text string
		want                          bool
	}{
		{"market prose", "is demand going up", "Market Demand", "The demand is currently high, driven by e-commerce growth.", true},
		{"already a rate", "is demand going up", "Market Demand", "Demand grows 5% a year in e-commerce.", false},
		{"another topic", "is the future in short video", "Industry Trends", "The future is short-form video and immersive content.", false},
		{"no word of demand", "will there still be jobs in 10 years", "Market Demand", "The demand is currently high, driven by e-commerce.", true},
		{"the career's growth path", "how do i grow in this career", "Frequently Asked Questions › What is the career growth path for Media Specialists?",
			"Starting as a junior, one can progress to senior roles.", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits := []rag.Hit{hit("g-1", tc.section, tc.text, 0.6), hit("g-2", "Pros", "Creative work with variety.", 0.4),
				hit("g-3", "Cons", "Tight deadlines.", 0.35), rate}
			got := new(Writer).Answer(tc.question, hits)
			if strings.Contains(got, "Growth Rate: 8%") != tc.want {
				t.Errorf("Answer(%q) = %q; growth rate wanted: %v", tc.question, got, tc.want)
			}
		})
	}
}

// A line naming a country of the region asked about answers "in asia?".
func TestRegionAnswersWithItsCountries(t *testing.T) {
	const guide = "Media Specialist Career Path Guide"
	h := rag.Hit{Score: 0.6, Chunk: rag.Chunk{ID: "g-1", Guide: guide, Section: "Global Outlook",
		Text: "Media Specialist roles exhibit strong global demand. The United States and Canada lead hiring. Markets such as India and Singapore are growing fast. Remote work widens the reach."}}
	got := new(Writer).Answer("which countries hire in asia", []rag.Hit{h})
	if !strings.Contains(got, "Singapore") {
		t.Errorf("Answer = %q, want the line naming Asian countries", got)
	}
}
