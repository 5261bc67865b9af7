package rag

import (
	"github.com/careerbot/careerbot/internal/vocab"

	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// careerIndex is what the index knows about careers and topics: each
// guide's career, where its chunks are, the topics of each chunk's section
// and the corpus's words for typo correction.
type careerIndex struct {
	careers  []Career
	resolver *careerResolver
	ranges   [][2]int    // guide g's chunks are chunks[ranges[g][0]:ranges[g][1]]
	primary  []topicMask // topics each chunk's own section title names
	parent   []topicMask // topics its enclosing titles name
	// careerTopics are the topics each career's guide has sections of
	// (route.go).
	careerTopics []topicMask
	vocab        *vocabulary
}

// indexCareers fills ix.careerIndex from the guides and chunks (chunks come
// guide by guide, in guide order) and the corpus's careers.csv, if any.
func (ix *Index) indexCareers() {
	aliases, err := readCareersFile(ix.opts.CorpusDir)
	if err != nil {
		ix.log.Warn("ignoring the careers file", "err", err)
	}
	ix.careers = make([]Career, len(ix.guides))
	ix.ranges = make([][2]int, len(ix.guides))
	byTitle := map[string]int{}
	for g, guide := range ix.guides {
		ix.careers[g] = newCareer(guide, aliases[guide.File])
		ix.ranges[g] = [2]int{-1, -1}
		byTitle[guide.File+"\x00"+guide.Title] = g
	}
	ix.primary = make([]topicMask, len(ix.chunks))
	ix.parent = make([]topicMask, len(ix.chunks))
	g := 0
	for i, c := range ix.chunks {
		for g < len(ix.guides) && ix.guides[g].Title != c.Guide {
			g++
		}
		if g == len(ix.guides) {
			g = 0 // chunks out of guide order (hand-made indexes in tests): find it
			for g < len(ix.guides) && ix.guides[g].Title != c.Guide {
				g++
			}
		}
		if g < len(ix.guides) {
			if ix.ranges[g][0] < 0 {
				ix.ranges[g][0] = i
			}
			ix.ranges[g][1] = i + 1
		}
		ix.primary[i], ix.parent[i] = sectionTopics(c.Section)
	}
	ix.careerTopics = topicsOfCareers(ix.ranges, ix.primary, ix.parent)
	for g, r := range ix.ranges {
		if r[0] < 0 {
			continue
		}
		// The short form a guide defines for its career ("A
		// Speech-Language Pathologist (SLP) is…") is one of its forms.
		for _, c := range ix.chunks[r[0]:min(r[1], r[0]+abbreviationChunks)] {
			if a := definedAbbreviation(ix.careers[g].Name, c.Text); a != "" {
				ix.careers[g].addForms(a, plural(a))
				break
			}
		}
	}
	ix.resolver = newCareerResolver(ix.careers)
	// Products are read from the tools sections only, where a guide lists
	// them by name ("Adobe Creative Cloud (Premiere Pro, …, Illustrator)"):
	// a few per cent of the text (all of it took 240 ms at 1,000 guides).
	toolChunks, primary, parent := ix.chunks, ix.primary, ix.parent
	ix.resolver.texts = func(yield func(string)) {
		for i, c := range toolChunks {
			if (primary[i]|parent[i])&toolsTopic != 0 {
				yield(c.Text)
			}
		}
	}
	chunks, careers := ix.chunks, ix.careers
	careerWords := map[string]bool{}
	for _, c := range careers {
		for _, f := range slices.Concat(c.Forms, weakForms(c.Name)) {
			for _, w := range strings.Fields(f) {
				careerWords[w] = true
			}
		}
	}
	ix.vocab = &vocabulary{
		careerWords: careerWords,
		inCorpus:    func(w string) bool { return ix.inCorpus(hashParts('w', vocab.Stem(w), "")) },
		texts: func(yield func(string)) {
			for _, c := range chunks {
				yield(c.Section)
				yield(c.Text)
			}
			for _, c := range careers {
				for _, f := range c.Forms {
					yield(f)
				}
			}
		},
	}
}

// Careers returns the corpus's careers, one per guide, in corpus order.
func (ix *Index) Careers() []Career { return ix.careers }

// ResolveCareers says which careers a question names: covered ones (a
// comparison when several), ones the corpus does not cover, or none.
func (ix *Index) ResolveCareers(question string) CareerMatch {
	return ix.resolver.resolve(normalizeQuestion(question, ix.vocab))
}

// SearchCareers is Search restricted to the given careers (indexes into
// Careers()); nil means the careers the question names, or all of them.
func (ix *Index) SearchCareers(ctx context.Context, question string, careers []int) ([]Hit, error) {
	hits, _, err := ix.rank(ctx, question, careers)
	return hits, err
}

// Weights of a hit's score: the embedding similarity, the IDF-weighted
// share of the question's terms the chunk contains, the share its section
// title contains (a question about "duties" belongs to "Key
// Responsibilities"); the question's topic counts as a term found in the
// sections of that topic. Measured in docs/retrieval.md.
const (
	weightCosine   = 0.3
	weightCoverage = 0.4
	weightTitle    = 0.3
	// topicTermWeight is the weight of the question's topic as a term,
	// relative to the rarest word of the corpus.
	topicTermWeight = 0.4
	// parentTopic is the prior of a section whose enclosing title (not its
	// own) is of the question's topic.
	parentTopic = 0.5
)

// rank scores the candidates for question within careers.
func (ix *Index) rank(ctx context.Context, question string, careers []int) ([]Hit, []neighbour, error) {
	return ix.rankWithin(ctx, question, careers, 0)
}

// rankWithin is rank among the sections of the given topics (all when 0,
// see SearchTopic: then no minimum score applies).
func (ix *Index) rankWithin(ctx context.Context, question string, careers []int, topics topicMask) ([]Hit, []neighbour, error) {
	return ix.rankRead(ctx, ix.readQuestion(question), careers, topics)
}

// rankRead is rankWithin of a question already read (readQuestion).
func (ix *Index) rankRead(ctx context.Context, q questionRead, careers []int, topics topicMask) ([]Hit, []neighbour, error) {
	normalized, match := q.normalized, q.match
	if careers == nil {
		careers = match.Covered
	}
	// The career's name is a filter first: the candidates are the named
	// careers' chunks. Its words still count as terms (measured on the dev
	// split: dropping them cost 0.03 hit@3 with several guides), but not
	// for the question's topics.
	scoring := normalized
	// The terms of the rest, read once for both uses below (they were
	// read twice: ~1.5% of an offline answer, BenchmarkAnswerOffline/
	// botbench profile, 14:00 UTC).
	var restTerms []queryTerm
	if len(match.Covered) > 0 {
		restTerms = queryTerms(match.rest)
	}
	if len(match.Covered) > 0 && len(restTerms) > 0 {
		scoring = match.rest
	}
	// Bare numbers ("10 years", "2+2") match figures anywhere; they are
	// not what a question is about.
	// So are inflected stop words ("getting", "making"), and words of
	// phrasing the guides do not use (see fillerStems).
	qterms := slices.DeleteFunc(queryTerms(normalized), func(t queryTerm) bool {
		return t.stem != "" && (isNumber(t.stem) || vocab.IsStopWord(t.stem) || vocab.IsStopWord(t.stem+"e") ||
			fillerStems[t.stem] && !ix.inCorpus(t.word))
	})
	// A career named by a form the guides never write ("vet tech" for
	// Veterinary Technician, whose guide says "veterinary technician")
	// has already chosen the candidates: its words are no unseen words of
	// the question, which would sink every chunk below MinScore ("good
	// things about being a vet tech" was declined).
	if len(match.Covered) > 0 {
		inRest := map[string]bool{}
		for _, t := range restTerms {
			inRest[t.stem] = true
		}
		// So are the words of another career named beside it, when one
		// career's part of a comparison is searched: "logistics" in "top
		// 10 percent earners vet tech vs logistics" is in no chunk of the
		// vet tech's, and its weight sank them all (the comparison had one
		// block).
		var others map[string]bool // nil unless one career of several is searched
		if len(careers) < len(match.Covered) {
			others = map[string]bool{}
			for _, c := range careers {
				for _, f := range ix.careers[c].Forms {
					vocab.ForEachWord(f, func(w string) { others[vocab.Stem(w)] = true })
				}
			}
		}
		qterms = slices.DeleteFunc(qterms, func(t queryTerm) bool {
			return t.stem != "" && !inRest[t.stem] && (!ix.inCorpus(t.word) || others != nil && !others[t.stem])
		})
	}
	asked := q.askedIn(scoring) // questionTopics(stemsOf(scoring))
	// Nouns that only name the career ("this job", "the career") say
	// nothing about which part of it is asked: "why would anyone want this
	// job" is not about the job outlook. A question of only such nouns and
	// phrasing is asked by its topic, if it has one.
	// So do words that ask how much something counts ("how important is
	// networking", "does creativity matter"): the guides' FAQ titles use
	// them ("How important is cultural sensitivity…?") for other things.
	if rest := slices.DeleteFunc(slices.Clone(qterms), func(t queryTerm) bool { return vocab.IsCareerNoun(t.stem) || weighingStems[t.stem] }); len(rest) > 0 || asked.mask != 0 {
		qterms = rest
	}
	if len(qterms) == 0 && asked.mask == 0 || asksForATask(normalized) {
		return nil, nil, ErrNothingRelevant
	}
	// In a section title they count only beside something else the
	// question asks: every chunk searched is about the named career, so a
	// heading that merely names it ("Pros & Cons for Civic Supply Chain
	// Analyst") says nothing about the question. Counted on their own,
	// the name's words outweighed the question's topic for careers of four
	// words: "How much does a Civic Supply Chain Analyst earn?" was
	// answered from Cons, not Annual Salary (21 of 1,000 guidegen careers;
	// TestHeadingNamingTheCareerDoesNotOutweighTheTopic). Beside a word of
	// the question ("Is Excel still important for Data Analysts?") they
	// still count (dropping them there cost that FAQ its place on the DEV
	// split).
	var named []bool
	if len(match.Covered) > 0 {
		rest := map[string]bool{}
		for _, t := range restTerms {
			rest[t.stem] = true
		}
		named = make([]bool, len(qterms))
		for k, t := range qterms {
			named[k] = t.stem != "" && !rest[t.stem]
		}
	}
	vec, pooled, err := ix.questionVector(ctx, normalized)
	if err != nil {
		return nil, nil, err
	}
	results, err := ix.nearestIn(ctx, vec, careers)
	putQuestionVector(pooled)
	if err != nil {
		return nil, nil, fmt.Errorf("querying the index: %w", err)
	}
	// A term weighs its concept's IDF when it has one (so an unseen synonym
	// such as "perks" still counts fully when "pros" is there), otherwise its
	// own: a rare word the guides never use weighs most, which is what pulls
	// off-topic questions below the threshold. A word of an expression that
	// named a topic ("sucks" in "what sucks about it") is not unseen: it is
	// found in the sections of that topic.
	weights := make([]float32, len(qterms))
	cued := make([]topicMask, len(qterms))
	var total, known float32
	for k, t := range qterms {
		weights[k] = ix.idf(t.word)
		cued[k] = asked.cueWords[t.stem]
		if isThousands(t.stem) {
			// "could i ever hit 85k": an amount in thousands is a word of the
			// pay expressions ("100k"), found where the pay is.
			cued[k] = asked.cueWords["100k"]
		}
		if asked.mask&toolsTopic != 0 && toolKindStems[t.stem] {
			// "which software for photos": the kind of tool asked for is
			// found where the tools are, by their names (vocab.ToolKinds).
			cued[k] |= toolsTopic
		}
		switch {
		case t.concept != 0:
			weights[k] = ix.idf(t.concept)
			known += weights[k]
		case cued[k] != 0:
			known += weights[k]
		case !ix.inCorpus(t.word) && !phrasingStems[t.stem] && !isSuperlative(t.stem):
			weights[k] *= unseenWeight
		default:
			known += weights[k]
		}
		total += weights[k]
	}
	// The question's topic counts as one more term, found in the sections
	// of that topic, as far as the question is in the guides' words: it
	// falls fast with words they never use ("restaurants in Singapore").
	knownShare := float32(1)
	if total > 0 {
		knownShare = known / total
	}
	topicTerm := topicTermWeight * ix.maxIDF() * knownShare * knownShare
	if asked.mask != 0 {
		total += topicTerm
	}
	// A word of a topic's expression that the guides also write counts
	// as found in the topic's sections only in part where they do not
	// write it, when the word alone named the topic: "is it possible to
	// freelance" is answered where the guide says "freelance", not by the
	// work setting that never does. "perks", which no guide writes, still
	// counts fully in the pros, and so do the words of a longer
	// expression ("start work" names the morning as a whole) and a word
	// of the topic's own headings ("top tips pls" is the advice).
	seen := make([]bool, len(qterms))
	for k, t := range qterms {
		seen[k] = t.word != 0 && ix.inCorpus(t.word)
	}
	cands := make([]candidate, 0, len(results))
	// bestUnshared is the best score with the topics' words counted in
	// full: usedElsewhere decides which section answers, not whether the
	// question is answerable (it declined DEV questions that the full
	// credit answered).
	var bestUnshared float32
	for _, r := range results {
		i := r.chunk
		if topics != 0 && !ix.inTopics(i, topics) {
			continue
		}
		var covered, inTitle, nameInTitle float32
		var lostCovered, lostTitle float32 // what usedElsewhere took
		for k, t := range qterms {
			// A word of an expression that named the chunk's topic counts
			// as found, half for a weak expression ("weekend" is about
			// work-life balance only a little: "the weather this weekend").
			var topical float32
			m := cued[k] & ix.primary[i]
			if m != 0 {
				topical = weights[k] * asked.credit(m)
			} else if m = cued[k] & ix.parent[i]; m != 0 {
				topical = parentTopic * weights[k] * asked.credit(m) // "workday" in "A Day in the Life › Morning"
			}
			f := found(ix.terms[i], t)
			full := topical
			if topical > 0 && f == 0 && seen[k] && (asked.phraseWords[t.stem]|headWords[t.stem])&m == 0 {
				topical *= usedElsewhere
			}
			covered += max(topical, weights[k]*f)
			lostCovered += max(full, weights[k]*f) - max(topical, weights[k]*f)
			// The career's name in a title counts only next to another word
			// of the question there (main: scale).
			switch f := found(ix.titles[i], t); {
			case named != nil && named[k]:
				nameInTitle += weights[k] * f
			default:
				inTitle += max(topical, weights[k]*f)
				lostTitle += max(full, weights[k]*f) - max(topical, weights[k]*f)
			}
		}
		if asked.mask != 0 {
			onTopic := topicTerm * max(asked.weight(ix.primary[i]), parentTopic*asked.weight(ix.parent[i]))
			covered += onTopic
			inTitle += onTopic
		}
		if inTitle > 0 {
			inTitle += nameInTitle
		}
		score := weightCosine*r.similarity + weightCoverage*covered/total + weightTitle*inTitle/total
		cands = append(cands, candidate{i: i, score: score})
		bestUnshared = max(bestUnshared, score+(weightCoverage*lostCovered+weightTitle*lostTitle)/total)
	}
	// Ties in score go to the earlier chunk of its guide, then (stable sort)
	// to the more similar candidate, then to the earlier chunk of the corpus:
	// results come ordered that way, so the order never depends on timing.
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(ix.chunks[a.i].Ordinal, ix.chunks[b.i].Ordinal)
	})
	// Keep hits that are relevant in absolute terms (MinScore) and next to
	// the best one (relativeCut), so a salary answer does not cite a stray
	// FAQ about remote work.
	if len(cands) == 0 {
		return nil, results, ErrNothingRelevant
	}
	// A question that plainly names a topic and whose best match is a
	// section of that topic is answerable even when its other words are
	// chat the guides never use ("real talk, any downsides ppl dont
	// mention?", "is a masters worth it for this line of work or
	// overkill"): those words sank it below MinScore and it was declined.
	// Not when it asks about the asker's own thing the guides never name
	// ("my wifi at the office", "my gf … what do i do") or someone's past
	// doings ("what camera did kubrick use"): that is everyday life or
	// trivia in a topic's words. Measured on the DEV sets: 5 declines fewer
	// (chat, visitors, chat3, one-guide-v3), off-topic unchanged.
	minScore := ix.opts.MinScore
	if asked.strongest >= 1 && asked.weight(ix.primary[cands[0].i]) >= 1 && !ix.asksOfOwnThing(normalized) {
		minScore *= topicalMinScore
	}
	if bestUnshared >= minScore {
		minScore = min(minScore, cands[0].score)
	}
	floor := max(minScore, relativeCut*cands[0].score)
	if topics != 0 {
		floor = relativeCut * cands[0].score
	}
	hits := make([]Hit, 0, min(ix.opts.TopK, len(cands)))
	for _, c := range cands {
		if len(hits) >= ix.opts.TopK || c.score < floor {
			break
		}
		hits = append(hits, Hit{Chunk: ix.chunks[c.i], Score: c.score})
	}
	if len(hits) == 0 {
		return nil, results, ErrNothingRelevant
	}
	if asked.generalSkills() {
		hits = ix.withBothSkillKinds(hits, cands, floor)
	}
	return hits, results, nil
}

// topicalMinScore is the share of MinScore a question plainly on a topic
// must reach (see rankRead). On the DEV sets 0.6, 0.7 and 0.8 differ by
// one case each way (0.6 one more on multi-visitors, 0.8 one less on
// visitors); 0.7 is kept between them.
const topicalMinScore = 0.7

// asksOfOwnThing reports whether a question asks about something of the
// asker's ("my wifi", "our new puppy", "my gf") or someone's past doings
// ("what camera did kubrick use") that the guides never name: a
// possessive or "did" followed, within two words, by a word no chunk
// holds. The guides say what the job is, in the present.
func (ix *Index) asksOfOwnThing(question string) bool {
	var words []string
	vocab.ForEachWordIn(question, func(w string) { words = append(words, w) })
	for i, w := range words {
		if w != "my" && w != "our" && w != "his" && w != "her" && w != "did" {
			continue
		}
		for k := i + 1; k < len(words) && k <= i+2; k++ {
			if askersFamily[words[k]] {
				break // "my son wants to be one": a career asked for someone
			}
			if !vocab.IsStopWord(words[k]) && !ix.inCorpus(hashParts('w', vocab.Stem(words[k]), "")) {
				return true
			}
		}
	}
	return false
}

// askersFamily are the people a visitor asks about a career for ("my son
// wants to be one", "my kid loves making videos"): not a thing of their own.
var askersFamily = map[string]bool{"son": true, "sons": true, "daughter": true, "daughters": true, "kid": true, "kids": true,
	"child": true, "children": true, "nephew": true, "niece": true, "teen": true, "teenager": true, "grandson": true,
	"granddaughter": true, "student": true, "students": true, "brother": true, "sister": true, "cousin": true}

// synonymCredit is how much of a term counts as found when only its
// concept is there: the word itself says more ("demand" in "Market Demand"
// against "growth" in "What is the career growth path?").
const synonymCredit = 0.75

// found is how fully set holds t: 1 for the word, synonymCredit for its
// concept only.
func found(set termSet, t queryTerm) float32 {
	switch {
	case set.contains(t.word):
		return 1
	case t.concept != 0 && set.contains(t.concept):
		return synonymCredit
	}
	return 0
}

// usedElsewhere is the share of a topic's credit for a word of its
// expression in a section of the topic that does not write the word, when
// the guides write it elsewhere (see rankRead).
const usedElsewhere = 0.75

// candidate is a chunk being ranked, with its score.
type candidate struct {
	i     int
	score float32
}

// skillKindCut is the share of the hits' floor the other kind of skills
// needs to join a general skills question's hits: a guide's two skills
// lists answer "what skills do u need" alike, but the words of the
// question meet one more than the other ("what skills do u need for vet
// tech": the Tech Skills 0.62, the soft skills 0.28, under the floor of
// half the best).
const skillKindCut = 0.5

// withBothSkillKinds makes sure a question about skills in general is
// answered from both kinds the guides list (issue 12: "what skills does a
// media specialist need?" got only the soft skills): when the hits hold a
// section of one kind and not the other, the best candidate of the other
// kind above skillKindCut of floor joins the hits, or takes the place of
// the last hit of neither kind, or of the last hit, when there is no room.
// cands are the ranked candidates the hits were taken from.
func (ix *Index) withBothSkillKinds(hits []Hit, cands []candidate, floor float32) []Hit {
	kindOf := func(i int) topicMask { return ix.primary[i] & (techSkillsTopic | softSkillsTopic) }
	var have topicMask
	for _, c := range cands[:len(hits)] {
		have |= kindOf(c.i)
	}
	if have == 0 || have == techSkillsTopic|softSkillsTopic {
		return hits
	}
	for _, c := range cands[len(hits):] {
		if c.score < floor*skillKindCut {
			break
		}
		if kindOf(c.i)&^have == 0 {
			continue
		}
		if len(hits) < ix.opts.TopK {
			// Room left: the other kind joins the hits.
			return append(slices.Clone(hits), Hit{Chunk: ix.chunks[c.i], Score: c.score})
		}
		out := slices.Clone(hits)
		at := len(out) - 1
		for k := len(out) - 1; k > 0; k-- {
			if kindOf(cands[k].i) == 0 {
				at = k
				break
			}
		}
		if at == 0 {
			return hits
		}
		out[at] = Hit{Chunk: ix.chunks[c.i], Score: c.score}
		slices.SortStableFunc(out, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
		return out
	}
	return hits
}

// nearestIn returns the candidates for a question vector among the chunks
// of the given careers (all chunks when careers is empty).
func (ix *Index) nearestIn(ctx context.Context, q []float32, careers []int) ([]neighbour, error) {
	n := min(max(ix.opts.TopK*10, candidatePool), ix.vectors.size())
	if len(careers) == 0 || len(careers) == len(ix.careers) {
		return ix.vectors.nearest(ctx, q, n)
	}
	var ranges [][2]int
	for _, c := range careers {
		if c >= 0 && c < len(ix.ranges) && ix.ranges[c][0] >= 0 {
			ranges = append(ranges, ix.ranges[c])
		}
	}
	if len(ranges) == 0 {
		return nil, nil
	}
	if s, ok := ix.vectors.(*sparseIndex); ok {
		return s.nearestIn(ctx, q, n, ranges)
	}
	// chromem-go's scan cannot filter by chunk: ask for all, keep the
	// careers' chunks.
	all, err := ix.vectors.nearest(ctx, q, ix.vectors.size())
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, nb := range all {
		for _, r := range ranges {
			if nb.chunk >= r[0] && nb.chunk < r[1] {
				out = append(out, nb)
				break
			}
		}
		if len(out) == n {
			break
		}
	}
	return out, nil
}

// maxIDF is the IDF of a word no chunk contains: the rarest there is.
func (ix *Index) maxIDF() float32 { return ix.idf(0) }

// isSuperlative reports whether stem is an English superlative ("lowest",
// "highest", "biggest", "safest"): it says how much, not what about, so a
// guide not using it says nothing about the question being off-topic — as
// with phrasingWords. Adverbs need no rule: the stemmer has already taken
// their "-ly" ("usually" is "usual").
func isSuperlative(stem string) bool {
	base, ok := strings.CutSuffix(stem, "est")
	// A verb or noun ending in "est" takes -s or -ed ("suggests",
	// "interested"); a superlative never does.
	if !ok || len(base) < 3 || !vocab.IsEnglishWord(stem) || vocab.IsEnglishWord(stem+"s") || vocab.IsEnglishWord(stem+"ed") {
		return false
	}
	// The word it is the superlative of: "high", "large" (-e dropped),
	// "big" (its last letter doubled). Words of three letters are shorter
	// than the list's, and taken as they are ("low", "new"; "honest" passes too,
	// and says as little about a topic).
	isWord := func(w string) bool { return len(w) == 3 || vocab.IsEnglishWord(w) }
	n := len(base)
	return isWord(base) || isWord(base+"e") || n >= 4 && base[n-1] == base[n-2] && isWord(base[:n-1])
}

// toolKindStems are the stems of the words people ask for a kind of tool by
// ("photos", "scheduling", "video calls"; vocab.ToolKinds).
var toolKindStems = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range vocab.ToolKinds {
		vocab.ForEachWord(k.Asks, func(w string) { m[vocab.Stem(w)] = true })
	}
	return m
}()
