package rag

import (
	"github.com/careerbot/careerbot/internal/vocab"

	"cmp"
	"context"
	"slices"
	"strings"
)

// What the answer service needs to route a question before it writes an
// answer (internal/conversation route.go): which template topic the
// question asks about, which careers' guides have a section of that topic,
// and a search within one career's sections of one topic — so that a
// comparison puts the same part of each guide side by side.

// Topic names a question's main topic can have: the names of careerTopics
// ("pay", "outlook", "balance", "remote", "education", …).
func topicName(t int) string { return careerTopics[t].name }

// AskedTopic is a topic a question asks about, with how strongly: the
// number of words of the longest expression that named it (half for a weak
// one: "learn" for education).
type AskedTopic struct {
	Name     string
	Strength float32
}

// QuestionTopics returns the topics a question asks about (see
// careerTopics; the career names in it do not count), strongest first;
// ties go to the topic listed first, so the order never depends on map
// order. None when it names no topic.
func (ix *Index) QuestionTopics(question string) []AskedTopic {
	return topicsOf(ix.resolver.resolve(normalizeQuestion(question, ix.vocab)))
}

// topicsOf is QuestionTopics of a question whose careers match holds.
func topicsOf(match CareerMatch) []AskedTopic {
	return topicsAsked(questionTopics(stemsOf(match.rest)))
}

// topicsAsked lists the topics of asked, strongest first.
func topicsAsked(asked askedTopics) []AskedTopic {
	var out []AskedTopic
	for t := range careerTopics {
		if asked.mask&(1<<t) != 0 {
			out = append(out, AskedTopic{Name: topicName(t), Strength: asked.strength[t]})
		}
	}
	slices.SortStableFunc(out, func(a, b AskedTopic) int { return cmp.Compare(b.Strength, a.Strength) })
	return out
}

// CareerHasTopic reports whether career's guide (an index into Careers())
// has a section of one of the topics named: its own title or an enclosing
// one is of that topic ("Annual Salary (US, USD)" is pay, "Can a UX
// researcher work remotely?" is remote).
func (ix *Index) CareerHasTopic(career int, topics ...string) bool {
	mask := maskOf(topics)
	if mask == 0 || career < 0 || career >= len(ix.careerTopics) {
		return false
	}
	return ix.careerTopics[career]&mask != 0
}

// SearchTopic is SearchCareers within one career's sections of the given
// topics. Those sections are known to be what the question asks about, so
// no minimum score applies beyond the relative cut: "who makes more?" gets
// the salary table of each career compared even though few of its words are
// in it. It returns ErrNothingRelevant when the career has no such section.
func (ix *Index) SearchTopic(ctx context.Context, question string, career int, topics ...string) ([]Hit, error) {
	mask := maskOf(topics)
	if mask == 0 || !ix.CareerHasTopic(career, topics...) {
		return nil, ErrNothingRelevant
	}
	hits, _, err := ix.rankWithin(ctx, question, []int{career}, mask)
	return hits, err
}

// searchTopicRead is SearchTopic of a question already read.
func (ix *Index) searchTopicRead(ctx context.Context, q questionRead, career int, topics ...string) ([]Hit, error) {
	mask := maskOf(topics)
	if mask == 0 || !ix.CareerHasTopic(career, topics...) {
		return nil, ErrNothingRelevant
	}
	hits, _, err := ix.rankRead(ctx, q, []int{career}, mask)
	return hits, err
}

// maskOf is the set of the named topics; unknown names are ignored.
func maskOf(topics []string) topicMask {
	var m topicMask
	for _, name := range topics {
		if t := topicIndex(name); t >= 0 {
			m |= 1 << t
		}
	}
	return m
}

// topicsOfCareers returns, per career, the topics its guide has sections
// of (a chunk's own title or an enclosing one), from the chunks' topics.
func topicsOfCareers(ranges [][2]int, primary, parent []topicMask) []topicMask {
	out := make([]topicMask, len(ranges))
	for c, r := range ranges {
		if r[0] < 0 {
			continue
		}
		for i := r[0]; i < r[1]; i++ {
			out[c] |= primary[i] | parent[i]
		}
	}
	return out
}

// inTopics reports whether chunk i is a section of one of the topics of m.
func (ix *Index) inTopics(i int, m topicMask) bool {
	return (ix.primary[i]|ix.parent[i])&m != 0
}

// TopicNames lists every topic name, in careerTopics order (for tests and
// docs).
func TopicNames() []string {
	out := make([]string, 0, len(careerTopics))
	for _, t := range careerTopics {
		out = append(out, t.name)
	}
	return slices.Clip(out)
}

// WithoutCareers is the question (normalised: shorthand expanded, typos
// corrected, lower case) without the careers it names: what a follow-up
// naming another career keeps of it ("graphic designer salary" → "salary").
func (ix *Index) WithoutCareers(question string) string {
	return ix.resolver.resolve(normalizeQuestion(question, ix.vocab)).rest
}

// CareerOfRole returns the career whose guide has a section about the role
// title (an occupation the corpus has no guide for, as ResolveCareers
// names it: "Art Director"), when exactly one guide has: a tier of that
// career's path ("Career Path Tiers › Art Director / Creative Director") is
// covered by its guide. -1 when none or several have.
func (ix *Index) CareerOfRole(title string) int {
	want := normalWords(title)
	if len(want) == 0 {
		return -1
	}
	found := -1
	for c, r := range ix.ranges {
		if r[0] < 0 {
			continue
		}
		// A title the career's own name begins with is another job
		// ("physician" of Physician Assistant), not a rung of its path.
		if name := normalWords(ix.careers[c].Name); len(want) < len(name) && slices.Equal(name[:len(want)], want) {
			continue
		}
		for i := r[0]; i < r[1]; i++ {
			section := ix.chunks[i].Section
			if k := strings.LastIndex(section, " › "); k >= 0 {
				section = section[k+len(" › "):]
			}
			words := normalWords(section)
			if len(words) >= len(want) && slices.EqualFunc(words[:len(want)], want, sameOrClipped) {
				if found >= 0 && found != c {
					return -1
				}
				found = c
				break
			}
		}
	}
	return found
}

// sameOrClipped reports whether a word of a heading is the word asked, or
// asked by its clipping: "lab supervisor" is the tier "Laboratory
// Supervisor", not an occupation no guide covers.
func sameOrClipped(heading, asked string) bool {
	return heading == asked || slices.Contains(clippedWords[heading], asked)
}

// AsksOnlyItsTopic reports whether a question is nothing but the words of
// the topics it names (and phrasing): "what gear would i use", "whats the
// pay like" — not "what's a journeyman?" or "what is ServiceTitan?",
// whose own word is one guide's. With several careers in the corpus and
// none named, hits that all come from one guide say which career only for
// a question of the second kind.
func (ix *Index) AsksOnlyItsTopic(question string) bool {
	return asksOnlyTopic(ix.readQuestion(question).match)
}

// AsksOnlyItsTopic is Index.AsksOnlyItsTopic.
func (r *Reader) AsksOnlyItsTopic(question string) bool { return asksOnlyTopic(r.read(question).match) }

func asksOnlyTopic(match CareerMatch) bool {
	stems := stemsOf(match.rest)
	asked := questionTopics(stems)
	if asked.mask == 0 {
		return false
	}
	for _, st := range stems {
		if vocab.IsStopWord(st) || phrasingStems[st] || fillerStems[st] || vocab.IsCareerNoun(st) || asked.cueWords[st] != 0 {
			continue
		}
		return false
	}
	return true
}

// Siblings returns the chunks of c's guide under c's parent section, c
// included, in guide order ("Career Path Tiers › Junior …" to "… › Lead
// …"): a question about the career's ladder as a whole is answered from all
// its tiers, which its words alone rank unevenly (the tier whose heading
// says "Lead … Manager" first, the junior one often not at all). Nil when c
// is at the top level or not in the index.
func (ix *Index) Siblings(c Chunk) []Chunk {
	i, ok := ix.byID[c.ID]
	cut := strings.LastIndex(c.Section, " › ")
	if !ok || cut < 0 {
		return nil
	}
	prefix := c.Section[:cut+len(" › ")]
	under := func(k int) bool {
		return ix.chunks[k].Guide == c.Guide && strings.HasPrefix(ix.chunks[k].Section, prefix)
	}
	lo, hi := i, i+1
	for lo > 0 && under(lo-1) {
		lo--
	}
	for hi < len(ix.chunks) && under(hi) {
		hi++
	}
	return slices.Clone(ix.chunks[lo:hi])
}
