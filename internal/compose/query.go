package compose

import (
	"slices"
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// query is a question as the answer writer matches it against lines: its
// content words, each with its concept, and the concepts its phrases name
// as a whole ("how much … make" is pay).
type query struct {
	set     map[string]bool // stems and "§concept"s, for matchesAny
	terms   []queryTerm
	results bool // asks how something turned out ("did it work", "any numbers")
	asks    answerType
	// matched holds, per chunk analysis scored for this question, how each
	// of its units matches each term (matchesOf): an answer scores the same
	// chunk's lines several times (bestSectionFirst once per top section,
	// bestLine, then all of them together), and the matches were most of
	// the scoring's cost. Only the rarity weights depend on which lines are
	// scored together; they are still computed per call (score).
	matched []chunkMatches
}

// chunkMatches is one chunk's matches with a query's terms: for unit u and
// term k, rows[2*(u*len(terms)+k)] is the term's match with the unit's
// terms and the next the match counting the chunk's FAQ title too.
type chunkMatches struct {
	a    *chunkAnalysis
	rows []float64
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
	// toolMatch is a tool of the kind asked for ("chat app" → "- Slack"):
	// the name is the answer, so it counts nearly as the word itself.
	toolMatch   = 0.9
	rarityBonus = 0.5 // added, in proportion to how few lines hold the term
	// resultBonus is added to a sentence that reports an outcome's figure
	// when the question asks how something turned out, or is about a case
	// study: the story's result is its point.
	resultBonus = 0.75
	// titleWeight is how much a match with an FAQ entry's question counts
	// for the lines of its answer: "Career changers typically need six to
	// twelve months…" answers "how long" because its question says "How
	// long does it take…?". Measured on the DEV split (multi-guide in-guide
	// facts 0.85 → 0.88 at 0.3–1.0; the titles of other sections as well
	// cost cases: 0.88 → 0.85, one-guide 0.82 → 0.81).
	titleWeight = 0.5
	// answerTypeBonus is added to a matching line that holds what the
	// question's own words ask for (answerType): a duration for "how
	// long", a time for "what time". Measured on the DEV sets at 0.5 and
	// 1.0 alike: two cases more (one-guide, visitors), none fewer.
	answerTypeBonus = 0.5
)

// answerType is the kind of thing a question's own words ask for: a
// duration ("how long", "how many years"), a time of day ("what time",
// "when do they start"), a count ("how many").
type answerType int

const (
	anyAnswer answerType = iota
	durationAnswer
	timeAnswer
)

func answerTypeOf(question string) answerType {
	own, _, _ := strings.Cut(strings.ToLower(question), " (")
	switch {
	case strings.Contains(own, "how long") || strings.Contains(own, "how many years") || strings.Contains(own, "how many yrs") ||
		strings.Contains(own, "how many months") || strings.Contains(own, "how quickly") || strings.Contains(own, "how fast"):
		return durationAnswer
	case strings.Contains(own, "what time") || strings.HasPrefix(own, "when do") || strings.HasPrefix(own, "when does") || strings.Contains(own, "what hours"):
		return timeAnswer
	}
	return anyAnswer
}

func (a answerType) holds(text string) bool {
	lower := strings.ToLower(text)
	switch a {
	case durationAnswer:
		for _, u := range []string{" year", " yrs", " month", " week"} {
			if i := strings.Index(lower, u); i > 0 && strings.ContainsAny(lower[max(0, i-8):i], "0123456789") {
				return true
			}
		}
		for _, w := range []string{"one year", "two years", "three years", "four years", "five years", "six months", "twelve months", "several years", "a few years"} {
			if strings.Contains(lower, w) {
				return true
			}
		}
	case timeAnswer:
		return strings.Contains(lower, " am") || strings.Contains(lower, " pm") || strings.Contains(lower, ":00")
	}
	return false
}

func newQuery(question, career string) *query {
	// The question's words and phrases read once for its set and its
	// terms: reading them twice (questionTerms, then again here) was ~40%
	// of newQuery (BenchmarkAnswerOffline/botbench profile, 13:48 UTC).
	// TestNewQueryReadsOnce holds it to the previous version.
	words, phrases := questionWords(question), vocab.PhraseConcepts(question)
	q := &query{set: termSetOf(words, phrases)}
	defer q.withoutCareer(career)
	prev := ""
	vocab.ForEachWord(question, func(w string) {
		if resultWords[vocab.Stem(w)] || (prev == "work" || prev == "turn" || prev == "pan") && w == "out" || prev == "it" && (w == "work" || w == "go") {
			q.results = true
		}
		prev = w
	})
	q.asks = answerTypeOf(question)
	for _, t := range words {
		if !slices.Contains(q.terms, queryTerm{stem: t.Stem, concept: t.Concept}) {
			q.terms = append(q.terms, queryTerm{stem: t.Stem, concept: t.Concept})
		}
	}
	for _, c := range phrases {
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

// withoutCareer drops the words of the career's name ("media specialist")
// from the question, when it has others: every line of the career's guide
// may name the career, which says nothing about the line answering.
func (q *query) withoutCareer(career string) {
	named := map[string]bool{}
	for _, t := range vocab.Terms(career) {
		named[t.Stem] = true
	}
	rest := slices.DeleteFunc(slices.Clone(q.terms), func(t queryTerm) bool { return named[t.stem] })
	if len(rest) == 0 || len(rest) == len(q.terms) {
		return
	}
	q.terms = rest
	for st := range named {
		delete(q.set, st)
	}
}

// match is how well terms match t: exactMatch, toolMatch (a tool of the
// kind the term asks for: vocab.ToolKinds), conceptMatch or 0. A
// country or region named in a line is an instance of working abroad
// ("can they work overseas?" → "Canada and Australia recruit…").
//
// The term's tool and region names are looked up once per call, not once
// per word of terms: the two look-ups by the term's stem per word pair
// were most of the map look-ups of an offline answer (~20k of ~630k
// instructions, BenchmarkAnswerOffline/botbench under callgrind).
// TestMatchMatchesReference holds it to the version before.
func (t queryTerm) match(terms []vocab.Term) float64 {
	var tools, regions map[string]bool // nil: none, every look-up false
	if t.stem != "" && len(terms) > 0 {
		tools, regions = toolNamesOf[t.stem], regionNamesOf[t.stem]
	}
	best := 0.0
	for _, u := range terms {
		switch {
		case t.stem != "" && u.Stem == t.stem:
			return exactMatch
		case tools[u.Stem] || regions[u.Stem]:
			best = max(best, toolMatch) // "in asia?" → "India and Singapore…" too
		case t.concept != "" && u.Concept == t.concept, t.concept == "abroad" && placeNames[u.Stem]:
			best = max(best, conceptMatch)
		}
	}
	return best
}

// placeNames are the stems of countries and regions guides name when they
// say where the work is.
var placeNames = func() map[string]bool {
	m := map[string]bool{}
	vocab.ForEachWord(`us usa america american canada canadian mexico brazil argentina chile colombia uk britain
	british england scotland ireland irish wales europe european eu germany german france french spain spanish
	italy italian netherlands dutch belgium switzerland swiss austria sweden norway denmark finland poland
	portugal greece russia turkey israel uae dubai emirates qatar saudi arabia egypt africa nigeria kenya
	south asia asian india indian china chinese japan japanese korea korean singapore malaysia indonesia
	philippines vietnam thailand australia australian zealand oceania middle east nordic scandinavia latin`,
		func(w string) { m[vocab.Stem(w)] = true })
	return m
}()

// matchesOf returns a's chunkMatches rows for q, computed on first use.
// It computes what score did for every unit on every call (the term's
// match with the unit's terms, and with the chunk's FAQ title): once per
// chunk and answer instead of once per chunk and scoring. Scoring was ~84k
// of 812k instructions per answer; with this and answerUnits no longer
// matching the units it drops (below the top 3), 780k
// (BenchmarkAnswerOffline/botbench under valgrind; docs/benchmarks.md,
// "Issue 15, third round").
// TestAnswerUnitsMatchScoreReference holds the scores to the previous
// code (refScore, in the test).
func (q *query) matchesOf(a *chunkAnalysis) []float64 {
	for _, m := range q.matched {
		if m.a == a {
			return m.rows
		}
	}
	n := len(q.terms)
	titled := make([]float64, n)
	if len(a.title) > 0 {
		for k, t := range q.terms {
			titled[k] = titleWeight * t.match(a.title)
		}
	}
	rows := make([]float64, 0, 2*n*len(a.units))
	for _, au := range a.units {
		for k, t := range q.terms {
			m := t.match(au.terms)
			rows = append(rows, m)
			if len(a.title) > 0 {
				m = max(m, titled[k])
			}
			rows = append(rows, m)
		}
	}
	q.matched = append(q.matched, chunkMatches{a: a, rows: rows})
	return rows
}

// score sets the score of each unit: the sum over the question's terms of
// how well the unit matches each, weighted up for terms few of the units
// hold, plus a point for a figure when the question is about pay. rowOf(i)
// is units[i]'s row of its chunk's matchesOf: for each term, its match with
// the unit's terms and with its FAQ title counted.
func (q *query) score(units []unit, rowOf func(i int) []float64) {
	if len(units) == 0 {
		return
	}
	n := len(q.terms)
	held := make([]int, n)
	for i := range units {
		row := rowOf(i)
		for k := range n {
			if row[2*k] > 0 {
				held[k]++
			}
		}
	}
	pay := q.set["§pay"]
	for i := range units {
		row := rowOf(i)
		s := 0.0
		for k := range n {
			if m := row[2*k+1]; m > 0 {
				s += m * (1 + rarityBonus*(1-float64(held[k])/float64(len(units))))
			}
		}
		if units[i].figure && pay {
			s++
		}
		if units[i].outcome {
			s += resultBonus
		}
		if q.asks != anyAnswer && s > 0 && q.asks.holds(units[i].text) {
			s += answerTypeBonus
		}
		units[i].score = s
	}
}
