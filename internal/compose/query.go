package compose

import (
	"slices"

	"github.com/careerbot/careerbot/internal/vocab"
)

// query is a question as the answer writer matches it against lines: its
// content words, each with its concept, and the concepts its phrases name
// as a whole ("how much … make" is pay).
type query struct {
	set     map[string]bool // stems and "§concept"s, for matchesAny
	terms   []queryTerm
	results bool // asks how something turned out ("did it work", "any numbers")
}

// resultWords ask how something turned out: the sentence that reports an
// outcome's figure answers them.
var resultWords = func() map[string]bool {
	m := map[string]bool{}
	vocab.ForEachWord(`result results outcome outcomes impact numbers figures stats statistics success successful
	succeed succeeded achieve achieved achievement roi effect effective payoff`, func(w string) { m[vocab.Stem(w)] = true })
	return m
}()

// A queryTerm is one thing the question asks about: a word (stem, and its
// concept if it has one) or a concept named by a phrase (stem "").
type queryTerm struct {
	stem, concept string
}

// Weights of a line's match with a question term: the word itself says more
// than a synonym ("bootcamp" in "college or a bootcamp?" is found in the line
// about bootcamps; "college" only meets the degree lines through the
// education concept), and a term few of the candidate lines contain says
// more than one most of them do.
const (
	exactMatch   = 1.0
	conceptMatch = 0.6
	rarityBonus  = 0.5 // added, in proportion to how few lines hold the term
	// resultBonus is added to a sentence that reports an outcome's figure
	// when the question asks how something turned out, or is about a case
	// study: the story's result is its point.
	resultBonus = 0.75
)

func newQuery(question string) *query {
	q := &query{set: questionTerms(question)}
	prev := ""
	vocab.ForEachWord(question, func(w string) {
		if resultWords[vocab.Stem(w)] || (prev == "work" || prev == "turn" || prev == "pan") && w == "out" || prev == "it" && (w == "work" || w == "go") {
			q.results = true
		}
		prev = w
	})
	for _, t := range questionWords(question) {
		if !slices.Contains(q.terms, queryTerm{stem: t.Stem, concept: t.Concept}) {
			q.terms = append(q.terms, queryTerm{stem: t.Stem, concept: t.Concept})
		}
	}
	for _, c := range vocab.PhraseConcepts(question) {
		if !slices.ContainsFunc(q.terms, func(t queryTerm) bool { return t.concept == c }) {
			q.terms = append(q.terms, queryTerm{concept: c})
		}
	}
	return q
}

// questionWords are the question's content words, without the nouns that
// only name the career itself ("this job", "the career") when it has others:
// "what is this job about" is not about the job market.
func questionWords(question string) []vocab.Term {
	terms := vocab.Terms(question)
	rest := slices.DeleteFunc(slices.Clone(terms), func(t vocab.Term) bool { return vocab.IsCareerNoun(t.Stem) })
	if len(rest) == 0 {
		return terms
	}
	return rest
}

// match is how well terms match t: exactMatch, conceptMatch or 0.
func (t queryTerm) match(terms []vocab.Term) float64 {
	best := 0.0
	for _, u := range terms {
		switch {
		case t.stem != "" && u.Stem == t.stem:
			return exactMatch
		case t.concept != "" && u.Concept == t.concept:
			best = conceptMatch
		}
	}
	return best
}

// score sets the score of each unit: the sum over the question's terms of
// how well the unit matches each, weighted up for terms few of the units
// hold, plus a point for a figure when the question is about pay.
func (q *query) score(units []unit, termsOf func(i int) []vocab.Term) {
	if len(units) == 0 {
		return
	}
	var buf [16]float64
	matches := buf[:0]
	if n := len(q.terms) * len(units); n > len(buf) {
		matches = make([]float64, 0, n)
	}
	held := make([]int, len(q.terms))
	for i := range units {
		terms := termsOf(i)
		for k, t := range q.terms {
			m := t.match(terms)
			if m > 0 {
				held[k]++
			}
			matches = append(matches, m)
		}
	}
	pay := q.set["§pay"]
	for i := range units {
		s := 0.0
		for k := range q.terms {
			if m := matches[i*len(q.terms)+k]; m > 0 {
				s += m * (1 + rarityBonus*(1-float64(held[k])/float64(len(units))))
			}
		}
		if units[i].figure && pay {
			s++
		}
		if units[i].outcome {
			s += resultBonus
		}
		units[i].score = s
	}
}
