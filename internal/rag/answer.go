package rag

import (
	"fmt"
	"slices"
	"strings"
)

// Limits of an extractive answer: a few sentences or a short list.
const (
	maxAnswerSentences = 3
	maxAnswerItems     = 8
	maxAnswerBytes     = 900
)

// unit is a sentence, a list item or a "Key: value" line of a retrieved chunk.
type unit struct {
	text   string
	kind   unitKind
	hit    int // rank of the hit it came from
	pos    int // position within the hit, for document order
	para   int // paragraph or list it belongs to
	score  float64
	figure bool
}

type unitKind int

const (
	sentenceUnit unitKind = iota
	itemUnit
	pairUnit
)

// Answer builds the offline answer from the best hit: the lines that speak
// to the question — a few sentences in document order, or a list kept as a
// list, or a table of figures kept whole — never a whole chunk dump. When the
// question is about a parent section ("a typical day") and the hits are its
// subsections (morning, afternoon…), it sums up each subsection in a line.
// The result is plain text with paragraphs and "- " list lines.
func Answer(question string, hits []Hit) string {
	if len(hits) == 0 {
		return ""
	}
	q := questionTerms(question)
	if s := siblingSummary(hits, q); s != "" {
		return s
	}
	// A section split into several chunks is answered from its first chunk
	// when the question is about the section as a whole — not when the top
	// chunk has a line that says more ("Is a master's worth it?" is
	// answered where the master's degree is).
	if matchesAny(sectionName(hits[0].Section), q) {
		for k, h := range hits {
			if h.Section == hits[0].Section && h.Ordinal < hits[0].Ordinal && bestLine(h, q) >= bestLine(hits[0], q) {
				hits = slices.Clone(hits)
				hits[0], hits[k] = hits[k], hits[0]
			}
		}
	}
	units := answerUnits(hits, q)
	src := 0
	if maxScore(units, 0) == 0 {
		for r := 1; r < 3; r++ {
			if maxScore(units, r) >= 2 {
				src = r
				break
			}
		}
	}
	mine := filter(units, func(u unit) bool { return u.hit == src })
	if len(mine) == 0 {
		return firstSentences(hits[src].Text, 2)
	}
	// Score each paragraph or list of the chosen chunk.
	bestPara, bestScore := mine[0].para, -1.0
	for _, u := range mine {
		var top, matching float64
		for _, v := range mine {
			if v.para == u.para {
				top = max(top, v.score)
				if v.score >= 1 {
					matching++
				}
			}
		}
		if s := top + 0.25*min(matching, 4); s > bestScore {
			bestPara, bestScore = u.para, s
		}
	}
	block := filter(mine, func(u unit) bool { return u.para == bestPara })
	listLike := 0
	for _, u := range block {
		if u.kind != sentenceUnit {
			listLike++
		}
	}
	// A question about the section itself is answered with its list, if it
	// has one ("Which people skills matter?" → the soft-skills list).
	if listLike < 2 && matchesAny(sectionName(hits[src].Section), q) {
		for _, u := range mine {
			if u.kind == itemUnit && u.para != bestPara {
				bestPara = u.para
				block = filter(mine, func(v unit) bool { return v.para == bestPara })
				listLike = len(block)
				break
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
			}
		}
		if len(picked) > maxAnswerItems {
			if bestScore >= 1 {
				picked = topUnits(picked, maxAnswerItems)
			} else {
				picked = picked[:maxAnswerItems]
			}
		}
		// A table of figures gains the sentence that best explains it.
		if slices.ContainsFunc(block, func(u unit) bool { return u.figure }) {
			if s, ok := bestOf(mine, func(u unit) bool { return u.kind == sentenceUnit && u.para != bestPara && u.score > 0 }); ok {
				picked = append(picked, s)
			}
		}
	} else {
		candidates := filter(mine, func(u unit) bool { return u.kind != itemUnit && u.score > 0 })
		// When the section itself is what was asked about ("What are the
		// challenges?"), its opening sentence is the summary: keep it.
		if matchesAny(sectionName(hits[src].Section), q) && len(mine) > 0 && mine[0].score == 0 {
			lead := mine[0]
			lead.score = 100
			candidates = append([]unit{lead}, candidates...)
		}
		picked = topUnits(candidates, maxAnswerSentences)
		if len(picked) == 0 {
			picked = block[:min(2, len(block))]
		}
	}
	return render(hits, picked)
}

// bestLine is the score of a hit's line that best matches the question.
func bestLine(h Hit, q map[string]bool) float64 {
	return maxScore(answerUnits([]Hit{h}, q), 0)
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
func siblingSummary(hits []Hit, q map[string]bool) string {
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
	var children []Hit
	for _, h := range hits {
		if strings.HasPrefix(h.Section, parent+" › ") {
			children = append(children, h)
		}
	}
	if len(children) < 2 {
		return ""
	}
	slices.SortFunc(children, func(a, b Hit) int { return a.Ordinal - b.Ordinal })
	var b strings.Builder
	b.WriteString(parent + ":")
	for _, h := range children {
		b.WriteString("\n- " + sectionName(h.Section) + " — " + summaryLine(h.Text))
	}
	return b.String()
}

// summaryLine sums a subsection up: its "Key: value" opening line, else its
// first list items, else its first sentence.
func summaryLine(text string) string {
	first, _, _ := strings.Cut(text, "\n")
	if keyValue.MatchString(first) {
		return first
	}
	var items []string
	for _, line := range strings.Split(text, "\n") {
		if item, ok := strings.CutPrefix(line, "- "); ok {
			items = append(items, strings.TrimSuffix(item, "."))
		}
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
	for _, t := range contentTerms(text) {
		if q[t.stem] || (t.concept != "" && q["§"+t.concept]) {
			return true
		}
	}
	return false
}

// questionTerms is the set of stems and concepts of a question.
func questionTerms(question string) map[string]bool {
	q := map[string]bool{}
	for _, t := range contentTerms(question) {
		q[t.stem] = true
		if t.concept != "" {
			q["§"+t.concept] = true
		}
	}
	for _, c := range phraseConcepts(question) {
		q["§"+c] = true
	}
	return q
}

func answerUnits(hits []Hit, q map[string]bool) []unit {
	var units []unit
	for rank, h := range hits {
		if rank >= 3 {
			break
		}
		a := h.analysis
		if a == nil {
			a = analyzeChunk(h.Text)
		}
		for _, au := range a.units {
			u := au.unit
			u.hit = rank
			u.score = scoreTerms(au.terms, q, u.figure)
			units = append(units, u)
		}
	}
	return units
}

// chunkAnalysis is a chunk split into answer units with their terms: the
// part of Answer that depends only on the chunk, computed once per chunk by
// the index (see Index.analysisOf) instead of on every answer.
type chunkAnalysis struct {
	units []analyzedUnit
}

type analyzedUnit struct {
	unit
	terms []term
}

func analyzeChunk(text string) *chunkAnalysis {
	a := &chunkAnalysis{}
	pos := 0
	for para, block := range strings.Split(text, "\n\n") {
		for _, line := range strings.Split(block, "\n") {
			var pieces []string
			kind := sentenceUnit
			switch {
			case strings.HasPrefix(line, "- "):
				kind, pieces = itemUnit, []string{line}
			case len(line) < 80 && keyValue.MatchString(line), len(line) < 40 && isFigure(line):
				kind, pieces = pairUnit, []string{line}
			default:
				pieces = splitSentences(line)
			}
			for _, p := range pieces {
				u := unit{text: p, kind: kind, pos: pos, para: para, figure: kind == pairUnit && isFigure(p)}
				a.units = append(a.units, analyzedUnit{unit: u, terms: contentTerms(p)})
				pos++
			}
		}
	}
	return a
}

// scoreTerms counts the question's words a line contains (a word and its
// synonyms count once), with a point for figures when the question is about pay.
func scoreTerms(terms []term, q map[string]bool, figure bool) float64 {
	var matched [16]string
	n := 0
	for _, t := range terms {
		key := ""
		switch {
		case t.concept != "" && q["§"+t.concept]:
			key = "§" + t.concept
		case q[t.stem]:
			key = t.stem
		default:
			continue
		}
		if !slices.Contains(matched[:n], key) && n < len(matched) {
			matched[n] = key
			n++
		}
	}
	score := float64(n)
	if figure && q["§pay"] {
		score++
	}
	return score
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
	slices.SortFunc(sorted, func(a, b unit) int { return (a.hit*1000 + a.pos) - (b.hit*1000 + b.pos) })
	return sorted
}

func bestOf(units []unit, keep func(unit) bool) (unit, bool) {
	top := topUnits(filter(units, keep), 1)
	if len(top) == 0 {
		return unit{}, false
	}
	return top[0], true
}

func filter(units []unit, keep func(unit) bool) []unit {
	var out []unit
	for _, u := range units {
		if keep(u) {
			out = append(out, u)
		}
	}
	return out
}

// render writes the picked units: consecutive sentences as one paragraph,
// items and pairs as list lines, with the section name before a list.
func render(hits []Hit, picked []unit) string {
	var b strings.Builder
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
				b.WriteString(sectionName(hits[u.hit].Section) + ":\n")
			} else {
				b.WriteByte('\n')
			}
			b.WriteString("- " + strings.TrimPrefix(u.text, "- "))
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
	s := splitSentences(strings.ReplaceAll(text, "\n", " "))
	if len(s) > n {
		s = s[:n]
	}
	return strings.Join(s, " ")
}

// RoleOf derives the career name from a guide title: "Media Specialist Career
// Path Guide" → "Media Specialist".
func RoleOf(title string) string {
	role := title
	for _, suffix := range []string{"career path guide", "career guide", "career path", "guide"} {
		if strings.HasSuffix(strings.ToLower(role), suffix) {
			role = strings.TrimSpace(role[:len(role)-len(suffix)])
		}
	}
	role = strings.TrimRight(role, " :-–—")
	if role == "" {
		return title
	}
	return role
}

// topic is a kind of question users ask about any career.
type topic struct {
	concept  string
	question string // %s is the role
	related  []string
}

var topics = []topic{
	{"pay", "How much does a %s earn?", []string{"promotion", "skills", "demand"}},
	{"become", "How do I become a %s?", []string{"education", "portfolio", "skills"}},
	{"day", "What does a typical day look like for a %s?", []string{"stress", "tools", "remote"}},
	{"tools", "Which tools and software does a %s use?", []string{"skills", "certify", "day"}},
	{"skills", "What skills does a %s need?", []string{"tools", "certify", "become"}},
	{"education", "What degree do I need to become a %s?", []string{"certify", "become", "pay"}},
	{"remote", "Can a %s work remotely?", []string{"day", "stress", "pay"}},
	{"promotion", "How does a %s move up to senior roles?", []string{"pay", "skills", "portfolio"}},
	{"demand", "What is the job outlook for a %s?", []string{"pay", "abroad", "remote"}},
	{"portfolio", "What should a %s portfolio include?", []string{"become", "skills", "tools"}},
	{"certify", "Which certifications help a %s?", []string{"education", "skills", "pay"}},
	{"stress", "How stressful is the work of a %s?", []string{"day", "remote", "pay"}},
	{"abroad", "Where in the world are %s jobs?", []string{"remote", "demand", "pay"}},
}

func topicByConcept(c string) (topic, bool) {
	for _, t := range topics {
		if t.concept == c {
			return t, true
		}
	}
	return topic{}, false
}

// FollowUps suggests n questions related to the one just answered: topics
// that usually come next (after pay: promotion, skills, outlook), skipping
// what was just asked.
func FollowUps(question string, hits []Hit, n int) []string {
	role := "this career"
	if len(hits) > 0 {
		role = RoleOf(hits[0].Guide)
	}
	asked := questionTerms(question)
	var current []string
	for _, t := range topics {
		if asked["§"+t.concept] {
			current = append(current, t.concept)
		}
	}
	if len(current) == 0 && len(hits) > 0 {
		section := questionTerms(hits[0].Section)
		for _, t := range topics {
			if section["§"+t.concept] {
				current = append(current, t.concept)
			}
		}
	}
	var out []string
	add := func(c string) {
		if len(out) >= n || slices.Contains(current, c) {
			return
		}
		if t, ok := topicByConcept(c); ok {
			q := fmt.Sprintf(t.question, role)
			if !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
	}
	for _, c := range current {
		if t, ok := topicByConcept(c); ok {
			for _, r := range t.related {
				add(r)
			}
		}
	}
	for _, t := range topics {
		add(t.concept)
	}
	return out
}

// Starters are the questions offered before the first one: the commonest
// topics, for each guide in turn.
func (ix *Index) Starters(n int) []string {
	var out []string
	for i := 0; len(out) < n && i < len(topics); i++ {
		for _, g := range ix.guides {
			if len(out) < n {
				out = append(out, fmt.Sprintf(topics[i].question, RoleOf(g.Title)))
			}
		}
	}
	return out
}

// Decline is the friendly reply when nothing in the guides is relevant.
func Decline(guides []string) string {
	roles := make([]string, len(guides))
	for i, g := range guides {
		roles[i] = RoleOf(g)
	}
	var list string
	switch len(roles) {
	case 0:
		list = "careers"
	case 1:
		list = "the " + roles[0] + " career"
	default:
		list = "these careers: " + strings.Join(roles[:len(roles)-1], ", ") + " and " + roles[len(roles)-1]
	}
	return "Sorry, I couldn't find that in my career guides. I can help with questions about " + list +
		": pay, skills and tools, education and how to get in, career growth, and what the work is like day to day."
}

// leaningWords make a question depend on the previous one.
var leaningWords = map[string]bool{
	"they": true, "them": true, "their": true, "it": true, "its": true, "those": true, "these": true,
	"that": true, "this": true, "he": true, "she": true, "his": true, "her": true, "one": true, "ones": true,
	"there": true, "such": true,
}

// itemWords point back at the items of the previous answer ("Which of those
// are for audio?"), not just at its subject.
var itemWords = map[string]bool{"those": true, "these": true, "ones": true}

// Standalone rewrites a follow-up so it can be retrieved on its own, when it
// leans on the previous turn: a pronoun ("they", "those"), a leading
// "and"/"what about"/"also", or a single content word ("Salary?").
// Otherwise the question is returned unchanged.
//
// What is carried depends on how it leans. A question about the previous
// answer's items ("those", "these", "ones") carries all of the previous
// question's content words, so "Which of those are for audio?" after the
// tools question is about tools. Any other follow-up carries only the
// previous question's subject — its words that name no career topic — so
// "Do they need a degree?" after a pay question is about the degree of a
// media specialist, not about pay again.
func Standalone(question string, previousQuestions []string) string {
	if len(previousQuestions) == 0 {
		return question
	}
	prev := previousQuestions[len(previousQuestions)-1]
	lower := strings.ToLower(strings.TrimSpace(question))
	leans, aboutItems := false, false
	for _, prefix := range []string{"and ", "and,", "what about", "how about", "also", "but ", "so ", "then "} {
		if strings.HasPrefix(lower, prefix) {
			leans = true
		}
	}
	forEachWord(lower, func(w string) {
		if leaningWords[w] {
			leans = true
		}
		if itemWords[w] {
			aboutItems = true
		}
	})
	if len(contentTerms(question)) <= 1 {
		leans = true
	}
	if !leans {
		return question
	}
	carried := wordsOf(prev, !aboutItems)
	if len(carried) == 0 {
		return question
	}
	return strings.TrimSpace(question) + " (" + strings.Join(carried, " ") + ")"
}

// maxCarried bounds the words carried into a follow-up, so a chain of
// follow-ups does not snowball.
const maxCarried = 8

// wordsOf returns the distinct content words of s as written, at most
// maxCarried; subjectOnly leaves out the words that name a career topic.
func wordsOf(s string, subjectOnly bool) []string {
	var out []string
	forEachWord(s, func(w string) {
		if stopWords[w] || leaningWords[w] || slices.Contains(out, w) || len(out) >= maxCarried {
			return
		}
		if subjectOnly && concepts[stem(w)] != "" {
			return
		}
		out = append(out, w)
	})
	return out
}
