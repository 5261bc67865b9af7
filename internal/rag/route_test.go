package rag

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQuestionTopics(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	for q, want := range map[string]string{
		"what's the median salary":              "pay",
		"nurse or data analyst: who makes more": "pay",
		"is it remote friendly":                 "remote",
		"future demand?":                        "outlook",
		"what degree do i need":                 "education",
		"electrician vs nurse":                  "", // the careers' names are no topic
	} {
		got := ""
		if ts := ix.QuestionTopics(q); len(ts) > 0 {
			got = ts[0].Name
		}
		if got != want {
			t.Errorf("QuestionTopics(%q) = %v, want %q first", q, ix.QuestionTopics(q), want)
		}
	}
}

func TestCareerHasTopic(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	nurse, ux := careerNamed(t, ix, "Registered Nurse"), careerNamed(t, ix, "UX Researcher")
	if !ix.CareerHasTopic(nurse, "balance") || !ix.CareerHasTopic(ux, "pay") || !ix.CareerHasTopic(ux, "remote") {
		t.Error("a guide's own sections are not found by topic")
	}
	// The short markdown guide has pay, tools, getting started and remote
	// work only.
	if ix.CareerHasTopic(ux, "balance") || ix.CareerHasTopic(ux, "outlook") {
		t.Error("the UX Researcher guide has no balance or outlook section")
	}
	if ix.CareerHasTopic(nurse, "no-such-topic") || ix.CareerHasTopic(99, "pay") {
		t.Error("unknown topic or career reported as present")
	}
}

func TestSearchTopicStaysInTheCareersSections(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	ctx := context.Background()
	nurse := careerNamed(t, ix, "Registered Nurse")
	// Few of these words are in the salary table, but the topic is pay.
	hits, err := ix.SearchTopic(ctx, "nurse or data analyst: who makes more", nurse, "pay")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Guide != ix.Careers()[nurse].Guide {
			t.Errorf("hit from %s", h.Guide)
		}
	}
	table := false
	for _, h := range hits {
		table = table || strings.Contains(h.Section, "Salary") && strings.Contains(h.Text, "81,220")
	}
	if !table {
		t.Errorf("the nurse's salary table is not among the pay hits %v", hits)
	}
	ux := careerNamed(t, ix, "UX Researcher")
	if _, err := ix.SearchTopic(ctx, "how stressful is it", ux, "balance"); !errors.Is(err, ErrNothingRelevant) {
		t.Errorf("a topic the guide lacks: err %v", err)
	}
}

func TestWithoutCareers(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	if got := ix.WithoutCareers("Graphic Designer salary?"); got != "salary" {
		t.Errorf("WithoutCareers = %q", got)
	}
}

func TestCareerOfRole(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	if got := ix.CareerOfRole("Art Director"); got != careerNamed(t, ix, "Graphic Designer") {
		t.Errorf("Art Director (a tier of the graphic designer's path) → %d", got)
	}
	if got := ix.CareerOfRole("Plumber"); got != -1 {
		t.Errorf("Plumber → %d", got)
	}
	// A tier asked by a clipped word of its heading ("lab" of
	// "Laboratory Supervisor / Section Lead") is the career's too.
	dir := t.TempDir()
	for _, f := range []string{mediaFile, "../../testdata/guides8/medical-laboratory-technician.txt"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lab := openCorpus(t, dir)
	if got := lab.CareerOfRole("Lab Supervisor"); got != careerNamed(t, lab, "Medical Laboratory Technician") {
		t.Errorf("Lab Supervisor → %d", got)
	}
}

func TestWeakFieldAndAbbreviationForms(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	nurse := careerNamed(t, ix, "Registered Nurse")
	if m := ix.ResolveCareers("worst parts of nursing"); len(m.Covered) != 1 || m.Covered[0] != nurse {
		t.Errorf("nursing → %+v", m)
	}
	if m := ix.ResolveCareers("how much does a cna make"); len(m.Covered) != 0 || len(m.Uncovered) != 1 || m.Uncovered[0] != "Certified Nursing Assistant" {
		t.Errorf("cna → %+v", m)
	}
	// A field of work named by its gerund where a career is meant is the
	// career of the one who does it; elsewhere a gerund is a task.
	for q, want := range map[string]string{"is welding a good trade": "Welder", "a career in teaching?": "Teacher",
		"getting into plumbing": "Plumber", "acting as a career": "Actor", "how much do accounting jobs pay": "Accountant",
		"is being a dj a good career": "Disc Jockey"} {
		if m := ix.ResolveCareers(q); len(m.Covered) != 0 || len(m.Uncovered) != 1 || m.Uncovered[0] != want {
			t.Errorf("%q → %+v, want %s uncovered", q, m, want)
		}
	}
	electrician := careerNamed(t, ix, "Electrician")
	for q, want := range map[string]int{"is nursing a good career": nurse, "whats the pay like for an rn": nurse, "how much do sparkies earn": electrician} {
		if m := ix.ResolveCareers(q); len(m.Covered) != 1 || m.Covered[0] != want || len(m.Uncovered) != 0 {
			t.Errorf("%q → %+v, want covered career %d", q, m, want)
		}
	}
	for _, q := range []string{"is editing videos hard", "do they spend time teaching interns", "what are they doing rn"} {
		if m := ix.ResolveCareers(q); len(m.Covered)+len(m.Uncovered) != 0 {
			t.Errorf("%q → %+v, want no career", q, m)
		}
	}
	// A short form used as the title itself.
	for q, want := range map[string]string{"physio career path in canada": "Physiotherapist", "do cops get good pensions": "Police Officer"} {
		if m := ix.ResolveCareers(q); len(m.Covered) != 0 || len(m.Uncovered) != 1 || m.Uncovered[0] != want {
			t.Errorf("%q → %+v, want %s uncovered", q, m, want)
		}
	}
}

// A kind of job after its field ("marketing specialist") is a career of its
// own, which a corpus of media specialists does not cover; the kind alone,
// or after a level, is not ("a specialist or a generalist", "a senior
// specialist").
func TestAKindOfJobAfterItsFieldIsACareer(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	for q, want := range map[string]string{"digital marketing specialist pay": "Marketing Specialist",
		"how much does a content marketing specialist make": "Marketing Specialist"} {
		if m := ix.ResolveCareers(q); len(m.Covered) != 0 || len(m.Uncovered) != 1 || m.Uncovered[0] != want {
			t.Errorf("%q → %+v, want %s uncovered", q, m, want)
		}
	}
	for _, q := range []string{"should i be a specialist or a generalist", "what does a senior specialist make"} {
		if m := ix.ResolveCareers(q); len(m.Covered)+len(m.Uncovered) != 0 {
			t.Errorf("%q → %+v, want no career", q, m)
		}
	}
	if m := ix.ResolveCareers("how much does a social media specialist make"); len(m.Covered) != 1 || len(m.Uncovered) != 0 {
		t.Errorf("social media specialist → %+v, want the covered Media Specialist", m)
	}
}

// A one-word job title the guides write only as a tool's name ("Adobe
// Illustrator") is the tool where a question names it outside a job
// title's place, and the career where it stands as one.
func TestAToolNamedLikeAJobIsTheTool(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	for _, q := range []string{"is illustrator needed", "do i need to know illustrator", "should i learn premiere or illustrator"} {
		if m := ix.ResolveCareers(q); len(m.Uncovered) != 0 {
			t.Errorf("%q → %+v, want the tool, no career", q, m)
		}
	}
	for _, q := range []string{"how much do illustrators make", "illustrator salary", "i want to become an illustrator"} {
		if m := ix.ResolveCareers(q); len(m.Uncovered) != 1 || m.Uncovered[0] != "Illustrator" {
			t.Errorf("%q → %+v, want Illustrator uncovered", q, m)
		}
	}
}

func TestProductNames(t *testing.T) {
	texts := func(yield func(string)) {
		yield("Tech Stack\n\n• Adobe Creative Cloud (Premiere Pro, Photoshop, Illustrator)\n• Editor seats\n")
		yield("Works with an Animator, and every animator on the team.")
	}
	got := productNames(texts, map[string]bool{"illustrator": true, "editor": true, "animator": true})
	if !got["illustrator"] || got["editor"] || got["animator"] {
		t.Errorf("productNames = %v, want illustrator only (editor opens a line, animator is also lower case)", got)
	}
}

// The field of a two-word job title where a career is meant is that career;
// the same words as a skill of the guide's career are not.
func TestAFieldNamedAsACareerIsThatCareer(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	for q, want := range map[string]string{"is data science a good field": "Data Scientist", "how do i get into ux design": "Ux Designer",
		"tell me about web development": "Web Developer"} {
		if m := ix.ResolveCareers(q); len(m.Covered) != 0 || len(m.Uncovered) != 1 || !strings.EqualFold(m.Uncovered[0], want) {
			t.Errorf("%q → %+v, want %s uncovered", q, m, want)
		}
	}
	for _, q := range []string{"which advanced skills help: data analytics", "do they use project management software", "is data analytics part of the job"} {
		if m := ix.ResolveCareers(q); len(m.Uncovered) != 0 {
			t.Errorf("%q → %+v, want no uncovered career", q, m)
		}
	}
}

// Siblings are the chunks of one guide under one parent section, in guide
// order: a guide's other sections and another guide's tiers are none.
func TestSiblingsAreOneParentsChunksInOrder(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	var tier Chunk
	for _, c := range ix.chunks {
		if strings.HasSuffix(c.Guide, "Media Specialist Career Path Guide") && strings.Contains(c.Section, "Career Path Tiers › Senior") {
			tier = c
		}
	}
	if tier.ID == "" {
		t.Fatal("no senior tier in the media specialist guide")
	}
	got := ix.Siblings(tier)
	if len(got) < 4 {
		t.Fatalf("Siblings = %d chunks, want the four tiers", len(got))
	}
	for i, c := range got {
		if c.Guide != tier.Guide || !strings.HasPrefix(c.Section, "Career Path Tiers › ") {
			t.Errorf("sibling %d is %s › %s", i, c.Guide, c.Section)
		}
		if i > 0 && c.Ordinal <= got[i-1].Ordinal {
			t.Errorf("sibling %d out of guide order", i)
		}
	}
	if !strings.Contains(got[0].Section, "Junior") {
		t.Errorf("first sibling %q, want the junior tier", got[0].Section)
	}
	if top := ix.Siblings(Chunk{ID: tier.ID, Guide: tier.Guide, Section: "Career Path Tiers"}); top != nil {
		t.Errorf("a top-level section's siblings = %d chunks, want nil", len(top))
	}
}
