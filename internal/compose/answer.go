// Package compose writes the bot's answers from what retrieval found: the
// extractive answer used when no LLM is configured (or when it fails), the
// decline when nothing is relevant, the starter and follow-up questions and
// the rules that choose which of them a conversation is offered (chips), and
// the rewriting of a follow-up ("what do they earn?") into a question that
// can be retrieved on its own. It takes values (questions, hits, history)
// and keeps no conversation state of its own: the answer service holds a
// conversation's memory and calls it. Retrieval is internal/rag; how text is
// cut into words is internal/vocab.
package compose

import (
	"slices"
	"strings"
	"sync"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"
)

// Limits of an extractive answer: a few sentences or a short list.
const (
	// maxAnswerSentences was 3; 4 lets a sentence answer that is still short
	// take one more line of its paragraph (DEV: one case more).
	maxAnswerSentences = 4
	maxAnswerItems     = 8
	maxAnswerBytes     = 900
)

// unit is a sentence, a list item or a "Key: value" line of a retrieved chunk.
type unit struct {
	text    string
	kind    unitKind
	hit     int // rank of the hit it came from
	pos     int // position within the hit, for document order
	ordinal int // the hit's chunk ordinal, for document order across chunks
	para    int // paragraph or list it belongs to
	score   float64
	figure  bool
	result  bool // a sentence that reports a figure ("a 40% increase", "$1.4 million"): an outcome
	// outcome is a result that answers this question: it asks how something
	// turned out, or is about a case study, whose result is its point.
	outcome bool
}

// order is the unit's place in its guide.
func (u unit) order() int { return u.ordinal*1000 + u.pos }

type unitKind int

const (
	sentenceUnit unitKind = iota
	itemUnit
	pairUnit
)

// Writer writes extractive answers. It keeps each chunk's analysis (its
// answer units and their terms, the part of an answer that depends only on
// the chunk) keyed by chunk id, so a chunk is analysed on its first answer,
// not on every one. An entry is used only while the chunk's text is the one
// it was made from, so a reloaded corpus that changes a guide is analysed
// afresh. The cache holds at most one entry per chunk id of the corpus. The
// zero value is ready to use; a Writer is safe for concurrent use and must
// not be copied.
type Writer struct {
	analyses sync.Map // chunk id → *chunkAnalysis
}

// Answer builds the offline answer from the best hit: the lines that speak
// to the question — a few sentences in document order, or a list kept as a
// list, or a table of figures kept whole — never a whole chunk dump. When the
// question is about a parent section ("a typical day") and the hits are its
// subsections (morning, afternoon…), it sums up each subsection in a line.
// The result is plain text with paragraphs and "- " list lines.
func (w *Writer) Answer(question string, hits []rag.Hit) string {
	return w.answer(question, hits, true)
}

// answer is Answer; more says whether a short answer may be continued from
// a second section (a comparison's blocks are kept to their own section).
func (w *Writer) answer(question string, hits []rag.Hit, more bool) string {
	if len(hits) == 0 {
		return ""
	}
	q := newQuery(question, RoleOf(hits[0].Guide))
	if s := siblingSummary(hits, q.set); s != "" {
		return s
	}
	if s := w.skillsAnswer(hits, q, question); s != "" {
		return s
	}
	if more {
		// A comparison keeps retrieval's order: each career's block comes
		// from its top section, so the blocks compare the same topic rather
		// than whichever section's lines matched best in each guide (DEV,
		// multi-guide: one comparison follow-up more, all 0.93 → 0.94).
		hits = w.bestSectionFirst(hits, q)
	}
	hits = w.basicFirst(hits, q)
	// A section split into several chunks is answered from its first chunk
	// when the question is about the section as a whole — not when the top
	// chunk has a line that says more ("Is a master's worth it?" is
	// answered where the master's degree is).
	if w.headingMatches(hits[0], q.set) {
		for k, h := range hits {
			if h.Section == hits[0].Section && h.Ordinal < hits[0].Ordinal && w.bestLine(h, q) >= w.bestLine(hits[0], q) {
				hits = slices.Clone(hits)
				hits[0], hits[k] = hits[k], hits[0]
			}
		}
	}
	units := w.answerUnits(hits, q)
	if s := toolKindAnswer(hits, units, q); s != "" {
		return s
	}
	src := 0
	// A lower hit answers when no line of the best one speaks to the
	// question, unless the question is about the best one's section
	// itself ("perks?" → the pros list, whose lines never say "perk").
	if maxScore(units, 0) == 0 && !w.headingMatches(hits[0], q.set) {
		for r := 1; r < 3; r++ {
			if maxScore(units, r) >= 1.5 {
				src = r
				break
			}
		}
	}
	// The lines of the chosen section, from every retrieved chunk of it: a
	// long section's answer may sit in its second chunk ("bootcamps" after
	// the degree programmes).
	mine := filter(units, func(u unit) bool { return hits[u.hit].Section == hits[src].Section })
	if len(mine) == 0 {
		return firstSentences(hits[src].Text, 2)
	}
	slices.SortStableFunc(mine, func(a, b unit) int { return a.order() - b.order() })
	// Score each paragraph or list of the chosen section.
	bestPara, bestScore := mine[0].para, -1.0
	for _, u := range mine {
		var top, matching float64
		for _, v := range mine {
			if v.para == u.para {
				top = max(top, v.score)
				if v.score >= matchingScore {
					matching++
				}
			}
		}
		if s := top + 0.25*min(matching, 4); s > bestScore {
			bestPara, bestScore = u.para, s
		}
	}
	// Retrieved for its topic with no line that names the question's words
	// ("what personality fits?" → the soft skills): the section's list is
	// its answer rather than its introduction.
	if bestScore == 0 {
		for _, u := range mine {
			if u.kind == itemUnit {
				bestPara = u.para
				break
			}
		}
	}
	block := filter(mine, func(u unit) bool { return u.para == bestPara })
	listLike := 0
	for _, u := range block {
		if u.kind != sentenceUnit {
			listLike++
		}
	}
	// A question about the section itself is answered with its list or
	// table, if it has one ("Which people skills matter?" → the soft-skills
	// list; "salary after 5 years?" → the salary table, not only the
	// sentence under it that says "per year").
	if listLike < 2 && w.headingMatches(hits[src], q.set) {
		for _, u := range mine {
			if u.kind != sentenceUnit && u.para != bestPara {
				if n := len(filter(mine, func(v unit) bool { return v.para == u.para && v.kind != sentenceUnit })); n >= 2 {
					bestPara = u.para
					block = filter(mine, func(v unit) bool { return v.para == bestPara })
					listLike = n
					break
				}
			}
		}
	}
	var picked []unit
	if listLike >= 2 {
		picked = block
		// "Which of those are for audio?" after a list narrows the list to
		// the items that match what the follow-up itself asks.
		if primary, _, carried := strings.Cut(question, " ("); carried && len(block) > 3 {
			pq := questionTerms(primary)
			narrowed := filter(block, func(u unit) bool { return u.kind == itemUnit && matchesAny(u.text, pq) })
			if len(narrowed) > 0 && len(narrowed) < len(block) {
				picked = narrowed
				more = false // "only those": the narrowed list is the whole answer
			}
		}
		if len(picked) > maxAnswerItems {
			if bestScore >= matchingScore {
				picked = topUnits(picked, maxAnswerItems)
			} else {
				picked = picked[:maxAnswerItems]
			}
		}
		// A table of figures gains the sentence that best explains it; so
		// does a short table of ratings ("Stress Level: Moderate",
		// "Balance Rating: Good"), which says little on its own: "when does
		// it get stressful" is answered by "…particularly around campaign
		// deadlines".
		if slices.ContainsFunc(block, func(u unit) bool { return u.figure }) || shortTable(block) {
			if s, ok := bestOf(mine, func(u unit) bool { return u.kind == sentenceUnit && u.para != bestPara && u.score > 0 }); ok {
				picked = append(picked, s)
			}
		}
	} else {
		candidates := filter(mine, func(u unit) bool { return u.kind != itemUnit && u.score > 0 })
		// When the section itself is what was asked about ("What are the
		// challenges?"), its opening sentence is the summary: keep it.
		if w.headingMatches(hits[src], q.set) && len(mine) > 0 && mine[0].score == 0 {
			lead := mine[0]
			lead.score = 100
			candidates = append([]unit{lead}, candidates...)
		}
		picked = topUnits(candidates, maxAnswerSentences)
		if len(picked) == 0 {
			picked = block[:min(2, len(block))]
		}
		minChars := minAnswerChars
		if w.headingMatches(hits[src], q.set) {
			// The section itself asked about ("mid level media specialist
			// responsibilities"): more of its paragraph, which is its
			// answer, rather than a line of another section.
			minChars = sectionAnswerChars
		}
		picked = withContext(picked, mine, minChars)
		picked = withListAfter(picked, mine)
		picked = withFigureTable(picked, mine)
	}
	if more {
		picked = withSecondSource(hits, units, src, picked)
	}
	picked = w.withGrowthRate(hits, src, picked, q)
	return withFAQQuestion(hits, picked, render(hits, picked))
}

// toolKindAnswer answers a question about tools that asks for one kind of
// them ("and for photos?" after the tools, "which one for scheduling
// posts", "what do they use to store files") with the list lines of the
// retrieved sections that name a tool of that kind or the kind itself
// (vocab.ToolKinds), in guide order: the FAQ's sentence about the main
// software led those answers and named no photo tool (DEV probes: 4 of 12
// follow-ups of this kind right). "" when the question names no kind, is
// not about tools, or no list line is of the kind.
func toolKindAnswer(hits []rag.Hit, units []unit, q *query) string {
	if !q.set["§tools"] {
		return ""
	}
	var kinds []string
	ofKinds := map[string]bool{"§tools": true, "§audio": true, "§video": true}
	for _, t := range q.terms {
		// A word of the tools concept itself ("programs", "platforms") asks
		// for tools, not for a kind of them.
		if t.stem != "" && toolNamesOf[t.stem] != nil && vocab.ConceptOf(t.stem) != "tools" {
			kinds = append(kinds, t.stem)
			ofKinds["§"+vocab.ConceptOf(t.stem)] = true // "scheduling" is a kind, not the day
		}
	}
	if len(kinds) == 0 {
		return ""
	}
	// Tools beside another topic ("where do i put it online" after the
	// portfolio, carried as hosting for the portfolio) are that topic's.
	for k := range q.set {
		if strings.HasPrefix(k, "§") && !ofKinds[k] {
			return ""
		}
	}
	var picked []unit
	seen := map[string]bool{}
	for _, u := range units {
		if u.kind != itemUnit || seen[u.text] || !ofToolKind(u.text, kinds) {
			continue
		}
		seen[u.text] = true
		picked = append(picked, u)
	}
	if len(picked) == 0 {
		return ""
	}
	slices.SortStableFunc(picked, func(a, b unit) int {
		if a.hit != b.hit {
			return a.hit - b.hit
		}
		return a.pos - b.pos
	})
	if allGeneric(kinds) && (len(picked) == 1 || picked[1].hit != picked[0].hit) {
		return ""
	}
	return render(hits, picked[:min(len(picked), maxAnswerItems)])
}

// genericToolWords ask for a career's tools as a whole as often as for one
// kind of them: "what equipment do EMTs use" wants the whole list, whose one
// line that says "equipment" (protective equipment) answered it alone (DEV
// multi6, multi7). Asked by these words only, a kind narrows the list only
// when two or more lines of one section are of the kind.
var genericToolWords = map[string]bool{"equipment": true, "gear": true, "hardwar": true, "kit": true} // stems (vocab.Stem)

func allGeneric(kinds []string) bool {
	for _, k := range kinds {
		if !genericToolWords[k] {
			return false
		}
	}
	return true
}

// ofToolKind reports whether a list line names one of the kinds of tool
// asked for, by any of the kind's words ("Final Cut Pro" for editing), or
// a tool of one ("Lightroom" for photos).
func ofToolKind(line string, kinds []string) bool {
	for _, t := range vocab.Terms(line) {
		for _, k := range kinds {
			if t.Stem == k || toolNamesOf[k][t.Stem] || toolAsksOf[k][t.Stem] {
				return true
			}
		}
	}
	return false
}

// withGrowthRate ends an answer from a job-market section that states no
// rate with the guide's growth-rate table ("Growth Rate: 8%", its status and
// source), from any hit of the answer's guide: "is demand going up?" was
// answered with the market-demand prose alone, the figure in the fourth
// hit (DEV: four outlook questions lacked it).
func (w *Writer) withGrowthRate(hits []rag.Hit, src int, picked []unit, q *query) []unit {
	if !isOutlookSection(hits[src].Section) || slices.ContainsFunc(picked, func(u unit) bool { return strings.Contains(u.text, "%") }) {
		return picked
	}
	for rank, h := range hits {
		if h.Guide != hits[src].Guide {
			continue
		}
		a := w.analysisOf(h.Chunk)
		for _, au := range a.units {
			if au.kind != pairUnit || !isGrowthRate(au.text) {
				continue
			}
			var table []unit
			for _, v := range a.units {
				if v.para == au.para && v.kind == pairUnit {
					u := v.unit
					u.hit, u.ordinal, u.para = rank, h.Ordinal, u.para+rank*1000
					table = append(table, u)
				}
			}
			if len(table) > 3 {
				table = table[:1]
			}
			// Within the length a continued answer may have, and never in
			// place of what the answer says: the rate without its status
			// and source, or nothing (TestShortAnswerContinuesFromASecondSection).
			for ; len(table) > 0; table = table[:len(table)-1] {
				if with := append(slices.Clone(table), picked...); len(render(hits, with)) <= secondMax {
					return with
				}
			}
			return picked
		}
	}
	return picked
}

// isOutlookSection reports whether a section path is about the job market
// ("Market Demand", "Job Market Today › Growth Paths", "Job Outlook").
func isOutlookSection(path string) bool {
	p := strings.ToLower(sectionName(path))
	return strings.Contains(p, "demand") || strings.Contains(p, "outlook") || strings.Contains(p, "market") ||
		strings.Contains(p, "growth") && !strings.Contains(p, "career growth") // not "What is the career growth path?"
}

// isGrowthRate reports whether a "Key: value" line gives a growth rate as a
// percentage ("Growth Rate: 8%", "Projected growth: 4.6%").
func isGrowthRate(line string) bool {
	key, ok := vocab.KeyOf(line)
	return ok && strings.Contains(strings.ToLower(key), "growth") && strings.Contains(line, "%")
}

// maxLeaningReply is the longest opening of an FAQ reply that is led by its
// question: a short reply ("Yes, very often.", "Two to four years, depending
// on…", "Some can.") says little without what it answers.
const maxLeaningReply = 80

// withFAQQuestion leads an answer that opens with an FAQ entry's short
// reply with the entry's question: "Yes, very often." answers nothing
// beside a question in other words; "Can Data Analysts work remotely? Yes,
// very often." does (DEV, multi-guide in-guide facts: one case more, the
// median answer unchanged; with every FAQ reply led by its question the
// median grew by 20–30 characters for nothing more).
func withFAQQuestion(hits []rag.Hit, picked []unit, text string) string {
	if len(picked) == 0 {
		return text
	}
	first := picked[0]
	title := sectionName(hits[first.hit].Section)
	if !strings.HasSuffix(title, "?") || first.pos != 0 || first.kind != sentenceUnit || len(first.text) > maxLeaningReply {
		return text
	}
	return title + " " + text
}

// shortTable reports whether a block is a table of at most maxShortTable
// "Key: value" lines.
func shortTable(block []unit) bool {
	n := 0
	for _, u := range block {
		if u.kind != pairUnit {
			return false
		}
		n++
	}
	return n >= 1 && n <= maxShortTable
}

const maxShortTable = 4

// withFigureTable puts the chosen section's table of figures before the
// sentences picked from it: a sentence that shares a word with the question
// ("…salaries starting from $85,000+ per year" for "what does the typical
// one take home per year") is no answer without the table it explains.
func withFigureTable(picked, mine []unit) []unit {
	if hasList(picked) {
		return picked
	}
	var table []unit
	for _, u := range mine {
		if u.figure && (len(table) == 0 || u.para == table[0].para) {
			table = append(table, u)
		}
	}
	if len(table) < 2 || len(table) > maxAnswerItems {
		return withLeadLine(picked, mine)
	}
	return append(table, picked...)
}

// withLeadLine puts before sentences picked from a section the single
// "Key: value" line the section opens with ("Experience: 2-4 years" over a
// career tier's description): the section's own fact, which its prose does
// not repeat.
func withLeadLine(picked, mine []unit) []unit {
	if len(mine) < 2 || mine[0].kind != pairUnit || mine[1].para == mine[0].para || len(picked) == 0 ||
		picked[0].hit == mine[0].hit && picked[0].pos == mine[0].pos {
		return picked
	}
	return append([]unit{mine[0]}, picked...)
}

// The budget of a second source: an answer shorter than secondBelow bytes
// gains the best line of another retrieved section, as long as the whole
// stays within secondMax. Measured on the DEV split (in-guide facts, median
// answer in characters): one guide 0.78 → 0.82, 299 → 390; six guides
// 0.80 → 0.83, 298 → 328. A lower threshold (250, 320) bought fewer cases
// for about the same length; above 520 no more.
//
// Raised to 450/600 and allowed a third section while the answer is still
// short, once bestSectionFirst and the tool kinds had landed (in-guide facts,
// median characters): DEV one-guide 0.79 → 0.81 (344 → 372), DEV answers
// 0.85 → 0.85 (410 → 466), DEV chat 0.80 → 0.82, DEV multi 0.89 → 0.91;
// one-guide TEST 0.76 → 0.79 (287 → 287), multi TEST 0.94 → 0.96
// (aggregates). 450/600 with one added section bought half of it; 500/650
// no more than 450/600.
const (
	secondBelow = 450
	secondMax   = 600
)

// withSecondSource continues a short answer with the line of another
// retrieved section (of the same guide, among the top 3; a third section
// too while the answer is still under secondBelow) that best matches
// the question: the fact asked for is often in the second source when the
// first is the right topic in other words ("is there demand for them" → the
// growth-path FAQ, then Market Demand's "The demand is currently high…").
// A line must share a word or its concept with the question (a score of at
// least matchingScore); a list or table adds its matching lines (≤ 4).
func withSecondSource(hits []rag.Hit, units []unit, src int, picked []unit) []unit {
	if len(render(hits, picked)) >= secondBelow {
		return picked
	}
	for r := 0; r < min(3, len(hits)); r++ {
		if hits[r].Section == hits[src].Section || hits[r].Guide != hits[src].Guide {
			continue
		}
		best, ok := bestOf(units, func(u unit) bool { return u.hit == r && u.score >= matchingScore })
		if !ok {
			continue
		}
		add := []unit{best}
		if best.kind != sentenceUnit {
			add = topUnits(filter(units, func(u unit) bool {
				return u.hit == r && u.para == best.para && u.kind != sentenceUnit && u.score > 0
			}), maxSecondItems)
		}
		more := append(slices.Clone(picked), add...)
		if len(render(hits, more)) > secondMax {
			continue
		}
		picked = more
		if len(render(hits, picked)) >= secondBelow {
			return picked
		}
	}
	return picked
}

// maxSecondItems is how many lines of a second source's list or table an
// answer takes.
const maxSecondItems = 4

// reportsFigure reports whether a sentence states a percentage or an
// amount of money: what a story's outcome is told in.
func reportsFigure(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' || s[i] == '%' && i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
			return true
		}
	}
	return false
}

// isCaseStudy reports whether a section path is a guide's examples or
// case studies.
func isCaseStudy(path string) bool {
	p := strings.ToLower(path)
	return strings.Contains(p, "case stud") || strings.Contains(p, "example") || strings.Contains(p, "success stor")
}

// matchingScore is the score of a line that shares a word with the
// question (a synonym alone scores less: see scoreTerms).
const matchingScore = 0.5

// minAnswerChars is how long a sentence answer should be at least: a
// single short line ("Highly important.", the first sentence of a case
// study) is followed by the sentences after it, up to maxAnswerSentences.
const minAnswerChars = 220

// sectionAnswerChars is minAnswerChars for a question about the answer's
// section itself.
const sectionAnswerChars = 420

// withContext adds to a short sentence answer the sentences that follow
// its last line in the same paragraph: the figure or reason a story or an
// FAQ answer gives after its opening ("…resulting in a 40% increase").
func withContext(picked, mine []unit, minChars int) []unit {
	length := 0
	for _, u := range picked {
		length += len(u.text) + 1
	}
	// The sentence next to a picked one, in the same paragraph: after the
	// last (or before the first, when the last ends its paragraph).
	next := func(of unit, step int) int {
		k := slices.IndexFunc(mine, func(u unit) bool { return u.hit == of.hit && u.pos == of.pos+step })
		if k < 0 || mine[k].para != of.para || mine[k].kind != sentenceUnit ||
			slices.ContainsFunc(picked, func(u unit) bool { return u.hit == mine[k].hit && u.pos == mine[k].pos }) {
			return -1
		}
		return k
	}
	for length < minChars && len(picked) < maxAnswerSentences {
		if k := next(picked[len(picked)-1], 1); k >= 0 {
			picked = append(picked, mine[k])
			length += len(mine[k].text) + 1
		} else if k := next(picked[0], -1); k >= 0 {
			picked = append([]unit{mine[k]}, picked...)
			length += len(mine[k].text) + 1
		} else {
			break
		}
	}
	return picked
}

// withListAfter adds the list a short introduction leads into ("The
// essential technical and creative skills every Media Specialist must
// master…" and then the skills): an answer of one or two sentences that
// all sit in the paragraph right before a list of the same chunk ends with
// that list.
func withListAfter(picked, mine []unit) []unit {
	if len(picked) == 0 || len(picked) > 2 {
		return picked
	}
	para, hit := picked[0].para, picked[0].hit
	for _, u := range picked {
		if u.para != para || u.kind != sentenceUnit {
			return picked
		}
	}
	var list []unit
	for _, u := range mine {
		if u.hit == hit && u.para == para+1 && u.kind == itemUnit {
			list = append(list, u)
		}
	}
	if len(list) < 2 {
		return picked
	}
	return append(picked, list[:min(len(list), maxAnswerItems)]...)
}

// bestLine is the score of a hit's line that best matches the question.
func (w *Writer) bestLine(h rag.Hit, q *query) float64 {
	return maxScore(w.answerUnits([]rag.Hit{h}, q), 0)
}

func maxScore(units []unit, hit int) float64 {
	best := 0.0
	for _, u := range units {
		if u.hit == hit {
			best = max(best, u.score)
		}
	}
	return best
}

// siblingSummary answers a question about a parent section whose
// subsections were retrieved: one line per subsection, in guide order. The
// parent is the top hit's enclosing section, or the top hit itself when it
// is only the parent's introduction.
func siblingSummary(hits []rag.Hit, q map[string]bool) string {
	parent := hits[0].Section
	if p, _, ok := strings.Cut(hits[0].Section, " › "); ok {
		if matchesAny(sectionName(hits[0].Section), q) {
			return ""
		}
		parent = p
	}
	if !matchesAny(parent, q) {
		return ""
	}
	var children []rag.Hit
	for _, h := range hits {
		if strings.HasPrefix(h.Section, parent+" › ") {
			children = append(children, h)
		}
	}
	if len(children) < 2 || asksWithin(children, parent, q) {
		return ""
	}
	slices.SortFunc(children, func(a, b rag.Hit) int { return a.Ordinal - b.Ordinal })
	var b strings.Builder
	b.WriteString(parent + ":")
	for _, h := range children {
		b.WriteString("\n- " + sectionName(h.Section) + " — " + summaryLine(h.Text))
	}
	return b.String()
}

// asksWithin reports whether the question names something one of the
// subsections says beyond the parent's own words: "when in the day do they
// look at analytics" asks about the block that does analytics, not for a
// summary of the day.
func asksWithin(children []rag.Hit, parent string, q map[string]bool) bool {
	own := questionTerms(parent)
	rest := map[string]bool{}
	for t := range q {
		if !own[t] && !strings.HasPrefix(t, "§") {
			rest[t] = true
		}
	}
	if len(rest) == 0 {
		return false
	}
	for _, h := range children {
		if matchesAny(h.Text, rest) {
			return true
		}
	}
	return false
}

// summaryLine sums a subsection up: its "Key: value" opening line, else its
// first list items, else its first sentence. A "Key: value" line over a
// list ("Focus: Content Planning & Production" over the morning's tasks)
// gains the list's first two items: "walk me through a day" was answered
// with the blocks' focus labels alone, which name no task a visitor could
// picture (DEV: the whole-day questions of three sets wanted a task).
func summaryLine(text string) string {
	first, _, _ := strings.Cut(text, "\n")
	var items []string
	for _, line := range strings.Split(text, "\n") {
		if item, ok := strings.CutPrefix(line, "- "); ok {
			items = append(items, strings.TrimSuffix(item, "."))
		}
	}
	if vocab.IsKeyValue(first) {
		if len(items) == 0 {
			return first
		}
		return first + " (" + strings.Join(items[:min(2, len(items))], "; ") + ")"
	}
	if len(items) > 0 {
		more := ""
		if len(items) > 4 {
			items, more = items[:4], "…"
		}
		return strings.Join(items, ", ") + more
	}
	return firstSentences(text, 1)
}

// matchesAny reports whether text contains any of the question's terms.
func matchesAny(text string, q map[string]bool) bool {
	return termsMatchAny(vocab.Terms(text), q)
}

// termsMatchAny is matchesAny of a text's terms.
func termsMatchAny(terms []vocab.Term, q map[string]bool) bool {
	for _, t := range terms {
		if q[t.Stem] || (t.Concept != "" && q["§"+t.Concept]) {
			return true
		}
	}
	return false
}

// questionTerms is the set of stems and concepts of a question.
func questionTerms(question string) map[string]bool {
	return termSetOf(questionWords(question), vocab.PhraseConcepts(question))
}

// termSetOf is questionTerms of a question's words (questionWords) and
// phrase concepts (vocab.PhraseConcepts).
func termSetOf(words []vocab.Term, phrases []string) map[string]bool {
	q := map[string]bool{}
	for _, t := range words {
		q[t.Stem] = true
		if t.Concept != "" {
			q["§"+t.Concept] = true
		}
	}
	for _, c := range phrases {
		q["§"+c] = true
	}
	return q
}

func (w *Writer) answerUnits(hits []rag.Hit, q *query) []unit {
	// The units are counted first and their slice made once: grown unit
	// by unit it was ~3 KB of the ~34 KB an offline answer allocated
	// (BenchmarkAnswerOffline/botbench -test.memprofile), and its copies.
	// TestAnswerUnitsMatchScoreReference holds it to the version before.
	var analysesBuf [16]*chunkAnalysis
	analyses := analysesBuf[:0] // each hit's, nil below the top 3 but the top section's
	total := 0
	for rank, h := range hits {
		if rank >= 3 && h.Section != hits[0].Section {
			analyses = append(analyses, nil)
			continue // below the top 3 only the top section's other chunks count
		}
		a := w.analysisOf(h.Chunk)
		analyses = append(analyses, a)
		total += len(a.units)
	}
	var units []unit
	if total > 0 {
		units = make([]unit, 0, total)
	}
	var rowsBuf [16][]float64
	rows := rowsBuf[:0] // each hit's chunk's matches (query.matchesOf)
	for rank, h := range hits {
		a := analyses[rank]
		if a == nil {
			rows = append(rows, nil)
			continue
		}
		rows = append(rows, q.matchesOf(a))
		caseStudy := a.caseStudy
		for _, au := range a.units {
			u := au.unit
			u.hit = rank
			u.ordinal = h.Ordinal
			u.para += rank * 1000 // paragraphs of different chunks stay apart
			u.outcome = u.result && (q.results || caseStudy)
			units = append(units, u)
		}
	}
	n := 2 * len(q.terms)
	q.score(units, func(i int) []float64 {
		u := units[i]
		return rows[u.hit][u.pos*n : (u.pos+1)*n]
	})
	return units
}

// analysisOf returns the chunk split into answer units, from the cache when
// it holds this chunk's current text (two racing first uses compute it
// twice and keep one; both are equal). Chunks without an id are not cached.
func (w *Writer) analysisOf(c rag.Chunk) *chunkAnalysis {
	if v, ok := w.analyses.Load(c.ID); ok {
		if a := v.(*chunkAnalysis); a.text == c.Text && a.section == c.Section {
			return a
		}
	}
	a := analyzeChunk(c.Text)
	a.section = c.Section
	a.caseStudy = isCaseStudy(c.Section)
	a.heading = vocab.Terms(sectionName(c.Section))
	if title := sectionName(c.Section); strings.HasSuffix(title, "?") {
		a.title = vocab.Terms(title)
	}
	if c.ID != "" {
		w.analyses.Store(c.ID, a)
	}
	return a
}

// chunkAnalysis is a chunk split into answer units with their terms: the
// part of Answer that depends only on the chunk.
type chunkAnalysis struct {
	text    string // the chunk text it was made from
	section string // and its section path
	units   []analyzedUnit
	// title holds the terms of an FAQ entry's question: the question its
	// lines answer.
	title []vocab.Term
	// words is the text's word string (" w1 w2 … ", vocab.AppendWords),
	// which Cited looks for an answer's lines in.
	words []byte
	// caseStudy is isCaseStudy(section) and heading the terms of its
	// sectionName: each answer asked for them several times per hit
	// (answerUnits runs up to four times; headingMatches), lower-casing and
	// splitting the same path each time (~3% of an offline answer,
	// BenchmarkAnswerOffline/botbench profile, 13:48 UTC).
	// TestAnalysisHeadingIsSection holds them to the functions.
	caseStudy bool
	heading   []vocab.Term
}

// headingMatches is matchesAny(sectionName(h.Section), q), from the
// chunk's analysis.
func (w *Writer) headingMatches(h rag.Hit, q map[string]bool) bool {
	return termsMatchAny(w.analysisOf(h.Chunk).heading, q)
}

type analyzedUnit struct {
	unit
	terms []vocab.Term
}

func analyzeChunk(text string) *chunkAnalysis {
	a := &chunkAnalysis{text: text, words: vocab.AppendWords(append(make([]byte, 0, len(text)+2), ' '), text)}
	pos := 0
	for para, block := range strings.Split(text, "\n\n") {
		for _, line := range strings.Split(block, "\n") {
			var pieces []string
			kind := sentenceUnit
			switch {
			case strings.HasPrefix(line, "- "):
				kind, pieces = itemUnit, []string{line}
			case len(line) < 80 && vocab.IsKeyValue(line), len(line) < 40 && vocab.IsFigure(line):
				kind, pieces = pairUnit, []string{line}
			case ratingsOnly(line):
				continue
			default:
				pieces = vocab.SplitSentences(line)
			}
			for _, p := range pieces {
				u := unit{text: p, kind: kind, pos: pos, para: para, figure: kind == pairUnit && vocab.IsFigure(p),
					result: kind == sentenceUnit && reportsFigure(p)}
				a.units = append(a.units, analyzedUnit{unit: u, terms: vocab.Terms(p)})
				pos++
			}
		}
	}
	return a
}

func topUnits(units []unit, n int) []unit {
	sorted := slices.Clone(units)
	slices.SortStableFunc(sorted, func(a, b unit) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	if len(sorted) > n {
		sorted = sorted[:n]
	}
	// Back to document order so the answer reads naturally.
	slices.SortFunc(sorted, func(a, b unit) int { return a.order() - b.order() })
	return sorted
}

func bestOf(units []unit, keep func(unit) bool) (unit, bool) {
	top := topUnits(filter(units, keep), 1)
	if len(top) == 0 {
		return unit{}, false
	}
	return top[0], true
}

// filter returns the units keep keeps, in order (nil for none). They are
// found first and copied into a slice made once: grown unit by unit the
// answer's filters were ~2 KB of the ~31 KB an offline answer allocated
// (BenchmarkAnswerOffline/botbench -test.memprofile). Only the capacity
// differs, which no caller reads past the length it was given.
// TestFilterMatchesReference holds it to the version before.
func filter(units []unit, keep func(unit) bool) []unit {
	var keptBuf [128]int
	kept := keptBuf[:0]
	for i, u := range units {
		if keep(u) {
			kept = append(kept, i)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	out := make([]unit, len(kept))
	for k, i := range kept {
		out[k] = units[i]
	}
	return out
}

// render writes the picked units: consecutive sentences as one paragraph,
// items and pairs as list lines, with the section name before a list.
func render(hits []rag.Hit, picked []unit) string {
	// The builder is sized once for what the units write, and the
	// heading and item marks written piece by piece, not concatenated
	// first: growing it and the concatenations were ~2.4 KB of the ~32 KB
	// an offline answer allocated (BenchmarkAnswerOffline/botbench
	// -test.memprofile). TestRenderMatchesReference holds it to the
	// version before.
	var b strings.Builder
	size := 0
	for _, u := range picked {
		size += len(u.text) + len("\n\n- ")
		if u.kind != sentenceUnit {
			size += len(hits[u.hit].Section) + len(":\n")
		}
	}
	b.Grow(min(size, 4*maxAnswerBytes))
	lastKind, lastHit := unitKind(-1), -1
	for _, u := range picked {
		if b.Len() >= maxAnswerBytes {
			break
		}
		switch u.kind {
		case sentenceUnit:
			if lastKind == sentenceUnit && lastHit == u.hit {
				b.WriteByte(' ')
			} else if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(u.text)
		case pairUnit:
			if len(picked) > 0 && !hasList(picked) {
				if b.Len() > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString(u.text)
				break
			}
			fallthrough
		default:
			if lastKind != itemUnit && lastKind != pairUnit {
				if b.Len() > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString(sectionName(hits[u.hit].Section))
				b.WriteString(":\n")
			} else {
				b.WriteByte('\n')
			}
			b.WriteString("- ")
			b.WriteString(strings.TrimPrefix(u.text, "- "))
		}
		lastKind, lastHit = u.kind, u.hit
	}
	return strings.TrimSpace(b.String())
}

// hasList reports whether the picked units include at least two list-like lines.
func hasList(units []unit) bool {
	n := 0
	for _, u := range units {
		if u.kind != sentenceUnit {
			n++
		}
	}
	return n >= 2
}

// sectionName is the last part of a section path.
func sectionName(path string) string {
	if i := strings.LastIndex(path, " › "); i >= 0 {
		return path[i+len(" › "):]
	}
	return path
}

func firstSentences(text string, n int) string {
	s := vocab.SplitSentences(strings.ReplaceAll(text, "\n", " "))
	if len(s) > n {
		s = s[:n]
	}
	return strings.Join(s, " ")
}

// ratingWords are the labels of a scraped gauge ("Low", "High", "Very High").
var ratingWords = map[string]bool{"low": true, "medium": true, "moderate": true, "high": true, "very": true}

// ratingsOnly reports whether a line is nothing but a scraped gauge's labels
// ("Low, High, High" under Market Demand): no answer line, though the answer
// writer would lead a short answer with it ("Low, High, High The demand is
// currently high…").
func ratingsOnly(line string) bool {
	n, other := 0, false
	vocab.ForEachWord(line, func(w string) {
		n++
		other = other || !ratingWords[w]
	})
	return n >= 2 && !other
}
