package compose

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"
)

// Answers about several careers at once: a comparison ("nurse vs data
// analyst pay"), a per-career answer to a question that names no career in
// a corpus of several ("what's the median salary?"), and the "which career
// do you mean?" reply when a per-career answer would not fit. The answer
// service decides which (internal/conversation route.go); these write them.

// CareerPart is what retrieval found for one career of a several-career
// answer: its name and its hits (none when its guide has no section on the
// question's topic).
type CareerPart struct {
	Career string
	Hits   []rag.Hit
	// Tiers says the hits hold every tier of the career's path, for a
	// question about its rungs (AsksTiers): the block is Writer.Tiers'.
	Tiers bool
}

// maxBriefBytes bounds one career's line of a per-career answer.
const maxBriefBytes = 220

// Compare writes a comparison: one labelled block per career, each the
// extractive answer from that career's hits (the same topic, found per
// career), in the order the careers were named. A career without hits is
// said to have nothing on it, rather than left out silently.
func (w *Writer) Compare(question string, parts []CareerPart) string {
	var b strings.Builder
	var missing []string
	for _, p := range parts {
		if len(p.Hits) == 0 {
			missing = append(missing, p.Career)
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		text := ""
		if p.Tiers {
			text = w.Tiers(question, p.Hits)
		}
		if text == "" {
			text = w.answer(question, p.Hits, false)
		}
		b.WriteString(label(p.Career, text))
	}
	writeMissing(&b, missing)
	return b.String()
}

// PerCareer writes a brief answer per career, each on a labelled line:
// the one or two lines of the career's best hit that speak to the question
// ("Median: $71,350"), not its whole section.
func (w *Writer) PerCareer(question string, parts []CareerPart) string {
	var b strings.Builder
	var missing []string
	for _, p := range parts {
		brief := w.Brief(question, p.Hits)
		if brief == "" {
			missing = append(missing, p.Career)
			continue
		}
		if b.Len() == 0 {
			b.WriteString("Here is what each career guide says:")
		}
		b.WriteString("\n- " + p.Career + " — " + brief)
	}
	writeMissing(&b, missing)
	return b.String()
}

func writeMissing(b *strings.Builder, missing []string) {
	if len(missing) == 0 {
		return
	}
	if b.Len() > 0 {
		b.WriteString("\n\n")
	}
	guides := "guide has"
	if len(missing) > 1 {
		guides = "guides have"
	}
	b.WriteString("The " + joinAnd(missing) + " " + guides + " nothing on this.")
}

// Brief is the shortest answer from hits: the line of the best hit that
// matches the question best (two when they tie: "Stress Level" and
// "Balance Rating"), or, when no line matches, its first lines. "" when
// there are no hits.
func (w *Writer) Brief(question string, hits []rag.Hit) string {
	if len(hits) == 0 {
		return ""
	}
	q := newQuery(question, RoleOf(hits[0].Guide))
	units := w.answerUnits(hits[:1], q)
	if len(units) == 0 {
		return clipBytes(firstSentences(hits[0].Text, 1), maxBriefBytes)
	}
	// A figure in a list ("- Median: $98,000") counts as the figure it is
	// for a pay question, as a "Key: value" line does (scoreTerms).
	// A figure stated as "Key: value" is the fact of a per-career line on
	// any of its topics: "Growth Rate: 9%" over "Status: Growing much
	// faster than average" for "is the job market growing" (pay questions
	// already count figures, scoreTerms).
	for k, u := range units {
		line := strings.TrimPrefix(u.text, "- ")
		switch {
		case u.kind == itemUnit && !u.figure && q.set["§pay"] && vocab.IsKeyValue(line) && vocab.IsFigure(line):
			units[k].score++
		case u.score > 0 && !q.set["§pay"] && statesFactLine(u) && vocab.IsFigure(line):
			units[k].score++
		}
	}
	// A "Key: value" line that speaks to the question states the fact a
	// per-career line is for ("Entry-Level: $51,000", "Balance Rating:
	// Good"): the prose around it loses even when it shares a word more
	// ("salaries starting from $98,600" for "starting pay", "a good balance
	// between work and personal life" for "work life balance?").
	if slices.ContainsFunc(units, func(u unit) bool { return u.score > 0 && statesFactLine(u) }) {
		units = slices.DeleteFunc(units, func(u unit) bool { return !statesFactLine(u) })
	}
	best := 0.0
	for _, u := range units {
		best = max(best, u.score)
	}
	var picked []string
	for _, u := range units {
		if len(picked) == 2 {
			break
		}
		if best > 0 && u.score < best {
			continue
		}
		if best == 0 && u.para != units[0].para {
			break
		}
		picked = append(picked, strings.TrimPrefix(u.text, "- "))
	}
	return clipBytes(strings.Join(picked, "; "), maxBriefBytes)
}

// clipBytes shortens s to about n bytes on a word boundary, marking the cut.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := s[:n]
	for !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

// Labelled names the career an answer is about, unless the answer's first
// line already does: "Data Analyst — Annual Salary (US, USD):\n- …" before
// a list, "Data Analyst: Yes, very often." before a sentence. With several
// careers in the corpus every answer names its career up front, so that
// "how much does it pay?" never gets figures without saying whose (a
// mention further down — "especially master electricians" — does not say
// whose the figures are).
func Labelled(career, answer string) string {
	first, _, _ := strings.Cut(answer, "\n")
	if career == "" || answer == "" || strings.Contains(strings.ToLower(first), strings.ToLower(career)) {
		return answer
	}
	return label(career, answer)
}

// label leads answer with the career's name, always (a comparison's
// blocks: "master electricians" in the text does not say whose block it is).
func label(career, answer string) string {
	first, _, _ := strings.Cut(answer, "\n")
	if strings.HasSuffix(first, ":") {
		return career + " — " + answer
	}
	return career + ": " + answer
}

// MaxPerCareer is the most careers a per-career answer lists. Beyond it
// (a corpus of dozens or a thousand guides) a per-career answer would be a
// wall of figures nobody reads: the bot asks which career instead, offering
// the careers whose sections matched the question best.
const MaxPerCareer = 6

// Clarify is the reply to a question that needs a career and names none,
// in a corpus of several: it asks which career is meant, and lists the
// careers (all of them up to MaxPerCareer, else how many there are and how
// to name one). It holds no figures; the chips (ClarifyChips) ask the
// question again for particular careers.
func Clarify(careers []string, total int) string {
	if total <= MaxPerCareer && len(careers) == total {
		return "Which career do you mean? I have guides for " + joinOr(careers) + " — pick one below or name it in your question."
	}
	return fmt.Sprintf("Which career do you mean? I have guides for %d careers; name the one you mean in your question (for example %s), or pick one below.",
		total, joinOr(careers))
}

// ClarifyChips are the chips of a clarify reply: question asked again for
// each career — as the suggestion question of its topic when there is one
// ("What degree do I need to become a Data Analyst?"), else as typed, led by
// the career ("Data Analyst: what are common mistakes?") — so that one tap
// answers it.
func ClarifyChips(question, topic string, careers []string) []string {
	template := ""
	if c, ok := chipTopicOf[topic]; ok {
		if t, ok := topicByConcept(c); ok {
			template = t.question
		}
	}
	q := strings.TrimSpace(question)
	if !strings.HasSuffix(q, "?") {
		q = strings.TrimRight(q, ".!") + "?"
	}
	out := make([]string, 0, len(careers))
	for _, c := range careers {
		if template != "" {
			out = append(out, fmt.Sprintf(template, c))
		} else {
			out = append(out, c+": "+lowerFirst(q))
		}
	}
	return out
}

// chipTopicOf maps retrieval's topics (rag.TopicNames) to the suggestion
// topics that have a question template.
var chipTopicOf = map[string]string{
	"pay": "pay", "outlook": "demand", "education": "education", "certify": "certify", "skills": "skills",
	"techskills": "skills", "softskills": "skills", "tools": "tools", "day": "day", "remote": "remote",
	"balance": "stress", "progression": "promotion", "become": "become", "portfolio": "portfolio", "abroad": "abroad",
}

// lowerFirst lower-cases the first letter unless the first word is an
// acronym or "I".
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !unicode.IsUpper(r) {
		return s
	}
	next, _ := utf8.DecodeRuneInString(s[size:])
	if unicode.IsUpper(next) || (r == 'I' && (len(s) == size || s[size] == ' ' || s[size] == '\'')) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

func joinAnd(names []string) string { return joinList(names, "and") }
func joinOr(names []string) string  { return joinList(names, "or") }

func joinList(names []string, conj string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + conj + " " + names[len(names)-1]
}

// ForClarify returns a clarify reply's chips: candidates (ClarifyChips), up
// to n, fresh ones before ones this conversation already asked.
func (c *Chips) ForClarify(history []PastTurn, candidates []string, n int) []string {
	return newChipMemory(history, nil, nil, &c.topics).pick(candidates, n, n)
}

// FactFirst puts first, when the best hit states none, the first hit that
// states a fact as a "Key: value" line ("Growth Rate: 9%", "Stress Level:
// High", "- Median: $62,480"): the guides' template gives its figures and
// ratings that way, and a per-career answer or a comparison on pay, outlook
// or stress wants the figure rather than the prose around it.
func FactFirst(hits []rag.Hit) []rag.Hit {
	if len(hits) < 2 || statesFact(hits[0].Text) {
		return hits
	}
	for k, h := range hits[1:] {
		if statesFact(h.Text) {
			out := make([]rag.Hit, 0, len(hits))
			out = append(out, h)
			out = append(out, hits[:k+1]...)
			return append(out, hits[k+2:]...)
		}
	}
	return hits
}

// StatesFact reports whether the first hit states a fact as a "Key:
// value" line (see FactFirst).
func StatesFact(hits []rag.Hit) bool {
	return len(hits) > 0 && statesFact(hits[0].Text)
}

// statesFactLine reports whether a unit is a "Key: value" line (a pair, or
// a list item of that shape).
func statesFactLine(u unit) bool {
	line := strings.TrimPrefix(u.text, "- ")
	return (u.kind == pairUnit || u.kind == itemUnit) && len(line) < 80 && vocab.IsKeyValue(line)
}

func statesFact(text string) bool {
	for line := range strings.SplitSeq(text, "\n") {
		if line = strings.TrimPrefix(line, "- "); len(line) < 80 && vocab.IsKeyValue(line) {
			return true
		}
	}
	return false
}
