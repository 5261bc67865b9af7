package compose

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/careerbot/careerbot/internal/rag"
)

// Follow-up suggestions ("chips") are chosen per conversation. FollowUps
// proposes candidates in order of relevance to the answer; from those, a chip
// is preferably neither a question the user already asked in this
// conversation nor one of the chips offered with the previous answer (which
// the user has just seen and passed over). Repeats are used only to reach
// the minimum of two. docs/protocol.md describes the rule for client authors.
const (
	maxFollowUps = 3
	minFollowUps = 2
	// everyCandidate asks for all the questions that could be suggested,
	// not just the best few, so that there is something left after filtering.
	everyCandidate = 64
)

// PastTurn is an earlier turn of a conversation as the chip rules see it.
type PastTurn struct {
	Question   string // as typed
	Standalone string // as made standalone for retrieval (Standalone)
	Grounded   bool   // answered from the guides (not declined)
	// Guide is the guide the answer came from (its best source) when
	// grounded; "" for turns stored before turns named it (any guide).
	Guide       string
	Suggestions []string // the chips offered with the answer
}

// Chips chooses the chips of one conversation (or connection) from its
// history, which the caller passes in. What it keeps is only a cache: the
// topics of the conversation's questions, looked at again for every answer.
// The zero value is ready to use; Chips is safe for concurrent use and must
// not be copied.
type Chips struct {
	topics topicCache
	asked  askedCounts // the asked set of the last answer's history, for the next (ForAnswer)
}

// ForReady returns the ready frame's n chips: the starters, or for a
// resumed conversation the starters it did not already ask.
func (c *Chips) ForReady(history []PastTurn, guides []string, n int) []string {
	if len(history) == 0 {
		return Starters(guides, n)
	}
	return newChipMemory(history, guides, nil, &c.topics).pick(Starters(guides, everyCandidate), n, n)
}

// ForAnswer returns the done frame's chips for an answer to question (made
// standalone as standalone) from hits: questions related to the answer, or
// when nothing was found (no hits) up to starters starter questions, chosen
// so that they do not repeat what this conversation already asked or was
// just offered. starters is also how many chips the ready frame offered,
// which count as the previous offer before the first answer.
func (c *Chips) ForAnswer(history []PastTurn, guides []string, starters int, question, standalone string, hits []rag.Hit) []string {
	var shown []string // the previous offer only before the first answer
	if len(history) == 0 {
		shown = Starters(guides, starters)
	}
	var current []string
	if len(hits) > 0 {
		current = []string{hits[0].Guide}
	}
	// The asked set is updated from the one the previous answer used, not
	// rebuilt from every turn (newChipMemory): the history is that answer's
	// with the turn it stored added and, past the session's 20 turns, the
	// oldest dropped. Rebuilding it — twenty turns' keys hashed into a new
	// map — was ~26k of ~780k instructions per offline answer, updating it
	// ~11k (BenchmarkAnswerOffline/botbench under valgrind, callgrind;
	// docs/benchmarks.md, "Issue 15, third round").
	// TestForAnswerMatchesRebuiltMemory holds it to the rebuilt memory.
	c.asked.mu.Lock()
	defer c.asked.mu.Unlock()
	c.asked.update(history, guides, question, standalone, current, &c.topics)
	m := &chipMemory{counted: c.asked.count, offered: c.asked.offeredKeys(history, shown), topics: &c.topics}
	if len(hits) == 0 {
		return m.pick(Starters(guides, everyCandidate), starters, minFollowUps)
	}
	// The follow-ups with their keys (followUps), not keyed again.
	var buf [16]topicQuestion
	return m.pickKeyed(followUps(buf[:0], standalone, hits), maxFollowUps, minFollowUps)
}

// askedCounts is the asked set of one conversation (chipMemory.asked) kept
// from one answer to the next: for each turn and guide (askedTurn) its
// keys, and how many of them name each key; a key is asked while its count
// is above zero.
type askedCounts struct {
	mu      sync.Mutex
	turns   []askedEntry
	count   map[string]int
	want    []askedTurn     // update's buffer
	offered map[string]bool // offeredKeys' map, reused
}

type askedEntry struct {
	turn askedTurn
	keys []string
}

// update makes a the asked set of history with question (as made
// standalone) asked about current's guides, as newChipMemory and addAsked
// record them: it drops the turns at the front of what it held and adds
// those after, when what it held is the front of the new turns less some
// first ones (an answer's history is the last one's with a turn added, the
// oldest dropped past the session's limit); otherwise it starts afresh.
func (a *askedCounts) update(history []PastTurn, guides []string, question, standalone string, current []string, topics *topicCache) {
	want := a.want[:0]
	add := func(question, standalone string, in []string) {
		if len(in) == 0 {
			want = append(want, askedTurn{question, standalone, ""})
		}
		for _, g := range in {
			want = append(want, askedTurn{question, standalone, g})
		}
	}
	for _, t := range history {
		// Turns stored before turns named their guide: assume any guide.
		in := guides
		if t.Guide != "" {
			in = []string{t.Guide}
		}
		if !t.Grounded {
			in = nil
		}
		add(t.Question, t.Standalone, in)
	}
	add(question, standalone, current)
	a.want = want
	drop := 0
	for ; drop < len(a.turns); drop++ {
		if kept := a.turns[drop:]; len(kept) <= len(want) && sameTurns(kept, want) {
			break
		}
	}
	if a.count == nil || drop == len(a.turns) {
		a.count = make(map[string]int, 4*len(want))
		a.turns = a.turns[:0]
	} else {
		for _, e := range a.turns[:drop] {
			for _, k := range e.keys {
				if a.count[k]--; a.count[k] == 0 {
					delete(a.count, k)
				}
			}
		}
		a.turns = append(a.turns[:0], a.turns[drop:]...)
	}
	for _, t := range want[len(a.turns):] {
		keys := topics.askedKeys(t.question, t.standalone, t.guide)
		for _, k := range keys {
			a.count[k]++
		}
		a.turns = append(a.turns, askedEntry{turn: t, keys: keys})
	}
}

// sameTurns reports whether held's turns are the first of want.
func sameTurns(held []askedEntry, want []askedTurn) bool {
	for i, e := range held {
		if e.turn != want[i] {
			return false
		}
	}
	return true
}

// offeredKeys are the keys of the chips offered last (chipMemory.offered):
// with the last turn's answer, or before the first the ready frame's. The
// map is a's, cleared and refilled: valid until the next call.
func (a *askedCounts) offeredKeys(history []PastTurn, starters []string) map[string]bool {
	last := starters
	if len(history) > 0 {
		last = history[len(history)-1].Suggestions
	}
	if a.offered == nil {
		a.offered = make(map[string]bool, maxFollowUps)
	}
	clear(a.offered)
	for _, s := range last {
		a.offered[chipKey(s)] = true
	}
	return a.offered
}

// chipMemory is what a conversation has seen, for choosing its chips. Keys
// are normalized questions (chipKey).
type chipMemory struct {
	asked   map[string]bool // questions asked, and the chips that ask the same
	counted map[string]int  // or, when not nil, those with a count above 0 (askedCounts)
	offered map[string]bool // chips offered with the previous answer
	topics  *topicCache
}

// newChipMemory reads a conversation's history. Before the first answer the
// ready frame's starters count as the previous offer: they are the chips the
// user saw last. topics may be nil.
func newChipMemory(history []PastTurn, guides, starters []string, topics *topicCache) *chipMemory {
	if topics == nil {
		topics = &topicCache{}
	}
	// Sized for the history (a turn asks two to four keys): growing the map
	// turn by turn rehashed it several times per answer.
	m := &chipMemory{asked: make(map[string]bool, 4*len(history)+8), offered: map[string]bool{}, topics: topics}
	for _, t := range history {
		// Turns stored before turns named their guide: assume any guide.
		in := guides
		if t.Guide != "" {
			in = []string{t.Guide}
		}
		if !t.Grounded {
			in = nil
		}
		m.addAsked(t.Question, t.Standalone, in)
	}
	last := starters
	if len(history) > 0 {
		last = history[len(history)-1].Suggestions
	}
	for _, s := range last {
		m.offered[chipKey(s)] = true
	}
	return m
}

// addAsked records a question the user asked (as typed, and as made
// standalone for retrieval) together with the chips that ask the same thing
// about a career of the given guides: a user who typed "what's the pay?"
// does not need the chip "How much does a Media Specialist earn?".
func (m *chipMemory) addAsked(question, standalone string, guides []string) {
	if len(guides) == 0 {
		guides = []string{""}
	}
	for _, g := range guides {
		for _, k := range m.topics.askedKeys(question, standalone, g) {
			m.asked[k] = true
		}
	}
}

// topicCache remembers askedKeys' answers for one conversation: its earlier
// questions are looked at again for every answer, and working their topics
// out costs microseconds each.
type topicCache struct {
	mu   sync.Mutex
	keys map[askedTurn][]string
}

type askedTurn struct{ question, standalone, guide string }

// maxCachedTopics bounds the cache; sessions keep 20 turns by default.
const maxCachedTopics = 256

// askedKeys returns the keys (chipKey) of a question as typed and as made
// standalone, and of the suggestion questions for guide's career ("" = none)
// about the topics it asks about (AskedTopicQuestions).
func (tc *topicCache) askedKeys(question, standalone, guide string) []string {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	turn := askedTurn{question, standalone, guide}
	if out, ok := tc.keys[turn]; ok {
		return out
	}
	if tc.keys == nil || len(tc.keys) >= maxCachedTopics {
		tc.keys = map[askedTurn][]string{}
	}
	out := []string{chipKey(question), chipKey(standalone)}
	if guide != "" {
		for _, q := range AskedTopicQuestions(standalone, guide) {
			out = append(out, chipKey(q))
		}
	}
	tc.keys[turn] = out
	return out
}

// pick chooses up to n chips from candidates, best first: fresh ones, then —
// only to reach atLeast — ones offered last time, then ones already asked.
func (m *chipMemory) pick(candidates []string, n, atLeast int) []string {
	var fresh, offered, asked []string
	// Each candidate's key is written into one buffer (appendChipKey) and
	// looked up as string(bytes), which allocates nothing; the keys seen
	// are ranges of that buffer. A string and a map entry per candidate
	// were most of pick's CPU (~3.7% of an offline answer,
	// BenchmarkAnswerOffline/botbench profile, 14:00 UTC).
	// TestPickMatchesMaps holds it to the map version.
	var keyBuf [1024]byte
	keys := keyBuf[:0]
	var seenBuf [64][2]int
	seen := seenBuf[:0]
	for _, c := range candidates {
		if len(fresh) >= n {
			// The first n fresh ones are the chips; offered and asked
			// ones are only taken to reach atLeast, at most n. Keying
			// the candidates after them (up to 13 per answer) was ~40%
			// of pick (BenchmarkAnswerOffline/botbench under valgrind).
			// TestPickMatchesMaps holds it to the version before.
			break
		}
		from := len(keys)
		keys = appendChipKey(keys, c)
		k := keys[from:]
		dup := len(k) == 0
		for _, r := range seen {
			if !dup && bytes.Equal(keys[r[0]:r[1]], k) {
				dup = true
			}
		}
		if dup {
			keys = keys[:from]
			continue
		}
		seen = append(seen, [2]int{from, len(keys)})
		switch {
		case m.asked[string(k)] || m.counted[string(k)] > 0:
			asked = append(asked, c)
		case m.offered[string(k)]:
			offered = append(offered, c)
		default:
			fresh = append(fresh, c)
		}
	}
	return choose(fresh, offered, asked, n, atLeast)
}

// pickKeyed is pick of topic questions with their keys, not keyed again.
func (m *chipMemory) pickKeyed(candidates []topicQuestion, n, atLeast int) []string {
	var fresh, offered, asked []string
	var seenBuf [16][]byte
	seen := seenBuf[:0]
	for _, c := range candidates {
		if len(fresh) >= n {
			break // as pick
		}
		k := c.key
		dup := len(k) == 0
		for _, r := range seen {
			if !dup && bytes.Equal(r, k) {
				dup = true
			}
		}
		if dup {
			continue
		}
		seen = append(seen, k)
		switch {
		case m.asked[string(k)] || m.counted[string(k)] > 0:
			asked = append(asked, c.question)
		case m.offered[string(k)]:
			offered = append(offered, c.question)
		default:
			fresh = append(fresh, c.question)
		}
	}
	return choose(fresh, offered, asked, n, atLeast)
}

// choose is pick's choice: the first n fresh candidates, then — only to
// reach atLeast — offered ones, then asked ones.
func choose(fresh, offered, asked []string, n, atLeast int) []string {
	out := slices.Clone(fresh[:min(n, len(fresh))])
	for _, c := range slices.Concat(offered, asked) {
		if len(out) >= min(atLeast, n) {
			break
		}
		out = append(out, c)
	}
	return out
}

// chipKey normalizes a question for comparison: lower case, letters and
// digits only, single spaces.
func chipKey(q string) string {
	return string(appendChipKey(make([]byte, 0, len(q)), q))
}

// appendChipKey appends chipKey(q) to dst.
func appendChipKey(dst []byte, q string) []byte {
	start := len(dst)
	gap := false
	// ASCII first, without unicode tables: every candidate chip goes
	// through here on every answer (pick), and nearly all are ASCII.
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c >= utf8.RuneSelf:
			return append(dst[:start], chipKeyUnicode(q)...)
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			gap = true
			continue
		}
		if gap && len(dst) > start {
			dst = append(dst, ' ')
		}
		gap = false
		dst = append(dst, c)
	}
	return dst
}

// chipKeyUnicode is chipKey for any text.
func chipKeyUnicode(q string) string {
	var b strings.Builder
	b.Grow(len(q))
	gap := false
	for _, r := range q {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
