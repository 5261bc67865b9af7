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
	leans, aboutItems := leaning(question)
	if !leans {
		return question
	}
	return carry(question, wordsOf(prev, !aboutItems))
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

func leaning(question string) (leans, aboutItems bool) {
	lower := strings.ToLower(strings.TrimSpace(question))
	for _, prefix := range []string{"and ", "and,", "what about", "how about", "also", "but ", "so ", "then ", "ok now", "okay now", "now "} {
		if strings.HasPrefix(lower, prefix) {
			leans = true
		}
	}
	vocab.ForEachWord(lower, func(w string) {
		if leaningWords[w] {
			leans = true
		}
		if itemWords[w] {
			aboutItems = true
		}
	})
	if len(vocab.Terms(question)) <= 1 {
		leans = true
	}
	return leans, aboutItems
}

// KeepTopic rewrites a follow-up that asks about no topic of its own so
// that it keeps the previous question's: it carries all of prev's content
// words, not just its subject. The caller decides that the follow-up names
// no topic (retrieval knows the topics) and passes prev without career
// names when the follow-up names a career of its own — so "what about
// electricians?" after "graphic designer salary" becomes "what about
// electricians? (salary)": the topic stays, the career switches. "and when
// they start?" after "how much do nurses make" keeps the pay question.
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
	return strings.TrimSpace(question) + " (" + strings.Join(carried, " ") + ")"
}

// maxCarried bounds the words carried into a follow-up, so a chain of
// follow-ups does not snowball.
const maxCarried = 8

// wordsOf returns the distinct content words of s as written, at most
// maxCarried; subjectOnly leaves out the words that name a career topic.
func wordsOf(s string, subjectOnly bool) []string {
	var out []string
	vocab.ForEachWord(s, func(w string) {
		if vocab.IsStopWord(w) || leaningWords[w] || slices.Contains(out, w) || len(out) >= maxCarried {
			return
		}
		if subjectOnly && vocab.ConceptOf(vocab.Stem(w)) != "" {
			return
		}
		out = append(out, w)
	})
	return out
}
