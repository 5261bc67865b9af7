package eval

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/protocol"
)

func TestReadCases(t *testing.T) {
	cases, err := ReadCases(strings.NewReader(`// a comment
{"question":"What's the starting pay?","sections":["Annual Salary"],"facts":["$51,000"]}

{"question":"weather?","decline":true}
{"question":"hi","kind":"smalltalk","expect":"smalltalk"}
{"question":"and them?","sections":["Salary"],"kind":"followup","history":["nurse pay"],"careers":["Registered Nurse"],"forbid":["$1"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 4 {
		t.Fatalf("%d cases, want 4", len(cases))
	}
	for i, want := range [][2]string{{KindInGuide, ExpectAnswer}, {KindOfftopic, ExpectDecline}, {KindSmallTalk, ExpectSmallTalk}, {KindFollowup, ExpectAnswer}} {
		if got := [2]string{cases[i].kind(), cases[i].expect()}; got != want {
			t.Errorf("case %d: kind, expect = %v, want %v", i, got, want)
		}
	}
	for _, bad := range []string{
		`{"question":"pay?"}`,                                 // a plain answer needs sections
		`{"question":"pay?","section":["Salary"]}`,            // misspelt field
		`{"sections":["Salary"]}`,                             // no question
		`{"question":"x","kind":"chat","expect":"smalltalk"}`, // unknown kind
		`{"question":"x","expect":"answer"}`,                  // answer is the default, not a value
	} {
		if _, err := ReadCases(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadCases(%s) accepted it", bad)
		}
	}
}

// Two careers, as the corpus would have them.
var (
	nurse       = rag.Career{Name: "Registered Nurse", Guide: "Registered Nurse Career Path Guide"}
	electrician = rag.Career{Name: "Electrician", Guide: "Electrician Career Path Guide"}
	careers     = []rag.Career{nurse, electrician}
	byName      = map[string]rag.Career{"registered nurse": nurse, "electrician": electrician}
)

func scored(c Case, sources []protocol.Source, done protocol.Done) Outcome {
	return score(c, sources, done, careers, byName)
}

// TestScoring holds each check to what the README says, on frames made up
// here: each passes a right reply and fails a wrong one.
func TestScoring(t *testing.T) {
	pay := protocol.Source{Guide: nurse.Guide, Section: "Annual Salary (US, USD)"}
	faq := protocol.Source{Guide: nurse.Guide, Section: "Frequently Asked Questions › What certifications help?"}
	other := protocol.Source{Guide: electrician.Guide, Section: "Annual Salary (US, USD)"}
	c := Case{Question: "nurse pay", Sections: []string{"annual salary"}, Facts: []string{"$81,220"}, Forbid: []string{"$62,480"}, Careers: []string{"Registered Nurse"}}
	right := protocol.Done{Kind: protocol.KindAnswer, Text: "A Registered Nurse earns a median of $81,220."}

	if o := scored(c, []protocol.Source{pay, faq}, right); !o.Passed() || o.Rank != 0 {
		t.Errorf("a right answer: rank %d, %s", o.Rank, o.Miss())
	}
	// Cited sources are shown first: the salary section cited second-listed
	// counts at rank 0; cited FAQ first pushes it to rank 1.
	if o := scored(c, []protocol.Source{faq, pay}, withCited(right, 1)); o.Rank != 0 {
		t.Errorf("cited salary listed second: rank %d, want 0", o.Rank)
	}
	if o := scored(c, []protocol.Source{faq, pay}, withCited(right, 0)); o.Rank != 1 {
		t.Errorf("cited FAQ first: rank %d, want 1", o.Rank)
	}
	// The section from another career's guide does not count.
	if o := scored(c, []protocol.Source{other}, right); o.Rank != -1 || o.Passed() {
		t.Errorf("another career's section: rank %d, passed %v", o.Rank, o.Passed())
	}
	wrong := protocol.Done{Kind: protocol.KindAnswer, Text: "Electricians earn $62,480."}
	o := scored(c, []protocol.Source{faq, faq, faq, pay}, wrong)
	if o.Rank != 3 || len(o.Missing) != 1 || len(o.Forbidden) != 1 || o.Passed() {
		t.Errorf("a wrong answer: rank %d, missing %v, forbidden %v", o.Rank, o.Missing, o.Forbidden)
	}
	if !slices.Contains(o.CareerMisses, "Registered Nurse not named") {
		t.Errorf("career misses %v, want the nurse not named", o.CareerMisses)
	}
	if o := scored(c, []protocol.Source{other, pay}, right); !slices.Contains(o.CareerMisses, "cites Electrician") {
		t.Errorf("a cited source of another career: %v", o.CareerMisses)
	}
	miss := o.Miss()
	for _, want := range []string{`"nurse pay"`, `"annual salary"`, "section not in top 3", `missing "$81,220"`, `forbidden "$62,480"`, "kind=answer", "Electricians earn"} {
		if !strings.Contains(miss, want) {
			t.Errorf("miss line lacks %q: %s", want, miss)
		}
	}

	// Expected kinds of reply come from done.kind.
	chips := []string{"Registered Nurse", "Electrician"}
	for _, tc := range []struct {
		expect string
		done   protocol.Done
		ok     bool
	}{
		{ExpectDecline, protocol.Done{Kind: protocol.KindDecline}, true},
		{ExpectDecline, protocol.Done{Kind: protocol.KindSmallTalk}, false},
		{ExpectSmallTalk, protocol.Done{Kind: protocol.KindSmallTalk, Suggestions: []string{"What does a nurse earn?"}}, true},
		{ExpectSmallTalk, protocol.Done{Kind: protocol.KindSmallTalk}, false}, // no starters
		{ExpectSmallTalk, protocol.Done{Kind: protocol.KindDecline, Suggestions: chips}, false},
		{ExpectClarify, protocol.Done{Kind: protocol.KindClarify, Suggestions: chips}, true},
		{ExpectClarify, protocol.Done{Kind: protocol.KindClarify, Suggestions: chips[:1]}, false},
		{ExpectClarify, protocol.Done{Kind: protocol.KindAnswer, Suggestions: chips}, false},
		{ExpectUncovered, protocol.Done{Kind: protocol.KindUncovered, Text: "No guide for plumbers; ask about Registered Nurse and Electrician."}, true},
		{ExpectUncovered, protocol.Done{Kind: protocol.KindUncovered, Text: "No guide for plumbers."}, false},
		{ExpectPerCareer, protocol.Done{Kind: protocol.KindPerCareer}, true},
		{ExpectPerCareer, protocol.Done{Kind: protocol.KindDecline}, false},
		{ExpectAnswer, protocol.Done{Kind: protocol.KindDecline}, false},
	} {
		if miss := expectMiss(tc.expect, tc.done, careers); (miss == "") != tc.ok {
			t.Errorf("expect %s, done kind %q suggestions %v: miss %q, want ok=%v", tc.expect, tc.done.Kind, tc.done.Suggestions, miss, tc.ok)
		}
	}
}

func withCited(d protocol.Done, cited ...int) protocol.Done {
	d.Cited = cited
	return d
}

// TestRun drives the real service: each case in its own conversation, its
// history asked first, and the figures tallied per kind and expect.
func TestRun(t *testing.T) {
	ix := openCorpus(t, multiGuide)
	rep, err := Run(context.Background(), ix, []Case{
		{Question: "hi", Kind: KindSmallTalk, Expect: ExpectSmallTalk},
		{Question: "hello", Kind: KindSmallTalk, Expect: ExpectDecline},
		{Question: "best cookie recipe", Kind: KindOfftopic, Expect: ExpectDecline},
		{Question: "how much does a plumber make", Kind: KindUncovered, Expect: ExpectUncovered},
		// The follow-up is about electricians only because of its history.
		{Question: "what do they earn", History: []string{"tell me about electricians"}, Kind: KindFollowup, Sections: []string{"Salary", "Overview", "Electrician"}, Careers: []string{"Electrician"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 2, 3} {
		if o := rep.Outcomes[i]; !o.Passed() {
			t.Errorf("case %d: %s", i, o.Miss())
		}
	}
	if o := rep.Outcomes[1]; o.Passed() {
		t.Errorf("small talk passed as a decline: %s", o.Miss())
	}
	if o := rep.Outcomes[4]; slices.Contains(o.CareerMisses, "Electrician not cited") || o.Rank < 0 {
		t.Errorf("the follow-up lost its career: %s", o.Miss())
	}
	if got := rep.Kind(KindSmallTalk); got.Cases != 2 || got.Passed != 1 {
		t.Errorf("smalltalk row %+v, want 2 cases, 1 passed", got)
	}
	if got := rep.Expect(ExpectDecline); got.WithExpect != 2 || got.ExpectOK != 1 {
		t.Errorf("decline row: %d of %d, want 1 of 2", got.ExpectOK, got.WithExpect)
	}
	if _, err := Run(context.Background(), ix, []Case{{Question: "x", Sections: []string{"y"}, Careers: []string{"Astronaut"}}}); err == nil || !strings.Contains(err.Error(), "Astronaut") {
		t.Errorf("a career not in the corpus: err %v", err)
	}
}

func TestHeldOutNamesTheBlindSplits(t *testing.T) {
	for path, want := range map[string]bool{
		"testdata/eval/one-guide.test.jsonl":   true,
		"testdata/eval/multi-guide.test.jsonl": true,
		"testdata/eval/holdout-one.jsonl":      true,
		"../holdout-multi.jsonl":               true,
		"testdata/eval/one-guide.dev.jsonl":    false,
		"testdata/eval.jsonl":                  false,
		"my-holdout-notes.jsonl":               false,
	} {
		if got := HeldOut(path); got != want {
			t.Errorf("HeldOut(%q) = %v, want %v", path, got, want)
		}
	}
}
