package compose

import (
	"slices"
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// Follow-ups whose meaning is an everyday intent rather than their words
// (docs/retrieval.md section 8): carrying the previous question's words is
// not enough when the follow-up asks for something next to it.
//
//   - the next step of a career ladder: "what comes next?" after junior
//     media specialists is about the mid level, "and what's above that?"
//     after seniors about the lead; trades climb apprentice → journeyman →
//     master;
//   - how long getting there takes: "how long does that take?", "how many
//     years is that?" after "how do i become a nurse" ask how long it takes
//     to become one, which is how the guides' template words it;
//   - how to avoid what was just listed: "how do i avoid them?" after
//     common mistakes (or challenges, or cons) asks for the guide's advice;
//   - whether it is worth it: "is it worth it?" after a degree question is
//     about the degree, after anything else about the career's pros and
//     cons.
//
// FollowUp returns the rewritten question and true for these; prev is the
// previous question as it was searched (standalone), without career names
// when the caller wants them gone.

// levelRanks are the rungs of a career ladder people name, lowest first;
// nextLevel is what is above each ("what's above junior?" → mid level).
var levelRanks = map[string]int{
	"intern": 0, "internship": 0, "trainee": 0, "apprentice": 0, "entry": 0, "junior": 0, "juniors": 0, "beginner": 0,
	"beginners": 0, "graduate": 0, "starting": 0, "newbie": 0, "newbies": 0, "rookie": 0, "rookies": 0, "starters": 0,
	"fresher": 0, "freshers": 0, "trainees": 0, "interns": 0, "apprentices": 0,
	"mid": 1, "midlevel": 1, "intermediate": 1, "journeyman": 1, "associate": 1,
	"senior": 2, "seniors": 2, "experienced": 2, "master": 2,
	"lead": 3, "leads": 3, "manager": 3, "managers": 3, "head": 3, "principal": 3, "director": 3, "directors": 3,
}

var nextLevel = []string{"mid level", "senior", "lead manager", "director executive"}

// trade ladders name their rungs in words of their own.
var nextTradeLevel = map[string]string{"apprentice": "journeyman", "journeyman": "master"}

// AsksALevelOnly reports whether a follow-up's content words are only a
// career level ("and a senior one?", "what about mid-level ones", "for
// juniors?"): it asks the last question again at that level. "do they
// train the juniors" asks something else about juniors.
func AsksALevelOnly(question string) bool {
	if len(vocab.PhraseConcepts(question)) > 0 {
		return false // "how much do seniors make" asks the pay
	}
	named := false
	for _, t := range vocab.Terms(question) {
		switch {
		case IsLevelWord(t.Stem) || IsLevelWord(t.Stem+"s") || t.Stem == "mid":
			named = true
		case t.Stem == "one" || t.Stem == "level" || t.Stem == "kind" || t.Stem == "type":
		default:
			return false
		}
	}
	return named
}

// WithoutLevels is question without the words that name a level.
func WithoutLevels(question string) string {
	var kept []string
	changed := false
	for _, f := range strings.Fields(question) {
		w := strings.ToLower(strings.Trim(f, ",.!?;:()"))
		if IsLevelWord(w) || w == "level" && changed {
			changed = true
			continue
		}
		kept = append(kept, f)
	}
	if !changed {
		return question
	}
	return strings.Join(kept, " ")
}

// IsLevelWord reports whether w (lower case) names a career level
// ("junior", "seniors", "apprentice", "newbies").
func IsLevelWord(w string) bool {
	_, ok := levelRanks[w]
	return ok
}

// nextStepPhrases ask for the rung above the one just discussed.
var nextStepPhrases = []string{"what comes next", "comes after", "whats next", "what is next", "next step", "next level",
	"after that", "above that", "above this", "above it", "beyond that", "higher than that", "whats above", "what is above",
	"whats after", "what is after", "then what", "step up", "move up from there", "from there", "after this", "next rung"}

// durationWords are the words of "how long does that take", "how many
// years is that": with only these (and stop or leaning words) a question
// asks for the time the previous subject takes.
var durationWords = map[string]bool{"long": true, "take": true, "takes": true, "year": true, "years": true, "month": true,
	"months": true, "week": true, "weeks": true, "time": true, "last": true, "usually": true, "typically": true, "roughly": true,
	"approximately": true, "about": true, "overall": true, "total": true, "altogether": true, "need": true, "needed": true,
	"required": true, "exp": true, "yrs": true, "experience": true, "after": true, "many": true, "much": true, "u": true}

// copingWords ask how to get past something.
var copingWords = map[string]bool{"avoid": true, "prevent": true, "overcome": true, "deal": true, "handle": true, "cope": true,
	"fix": true, "beat": true, "tackle": true, "solve": true, "minimize": true, "minimise": true, "counter": true, "stop": true}

// badSide and goodSide ask for a job's downsides or upsides in everyday
// words.
var badSide = []string{"bad stuff", "bad things", "bad side", "bad parts", "bad part", "the bad", "downside", "downsides",
	"negatives", "negative side", "worst part", "worst parts", "worst things", "drawbacks", "what sucks", "anything bad"}

var goodSide = []string{"good stuff", "good things", "good side", "good parts", "good part", "the good", "upside", "upsides",
	"positives", "positive side", "best part", "best parts", "best things", "perks", "anything good"}

// publishWords ask where something is put for others to see.
var publishWords = map[string]bool{"post": true, "put": true, "share": true, "upload": true, "publish": true, "host": true,
	"showcase": true, "display": true, "show": true}

// FollowUp rewrites a follow-up that asks for an everyday intent (see
// above); false when it asks none, or when prev says nothing to apply it to.
func FollowUp(question, prev string) (string, bool) {
	if prev == "" {
		return "", false
	}
	var words []string
	vocab.ForEachWord(question, func(w string) { words = append(words, w) })
	if len(words) == 0 {
		return "", false
	}
	joined := " " + strings.Join(words, " ") + " "
	has := func(p string) bool { return strings.Contains(joined, " "+p+" ") }
	prevTopics := topicConcepts(prev)
	leans := Leans(question)

	// "what does that job involve?" after "can i become a manager?": the
	// rung named before is what "that job" is, and the tiers say what it
	// involves, how long it takes and what it pays.
	if level := levelIn(strings.Fields(strings.ToLower(prev))); level != "" && levelIn(words) == "" &&
		(has("that job") || has("that role") || has("that position") || has("that level") || has("that stage") || has("that rung")) {
		return carry(question, append([]string{level, "(career path tier)"}, slices.DeleteFunc(wordsOf(prev, subjectOnly), IsLevelWord)...)), true
	}
	// "go on", "more detail pls", "anything else?", "like what?": more of
	// the same, so the previous question again.
	if asksForMore(words) {
		return KeepTopic(question, prev), true
	}

	// The next rung of the ladder.
	// Not when the question names the rung itself ("how long to get to
	// senior after that"): then it asks about that rung.
	if slices.ContainsFunc(nextStepPhrases, has) && levelIn(words) == "" {
		if up, ok := climb(prev); ok {
			return up, true
		}
		if has("what comes next") || has("next step") || has("whats next") || has("what is next") {
			return carry("how do i progress and get promoted to the next level", wordsOf(prev, subjectOnly)), true
		}
	}
	// How long it takes.
	if has("how long") || has("how many years") || has("how many months") || has("how much time") || has("how much experience") {
		// "and how long till i'm senior?": the years of experience of a rung.
		if level := levelIn(words); level != "" && ownWords(words, withLevels(durationWords, "till", "until", "reach", "get", "become", "be", "make", "level", "experience")) {
			// The previous question's own level ("junior") is not carried.
			subject := slices.DeleteFunc(wordsOf(prev, subjectOnly), IsLevelWord)
			return carry("how many years of experience to become "+level+" (career path tier)", subject), true
		}
		if ownWords(words, withLevels(durationWords, "experience")) && (leans || len(words) <= 6) {
			switch {
			case hasAny(prevTopics, "senior", "promotion", "experience") || levelIn(strings.Fields(strings.ToLower(prev))) != "":
				return carry("how many years of experience does it take (career path tier)", wordsOf(prev, all)), true
			case len(prevTopics) == 0 || hasAny(prevTopics, "become", "education", "certify", "entry"):
				return carry("how long does it take to become", wordsOf(prev, all)), true
			}
		}
	}
	// The other side: "and the bad stuff?" after the pros asks for the cons,
	// "any upsides?" after the cons for the pros.
	if leans || len(words) <= 5 {
		switch {
		case slices.ContainsFunc(badSide, has):
			return "what are the cons and downsides", true
		case slices.ContainsFunc(goodSide, has):
			return "what are the pros and upsides", true
		}
	}
	// Why: "why is it growing?" after the outlook asks for the reasons, which
	// the guides give in prose ("driven by…", "because…"), not the figure;
	// so does a bare "why not tho?" after any question ("will ai replace
	// designers?").
	if (words[0] == "why" || has("how come") || has("whats driving") || has("what is driving")) && leans && (len(prevTopics) > 0 || len(words) <= 4 && has("why not")) {
		if carried := wordsOf(prev, all); len(carried) > 0 {
			return carry(question+" reasons driven by because", carried), true
		}
		return KeepTopic(question+" reasons driven by because", prev), true // "how much do they make": its words as written
	}
	// Where a figure comes from: "where's that number from?", "what's the
	// source?" after the outlook asks for the line that cites it, which the
	// guides word as "according to…", "…Statistics", "…reports".
	if leans && ((has("where") || has("wheres")) && words[len(words)-1] == "from" || has("source") || has("sources") || has("who says") ||
		has("according to who") || has("says who") || has("is that official") || has("how do you know")) && len(prevTopics) > 0 {
		return carry(question+" according to statistics source reports", wordsOf(prev, all)), true
	}
	// Where to put it: "where should i post it?" after a portfolio question
	// asks which sites or platforms host it.
	if has("where") && leans && slices.ContainsFunc(words, func(w string) bool { return publishWords[w] }) {
		return carry(question, append([]string{"host", "website", "platform", "online"}, wordsOf(prev, all)...)), true
	}
	// How to avoid the mistakes, challenges or downsides just listed.
	if leans && hasAny(prevTopics, "mistake", "challenge", "cons") && slices.ContainsFunc(words, func(w string) bool { return copingWords[w] }) {
		return "what tips and advice help you succeed and " + strings.Join(words, " "), true
	}
	// Whether it is worth it.
	if has("worth it") || has("worth the") || has("worth doing") || has("worthwhile") || has("worth getting") {
		if leans && ownWords(words, map[string]bool{"worth": true, "worthwhile": true, "really": true, "doing": true, "getting": true, "even": true, "cost": true, "money": true, "effort": true}) {
			if hasAny(prevTopics, "education", "certify", "tools", "portfolio") {
				return carry(question, wordsOf(prev, all)), true
			}
			return "what are the pros and cons: " + strings.TrimSpace(question), true
		}
	}
	return "", false
}

// climb rewrites prev with its career level one rung up ("tell me about
// senior media specialists" → "tell me about lead manager media
// specialists"); false when prev names no level.
func climb(prev string) (string, bool) {
	var out []string
	found := false
	vocab.ForEachWord(prev, func(w string) {
		if r, ok := levelRanks[w]; ok && !found {
			found = true
			if t, ok := nextTradeLevel[w]; ok {
				out = append(out, t)
			} else if r < len(nextLevel) {
				out = append(out, nextLevel[r])
			}
			return
		}
		if _, ok := levelRanks[w]; ok || w == "level" {
			return // a second level word ("entry level"): the rung is replaced once
		}
		out = append(out, w)
	})
	if !found {
		return "", false
	}
	// The guides' ladder is their career path's tiers: a rung that bears
	// the career's bare name ("Data Analyst" between junior and senior) is
	// found by the tiers' heading.
	return strings.Join(out, " ") + " (career path tier)", true
}

// levelIn is the first career level among words ("senior"), or "".
func levelIn(words []string) string {
	for _, w := range words {
		if _, ok := levelRanks[w]; ok {
			return w
		}
	}
	return ""
}

// withLevels is allowed plus the level words and extra.
func withLevels(allowed map[string]bool, extra ...string) map[string]bool {
	out := map[string]bool{}
	for w := range allowed {
		out[w] = true
	}
	for w := range levelRanks {
		out[w] = true
	}
	for _, w := range extra {
		out[w] = true
	}
	return out
}

// ownWords reports whether every content word of words is one of allowed
// (stop words and leaning words aside).
func ownWords(words []string, allowed map[string]bool) bool {
	for _, w := range words {
		if vocab.IsStopWord(w) || leaningWords[w] || allowed[w] {
			continue
		}
		return false
	}
	return true
}

func hasAny(list []string, want ...string) bool {
	for _, w := range want {
		if slices.Contains(list, w) {
			return true
		}
	}
	return false
}

// Refers reports whether question points back with a pronoun ("is it
// hard?", "which of those…"), rather than only opening with "and" or "what
// about".
func Refers(question string) bool {
	refers := false
	vocab.ForEachWord(question, func(w string) {
		if leaningWords[w] {
			refers = true
		}
	})
	return refers
}

// PointsBack is Refers but for "one" and "ones", which stand for the
// previous question's noun rather than point at its answer: "the
// technical ones" after soft skills asks for another kind of skills.
//
// Nor does an existential "there" ("how many cons are there", "is there a
// ladder"): it points at nothing said before.
func PointsBack(question string) bool {
	var words []string
	vocab.ForEachWord(question, func(w string) { words = append(words, w) })
	for i, w := range words {
		if !leaningWords[w] || w == "one" || w == "ones" {
			continue
		}
		if w == "there" && (i > 0 && existentialVerbs[words[i-1]] || i+1 < len(words) && existentialVerbs[words[i+1]]) {
			continue
		}
		return true
	}
	return false
}

// existentialVerbs make "there" existential: "are there", "there is".
var existentialVerbs = map[string]bool{"is": true, "are": true, "was": true, "were": true, "isnt": true, "arent": true,
	"s": true, "be": true}

// OnlyQualifies reports whether the topic words of question only narrow a
// topic — a level ("what about at senior level?", "and for juniors?"), audio
// or video, soft — so that it asks the previous question's topic again.
func OnlyQualifies(question string) bool {
	qualifies := false
	vocab.ForEachWord(question, func(w string) {
		if _, ok := levelRanks[w]; ok {
			qualifies = true
		}
	})
	for _, t := range vocab.Terms(question) {
		if c := t.Concept; c != "" {
			if !qualifierConcepts[c] {
				return false
			}
			qualifies = true
		}
		if _, ok := levelRanks[t.Stem]; ok || t.Stem == "mid" {
			qualifies = true
		}
	}
	// "what about starting out?" after the pay: being new is a level too,
	// though "start out" is also how one gets in; "how do i get started"
	// asks that.
	phrases := vocab.PhraseConcepts(question)
	if qualifies && len(phrases) == 1 && phrases[0] == "become" && hasEntryWord(question) && !strings.Contains(" "+strings.ToLower(question)+" ", " how ") {
		return true
	}
	return qualifies && len(phrases) == 0
}

// hasEntryWord reports whether question says the asker is new ("starting",
// "beginner", "junior"): the entry concept.
func hasEntryWord(question string) bool {
	for _, t := range vocab.Terms(question) {
		if t.Concept == "entry" {
			return true
		}
	}
	return false
}

// moreWords ask for more of the last answer, with nothing of their own:
// "go on", "tell me more", "anything else?", "more detail pls", "like
// what?", "and then?".
var moreWords = map[string]bool{"go": true, "on": true, "continue": true, "keep": true, "going": true, "more": true,
	"detail": true, "details": true, "info": true, "information": true, "tell": true, "me": true, "elaborate": true,
	"expand": true, "anything": true, "else": true, "what": true, "then": true, "and": true, "like": true, "such": true,
	"as": true, "for": true, "example": true, "examples": true, "instance": true, "say": true, "please": true, "pls": true,
	"plz": true, "ok": true, "okay": true, "so": true, "can": true, "you": true, "u": true, "could": true, "a": true,
	"bit": true, "little": true, "about": true, "that": true, "it": true, "this": true, "further": true, "next": true,
	"else?": true, "yes": true, "yeah": true, "sure": true, "some": true}

// asksForMore reports whether words only ask for more of the last answer
// (see moreWords), with a word that asks for it.
func asksForMore(words []string) bool {
	if len(words) == 0 || len(words) > 7 {
		return false
	}
	asks := false
	for _, w := range words {
		if !moreWords[w] {
			return false
		}
		switch w {
		case "more", "continue", "elaborate", "expand", "else", "example", "examples", "instance", "going", "further":
			asks = true
		case "on":
			asks = asks || slices.Contains(words, "go")
		case "then":
			asks = asks || words[len(words)-1] == "then" || slices.Contains(words, "what")
		case "what":
			asks = asks || slices.Contains(words, "like") && words[len(words)-1] == "what"
		}
	}
	return asks
}
