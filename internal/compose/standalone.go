package compose

import (
	"slices"
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// leaningWords make a question depend on the previous one.
var leaningWords = map[string]bool{
	"they": true, "them": true, "their": true, "it": true, "its": true, "those": true, "these": true,
	"that": true, "this": true, "he": true, "she": true, "his": true, "her": true, "one": true, "ones": true,
	"there": true, "such": true,
}

// leaningPrefixes open a message that continues the previous question:
// "and …", "what about …", "same question for …" (the same asked of
// something else).
var leaningPrefixes = []string{"and ", "and,", "n ", "& ", "what about", "how about", "wbu", "also", "but ", "so ", "then ", "ok now", "okay now", "now ",
	"same question", "same q ", "same for", "same thing for", "same but", "ditto", "likewise"}

// itemWords point back at the items of the previous answer ("Which of those
// are for audio?"), not just at its subject.
var itemWords = map[string]bool{"those": true, "these": true, "ones": true, "them": true}

// qualifierConcepts narrow a topic rather than name one: "and for seniors?"
// after a pay question is still about pay, "and the soft ones?" about skills.
var qualifierConcepts = map[string]bool{"entry": true, "senior": true, "experience": true, "audio": true, "video": true, "soft": true}

// topicConcepts returns the career topics s names (pay, education…), in
// order: its words' concepts and its phrases', without the qualifiers.
func topicConcepts(s string) []string {
	var out []string
	add := func(c string) {
		if c != "" && !qualifierConcepts[c] && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, t := range vocab.Terms(s) {
		add(t.Concept)
	}
	for _, c := range vocab.PhraseConcepts(s) {
		add(c)
	}
	return out
}

// Standalone rewrites a follow-up so it can be retrieved on its own, when it
// leans on the previous turn: a pronoun ("they", "those"), a leading
// "and"/"what about"/"also", or a single content word ("Salary?").
// Otherwise the question is returned unchanged.
//
// What is carried depends on how it leans. A question about the previous
// answer's items ("those", "these", "ones", "them") carries all of the
// previous question's content words, so "Which of those are for audio?"
// after the tools question is about tools. A follow-up that names a topic
// of its own carries only the previous question's subject — its words that
// name no career topic — so "Do they need a degree?" after a pay question is
// about the degree of a media specialist, not about pay again. One that
// names no topic ("and for seniors?", "what about india", "and the
// afternoon?") carries the previous topic instead: it asks the same about
// something else.
func Standalone(question string, previousQuestions []string) string {
	if len(previousQuestions) == 0 {
		return question
	}
	prev := previousQuestions[len(previousQuestions)-1]
	if rewritten, ok := FollowUp(question, prev); ok {
		return rewritten
	}
	leans, aboutItems := leaning(question)
	if !leans {
		return question
	}
	var carried []string
	switch {
	case aboutItems && weighsOwnTopic(question):
		// "which of them is more stressful" after "who earns more, X or
		// Y" weighs the careers just compared on a topic of its own: it
		// carried "earns" and was answered with the pay again (DEV
		// multi12).
		carried = wordsOf(prev, subjectOnly)
	case aboutItems, isFragment(strings.ToLower(strings.TrimSpace(question))):
		carried = wordsOf(prev, all)
	case len(topicConcepts(question)) > 0:
		carried = wordsOf(prev, subjectOnly)
	default:
		carried = wordsOf(prev, topicOnly)
		// A topic named by a phrase ("how much do juniors make") is
		// carried by its name.
		for _, c := range vocab.PhraseConcepts(prev) {
			if !qualifierConcepts[c] && !slices.Contains(carried, c) && len(carried) < maxCarried {
				carried = append(carried, c)
			}
		}
		if len(carried) == 0 {
			carried = wordsOf(prev, subjectOnly)
		}
	}
	return carry(question, carried)
}

// Leans reports whether a question leans on the previous one: a pronoun
// ("they", "those"), a leading "and"/"what about"/"also", or a single
// content word.
func Leans(question string) bool {
	leans, _ := leaning(question)
	return leans
}

// AboutItems reports whether a question is about the previous answer's
// items ("which of those…", "these ones").
func AboutItems(question string) bool {
	_, items := leaning(question)
	return items
}

// IsCorrection reports whether a follow-up corrects how the previous
// question was taken: "no i meant the senior ones", "sorry i meant the
// junior level not manager", "no, the technical ones i mean", "not editing,
// scheduling". It asks the previous question again with the correction.
func IsCorrection(question string) bool {
	// One pass over the words, none kept (ForEachWordIn): leaning runs it
	// for every question read.
	n, negated, meant, meanAt, prev := 0, false, false, -1, ""
	vocab.ForEachWordIn(question, func(w string) {
		if n == 0 {
			negated = w == "no" || w == "nope" || w == "nah" || w == "not"
		}
		// "i meant" anywhere; "i mean" opening or closing the message ("what
		// do i mean to them" asks something else).
		if prev == "i" {
			switch {
			case w == "meant", w == "mean" && n == 1:
				meant = true
			case w == "mean":
				meanAt = n
			}
		}
		prev = w
		n++
	})
	if negated {
		return n > 1
	}
	return meant || meanAt >= 0 && meanAt == n-1
}

// WithoutNegated is a correction without what it says was not meant: "no
// not editing, i meant for scheduling posts" asks for scheduling, and
// "editing" would pull the editing tools back. The word after "not" (and
// an article) goes with it.
func WithoutNegated(question string) string {
	fields := strings.Fields(question)
	out := fields[:0:0]
	for i := 0; i < len(fields); i++ {
		w := strings.ToLower(strings.Trim(fields[i], ",.!?;:"))
		if w != "not" || i+1 >= len(fields) {
			out = append(out, fields[i])
			continue
		}
		i++ // the negated word
		if a := strings.ToLower(fields[i]); (a == "the" || a == "a" || a == "an") && i+1 < len(fields) {
			i++
		}
	}
	return strings.Join(out, " ")
}

// isFragment reports whether a question (lower case) is a short fragment
// opened by a preposition, which continues the last question and narrows
// it: "for scheduling posts?" after the tools, "in asia?" after the
// countries, "at night?" after the hours.
func isFragment(lower string) bool {
	if len(strings.Fields(lower)) > 5 {
		return false
	}
	for _, prep := range []string{"for ", "in ", "at ", "with ", "on ", "during ", "like ", "such as ", "outside ", "without "} {
		if strings.HasPrefix(lower, prep) {
			return true
		}
	}
	return false
}

// leaning reads the question's words without a string each
// (vocab.ForEachWordIn), counts its terms without making them, and pads it
// once for the pointers' phrases, not twice per phrase: 22 allocations
// per call, ~10k instructions per offline answer
// (BenchmarkAnswerOffline/botbench under callgrind); now 4, and 2.5 µs
// a call instead of 5.8 on botbench's questions.
// TestLeaningMatchesReference holds it to the version before.
func leaning(question string) (leans, aboutItems bool) {
	lower := strings.ToLower(strings.TrimSpace(question))
	for _, prefix := range leaningPrefixes {
		if strings.HasPrefix(lower, prefix) {
			leans = true
		}
	}
	vocab.ForEachWordIn(lower, func(w string) {
		if leaningWords[w] {
			leans = true
		}
		if itemWords[w] {
			aboutItems = true
		}
	})
	if IsCorrection(question) {
		leans = true // "no i meant the senior ones", "sorry, the technical ones i mean"
	}
	terms := 0 // len(vocab.Terms(question)): its words but the stop words
	vocab.ForEachWordIn(question, func(w string) {
		if !vocab.IsStopWord(w) {
			terms++
		}
	})
	if terms <= 1 {
		leans = true
	}
	if isFragment(lower) {
		leans = true
	}
	// "which of those two…", "both of them", "either one" point at the
	// careers just compared, not at the items of the answer.
	spaced, asked := " "+lower+" ", " "+lower+"?"
	for _, p := range pairPointers {
		if strings.Contains(spaced, p.spaced) || strings.Contains(asked, p.asked) {
			aboutItems = false
		}
	}
	return leans, aboutItems
}

// pairPointers are the phrases that point at the careers just compared,
// as leaning looks for them: " p " and " p?".
var pairPointers = func() (out []struct{ spaced, asked string }) {
	for _, p := range []string{"those two", "these two", "the two", "both", "either", "those three", "these three", "them both"} {
		out = append(out, struct{ spaced, asked string }{" " + p + " ", " " + p + "?"})
	}
	return out
}()

// KeepTopic rewrites a follow-up that asks about no topic of its own so
// that it keeps the previous question's: it carries all of prev's words.
// The caller (the answer service's routing) decides that the follow-up
// names no topic — retrieval knows the topics — and passes prev without
// career names when the follow-up names a career of its own: "what about
// electricians?" after "graphic designer salary" becomes "what about
// electricians? (salary)": the topic stays, the career switches.
//
// The words are carried as written, stop words included, so that an
// expression of the topic ("how much … make") still reads as one.
func KeepTopic(question, prev string) string {
	var words []string
	vocab.ForEachWord(prev, func(w string) {
		if !leaningWords[w] && !slices.Contains(words, w) && len(words) < 2*maxCarried {
			words = append(words, w)
		}
	})
	return carry(question, words)
}

func carry(question string, carried []string) string {
	if len(carried) == 0 {
		return question
	}
	// "same question for emt": the words that say it is the same question
	// are not searched ("question" is the FAQ's heading word).
	for _, p := range []string{"same question", "same q ", "same thing"} {
		if rest, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(question)), p); ok && strings.TrimSpace(rest) != "" {
			question = rest
			break
		}
	}
	return strings.TrimSpace(question) + " (" + strings.Join(carried, " ") + ")"
}

// maxCarried bounds the words carried into a follow-up, so a chain of
// follow-ups does not snowball.
const maxCarried = 8

// Which of the previous question's words a follow-up carries.
const (
	all         = iota
	subjectOnly // the words that name no career topic (qualifiers are subject)
	topicOnly   // the words that name one
)

// wordsOf returns the distinct content words of s as written, at most
// maxCarried, of the given kind.
func wordsOf(s string, kind int) []string {
	var out []string
	vocab.ForEachWord(s, func(w string) {
		if vocab.IsStopWord(w) || leaningWords[w] || vocab.IsCareerNoun(vocab.Stem(w)) || slices.Contains(out, w) || len(out) >= maxCarried {
			return
		}
		c := vocab.ConceptOf(vocab.Stem(w))
		topical := c != "" && !qualifierConcepts[c]
		if kind == subjectOnly && topical || kind == topicOnly && !topical {
			return
		}
		out = append(out, w)
	})
	return out
}

// weighsOwnTopic reports whether a question weighs one thing against
// another by a comparative ("more stressful", "better paid", "easier")
// on a career topic it names itself.
func weighsOwnTopic(question string) bool {
	comparative := false
	vocab.ForEachWord(question, func(w string) {
		comparative = comparative || comparativeWords[w]
	})
	return comparative && len(topicConcepts(question)) > 0
}

// comparativeWords weigh two things against each other.
var comparativeWords = map[string]bool{"more": true, "less": true, "better": true, "worse": true, "easier": true,
	"harder": true, "higher": true, "lower": true, "bigger": true, "safer": true, "calmer": true}
