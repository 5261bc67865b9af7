package compose

import (
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
)

func hit(guide, section, text string) rag.Hit {
	return rag.Hit{Chunk: rag.Chunk{Guide: guide, Section: section, Text: text}}
}

var (
	nursePay   = hit("Registered Nurse Career Path Guide", "Annual Salary (US, USD)", "- Range: $58,000—$112,430\n- Median: $81,220\n- Entry-Level: $62,730\n- Senior-Level: $97,860\n\nTop 10% of earners can expect $112,430+.")
	analystPay = hit("Data Analyst Career Path Guide", "Annual Salary (US, USD)", "- Range: $48,900—$98,600\n- Median: $71,350\n- Entry-Level: $52,120\n- Senior-Level: $89,740")
)

func TestPerCareerIsOneLabelledLinePerCareer(t *testing.T) {
	var w Writer
	got := w.PerCareer("what's the median salary", []CareerPart{
		{Career: "Registered Nurse", Hits: []rag.Hit{nursePay}},
		{Career: "Data Analyst", Hits: []rag.Hit{analystPay}},
		{Career: "UX Researcher"},
	})
	for _, want := range []string{"- Registered Nurse — Median: $81,220", "- Data Analyst — Median: $71,350", "The UX Researcher guide has nothing on this."} {
		if !strings.Contains(got, want) {
			t.Errorf("per-career answer lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "$62,730") || strings.Contains(got, "Range") {
		t.Errorf("per-career answer is not brief:\n%s", got)
	}
}

func TestCompareIsOneLabelledBlockPerCareer(t *testing.T) {
	var w Writer
	got := w.Compare("entry level pay", []CareerPart{
		{Career: "Registered Nurse", Hits: []rag.Hit{nursePay}},
		{Career: "Data Analyst", Hits: []rag.Hit{analystPay}},
	})
	nurse, analyst := strings.Index(got, "Registered Nurse — "), strings.Index(got, "Data Analyst — ")
	if nurse < 0 || analyst < nurse || !strings.Contains(got[nurse:analyst], "$62,730") || !strings.Contains(got[analyst:], "$52,120") {
		t.Errorf("comparison:\n%s", got)
	}
}

func TestLabelled(t *testing.T) {
	for _, c := range []struct{ career, answer, want string }{
		{"Data Analyst", "Yes, very often.", "Data Analyst: Yes, very often."},
		{"Data Analyst", "Tools:\n- SQL", "Data Analyst — Tools:\n- SQL"},
		{"Data Analyst", "Most data analysts work remotely.", "Most data analysts work remotely."}, // names it already
		{"", "Yes.", "Yes."},
	} {
		if got := Labelled(c.career, c.answer); got != c.want {
			t.Errorf("Labelled(%q, %q) = %q, want %q", c.career, c.answer, got, c.want)
		}
	}
}

func TestClarify(t *testing.T) {
	few := Clarify([]string{"Data Analyst", "Electrician"}, 2)
	if !strings.Contains(few, "Which career") || !strings.Contains(few, "Data Analyst or Electrician") || strings.Contains(few, "$") {
		t.Errorf("Clarify over two careers: %q", few)
	}
	many := Clarify([]string{"Data Analyst", "Electrician"}, 1000)
	if !strings.Contains(many, "1000 careers") || !strings.Contains(many, "name the one you mean") {
		t.Errorf("Clarify over 1000 careers: %q", many)
	}
}

func TestClarifyChipsAskAgainPerCareer(t *testing.T) {
	got := ClarifyChips("what degree do i need", "education", []string{"Data Analyst", "Electrician"})
	if len(got) != 2 || got[0] != "What degree do I need to become a Data Analyst?" {
		t.Errorf("chips with a topic template: %q", got)
	}
	got = ClarifyChips("What are common mistakes", "mistakes", []string{"Electrician"})
	if len(got) != 1 || got[0] != "Electrician: what are common mistakes?" {
		t.Errorf("chips without a template: %q", got)
	}
}

func TestFactFirst(t *testing.T) {
	prose := hit("G", "Market Demand", "The demand is currently high.")
	figure := hit("G", "Job Outlook & Related Roles", "Growth Rate: 9%\nStatus: Growing")
	if got := FactFirst([]rag.Hit{prose, figure}); got[0].Section != figure.Section || len(got) != 2 {
		t.Errorf("FactFirst = %v", got)
	}
	if got := FactFirst([]rag.Hit{figure, prose}); got[0].Section != figure.Section {
		t.Errorf("FactFirst moved a hit that states a fact: %v", got)
	}
}
