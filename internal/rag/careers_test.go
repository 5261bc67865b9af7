package rag

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCareerFormsFromTheName(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"Media Specialist", []string{"media specialist", "media specialists"}},
		{"Graphic Designer", []string{"graphic designer", "graphic designers", "graphic design"}},
		{"Data Analyst", []string{"data analyst", "data analysts", "data analytics", "data analysis"}},
		{"Registered Nurse", []string{"registered nurse", "registered nurses", "registered nursing"}},
		{"Electrician", []string{"electrician", "electricians", "electrical"}},
		{"Photographer", []string{"photographer", "photographers", "photography"}},
		{"Veterinary Technician", []string{"vet tech", "vet techs", "veterinary tech", "vet technician", "veterinary technicians"}},
		{"Pharmaceutical Sales Representative", []string{"pharma sales rep", "pharma sales reps", "pharmaceutical sales rep"}},
		{"Financial Analyst", []string{"fin analyst", "fin analysts", "financial analysts"}},
		{"Project Manager", []string{"project mgr", "project mgrs"}},
		{"Pharmacy Technician", []string{"pharm tech", "pharm techs", "pharmacy tech"}},
		{"Human Resources Specialist", []string{"hr specialist", "hr specialists"}},
		{"Public Relations Manager", []string{"pr manager", "pr managers"}},
		{"Cybersecurity Analyst", []string{"cyber security analyst", "cyber security analysts", "cybersec analyst", "infosec analyst", "information security analyst"}},
		{"Occupational Therapy Assistant", []string{"ot assistant", "ot assistants", "occupational therapy asst"}},
		{"Home Healthcare Aide", []string{"home health care aide"}},
		{"Truck Driver", []string{"trucker", "truckers", "trucking", "lorry driver", "cdl driver"}},
		{"Physician Assistant", []string{"physicians assistant", "physician associate"}},
		{"Software Developer", []string{"programmer", "programmers", "coder", "software engineer", "software dev"}},
		{"Licensed Practical Nurse", []string{"lvn", "practical nurse", "licensed vocational nurse"}},
		{"Real Estate Agent", []string{"realtor", "realtors", "estate agent"}},
	} {
		got := newCareer(Guide{Title: tc.name + " Career Path Guide"}, careerAliases{}).Forms
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("forms of %q = %q, lack %q", tc.name, got, w)
			}
		}
	}
	if got := weakForms("Media Specialist"); !slices.Equal(got, []string{"media"}) {
		t.Errorf("weakForms(Media Specialist) = %q, want the field alone (a specialist of what?)", got)
	}
	if got := weakForms("Human Resources Specialist"); !slices.Contains(got, "hr") || !slices.Contains(got, "human resources") {
		t.Errorf("weakForms(Human Resources Specialist) = %q, want the field and its letters", got)
	}
	if got := weakForms("Medical Laboratory Technician"); !slices.Contains(got, "lab tech") || !slices.Contains(got, "lab techs") {
		t.Errorf("weakForms(Medical Laboratory Technician) = %q, want the lab tech (a setting's word dropped)", got)
	}
	if got := weakForms("Occupational Therapy Assistant"); slices.Contains(got, "therapy assistant") {
		t.Errorf("weakForms(Occupational Therapy Assistant) = %q: the field's word dropped", got)
	}
	for name, not := range map[string]string{"Physician Assistant": "physician", "Software Developer": "software", "Nurse Practitioner": "nurse"} {
		if got := weakForms(name); slices.Contains(got, not) {
			t.Errorf("weakForms(%s) = %q: %q is a job or a topic's word of its own", name, got, not)
		}
	}
	if got := weakForms("Registered Nurse"); !slices.Contains(got, "nurse") || !slices.Contains(got, "nurses") || slices.Contains(got, "registered") {
		t.Errorf("weakForms(Registered Nurse) = %q", got)
	}
}

func testResolver(names ...string) *careerResolver {
	var careers []Career
	for _, n := range names {
		careers = append(careers, newCareer(Guide{Title: n + " Career Path Guide"}, careerAliases{}))
	}
	return newCareerResolver(careers)
}

func TestResolveCareers(t *testing.T) {
	r := testResolver("Media Specialist", "Data Analyst", "Registered Nurse", "Graphic Designer")
	for _, tc := range []struct {
		question  string
		covered   []int
		uncovered []string
	}{
		{"how much do nurses make", []int{2}, nil},
		{"starting pay for a registered nurse?", []int{2}, nil},
		{"is graphic design a good career", []int{3}, nil},
		{"what tools are used in data analytics", []int{1}, nil},
		{"jobs in media", []int{0}, nil},
		{"media specialist vs data analyst salary", []int{0, 1}, nil},
		{"who earns more, nurses or graphic designers?", []int{2, 3}, nil},
		{"how much do plumbers make", nil, []string{"Plumber"}},
		{"nurse practitioner salary", nil, []string{"Nurse Practitioner"}},
		{"how do i become a falconer", nil, []string{"Falconer"}},
		{"what does a software engineer do", nil, []string{"Software Engineer"}},
		{"truck driver salary", nil, []string{"Truck Driver"}},
		// A head noun ending in a hard "ch" takes -s: "techs", not "teches".
		{"do hvac techs make good money", nil, []string{"Hvac Tech"}},
		// Titles only the vocabulary knows: no pattern, no agent suffix.
		{"is being a nanny stressful", nil, []string{"Nanny"}},
		{"what does a sonographer do all day", nil, []string{"Sonographer"}},
		// More of the patterns people use for a title no vocabulary lists.
		{"i want to be a falconer, what do i study", nil, []string{"Falconer"}},
		{"do glassworkers get paid well", nil, []string{"Glassworker"}},
		{"falconer income", nil, []string{"Falconer"}},
		{"how do i get better at editing", nil, nil},
		{"do they get paid overtime", nil, nil},
		{"what should i be good at", nil, nil},
		{"what do they earn", nil, nil},
		{"how do i become a better communicator", nil, nil},
		{"what should i do as a beginner", nil, nil},
		{"do i need a degree", nil, nil},
	} {
		m := r.resolve(tc.question)
		if !slices.Equal(m.Covered, tc.covered) || !slices.Equal(m.Uncovered, tc.uncovered) {
			t.Errorf("%q: covered %v uncovered %q, want %v %q", tc.question, m.Covered, m.Uncovered, tc.covered, tc.uncovered)
		}
	}
	// "media" names Media Specialist only while no other career shares it.
	r = testResolver("Media Specialist", "Social Media Manager")
	if m := r.resolve("jobs in media"); len(m.Covered) != 0 {
		t.Errorf("media with two media careers: covered %v, want none", m.Covered)
	}
	if m := r.resolve("social media manager pay"); !slices.Equal(m.Covered, []int{1}) {
		t.Errorf("social media manager: covered %v", m.Covered)
	}
}

func TestCareersFileAddsNamesAndAliases(t *testing.T) {
	dir := t.TempDir()
	guide, err := os.ReadFile(mediaFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "media.txt"), guide, 0o644); err != nil {
		t.Fatal(err)
	}
	csv := "file,career,aliases\n# comments are fine\nmedia.txt,Multimedia Specialist,content creator; videographer\n"
	if err := os.WriteFile(filepath.Join(dir, CareersFile), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	ix := openCorpus(t, dir)
	if got := ix.Careers()[0].Name; got != "Multimedia Specialist" {
		t.Errorf("career = %q, want the careers file's name", got)
	}
	for _, q := range []string{"how much does a content creator earn", "videographer salary", "multimedia specialists pay"} {
		if m := ix.ResolveCareers(q); !slices.Equal(m.Covered, []int{0}) || len(m.Uncovered) > 0 {
			t.Errorf("%q: covered %v uncovered %q, want the aliased career", q, m.Covered, m.Uncovered)
		}
	}
	if _, err := parseCareersFile(strings.NewReader("file,career\nonly-a-file\n")); err == nil {
		t.Error("a line without a career: no error")
	}
}

func TestNormalizeShorthandAndTypos(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	for _, tc := range []struct{ in, want string }{
		{"how much do u make", "how much do you make"},
		{"salry for seniors pls", "salary for seniors please"},
		{"what certs r good", "what certifications are good"},
		{"waht skills", "what skills"},
		{"do i need a degre", "do i need a degree"},
		// Correctly spelt words stay, however near a guide's word: "stuck" is
		// one edit from "stack", "clothing" two from "closing".
		{"would i be stuck at a desk", "would i be stuck at a desk"},
		{"a clothing brand", "a clothing brand"},
		{"gimme tips from ppl in the field", "give me tips from people in the field"},
		// "rn" is the title where a title stands, "now" elsewhere.
		{"rn salary", "rn salary"}, {"is rn a good career", "is rn a good career"}, {"what are they doing rn", "what are they doing now"},
		{"Which software should I learn?", "Which software should I learn?"},
		{"How much does it pay? (media specialist)", "How much does it pay? (media specialist)"},
		// Shorthand with a slash.
		{"can i do it w/o college", "can i do it without college"},
		{"w/ a degree b/c it helps", "with a degree because it helps"},
		{"on call 24/7?", "on call 24/7?"},
	} {
		if got := ix.Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Off-topic words, and everyday words the guide does not use, are not
	// "corrected" into guide words ("list" is not "last", "host" not "hot").
	for _, q := range []string{"best pizza in town", "who won the world cup", "what's the capital of peru",
		"give me a list", "where do i host it", "does it matter", "do they write", "what fits me",
		// A verb is no typo of its doer's job title ("bake" is not "baker").
		"how do i bake sourdough", "can you paint my fence", "teach me to drive"} {
		if got := ix.Normalize(q); got != q && !strings.Contains(got, "what is") {
			t.Errorf("Normalize(%q) = %q, want it unchanged", q, got)
		}
	}
}

// A request to bake, paint or teach is not about a baker's, painter's or
// teacher's career: it names no career, covered or not.
func TestVerbsAreNoJobTitles(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	for _, q := range []string{"how do I bake sourdough bread", "can you paint my fence", "teach me to drive"} {
		if m := ix.ResolveCareers(q); len(m.Uncovered) > 0 || len(m.Covered) > 0 {
			t.Errorf("%q: covered %v uncovered %q, want no career", q, m.Covered, m.Uncovered)
		}
	}
	if m := ix.ResolveCareers("how much does a baker earn"); !slices.Contains(m.Uncovered, "Baker") {
		t.Errorf("a baker's pay: uncovered %q, want Baker", m.Uncovered)
	}
	// A job title spelt like a verb is the verb after its subject or "to".
	for _, q := range []string{"how do they judge if something went well", "i want to coach my team better", "do you nurse a grudge",
		// A noun of doing is no doer: "-ment" ends no job title.
		"what counts as engagement", "is it seen as management"} {
		if m := ix.ResolveCareers(q); len(m.Uncovered) > 0 {
			t.Errorf("%q: uncovered %q, want none (the verb)", q, m.Uncovered)
		}
	}
	for _, q := range []string{"how much does a judge make", "do judges earn well", "they judge salary?"} {
		if m := ix.ResolveCareers(q); !slices.Contains(m.Uncovered, "Judge") {
			t.Errorf("%q: uncovered %q, want Judge", q, m.Uncovered)
		}
	}
}

func TestSectionTopics(t *testing.T) {
	for _, tc := range []struct {
		path, primary string
	}{
		{"Annual Salary (US, USD)", "pay"},
		{"Pros & Cons for Media Specialist › Cons", "cons"},
		{"A Day in the Life › Morning (9:00 AM - 12:00 PM)", "morning"},
		{"A Day in the Life › Late Afternoon (4:00 PM - 6:00 PM)", "evening"},
		// A block named otherwise is the part of the day of its first time.
		{"A Day in the Life › Shift Start (7:00 AM - 9:00 AM)", "morning"},
		{"A Day in the Life › Showings (1:00 PM - 5:00 PM)", "afternoon"},
		{"A Day in the Life › Client Calls (5:30 PM - 8:30 PM)", "evening"},
		{"Skills and Qualifications › Tech Skills", "techskills"},
		{"Frequently Asked Questions › Can Media Specialists work remotely?", "remote"},
		{"Work-Life Balance & Stress", "balance"},
		{"Common Mistakes of Beginners", "mistakes"},
		{"Frequently Asked Questions › What is a Data Analyst?", "overview"},
	} {
		primary, _ := sectionTopics(tc.path)
		if i := topicIndex(tc.primary); i < 0 || primary&(1<<i) == 0 {
			t.Errorf("sectionTopics(%q) lacks %s", tc.path, tc.primary)
		}
	}
	if p, _ := sectionTopics("A Day in the Life › Afternoon (12:00 PM - 4:00 PM)"); p&(1<<topicIndex("evening")) != 0 {
		t.Error("Afternoon is not the evening")
	}
	// An FAQ question that starts "What is the…" is not the overview:
	// "What is the career growth path…?" answered "what is this job".
	if p, _ := sectionTopics("Frequently Asked Questions › What is the career growth path for Media Specialists?"); p&(1<<topicIndex("overview")) != 0 {
		t.Error("the growth-path FAQ is an overview")
	}
	// The longest heading phrase names a title: "Late Afternoon" is the
	// evening block only.
	if p, _ := sectionTopics("A Day in the Life › Late Afternoon (4:00 PM - 6:00 PM)"); p&(1<<topicIndex("afternoon")) != 0 {
		t.Error("Late Afternoon is not also the afternoon")
	}
}

func TestQuestionTopicsFromEverydayWords(t *testing.T) {
	for _, tc := range []struct{ question, topic string }{
		{"what's the starting pay", "pay"},
		{"how do they know if a post did well", "results"},
		{"how do you tell if a campaign was successful", "results"},
		{"what numbers do they look at", "results"},
		{"kpis?", "results"},
		{"how much can i take home", "pay"},
		{"what sucks about it", "cons"},
		{"best thing about the job", "pros"},
		{"what do they do first thing", "morning"},
		{"what happens after lunch", "afternoon"},
		{"how do they wrap up the day", "evening"},
		{"how do i get to be in charge of a department", "progression"},
		{"where is the field heading", "trends"},
		{"can i learn it on the internet", "education"},
		{"which credentials impress employers", "certify"},
		{"do i need to know programming", "techskills"},
		{"can i wfh", "remote"},
		{"could i do it from my house", "remote"},
		{"what do beginners get wrong", "mistakes"},
		{"where is the industry going", "trends"},
		{"do they work nights and weekends", "balance"},
		{"what time do they start", "morning"},
		{"when do they clock out", "evening"},
		{"what do you do all day", "day"},
		{"are the hours long", "balance"},
		{"what is the hourly rate", "pay"},
		{"how much hourly", "pay"},
		{"what comes after senior", "progression"},
		{"what happens between 4 and 6", "evening"},
		{"why should i go for this", "pros"},
		{"reasons not to do it", "cons"},
		{"do i work on my own or with people", "setting"},
		{"are they expected to write reports", "duties"},
		{"will there still be jobs in 10 years", "outlook"},
		{"how do i get noticed by employers", "tips"},
		{"is it hard to keep up with new tools", "challenges"},
		{"what are they doing at 10", "morning"},
		{"what do they do around 2 pm", "afternoon"},
		// Idioms and slang, each a topic as a whole.
		{"can you live off the salary", "pay"},
		{"what do the best ones rake in", "pay"},
		{"is anyone still hiring", "outlook"},
		{"ok but what is the catch", "cons"},
		{"what keeps you up at night in this job", "challenges"},
		{"im pretty introverted, does that matter", "softskills"},
		{"would i sit at a desk all day", "setting"},
		{"how do i get a foot in the door", "become"},
		{"any pointers for a newbie", "tips"},
		{"what is hot in the industry", "trends"},
		{"what do they do later in the day", "evening"},
		{"could i run a team eventually", "progression"},
		{"the most rewarding part", "pros"},
		{"could i work in europe", "abroad"},
		{"whats the job growth like", "outlook"},
		{"who do they usually work with", "overview"},
		{"what kinds of organisations hire them", "overview"},
		{"is the field growing or shrinking", "outlook"},
		{"is being an electrician dangerous", "challenges"},
		{"which apps for editing photos", "tools"},
		{"what else do they make videos with", "tools"},
		{"what do the senior people make", "pay"},
		{"do media specialists make?", "pay"},
		{"bls projection for nurses", "outlook"},
		{"what is the eligibility criteria", "become"},
		{"is video editing a must", "skills"},
		{"what would you tell someone new so they do well", "tips"},
		{"walk me through a day on the job", "day"},
		{"do they write blog posts too", "duties"},
		{"what gadgets do they carry", "tools"},
		{"do they get holidays", "balance"},
		{"is there any entrance exam", "education"},
		{"is it government job or private", "setting"},
		{"which cms", "tools"},
		{"9 to 12 what are they doing", "morning"},
		{"what do they do from 12 to 4", "afternoon"},
		{"what time does the work day start", "morning"},
		{"what does a normal work day look like", "day"},
		{"last couple hours of the work day, any tasks", "evening"},
		{"when does the work day usually end", "evening"},
		{"specialised skills that make you stand out", "techskills"},
	} {
		at := questionTopics(stemsOf(tc.question))
		if i := topicIndex(tc.topic); at.mask&(1<<i) == 0 {
			t.Errorf("%q: topics %b lack %s", tc.question, at.mask, tc.topic)
		}
	}
	// A range of years, or the working day as a whole, is no part of the
	// day.
	for _, q := range []string{"1 to 3 years of experience", "is it a 9 to 5 job"} {
		if at := questionTopics(stemsOf(q)); at.mask&dayBlocks != 0 {
			t.Errorf("%q: topics %b hold a part of the day", q, at.mask)
		}
	}
	// "make" with its object first is no pay.
	// A thing's own verb is not the career's people doing something.
	if at := questionTopics(stemsOf("does cultural awareness matter")); at.mask&(1<<dutiesTopicIndex) != 0 {
		t.Error(`"does cultural awareness matter": read as the duties`)
	}
	// A title's look-alikes: "a proper job" is no Proper.
	if m := openCorpus(t, corpusDir(t, mediaFile)).ResolveCareers("is it a proper job"); len(m.Uncovered) != 0 {
		t.Errorf("ResolveCareers(a proper job) = %+v", m)
	}
	for _, q := range []string{"what mistakes do beginners usually make", "do they make videos"} {
		if at := questionTopics(stemsOf(q)); at.mask&(1<<payTopicIndex) != 0 {
			t.Errorf("%q: read as pay", q)
		}
	}
	// A weak word ("learn") counts less than a strong one ("software").
	at := questionTopics(stemsOf("which software should i learn"))
	if at.weight(1<<topicIndex("tools")) != 1 || at.weight(1<<topicIndex("education")) >= 1 {
		t.Errorf("tools %.2f education %.2f, want tools the main topic", at.weight(1<<topicIndex("tools")), at.weight(1<<topicIndex("education")))
	}
	// A number is a time of day only where it reads as one.
	for _, q := range []string{"salary after 5 years", "at 10 percent growth", "top 3 tips"} {
		at := questionTopics(stemsOf(q))
		if at.mask&(1<<topicIndex("morning")|1<<topicIndex("afternoon")|1<<topicIndex("evening")) != 0 {
			t.Errorf("%q asks about a block of the day", q)
		}
	}
	// Hours are the working day, not pay ("hourly" is pay).
	if at := questionTopics(stemsOf("are the hours long")); at.mask&(1<<topicIndex("pay")) != 0 {
		t.Error(`"are the hours long" asks about pay`)
	}
	// "about the job" is a weak overview expression: "best thing about the
	// job" is about the pros.
	if at := questionTopics(stemsOf("best thing about the job")); at.weight(1<<topicIndex("pros")) != 1 {
		t.Errorf("best thing about the job: pros %.2f, want the main topic", at.weight(1<<topicIndex("pros")))
	}
	// "am" is a verb, not the morning.
	if at := questionTopics(stemsOf("what am i supposed to be good at")); at.mask&(1<<topicIndex("morning")) != 0 {
		t.Error(`"what am i" asks about the morning`)
	}
}

func TestSearchStaysWithinTheNamedCareer(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	ctx := context.Background()
	for _, tc := range []struct{ question, career, section string }{
		{"how much do media specialists make", "Media Specialist", "Salary"},
		{"what's the pay for a media specialist", "Media Specialist", "Salary"},
		{"how much does a ux researcher earn", "UX Researcher", "Salary"},
		{"ux researcher salary", "UX Researcher", "Salary"},
	} {
		hits, err := ix.Search(ctx, tc.question)
		if err != nil {
			t.Errorf("%q: %v", tc.question, err)
			continue
		}
		for _, h := range hits {
			if CareerName(h.Guide) != tc.career {
				t.Errorf("%q: cites %s › %s, want only %s", tc.question, h.Guide, h.Section, tc.career)
			}
		}
		if !strings.Contains(hits[0].Section, tc.section) {
			t.Errorf("%q: top hit %s, want %s (the career's name in a heading must not win)", tc.question, hits[0].Section, tc.section)
		}
	}
	// Restricted explicitly: a follow-up without a career name.
	hits, err := ix.SearchCareers(ctx, "can they work from home", []int{careerNamed(t, ix, "UX Researcher")})
	if err != nil || CareerName(hits[0].Guide) != "UX Researcher" {
		t.Fatalf("SearchCareers: %v %v", hits, err)
	}
}

func careerNamed(t *testing.T, ix *Index, name string) int {
	t.Helper()
	for i, c := range ix.Careers() {
		if c.Name == name {
			return i
		}
	}
	t.Fatalf("no career %q in %v", name, ix.Careers())
	return -1
}

// multiGuideCorpus is corpus/ plus testdata/guides/ in a temp dir.
func multiGuideCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob("../../testdata/guides/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, mediaFile) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// openCorpus opens a corpus dir with a fresh data dir.
func openCorpus(t testing.TB, dir string) *Index {
	t.Helper()
	ix, err := Open(context.Background(), Options{CorpusDir: dir, DataDir: t.TempDir(), MinScore: DefaultMinScore})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return ix
}

// Being new beside another topic asks for that topic at entry level, not
// how to get in; on its own it is about getting in.
// Everyday phrases that are no topic's: "need for" asks for requirements,
// not the job market; "one day" is a day, not a future rung.
func TestPhrasesThatNameNoOtherTopic(t *testing.T) {
	outlook, progression := topicMask(1)<<topicIndex("outlook"), topicMask(1)<<topicIndex("progression")
	if at := questionTopics(stemsOf("what qualifications do i need for this job")); at.mask&outlook != 0 {
		t.Errorf("requirements read as the outlook: %b", at.mask)
	}
	if at := questionTopics(stemsOf("what does one day look like for them")); at.mask&progression != 0 {
		t.Errorf("one day read as progression: %b", at.mask)
	}
}

func TestBeingNewQualifiesAnotherTopic(t *testing.T) {
	pay, become := topicMask(1)<<topicIndex("pay"), topicMask(1)<<topicIndex("become")
	for _, q := range []string{"what do juniors make starting out", "what money am i looking at in my first job"} {
		if at := questionTopics(stemsOf(q)); at.weight(pay) != 1 || at.weight(become) >= 1 {
			t.Errorf("%q: pay weight %v, become weight %v; want pay the main topic", q, at.weight(pay), at.weight(become))
		}
	}
	for _, q := range []string{"any advice for starting out", "how do i get started with no experience"} {
		if at := questionTopics(stemsOf(q)); at.weight(become) != 1 && at.weight(topicMask(1)<<topicIndex("tips")) != 1 {
			t.Errorf("%q: become weight %v, want getting in (or tips) the main topic", q, at.weight(become))
		}
	}
}

// The FAQ on the career's growth path is about progression, not the job
// market, though "growth path" is also a heading of the market's.
func TestCareerGrowthPathIsProgression(t *testing.T) {
	primary, _ := sectionTopics("Frequently Asked Questions › What is the career growth path for Media Specialists?")
	if primary&(1<<topicIndex("progression")) == 0 || primary&(1<<topicIndex("outlook")) != 0 {
		t.Errorf("career growth path FAQ: topics %b, want progression only", primary)
	}
	if primary, _ := sectionTopics("Job Market Today › Growth Paths"); primary&(1<<topicIndex("outlook")) == 0 {
		t.Errorf("Growth Paths: topics %b, want the outlook", primary)
	}
}

// Fields named by their letters make job titles no guide covers ("it
// specialist salary", "pr specialist job outlook"); "hr" before a job's
// kind is human resources, not an hour.
func TestFieldAcronymsMakeJobTitles(t *testing.T) {
	ix := openCorpus(t, corpusDir(t, mediaFile))
	for q, want := range map[string]string{
		"it specialist salary":      "IT Specialist",
		"pr specialist job outlook": "PR Specialist",
		"hr specialist pay":         "HR Specialist",
	} {
		if m := ix.ResolveCareers(q); len(m.Covered) != 0 || !slices.Contains(m.Uncovered, want) {
			t.Errorf("ResolveCareers(%q) = %+v, want the uncovered %s", q, m, want)
		}
	}
	if got := ix.Normalize("how many hr a week"); !strings.Contains(got, "hour") {
		t.Errorf("Normalize = %q: 'hr' is still an hour elsewhere", got)
	}
}

// The asker's own job ("im a teacher", "as a journalist,", "i used to be a
// nurse") is marked as theirs; a job they would become is not.
func TestSelfDescribedJobs(t *testing.T) {
	ix := openCorpus(t, corpusDir(t, mediaFile))
	for q, self := range map[string]bool{
		"im a teacher, could i switch into this":    true,
		"as a journalist, would my skills transfer": true,
		"i used to be a nurse, is this easier":      true,
		"i want to be a nurse":                      false,
		"how do i become a plumber":                 false,
	} {
		if m := ix.ResolveCareers(q); (len(m.Self) > 0) != self {
			t.Errorf("ResolveCareers(%q) = %+v, self %v", q, m, self)
		}
	}
}

// A career named by its clipped form ("vet tech") is the corpus's career,
// not the built-in occupation of that spelling, and the form's words,
// which its guide never writes, do not sink the question below MinScore.
func TestClippedTitlesNameTheCoveredCareer(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"../../corpus/media-specialist.txt", "../../testdata/guides3/veterinary-technician.txt", "../../testdata/guides3/logistics-coordinator.txt"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix := openCorpus(t, dir)
	vet := slices.IndexFunc(ix.Careers(), func(c Career) bool { return c.Name == "Veterinary Technician" })
	for _, q := range []string{"good things about being a vet tech", "how much do vet techs make", "whats changing in the vet tech field these days",
		// Filipino particles carry no topic.
		"hm po starting pay ng vet tech in the US?"} {
		m := ix.ResolveCareers(q)
		if !slices.Equal(m.Covered, []int{vet}) || len(m.Uncovered) > 0 {
			t.Errorf("%q: covered %v uncovered %q, want the Veterinary Technician alone", q, m.Covered, m.Uncovered)
			continue
		}
		hits, err := ix.SearchCareers(context.Background(), q, m.Covered)
		if err != nil || len(hits) == 0 {
			t.Errorf("%q: %d hits, %v; want an answer from the vet tech's guide", q, len(hits), err)
		}
	}
	// One career's part of a comparison is searched without the other's
	// name, which none of its chunks holds.
	q := "top 10 percent earners vet tech vs logistics"
	if m := ix.ResolveCareers(q); len(m.Covered) != 2 {
		t.Fatalf("%q: covered %v, want two careers", q, m.Covered)
	}
	hits, err := ix.SearchCareers(context.Background(), q, []int{vet})
	if err != nil || len(hits) == 0 || !strings.Contains(hits[0].Section, "Annual Salary") {
		t.Errorf("%q within the vet tech: %v, %v; want the Annual Salary first", q, hits, err)
	}
}

// A field named by its letters names the corpus's career of that field
// ("is hr stressful"), and "hr" stays an hour where it counts time.
func TestFieldLettersNameTheCoveredCareer(t *testing.T) {
	dir := t.TempDir()
	guide := strings.ReplaceAll(strings.ReplaceAll(mustRead(t, "../../corpus/media-specialist.txt"), "Media Specialists", "Human Resources Specialists"), "Media Specialist", "Human Resources Specialist")
	if err := os.WriteFile(filepath.Join(dir, "hr.txt"), []byte(guide), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "media.txt"), []byte(mustRead(t, "../../corpus/media-specialist.txt")), 0o644); err != nil {
		t.Fatal(err)
	}
	ix := openCorpus(t, dir)
	hr := slices.IndexFunc(ix.Careers(), func(c Career) bool { return c.Name == "Human Resources Specialist" })
	for _, q := range []string{"is hr stressful", "can hr work remote", "how much do hr specialists make", "hr vs media specialist pay"} {
		if m := ix.ResolveCareers(q); !slices.Contains(m.Covered, hr) || len(m.Uncovered) > 0 {
			t.Errorf("%q: covered %v uncovered %q, want the Human Resources Specialist", q, m.Covered, m.Uncovered)
		}
	}
	if n := ix.Normalize("they make 30 per hr"); !strings.Contains(n, "per hour") {
		t.Errorf("Normalize(they make 30 per hr) = %q, want the hour", n)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A topic's word that the guides write elsewhere counts in part in the
// topic's sections for ranking only: whether the question is answered is
// decided on the full credit.
func TestSharedTopicWordsRankButDoNotDecline(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	for _, q := range []string{"do they run the company social media accounts", "is it possible to freelance"} {
		if hits, err := ix.Search(context.Background(), q); err != nil || len(hits) == 0 {
			t.Errorf("%q: %v, want an answer", q, err)
		}
	}
}

// A guide's own short form for its career, other English names of the
// title and a role's initials inside a title name the career.
func TestAbbreviationsSynonymsAndInitialsNameTheCareer(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"Speech-Language Pathologist", "A Speech-Language Pathologist (SLP) is a licensed clinician.", "slp"},
		{"Speech-Language Pathologist", "Speech-Language Pathologists (SLPs) work in schools.", "slp"},
		{"Media Specialist", "A Media Specialist (or content lead) plans.", ""},
		{"Media Specialist", "Media Specialist (Remote) roles", ""},
	} {
		if got := definedAbbreviation(tc.name, tc.text); got != tc.want {
			t.Errorf("definedAbbreviation(%q, %q) = %q, want %q", tc.name, tc.text, got, tc.want)
		}
	}
	c := newCareer(Guide{Title: "Speech-Language Pathologist Career Path Guide"}, careerAliases{})
	for _, f := range []string{"speech therapist", "speech therapists", "speech pathologist"} {
		if !slices.Contains(c.Forms, f) {
			t.Errorf("Speech-Language Pathologist forms %q lack %q", c.Forms, f)
		}
	}
	if got := careerForms("Construction Project Manager"); !slices.Contains(got, "construction pm") || !slices.Contains(got, "construction pms") {
		t.Errorf("careerForms(Construction Project Manager) = %q, want the pm forms", got)
	}

	dir := t.TempDir()
	for _, f := range []string{"../../corpus/media-specialist.txt", "../../testdata/guides5/speech-language-pathologist.txt"} {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(mustRead(t, f)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix := openCorpus(t, dir)
	slp := slices.IndexFunc(ix.Careers(), func(c Career) bool { return c.Name == "Speech-Language Pathologist" })
	for _, q := range []string{"can slps work remotely", "how much do speech therapists make", "slp vs media specialist pay"} {
		if m := ix.ResolveCareers(q); !slices.Contains(m.Covered, slp) || len(m.Uncovered) > 0 {
			t.Errorf("%q: covered %v uncovered %q, want the Speech-Language Pathologist", q, m.Covered, m.Uncovered)
		}
	}
}

// A kind of teacher the guide is not about is a career of its own: "high
// school teachers" is no question about an Elementary School Teacher.
func TestNeighbouringTitlesAreUncovered(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"../../corpus/media-specialist.txt", "../../testdata/guides11/elementary-school-teacher.txt"} {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(mustRead(t, f)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix := openCorpus(t, dir)
	for q, want := range map[string]string{
		"how much do high school teachers make": "High School Teacher",
		"special needs teaching aide salary":    "Teaching Aide",
	} {
		if m := ix.ResolveCareers(q); len(m.Covered) > 0 || !slices.Contains(m.Uncovered, want) {
			t.Errorf("%q: covered %v uncovered %q, want %s uncovered", q, m.Covered, m.Uncovered, want)
		}
	}
	if m := ix.ResolveCareers("how much do elementary teachers make"); len(m.Covered) != 1 {
		t.Errorf("elementary teachers: covered %v, want the guide's career", m.Covered)
	}
}

// A title that the career's own name begins with is another job, not a
// rung of the career's path: "how much does a physician make" is no
// question about the Physician Assistant.
func TestTheNamesFirstWordIsNoRole(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"../../corpus/media-specialist.txt", "../../testdata/guides10/physician-assistant.txt"} {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(mustRead(t, f)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix := openCorpus(t, dir)
	if c := ix.CareerOfRole("Physician"); c >= 0 {
		t.Errorf("CareerOfRole(Physician) = %s, want none", ix.Careers()[c].Name)
	}
}
