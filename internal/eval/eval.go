// Package eval measures answer quality: it runs an eval set (JSONL, see
// ReadCases and testdata/eval/README.md) through the real answer service
// (internal/conversation, offline, on a real index) and scores what the
// service sends back as a client would see it — the sources frame, the
// answer text and the done frame — per kind of question and per expected
// kind of reply. `bot eval` prints the figures; docs/retrieval.md has them;
// the floors in this package's tests keep them from regressing.
package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/protocol"
)

// Kinds of question (Case.Kind), in report order.
const (
	KindInGuide   = "in-guide"
	KindCompare   = "compare"
	KindFollowup  = "followup"
	KindAmbiguous = "ambiguous"
	KindUncovered = "uncovered"
	KindOfftopic  = "offtopic"
	KindSmallTalk = "smalltalk"
)

// Kinds lists the kinds of question in report order.
var Kinds = []string{KindInGuide, KindCompare, KindFollowup, KindAmbiguous, KindUncovered, KindOfftopic, KindSmallTalk}

// Expected replies (Case.Expect), in report order; "" is a plain answer.
const (
	ExpectAnswer    = "answer" // no expect: a plain answer (reported under this name)
	ExpectDecline   = "decline"
	ExpectSmallTalk = "smalltalk"
	ExpectClarify   = "clarify"
	ExpectUncovered = "uncovered"
	ExpectPerCareer = "per-career"
)

// Expects lists the expected replies in report order.
var Expects = []string{ExpectAnswer, ExpectPerCareer, ExpectClarify, ExpectUncovered, ExpectDecline, ExpectSmallTalk}

// Case is one line of an eval set (JSONL), as testdata/eval/README.md
// describes it. testdata/eval.jsonl's lines (question, sections, facts,
// decline) are cases too: the fields added later are optional.
type Case struct {
	Question string   `json:"question"`
	Sections []string `json:"sections,omitempty"` // any one, as a substring of a shown source's section path
	Facts    []string `json:"facts,omitempty"`    // all in the answer text
	Decline  bool     `json:"decline,omitempty"`
	Kind     string   `json:"kind,omitempty"`    // one of Kinds ("" = in-guide, or offtopic when Decline)
	History  []string `json:"history,omitempty"` // asked first, in the same conversation
	Careers  []string `json:"careers,omitempty"` // the answer's sources come from their guides and (several guides) it names them
	Forbid   []string `json:"forbid,omitempty"`  // must not be in the answer
	Expect   string   `json:"expect,omitempty"`  // one of Expects but ExpectAnswer ("" = a plain answer)
}

// kind is the case's kind with the defaults of old eval sets.
func (c Case) kind() string {
	switch {
	case c.Kind != "":
		return c.Kind
	case c.Decline:
		return KindOfftopic
	}
	return KindInGuide
}

// expect is the case's expected reply with the defaults of old eval sets.
func (c Case) expect() string {
	switch {
	case c.Expect != "":
		return c.Expect
	case c.Decline:
		return ExpectDecline
	}
	return ExpectAnswer
}

// HeldOut reports whether an eval file is a held-out split — a TEST split
// (*.test.jsonl) or a blind holdout (holdout-*.jsonl) — whose misses nobody
// reads while tuning (testdata/eval/README.md); tools print only its aggregates
// unasked, and tests that replay every eval file leave the blind ones out.
func HeldOut(path string) bool {
	base := filepath.Base(path)
	return strings.HasSuffix(base, ".test.jsonl") || strings.HasPrefix(base, "holdout-")
}

// ReadCases parses a JSONL eval set; blank lines and lines starting with
// "//" are skipped. Every case needs a question, and sections unless it
// expects something other than a plain answer (decline, small talk…).
func ReadCases(r io.Reader) ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		var c Case
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields() // a misspelt field would silently score nothing
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("eval line %d: %w", n, err)
		}
		if c.Question == "" {
			return nil, fmt.Errorf("eval line %d: no question", n)
		}
		if c.expect() == ExpectAnswer && len(c.Sections) == 0 {
			return nil, fmt.Errorf("eval line %d: want sections for a plain answer (or an expect)", n)
		}
		if !slices.Contains(Kinds, c.kind()) {
			return nil, fmt.Errorf("eval line %d: unknown kind %q", n, c.Kind)
		}
		if !slices.Contains(Expects, c.expect()) || c.Expect == ExpectAnswer {
			return nil, fmt.Errorf("eval line %d: unknown expect %q", n, c.Expect)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading eval set: %w", err)
	}
	return cases, nil
}

// Outcome is what one case got and how it scored.
type Outcome struct {
	Case    Case
	Sources []protocol.Source // the last answer's sources frame
	Done    protocol.Done     // and its done frame
	// Shown is Sources in the order a client shows them: the cited ones
	// (done.cited) first, then the rest.
	Shown []protocol.Source
	// Rank is the position in Shown of the first source whose section path
	// holds one of Case.Sections (and, with Case.Careers, from one of their
	// guides); -1 when none does or the case lists no sections.
	Rank       int
	FactsFound int      // of Case.Facts, in the answer text
	Missing    []string // facts not in the answer text
	Forbidden  []string // Case.Forbid strings that are in it
	// CareerMisses says, per listed career that fails, why: "not cited",
	// "not named"; and a cited source from an unlisted career.
	CareerMisses []string
	// ExpectMiss says why the reply is not the expected kind ("" = it is).
	ExpectMiss string
}

// Passed reports whether the case got everything it asked for.
func (o Outcome) Passed() bool {
	return (len(o.Case.Sections) == 0 || (o.Rank >= 0 && o.Rank < 3)) &&
		len(o.Missing) == 0 && len(o.Forbidden) == 0 && len(o.CareerMisses) == 0 && o.ExpectMiss == ""
}

// Chars is the length of the answer text in characters.
func (o Outcome) Chars() int { return utf8.RuneCountInString(o.Done.Text) }

// Miss is one line saying what the case wanted and what came, for `bot
// eval -v`.
func (o Outcome) Miss() string {
	var wanted, problems []string
	c := o.Case
	if len(c.History) > 0 {
		wanted = append(wanted, "after "+quoteAll(c.History))
	}
	if e := c.expect(); e != ExpectAnswer {
		wanted = append(wanted, e)
	}
	if len(c.Sections) > 0 {
		wanted = append(wanted, "section "+quoteAll(c.Sections))
		if o.Rank < 0 || o.Rank >= 3 {
			problems = append(problems, "section not in top 3")
		}
	}
	if len(c.Careers) > 0 {
		wanted = append(wanted, "careers "+strings.Join(c.Careers, ", "))
	}
	if len(o.Missing) > 0 {
		problems = append(problems, "missing "+quoteAll(o.Missing))
	}
	if len(o.Forbidden) > 0 {
		problems = append(problems, "forbidden "+quoteAll(o.Forbidden))
	}
	problems = append(problems, o.CareerMisses...)
	if o.ExpectMiss != "" {
		problems = append(problems, o.ExpectMiss)
	}
	var shown []string
	for i, s := range o.Shown {
		if i == 3 {
			break
		}
		shown = append(shown, rag.CareerName(s.Guide)+" › "+s.Section)
	}
	text := strings.Join(strings.Fields(o.Done.Text), " ")
	if utf8.RuneCountInString(text) > 160 {
		text = string([]rune(text)[:160]) + "…"
	}
	return fmt.Sprintf("%q wanted %s; %s; got kind=%s sources [%s] text %q",
		c.Question, strings.Join(wanted, ", "), strings.Join(problems, "; "), o.Done.Kind, strings.Join(shown, "; "), text)
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, "/")
}

// Tally aggregates outcomes.
type Tally struct {
	Cases, Passed  int
	Sectioned      int // cases that list sections
	HitAt1, HitAt3 int // of those, the section shown first / in the first 3
	WithFacts      int // cases that list facts
	AllFacts       int // of those, every fact in the answer
	FactsWanted    int
	FactsFound     int
	Forbidden      int   // cases whose answer holds a forbidden string
	WithCareers    int   // cases that list careers
	CareersOK      int   // of those, every career cited (and named, with several guides)
	WithExpect     int   // cases that expect decline, small talk, clarify, uncovered or per-career
	ExpectOK       int   // of those, the reply was of that kind
	FalseDeclines  int   // cases that were not meant to be declined but were
	chars          []int // answer lengths, in characters
	answerChars    []int // of the plain answers (no expect, or per-career)
}

// MedianChars is the median length of the replies, in characters.
func (t Tally) MedianChars() int { return median(t.chars) }

// MedianAnswerChars is the median length of the plain answers (cases with
// no expect, or per-career): what the answer-length target is about.
func (t Tally) MedianAnswerChars() int { return median(t.answerChars) }

func (t *Tally) add(o Outcome) {
	c := o.Case
	t.Cases++
	if o.Passed() {
		t.Passed++
	}
	if len(c.Sections) > 0 {
		t.Sectioned++
		if o.Rank == 0 {
			t.HitAt1++
		}
		if o.Rank >= 0 && o.Rank < 3 {
			t.HitAt3++
		}
	}
	if len(c.Facts) > 0 {
		t.WithFacts++
		t.FactsWanted += len(c.Facts)
		t.FactsFound += o.FactsFound
		if len(o.Missing) == 0 {
			t.AllFacts++
		}
	}
	if len(o.Forbidden) > 0 {
		t.Forbidden++
	}
	if len(c.Careers) > 0 {
		t.WithCareers++
		if len(o.CareerMisses) == 0 {
			t.CareersOK++
		}
	}
	if e := c.expect(); e != ExpectAnswer {
		t.WithExpect++
		if o.ExpectMiss == "" {
			t.ExpectOK++
		}
	}
	if c.expect() != ExpectDecline && o.Done.Kind == protocol.KindDecline {
		t.FalseDeclines++
	}
	t.chars = append(t.chars, o.Chars())
	if e := c.expect(); e == ExpectAnswer || e == ExpectPerCareer {
		t.answerChars = append(t.answerChars, o.Chars())
	}
}

func median(v []int) int {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Rates of a tally; 0 when there is nothing to count.
func (t Tally) PassRate() float64   { return ratio(t.Passed, t.Cases) }
func (t Tally) HitRate1() float64   { return ratio(t.HitAt1, t.Sectioned) }
func (t Tally) HitRate3() float64   { return ratio(t.HitAt3, t.Sectioned) }
func (t Tally) FactRate() float64   { return ratio(t.AllFacts, t.WithFacts) }
func (t Tally) CareerRate() float64 { return ratio(t.CareersOK, t.WithCareers) }
func (t Tally) ExpectRate() float64 { return ratio(t.ExpectOK, t.WithExpect) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Row is one line of a report table: a kind or an expected reply and its
// tally.
type Row struct {
	Name string
	Tally
}

// Report is an eval run: every outcome in case order, and the tallies.
type Report struct {
	Outcomes []Outcome
	All      Tally
	ByKind   []Row // in Kinds order, kinds without cases left out
	ByExpect []Row // in Expects order, likewise
}

// Kind returns the row of a kind (zero when the set has none).
func (r Report) Kind(kind string) Tally { return rowOf(r.ByKind, kind) }

// Expect returns the row of an expected reply (zero when the set has none).
func (r Report) Expect(expect string) Tally { return rowOf(r.ByExpect, expect) }

func rowOf(rows []Row, name string) Tally {
	for _, r := range rows {
		if r.Name == name {
			return r.Tally
		}
	}
	return Tally{}
}

// Misses are the outcomes that did not pass, one line each (Outcome.Miss).
func (r Report) Misses() []string {
	var out []string
	for _, o := range r.Outcomes {
		if !o.Passed() {
			out = append(out, "["+o.Case.kind()+"] "+o.Miss())
		}
	}
	return out
}

// Index is the retrieval the service answers from: a *rag.Index (the
// careers are needed to score Case.Careers).
type Index interface {
	conversation.Retriever
	Careers() []rag.Career
}

// Run answers every case with a fresh offline answer service over ix, each
// in its own conversation (its history asked first), and scores the last
// answer of each.
func Run(ctx context.Context, ix Index, cases []Case) (Report, error) {
	svc := conversation.New(conversation.Config{}, conversation.Deps{Index: ix})
	careers := ix.Careers()
	byName := map[string]rag.Career{}
	for _, c := range careers {
		byName[strings.ToLower(c.Name)] = c
	}
	var rep Report
	for n, c := range cases {
		for _, name := range c.Careers {
			if _, ok := byName[strings.ToLower(name)]; !ok {
				return rep, fmt.Errorf("eval case %d (%q): career %q is not in the corpus", n+1, c.Question, name)
			}
		}
		sources, done, err := converse(ctx, svc, append(slices.Clone(c.History), c.Question))
		if err != nil {
			return rep, fmt.Errorf("eval case %d (%q): %w", n+1, c.Question, err)
		}
		rep.Outcomes = append(rep.Outcomes, score(c, sources, done, careers, byName))
	}
	for _, o := range rep.Outcomes {
		rep.All.add(o)
	}
	rep.ByKind = rows(rep.Outcomes, Kinds, Case.kind)
	rep.ByExpect = rows(rep.Outcomes, Expects, Case.expect)
	return rep, nil
}

// rows tallies the outcomes per name (of names, in that order), leaving out
// names without cases.
func rows(outcomes []Outcome, names []string, of func(Case) string) []Row {
	var out []Row
	for _, name := range names {
		var t Tally
		for _, o := range outcomes {
			if of(o.Case) == name {
				t.add(o)
			}
		}
		if t.Cases > 0 {
			out = append(out, Row{name, t})
		}
	}
	return out
}

// converse asks the questions in order in one new conversation and returns
// the frames of the last answer.
func converse(ctx context.Context, svc *conversation.Service, questions []string) ([]protocol.Source, protocol.Done, error) {
	sess, _ := svc.Open(ctx, "eval", "")
	var sources []protocol.Source
	var done protocol.Done
	for i, q := range questions {
		sources = nil
		last := sess.Answer(ctx, fmt.Sprintf("q%d", i+1), q, func(f protocol.Frame) {
			if s, ok := f.(protocol.Sources); ok {
				sources = s.Sources
			}
		})
		switch f := last.(type) {
		case protocol.Done:
			done = f
		case protocol.Error:
			return nil, done, fmt.Errorf("question %q: %s: %s", q, f.Code, f.Message)
		default:
			return nil, done, fmt.Errorf("question %q: last frame %T", q, last)
		}
	}
	return sources, done, ctx.Err()
}

// score checks one answer against its case.
func score(c Case, sources []protocol.Source, done protocol.Done, careers []rag.Career, byName map[string]rag.Career) Outcome {
	o := Outcome{Case: c, Sources: sources, Done: done, Rank: -1}
	// What the client shows first: the cited sources, then the rest. A
	// done without cited (a server before it) shows them in order.
	cited := map[int]bool{}
	for _, i := range done.Cited {
		if i >= 0 && i < len(sources) {
			cited[i] = true
		}
	}
	for i, s := range sources {
		if cited[i] {
			o.Shown = append(o.Shown, s)
		}
	}
	for i, s := range sources {
		if !cited[i] {
			o.Shown = append(o.Shown, s)
		}
	}
	used := o.Shown[:len(cited)]
	if len(cited) == 0 {
		used = o.Shown // all of them
	}

	wantGuides := map[string]bool{}
	for _, name := range c.Careers {
		wantGuides[byName[strings.ToLower(name)].Guide] = true
	}
	if len(c.Sections) > 0 {
		for i, s := range o.Shown {
			if (len(wantGuides) == 0 || wantGuides[s.Guide]) && sectionMatches(s.Section, c.Sections) {
				o.Rank = i
				break
			}
		}
	}

	text := strings.ToLower(done.Text)
	for _, f := range c.Facts {
		if strings.Contains(text, strings.ToLower(f)) {
			o.FactsFound++
		} else {
			o.Missing = append(o.Missing, f)
		}
	}
	for _, f := range c.Forbid {
		if strings.Contains(text, strings.ToLower(f)) {
			o.Forbidden = append(o.Forbidden, f)
		}
	}

	// Careers: each cited, and named when the corpus has several; no cited
	// source from another career.
	several := len(careers) > 1
	for _, name := range c.Careers {
		guide := byName[strings.ToLower(name)].Guide
		if !slices.ContainsFunc(used, func(s protocol.Source) bool { return s.Guide == guide }) {
			o.CareerMisses = append(o.CareerMisses, name+" not cited")
		}
		if several && !strings.Contains(text, strings.ToLower(name)) {
			o.CareerMisses = append(o.CareerMisses, name+" not named")
		}
	}
	if len(wantGuides) > 0 {
		for _, s := range used {
			if !wantGuides[s.Guide] {
				o.CareerMisses = append(o.CareerMisses, "cites "+rag.CareerName(s.Guide))
				break
			}
		}
	}

	o.ExpectMiss = expectMiss(c.expect(), done, careers)
	return o
}

// expectMiss says why the reply is not what the case expects ("" when it
// is). The reply's kind is the done frame's (protocol.Kind*): the service
// says what it sent, so nothing here guesses from the wording.
func expectMiss(expect string, done protocol.Done, careers []rag.Career) string {
	text := strings.ToLower(done.Text)
	named := func(list []string) int {
		n := 0
		for _, c := range careers {
			for _, s := range list {
				if strings.Contains(strings.ToLower(s), strings.ToLower(c.Name)) {
					n++
					break
				}
			}
		}
		return n
	}
	switch expect {
	case ExpectAnswer, ExpectPerCareer:
		// Scored by sections, facts and careers; a decline is never right.
		if done.Kind == protocol.KindDecline || done.Kind == protocol.KindSmallTalk || done.Kind == protocol.KindUncovered {
			return "got a " + done.Kind + " reply"
		}
	case ExpectDecline:
		if done.Kind != protocol.KindDecline {
			return "not declined"
		}
	case ExpectSmallTalk:
		switch {
		case done.Kind != protocol.KindSmallTalk:
			return "not a small-talk reply"
		case len(done.Suggestions) == 0:
			return "small talk without starters"
		}
	case ExpectClarify:
		// Chips naming covered careers (two or more, or the one there is).
		switch want := min(2, len(careers)); {
		case done.Kind != protocol.KindClarify:
			return "no clarifying question"
		case named(done.Suggestions) < want:
			return fmt.Sprintf("clarify chips name %d careers, want %d", named(done.Suggestions), want)
		}
	case ExpectUncovered:
		switch {
		case done.Kind != protocol.KindUncovered:
			return "not an uncovered-career reply"
		case named([]string{text}) < len(careers):
			return fmt.Sprintf("names %d of the %d covered careers", named([]string{text}), len(careers))
		}
	}
	return ""
}

func sectionMatches(section string, wanted []string) bool {
	s := strings.ToLower(section)
	for _, w := range wanted {
		if strings.Contains(s, strings.ToLower(w)) {
			return true
		}
	}
	return false
}
