package conversation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/careerbot/careerbot/internal/compose"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"
	"github.com/careerbot/careerbot/protocol"
)

// Routing decides, before an answer is written, which careers it is about
// and in what shape (docs/retrieval.md section 10):
//
//   - a question naming one covered career, or none while the conversation
//     has a current career, is answered from that career (a single answer,
//     labelled with the career when the corpus has several);
//   - naming two or more (or none, right after a comparison) is a
//     comparison: the question's topic searched within each career, one
//     labelled block per career;
//   - naming none in a corpus of several, with no current career, is
//     ambiguous: a fact every guide states briefly (pay, outlook, stress,
//     remote work) is answered per career, one labelled line each, for up to
//     compose.MaxPerCareer careers; anything else — or more careers than
//     that — gets "which career do you mean?" with chips naming careers and
//     no figures;
//   - a one-guide corpus implies its career: a single answer, as before.

// Kinds of answer (answerRoute.kind), also stored with the turn: the done
// frame's kinds (protocol), but a single answer's, which is "" here.
const (
	kindSingle    = ""
	kindClarify   = protocol.KindClarify
	kindPerCareer = protocol.KindPerCareer
	kindCompare   = protocol.KindCompare
)

// doneKind is done.kind for an answer written from this route (nil: no
// routing, a single answer).
func (p *answerRoute) doneKind() string {
	if p == nil || p.kind == kindSingle {
		return protocol.KindAnswer
	}
	return p.kind
}

// router is what routing needs of the index (rag.Index has it; test fakes
// need not, and are answered as before: one search of everything).
type router interface {
	careerSearcher
	QuestionTopics(question string) []rag.AskedTopic
	CareerHasTopic(career int, topics ...string) bool
	SearchTopic(ctx context.Context, question string, career int, topics ...string) ([]rag.Hit, error)
	WithoutCareers(question string) string
	CareerOfRole(title string) int
	AsksOnlyItsTopic(question string) bool
	Siblings(c rag.Chunk) []rag.Chunk
}

// factTopics are the topics a per-career answer is given for: facts each
// guide states in a line (a figure, a rating, a yes or no), so that one line
// per career answers the question. Each lists the topics whose sections hold
// the fact, best first: whether work can be remote is in a remote-work FAQ
// or, failing that, in the work setting.
var factTopics = map[string][]string{
	"pay":     {"pay"},
	"outlook": {"outlook"},
	"balance": {"balance"},
	"remote":  {"remote", "setting"},
}

// withoutForms is question without the words of the career's forms, the
// rest as typed; "" when nothing else is left.
func withoutForms(question string, forms []string) string {
	formWords := map[string]bool{}
	for _, f := range forms {
		for _, w := range strings.Fields(f) {
			formWords[w] = true
		}
	}
	var kept []string
	for _, w := range strings.Fields(question) {
		if lw := strings.ToLower(strings.Trim(w, ".,;:!?'\"()")); !formWords[lw] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return strings.Join(kept, " ")
}

// factQuestions ask for a fact topic's figure in the guides' words: the
// search that finds the table when a comparison's own words did not.
var factQuestions = map[string]string{
	"pay":     "salary median entry level senior level",
	"outlook": "job outlook growth rate",
	"balance": "work-life balance stress level balance rating",
	"remote":  "can they work remotely",
}

// mainTopic is the topic a question asks about most strongly ("" for
// none), except that a fact topic named outright (not by a weak word) wins:
// "entry level pay" asks for the pay figure at entry level, not how to get
// in.
func mainTopic(rt router, question string) string {
	topics := rt.QuestionTopics(question)
	if len(topics) == 0 {
		return ""
	}
	for _, t := range topics {
		if _, fact := factTopics[t.Name]; fact && t.Strength >= 1 {
			return t.Name
		}
	}
	return topics[0].Name
}

// sectionsOf are the topics whose sections a comparison on topic is drawn
// from.
func sectionsOf(topic string) []string {
	if ts, ok := factTopics[topic]; ok {
		return ts
	}
	return []string{topic}
}

// answerRoute is a routing decision and what its searches found.
type answerRoute struct {
	kind    string
	careers []int                // the careers the answer is about (one for a single answer)
	topic   string               // the question's topic, "" when it names none
	hits    []rag.Hit            // the sources: a single answer's hits, or each career's best
	parts   []compose.CareerPart // per career, for compare and per-career
	lines   string               // the question lines are chosen by: without career names for compare and per-career
	tiers   string               // a single answer about the career's rungs: the question asking it (compose.AsksTiers); hits hold all its tiers
	text    string               // a clarify reply
	chips   []string             // a clarify reply's chips
}

// maxClarifyChips bounds the careers a clarify reply offers as chips when
// the corpus has more than compose.MaxPerCareer of them.
const maxClarifyChips = 4

// standaloneOf makes a follow-up standalone, keeping the previous
// question's topic when the follow-up asks about none of its own: "what
// about electricians?" after a pay question about nurses asks electricians'
// pay (the career switches, the topic stays); "and when they start?" after
// "how much do nurses make" stays on pay.
func standaloneOf(rt router, question string, previous []string) string {
	if len(previous) == 0 {
		return question
	}
	prev := previous[len(previous)-1]
	if compose.IsCorrection(question) {
		question = compose.WithoutNegated(question)
	}
	// A level named switches the level: "and a senior one?" after juniors
	// asks about seniors, and "junior" carried would pull the juniors back.
	if compose.AsksALevelOnly(rt.WithoutCareers(question)) {
		prev = compose.WithoutLevels(prev)
	}
	named := len(rt.ResolveCareers(question).Covered) > 0
	multi := len(rt.Careers()) > 1
	// An everyday intent ("what comes next?", "how long does that take?",
	// "how do i avoid them?", "is it worth it?") is about the previous
	// question's subject, not its words. The career's name is carried: the
	// template's headings name it ("How long does it take to become a
	// Registered Nurse?", "Senior Data Analyst").
	if !named {
		if rewritten, ok := compose.FollowUp(question, prev); ok {
			return rewritten
		}
	}
	// No topic of its own, or only a level of the previous one ("what
	// about at senior level?" after a pay question is about senior pay).
	// So is a level and a career alone ("senior analysts?" after a pay
	// question about analysts).
	ownTopic := mainTopic(rt, question) != "" && !(compose.OnlyQualifies(rt.WithoutCareers(question)) && (compose.Leans(question) || named))
	// A short follow-up that asks no topic plainly ("roughly? like 5 or
	// 10", "how so", "really?") can only be about the last question.
	if !named && !compose.Leans(question) && len(strings.Fields(question)) <= shortFollowUpWords && !plainTopic(rt, question) {
		if mainTopic(rt, prev) != "" {
			return compose.KeepTopic(question, prev)
		}
	}
	if !ownTopic && (named || compose.Leans(question)) {
		if mainTopic(rt, prev) != "" {
			if named {
				prev = rt.WithoutCareers(prev)
			}
			return compose.KeepTopic(question, prev)
		}
		if named && multi {
			// "and nurses?" after "tell me about electricians": the same
			// question about the other career.
			return compose.KeepTopic(question, rt.WithoutCareers(prev))
		}
	}
	if named {
		return question // it names its career and asks its own question
	}
	// A follow-up with a topic of its own ("and in the evening?" after "what
	// do graphic designers do in the morning") is about the previous
	// question's career, which routing restricts the search to
	// (currentCareers), not about its other words: carrying "morning" would
	// pull the morning back, and carrying the career's name would make
	// lines naming it look like answers. Questions about the previous
	// answer's items ("which of those…") carry everything
	// (compose.Standalone).
	if multi && compose.Leans(question) && !compose.AboutItems(question) && len(rt.ResolveCareers(prev).Covered) > 0 {
		return question
	}
	// A sibling topic introduced by "and"/"what about" with no pronoun
	// ("and the morning?" after the late afternoon, "and the soft ones?"
	// after technical skills) replaces the old one: carrying the previous
	// words pulls the old section back. Another kind of topic ("and for
	// managing projects?" after tools) narrows the old one and carries it.
	// Which topic is which is retrieval's reading.
	if ownTopic && !compose.PointsBack(question) && compose.Leans(question) {
		// Any of the previous question's topics: "what do they do in the
		// morning" is about duties first, and the morning.
		q := mainTopic(rt, question)
		for _, t := range rt.QuestionTopics(prev) {
			if siblingTopics(q, t.Name) {
				return question
			}
		}
	}
	return compose.Standalone(question, previous)
}

// shortFollowUpWords bounds the follow-ups that lean on the last question
// for their length alone (standaloneOf).
const shortFollowUpWords = 5

// plainTopic reports whether the question names a topic plainly (a cue of
// strength 1 or more), not only in passing.
func plainTopic(rt router, question string) bool {
	for _, t := range rt.QuestionTopics(question) {
		if t.Strength >= 1 {
			return true
		}
	}
	return false
}

// topicFamilies are topics of one kind, of which a follow-up asks another
// instead: the blocks of the day, the two sides of a job, kinds of skills.
var topicFamilies = [][]string{
	{"day", "morning", "afternoon", "evening"},
	{"pros", "cons"},
	{"skills", "techskills", "softskills"},
	{"challenges", "mistakes", "cons"},
	{"outlook", "trends"},
	{"setting", "remote"},
}

// siblingTopics reports whether a and b are two different topics of one
// family.
func siblingTopics(a, b string) bool {
	if a == "" || b == "" || a == b {
		return false
	}
	for _, f := range topicFamilies {
		if slices.Contains(f, a) && slices.Contains(f, b) {
			return true
		}
	}
	return false
}

// route decides how to answer and runs the searches that takes.
func (run *answerRun) route(rt router, question, standalone string, history []Turn) (*answerRoute, error) {
	ctx := run.ctx
	careers := rt.Careers()
	named := rt.ResolveCareers(question).Covered
	if len(named) == 0 {
		named = currentCareers(rt, question, history)
	}
	topic := mainTopic(rt, standalone)
	switch {
	case len(named) >= 2:
		return compareRoute(ctx, rt, kindCompare, standalone, topic, named[:min(len(named), compose.MaxPerCareer)])
	case len(named) == 1 || len(careers) <= 1:
		hits, err := rt.SearchCareers(ctx, standalone, named)
		r := &answerRoute{kind: kindSingle, careers: named, topic: topic, hits: hits}
		if len(named) == 1 && len(careers) > 1 {
			// The lines are chosen by the question without the career's
			// forms, as a comparison's are by the question without the
			// careers: a form the guide writes in other senses is no word
			// of the question ("what skills do u need for vet tech" is no
			// question about tech skills).
			r.lines = withoutForms(standalone, careers[named[0]].Forms)
		}
		if err == nil && topic == "progression" {
			// The turn's own words: "what do i need to show for that"
			// after "how do they get promoted" asks for something else
			// ("what's above that" asks within the ladder by its own
			// word).
			own := question
			if len(named) == 1 {
				own = withoutForms(question, careers[named[0]].Forms)
			} else if len(careers) == 1 {
				own = withoutForms(question, careers[0].Forms)
			}
			if compose.AsksTiers(own) {
				if hits, ok := withAllTiers(rt, r.hits); ok {
					r.hits, r.tiers = hits, own
				}
			}
		}
		return r, err
	}
	// Ambiguous: no career named, none current, several in the corpus. A
	// search of every career first, so that an off-topic question is still
	// declined and the best-matching careers are known.
	hits, err := rt.SearchCareers(ctx, standalone, nil)
	if err != nil {
		return &answerRoute{kind: kindSingle, topic: topic}, err
	}
	if sections, ok := factTopics[topic]; ok {
		var with []int
		for c := range careers {
			if rt.CareerHasTopic(c, sections...) {
				with = append(with, c)
			}
		}
		switch {
		case len(with) == 1:
			hits, err := rt.SearchTopic(ctx, standalone, with[0], sections...)
			return &answerRoute{kind: kindSingle, careers: with, topic: topic, hits: hits}, err
		case len(with) >= 2 && len(careers) <= compose.MaxPerCareer:
			all := make([]int, len(careers))
			for c := range all {
				all[c] = c
			}
			return compareRoute(ctx, rt, kindPerCareer, standalone, topic, all)
		}
	}
	// A question whose every hit is one career's is about that career: its
	// words are that guide's ("what is ServiceTitan?", "what's a
	// journeyman?"). The template's sections are in every guide, so a
	// question that only names a topic draws hits from several.
	// Not for a question of nothing but its topic ("what gear would i
	// use"): one guide's words for the topic do not make it that career's.
	if !slices.ContainsFunc(hits, func(h rag.Hit) bool { return h.Guide != hits[0].Guide }) && !rt.AsksOnlyItsTopic(standalone) {
		if c := careerOfGuide(careers, hits[0].Guide); c >= 0 {
			return &answerRoute{kind: kindSingle, careers: []int{c}, hits: hits}, nil
		}
	}
	return clarifyRoute(careers, hits, question, topic), nil
}

// compareRoute searches topic within each career (its whole guide when the
// question has no topic) for a comparison or a per-career answer.
func compareRoute(ctx context.Context, rt router, kind, question, topic string, careers []int) (*answerRoute, error) {
	all := rt.Careers()
	// Lines are chosen by the question without its careers' names: within
	// one career's section, a line naming another career of the comparison
	// (or this one) is no better an answer.
	r := &answerRoute{kind: kind, careers: careers, topic: topic, lines: rt.WithoutCareers(question)}
	perCareer := 2 // sources per career
	if kind == kindPerCareer {
		perCareer = 1
	}
	for _, c := range careers {
		var hits []rag.Hit
		var err error
		if topic != "" {
			hits, err = rt.SearchTopic(ctx, question, c, sectionsOf(topic)...)
		}
		if topic == "" || len(hits) == 0 && (err == nil || errors.Is(err, rag.ErrNothingRelevant)) {
			// No section of the topic by its heading ("Shift Start (7:00
			// AM…)" is the EMT's morning): the career's whole guide, so
			// that its block is not missing from the comparison.
			hits, err = rt.SearchCareers(ctx, question, []int{c})
		}
		if err != nil && !errors.Is(err, rag.ErrNothingRelevant) {
			return nil, err
		}
		if _, fact := factTopics[topic]; fact {
			hits = compose.FactFirst(hits)
			if !compose.StatesFact(hits) {
				// A comparison on a fact wants the figure: when the
				// question's own words found only prose ("who makes
				// more, slp or …" met the SLP's FAQ on school pay), the
				// topic's own search finds the table, put first.
				if more, err := rt.SearchTopic(ctx, factQuestions[topic], c, sectionsOf(topic)...); err == nil {
					if more = compose.FactFirst(more); compose.StatesFact(more) {
						hits = append([]rag.Hit{more[0]}, slices.DeleteFunc(hits, func(h rag.Hit) bool { return h.ID == more[0].ID })...)
					}
				}
			}
		}
		part := compose.CareerPart{Career: all[c].Name, Hits: hits}
		if topic == "progression" && compose.AsksTiers(r.lines) {
			part.Hits, part.Tiers = withAllTiers(rt, hits)
			hits = part.Hits
		}
		r.parts = append(r.parts, part)
		r.hits = append(r.hits, hits[:min(perCareer, len(hits))]...)
	}
	if len(r.hits) == 0 {
		return r, rag.ErrNothingRelevant
	}
	return r, nil
}

// clarifyRoute asks which career: up to compose.MaxPerCareer careers are
// all offered; more are named in the order their sections matched the
// question best.
func clarifyRoute(careers []rag.Career, hits []rag.Hit, question, topic string) *answerRoute {
	var names []string
	if len(careers) <= compose.MaxPerCareer {
		for _, c := range careers {
			names = append(names, c.Name)
		}
	} else {
		for _, h := range hits {
			if c := careerOfGuide(careers, h.Guide); c >= 0 && !slices.Contains(names, careers[c].Name) && len(names) < maxClarifyChips {
				names = append(names, careers[c].Name)
			}
		}
	}
	return &answerRoute{
		kind:  kindClarify,
		topic: topic,
		text:  compose.Clarify(names, len(careers)),
		chips: compose.ClarifyChips(question, topic, names),
	}
}

// offline writes the extractive answer of a route.
func (r *answerRoute) offline(w *compose.Writer, careers []rag.Career, standalone string) string {
	switch r.kind {
	case kindCompare:
		return w.Compare(r.lines, r.parts)
	case kindPerCareer:
		return w.PerCareer(r.lines, r.parts)
	case kindClarify:
		return r.text
	}
	question := standalone
	if r.lines != "" && !strings.Contains(standalone, " (") { // a carried "(…)" is read by the writer
		question = r.lines
	}
	text := ""
	if r.tiers != "" {
		text = w.Tiers(r.tiers, r.hits)
	}
	if text == "" {
		text = w.Answer(question, r.hits)
	}
	if len(careers) > 1 && len(r.hits) > 0 {
		if c := careerOfGuide(careers, r.hits[0].Guide); c >= 0 {
			text = compose.Labelled(careers[c].Name, text)
		}
	}
	return text
}

// withAllTiers returns hits with every tier of the career's path when a
// tier is among the top three: a question about the career's rungs
// (compose.AsksTiers) is answered from them, and its words alone rank
// them unevenly (the tier whose heading says "Lead … Manager" first, the
// junior one often not at all). The tiers retrieved come first, in their
// order, then the rest in guide order (rag.Index.Siblings), then up to two
// of the other hits. ok is false, and hits unchanged, when no tier is
// among the top three.
func withAllTiers(rt router, hits []rag.Hit) (_ []rag.Hit, ok bool) {
	for _, h := range hits[:min(3, len(hits))] {
		if !compose.IsTier(h.Section) {
			continue
		}
		tiers := rt.Siblings(h.Chunk)
		if len(tiers) < 2 {
			return hits, false
		}
		isTier := func(c rag.Chunk) bool {
			return slices.ContainsFunc(tiers, func(t rag.Chunk) bool { return t.ID == c.ID })
		}
		out := make([]rag.Hit, 0, len(tiers)+2)
		low := h.Score
		for _, o := range hits {
			if isTier(o.Chunk) {
				out = append(out, o)
				low = min(low, o.Score)
			}
		}
		for _, t := range tiers {
			if !slices.ContainsFunc(out, func(o rag.Hit) bool { return o.ID == t.ID }) {
				out = append(out, rag.Hit{Chunk: t, Score: low})
			}
		}
		others := 0
		for _, o := range hits {
			if !isTier(o.Chunk) && others < 2 {
				out = append(out, o)
				others++
			}
		}
		return out, true
	}
	return hits, false
}

// careerNames are the names of the route's careers.
func (r *answerRoute) careerNames(careers []rag.Career) []string {
	var out []string
	for _, c := range r.careers {
		if c >= 0 && c < len(careers) {
			out = append(out, careers[c].Name)
		}
	}
	return out
}

func careerOfGuide(careers []rag.Career, guide string) int {
	for i, c := range careers {
		if c.Guide == guide {
			return i
		}
	}
	return -1
}

// routedPrompt is the LLM prompt of a comparison or a per-career answer:
// buildPrompt's layout, with each excerpt labelled with its career and an
// instruction to answer career by career.
func routedPrompt(history []Turn, r *answerRoute, question string, historyTurns int) []openai.Message {
	var names []string
	var hits []rag.Hit
	var careerOf []string
	for _, p := range r.parts {
		names = append(names, p.Career)
		for _, h := range p.Hits[:min(3, len(p.Hits))] {
			hits = append(hits, h)
			careerOf = append(careerOf, p.Career)
		}
	}
	var ask string
	switch r.kind {
	case kindCompare:
		ask = fmt.Sprintf("Compare these careers on the question: %s. Give one short part per career, starting with the career's name, using only that career's excerpts, then one sentence comparing them.", strings.Join(names, ", "))
	default:
		ask = fmt.Sprintf("The question names no career. Answer it briefly for each of these careers, one line per career starting with the career's name, using only that career's excerpts: %s.", strings.Join(names, ", "))
	}
	ask += " If a career has no excerpts, say that its guide does not cover this."
	return buildPromptFor(history, hits, careerOf, question, ask, historyTurns)
}

// singlePrompt is buildPrompt for a single career of a corpus of several:
// it asks the model to name the career.
func singlePrompt(history []Turn, hits []rag.Hit, career, question string, historyTurns int) []openai.Message {
	if career == "" {
		return buildPrompt(history, hits, question, historyTurns)
	}
	careerOf := make([]string, len(hits))
	for i := range careerOf {
		careerOf[i] = career
	}
	return buildPromptFor(history, hits, careerOf, question, "The question is about the "+career+" career: name it in the answer.", historyTurns)
}

// memoRouter remembers, for one answer, what the index said about a
// question's careers and topics: routing asks it about the same two or
// three questions (this one, its standalone form, the previous one) several
// times, and each look-up normalises and reads the question afresh. Used by
// one answer (one goroutine) only.
//
// The questions are kept in small arrays, looked through in order: an
// answer asks about two or three, and the two maps this used to make
// allocated ~1.2 KB per answer (issue 15, fifth round;
// TestMemoRouterIsTheMapsOne holds it to the maps).
type memoRouter struct {
	router
	careers []memoCareers
	topics  []memoTopics
	// The arrays' first entries, in the memoRouter's own allocation.
	careersBuf [4]memoCareers
	topicsBuf  [4]memoTopics
}

type memoCareers struct {
	question string
	match    rag.CareerMatch
}

type memoTopics struct {
	question string
	topics   []rag.AskedTopic
}

func newMemoRouter(r router) *memoRouter {
	if ix, ok := r.(interface{ Reader() *rag.Reader }); ok {
		// The index's own memory for one answer: each question read once
		// for all its look-ups and searches (rag.Reader).
		r = ix.Reader()
	}
	m := &memoRouter{router: r}
	m.careers, m.topics = m.careersBuf[:0], m.topicsBuf[:0]
	return m
}

// ResolveCareers is the index's, except that a title the corpus has no
// guide for but one guide has a section about (a tier of its career path:
// "what's an art director?") names that guide's career.
func (m *memoRouter) ResolveCareers(question string) rag.CareerMatch {
	for _, e := range m.careers {
		if e.question == question {
			return e.match
		}
	}
	c := m.router.ResolveCareers(question)
	var uncovered []string
	for _, name := range c.Uncovered {
		if notOccupation(name) {
			continue
		}
		if i := m.CareerOfRole(name); i >= 0 {
			if !slices.Contains(c.Covered, i) {
				c.Covered = append(slices.Clip(c.Covered), i)
			}
			continue
		}
		uncovered = append(uncovered, name)
	}
	c.Uncovered = uncovered
	m.careers = append(m.careers, memoCareers{question, c})
	return c
}

// notOccupation reports whether an "uncovered career" the index read from
// a job-title pattern names the people of a pay or career level rather
// than an occupation: "how much can top earners make", "what do high
// earners get", "what do seniors make". Their head is a doer of pay
// ("earner") or, alone, a level.
func notOccupation(name string) bool {
	words := strings.Fields(strings.ToLower(name))
	if len(words) == 0 {
		return false
	}
	head := words[len(words)-1]
	if len(words) == 1 && compose.IsLevelWord(head) && !strings.HasPrefix(head, "manag") && !strings.HasPrefix(head, "director") {
		return true // "beginners", "seniors"; a marketing manager is an occupation
	}
	for _, suffix := range []string{"ers", "er"} {
		if stem, ok := strings.CutSuffix(head, suffix); ok && vocab.ConceptOf(vocab.Stem(stem)) == "pay" {
			return true
		}
	}
	return false
}

func (m *memoRouter) QuestionTopics(question string) []rag.AskedTopic {
	for _, e := range m.topics {
		if e.question == question {
			return e.topics
		}
	}
	t := m.router.QuestionTopics(question)
	m.topics = append(m.topics, memoTopics{question, t})
	return t
}

// cited is done.cited for the offline answer text written from hits (the
// route's sources): the sources its lines were taken from
// (compose.Writer.Cited), and in a comparison or a per-career answer every
// career's first source, whose lines its block or line is — a per-career
// line joins two lines of the section ("Entry level: $72,000; Senior:
// $130,000"), which no single line of it contains. A nil route is a
// retriever that cannot route.
func (r *answerRoute) cited(w *compose.Writer, text string, hits []rag.Hit) []int {
	cited := w.Cited(text, hits)
	if r == nil || (r.kind != kindCompare && r.kind != kindPerCareer) {
		return cited
	}
	for _, p := range r.parts {
		if len(p.Hits) == 0 {
			continue
		}
		for i, h := range hits {
			if h.ID == p.Hits[0].ID && h.Guide == p.Hits[0].Guide {
				if !slices.Contains(cited, i) {
					cited = append(cited, i)
				}
				break
			}
		}
	}
	slices.Sort(cited)
	return cited
}

// mainClause is the clause of a question of several ("…? my mum is
// worried", "…, i have a toddler") that asks about a career topic: the
// first that asks something (compose.IsQuestionClause) with a topic of its
// own that names the career, or "" when the question is one clause or none
// is such.
func mainClause(rt router, question string) string {
	clauses := compose.Clauses(question)
	if len(clauses) < 2 {
		return ""
	}
	for _, c := range clauses {
		if compose.IsQuestionClause(c) && len(rt.QuestionTopics(c)) > 0 && namesTheCareer(rt, c) {
			return c
		}
	}
	return ""
}

// askingClause is mainClause when every other clause of the message is
// personal context: a statement ("just finished the google cert", "my mum
// is worried") that names no covered career and does not continue the
// question ("…, like the main responsibilities", "…, or electrician"). ""
// otherwise.
func askingClause(rt router, message string) string {
	clause := mainClause(rt, message)
	if clause == "" {
		return ""
	}
	for _, c := range compose.Clauses(message) {
		if c == clause {
			continue
		}
		if compose.IsQuestionClause(c) || continuesTheQuestion(c) || len(rt.ResolveCareers(c).Covered) > 0 {
			return ""
		}
	}
	return clause
}

// continuingWords open a clause that goes on with the question before it
// rather than telling something of the asker: "…, like the main
// responsibilities", "…, especially remote ones", "…, or for seniors".
var continuingWords = map[string]bool{"like": true, "such": true, "especially": true, "eg": true, "e": true, "or": true,
	"and": true, "including": true, "specifically": true, "mainly": true, "mostly": true, "particularly": true,
	"in": true, "for": true, "with": true, "at": true, "compared": true, "vs": true, "versus": true, "than": true}

func continuesTheQuestion(clause string) bool {
	first := ""
	vocab.ForEachWord(clause, func(w string) {
		if first == "" {
			first = w
		}
	})
	return continuingWords[first]
}

// namesTheCareer reports whether a clause names a covered career or the
// career itself ("this job", "the field"): the clause a rescued question is
// asked by must say it is about a career, or any question with a clause
// of everyday words in a topic's words ("what are the visiting hours")
// would be answered.
func namesTheCareer(rt router, clause string) bool {
	if len(rt.ResolveCareers(clause).Covered) > 0 {
		return true
	}
	named := false
	vocab.ForEachWord(clause, func(w string) { named = named || vocab.IsCareerNoun(vocab.Stem(w)) })
	return named
}
