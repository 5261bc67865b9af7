package rag

import (
	"github.com/careerbot/careerbot/internal/vocab"

	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// chatShorthand expands what visitors type in a chat window ("how much do u
// make", "pls", "certs") into the words the guides and the topic vocabulary
// use. An empty expansion drops the word ("tbh", "lol").
var chatShorthand = map[string]string{
	"u": "you", "ur": "your", "urs": "yours", "r": "are", "ya": "you", "yall": "you", "y": "why",
	"pls": "please", "plz": "please", "pleas": "please", "thx": "thanks", "thnx": "thanks", "tx": "thanks", "ty": "thank you",
	"wat": "what", "wut": "what", "wht": "what", "hw": "how", "abt": "about", "bout": "about",
	"bc": "because", "cuz": "because", "coz": "because", "cos": "because",
	"yr": "year", "yrs": "years", "hrs": "hours", "hr": "hour", "mo": "month", "wk": "week", "wks": "weeks",
	"info": "information", "edu": "education", "exp": "experience", "certs": "certifications", "cert": "certification",
	"arvo": "afternoon", "arvos": "afternoons", "quals": "qualifications", "evals": "evaluations", "eval": "evaluation", "mgr": "manager", "mgmt": "management", "sal": "salary", "avg": "average",
	"max": "maximum", "min": "minimum", "reqs": "requirements", "req": "requirement", "dept": "department",
	"wfh": "work from home", "rn": "now", "b4": "before", "w": "with", "wo": "without",
	"gonna": "going to", "wanna": "want to", "gotta": "have to", "dunno": "do not know", "kinda": "kind of",
	"whats": "what is", "hows": "how is", "wheres": "where is", "whos": "who is",
	"da": "the", "teh": "the", "thru": "through", "tho": "though", "diff": "difference", "v": "vs",
	"tbh": "", "idk": "", "imo": "", "imho": "", "ngl": "", "lol": "", "btw": "", "pls?": "", "fyi": "", "lmk": "",
	"govt": "government", "intl": "international", "uni": "university", "biz": "business", "comp": "compensation",
	"ppl": "people", "gimme": "give me", "lemme": "let me", "til": "until", "prolly": "probably", "shud": "should",
	"cud": "could", "wud": "would", "sth": "something", "smth": "something", "n": "and", "nd": "and", "alot": "a lot",
	"becuz": "because", "tmrw": "tomorrow", "gud": "good", "comfy": "comfortable", "hav": "have", "wen": "when",
	"workday": "work day", "workdays": "work days",
	"jr": "junior", "sr": "senior", "uk": "united kingdom", "usa": "united states", "dev": "developer", "devs": "developers", "k": "thousand",
}

// vocabulary is the corpus's words, for typo correction. Whether a word is
// known is a look-up in the IDF table; the words themselves (with their
// counts, grouped by first letter) are gathered on the first correction,
// so that opening a large corpus does not pay for them up front.
type vocabulary struct {
	inCorpus func(word string) bool
	texts    func(yield func(string)) // the texts whose words make the vocabulary

	once  sync.Once
	count map[string]int
	// byFirst lists the words of three letters or more by first letter, in
	// order, with their counts and whether they are a job title's last
	// word (agentNouns): correct tries every word of a list for each
	// unknown word of a question, and looking both up in maps per word was
	// most of its time (botbench -clients 50 -profile-dir, 16:45 UTC).
	byFirst [256][]vocabWord
	// careerWords are the words of the covered careers' forms, weak forms
	// included.
	careerWords map[string]bool
}

// namesACareer reports whether w is a word of a covered career's forms
// ("hr" when the corpus has a Human Resources Specialist): shorthand
// expansion leaves it as typed.
func (v *vocabulary) namesACareer(w string) bool {
	return v.careerWords != nil && v.careerWords[w]
}

type vocabWord struct {
	word    string
	count   int
	agent   bool   // agentNouns[word]
	letters uint64 // letterSet(word)
}

// letterSet is the set of a word's bytes, each byte b as bit b&63 (so a to
// z are distinct bits). One edit (a byte wrong, missing, extra, or two
// swapped) changes the set by at most two bits, so two words within k
// edits differ in at most 2k bits of their sets, whatever bytes share a
// bit: correct skips the words that differ in more without running
// withinEdits on them. withinEdits was 4% of an answer's instructions (33k
// of 775k per answer, BenchmarkAnswerOffline/botbench under callgrind),
// nearly all on words this rules out; TestCorrectMatchesReference and
// TestLetterSetBoundsEdits hold it to the unfiltered version.
func letterSet(w string) uint64 {
	var s uint64
	for i := 0; i < len(w); i++ {
		s |= 1 << (w[i] & 63)
	}
	return s
}

// cueWords are the topic vocabulary's words and the job titles': known even when no guide uses
// them ("salry" is "salary" even in a guide that says "pay").
var cueWords = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range careerTopics {
		vocab.ForEachWord(t.cues, func(w string) { m[w] = true })
	}
	// So are job titles: "estate" in "real estate agent" is no typo of
	// "state", nor "teacher" of "teaches".
	for _, o := range occupations {
		vocab.ForEachWord(o, func(w string) { m[w] = true; m[plural(w)] = true })
	}
	return m
}()

// agentNouns are the last words of the job titles: "baker", "writer".
var agentNouns = func() map[string]bool {
	m := map[string]bool{}
	for _, o := range occupations {
		if f := strings.Fields(o); len(f) > 0 {
			m[f[len(f)-1]] = true
		}
	}
	return m
}()

// agentOf reports whether job title c is the doer of verb w ("bake" →
// "baker", "paint" → "painter"): another word, never a typo of it. Taking
// it for one turned "how do I bake sourdough" into a question about
// bakers (a career we have no guide for) instead of an off-topic decline.
func agentOf(w, c string) bool {
	return agentNouns[c] && (c == w+"r" || c == w+"er")
}

// doerOf reports whether w is one who does or makes c ("tiktoker" of
// "tiktok", "vlogger" of "vlog"): a job title of its own, not a typo of
// the guides' word. Taken for one, "i wanna be a tiktoker, how much can u
// make" was a pay question about the media specialist.
func doerOf(w, c string) bool {
	rest, ok := strings.CutPrefix(w, c)
	if !ok || len(c) < 3 {
		return false
	}
	switch rest {
	case "er", "ers", "ist", "ists", "or", "ors", "ian", "ians":
		return true
	case "r", "rs": // "bake" → "baker"; "bouncerr" is a typo of "bouncer"
		return c[len(c)-1] == 'e'
	}
	return len(rest) >= 3 && rest[0] == c[len(c)-1] && (rest[1:] == "er" || rest[1:] == "ers") // "vlogger"
}

func (v *vocabulary) words() {
	v.once.Do(func() {
		v.count = map[string]int{}
		add := func(s string) {
			vocab.ForEachWord(s, func(w string) {
				if !isNumber(w) {
					v.count[w]++
				}
			})
		}
		if v.texts != nil {
			v.texts(add)
		}
		for w := range cueWords {
			v.count[w]++
		}
		for _, w := range strings.Fields("what which where when with have that this there their they about would could should does whats") {
			v.count[w]++ // "waht" is "what"
		}
		for w, n := range v.count {
			if len(w) >= 3 {
				v.byFirst[w[0]] = append(v.byFirst[w[0]], vocabWord{word: w, count: n, agent: agentNouns[w], letters: letterSet(w)})
			}
		}
		for _, list := range v.byFirst {
			// ties in count go to the first word in order, not to map order
			slices.SortFunc(list, func(a, b vocabWord) int { return strings.Compare(a.word, b.word) })
		}
	})
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// known reports whether a word needs no correction.
func (v *vocabulary) known(w string) bool {
	if vocab.IsStopWord(w) || isNumber(w) || cueWords[w] || phrasingWords[w] || thingWords[w] {
		return true
	}
	if _, ok := chatShorthand[w]; ok {
		return true
	}
	// A correctly spelt English word is not a typo of a guide's word, however
	// near: "stuck" is not "stack", "clothing" not "closing".
	if vocab.IsEnglishWord(w) {
		return true
	}
	// Stemmed: "editors" when the guides say "editor".
	return v.inCorpus != nil && v.inCorpus(w)
}

// correct returns the corpus word an unknown word is a typo of, or "" when
// none is close enough: one edit (a letter wrong, missing, extra or two
// swapped) for words of four to seven letters, two for longer ones; the
// commonest such word wins. Words under four letters are left alone, as is
// anything that is not plain ASCII.
func (v *vocabulary) correct(w string) string {
	if len(w) < 4 || v.known(w) || !isASCIIWord(w) {
		return ""
	}
	v.words()
	maxEdits := 1
	if len(w) >= 8 {
		maxEdits = 2
	}
	best, bestCount := "", 0
	letters := letterSet(w)
	try := func(list []vocabWord) {
		for _, e := range list {
			c := e.word
			if d := len(c) - len(w); d > maxEdits || -d > maxEdits || e.count <= bestCount || e.agent && agentOf(w, c) || doerOf(w, c) {
				continue
			}
			if bits.OnesCount64(letters^e.letters) > 2*maxEdits {
				continue // more than maxEdits apart (letterSet)
			}
			if withinEdits(w, c, maxEdits) {
				best, bestCount = c, e.count
			}
		}
	}
	try(v.byFirst[w[0]])
	if w[1] != w[0] {
		try(v.byFirst[w[1]]) // "sallary" keeps its first letter, "aslary" does not
	}
	return best
}

// isThousands reports whether w is an amount in thousands as people type
// it ("65k", "100k"): an amount of pay, not a word.
func isThousands(w string) bool {
	return len(w) >= 2 && w[len(w)-1] == 'k' && isNumber(w[:len(w)-1])
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// withinEdits reports whether a and b are at most k edits apart
// (Damerau–Levenshtein, optimal string alignment), with a band of width k.
func withinEdits(a, b string, k int) bool {
	n, m := len(a), len(b)
	if n-m > k || m-n > k {
		return false
	}
	// Rows on the stack for words of up to 31 letters: the three slices
	// made per candidate word were 21% of the bytes an offline answer
	// allocated (typo correction tries every corpus word of the same first
	// letter and length; botbench -clients 50 -profile-dir, 16:26 UTC).
	// TestWithinEditsMatchesReference holds it to the allocating version.
	var rows [3][32]int
	prev2, prev, cur := rows[0][:], rows[1][:], rows[2][:]
	if m+1 > len(rows[0]) {
		prev2, prev, cur = make([]int, m+1), make([]int, m+1), make([]int, m+1)
	}
	prev2, prev, cur = prev2[:m+1], prev[:m+1], cur[:m+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= m; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > k {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[m] <= k
}

// Normalize rewrites a question the way the guides would word it: chat
// shorthand expanded ("u" → "you", "certs" → "certifications") and typos
// corrected against the corpus's words ("salry" → "salary"). Everything
// else — punctuation, a carried "(…)" — is kept as typed. Search normalises
// by itself; the answer writer wants the same words.
func (ix *Index) Normalize(question string) string {
	return normalizeQuestion(question, ix.vocab)
}

func normalizeQuestion(question string, v *vocabulary) string {
	var b strings.Builder
	changed := false
	prev := "" // the previous word, lower case
	i := 0
	for i < len(question) {
		j := i
		for j < len(question) && isWordByte(question[j]) {
			j++
		}
		if j == i {
			b.WriteByte(question[i])
			i++
			continue
		}
		word := question[i:j]
		lower := strings.ToLower(strings.ReplaceAll(word, "'", ""))
		if n := nonTechnical(lower, question[j:]); n >= 0 {
			// "non technical skills" are the soft ones: read as such, or
			// "technical" would ask for the technical skills.
			b.WriteString("soft")
			changed = true
			prev = "soft"
			i = j + n
			continue
		}
		if exp, n := slashShorthand(lower, question[j:]); n > 0 {
			b.WriteString(exp)
			changed = true
			i = j + n
			continue
		}
		before := prev
		article := prev == "a" || prev == "an" || prev == "the" || prev == "as" || prev == "is" || prev == "become" || prev == "be"
		prev = lower
		if exp, ok := chatShorthand[lower]; ok && !(lower == "k" && i > 0 && isDigitByte(question[i-1])) && !(lower == "rn" && (article || titleFollows(question[j:]))) && !(lower == "hr" && (headFollows(question[j:]) || v != nil && v.namesACareer(lower) && !countsTime(before))) {
			b.WriteString(exp)
			changed = true
		} else if v != nil {
			if c := v.correct(lower); c != "" {
				b.WriteString(c)
				changed = true
			} else {
				b.WriteString(word)
			}
		} else {
			b.WriteString(word)
		}
		i = j
	}
	if !changed {
		return question
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// nonTechnical reports how many bytes of rest, after the word (lower
// case), make "non-technical", "non technical" or "nontechnical" with it;
// -1 when they do not.
func nonTechnical(word, rest string) int {
	if word == "nontechnical" {
		return 0
	}
	if word != "non" || len(rest) < 1 || rest[0] != ' ' && rest[0] != '-' {
		return -1
	}
	after := rest[1:]
	if len(after) >= len("technical") && strings.EqualFold(after[:len("technical")], "technical") &&
		(len(after) == len("technical") || !isWordByte(after[len("technical")])) {
		return 1 + len("technical")
	}
	return -1
}

// slashShorthand expands a chat shorthand written with a slash ("w/o
// college" is "without college", "w/ a degree" "with a degree", "b/c"
// "because"): word is the lower-cased word before the slash and rest the
// question after it. It returns the expansion and how many bytes of rest
// it took (0: none).
func slashShorthand(word, rest string) (string, int) {
	if !strings.HasPrefix(rest, "/") {
		return "", 0
	}
	end := func(n int) bool { return len(rest) == n || !isWordByte(rest[n]) }
	switch {
	case word == "w" && strings.HasPrefix(rest, "/o") && end(2):
		return "without", 2
	case word == "b" && strings.HasPrefix(rest, "/c") && end(2):
		return "because", 2
	case word == "w" && end(1):
		return "with", 1
	}
	return "", 0
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '\''
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// fillerStems are everyday words of phrasing that say nothing about the
// topic ("is photography part of it", "what am I supposed to be good at",
// "what problems do they run into"). When a guide does not use one it is
// dropped from the question rather than counted as a word the guides never
// use, which is what declines off-topic questions ("pizza", "capital").
var fillerStems = func() map[string]bool {
	m := map[string]bool{}
	vocab.ForEachWord(`part parts run runs running ran supposed suppose anything something everything nothing anyone everyone
	anybody everybody nobody whole entire basically actually literally honestly seriously probably maybe perhaps
	typically often sometimes always never ever still yet already soon quick quickly easy easily possible impossible
	likely true real sure certain whether either neither else enough even bit bunch plenty type types guy guys folks
	think thinking thought wonder wondering curious interested guess mean means meant seem seems feel feels felt try
	trying tried keep keeps let lets see seen saw find found figure figured hear heard happen happens happened goes
	went gone gets gotten come comes came bring brings told tells said says ask asking asked wish hope going
	nice cool awesome big small huge tiny little different yeah yes nope yep um uh hmm oh ah wow
	max maximum minimum total overall exact roughly approximately around about usual normal tho though okay
	wonderful amazing terrible awful super pretty quite rather fairly somewhat totally definitely absolutely
	stuff someone somebody anyway anyways also too again back thing things walk walking through length numbers
	vs versus compare compared comparison difference differences between better worse more less than which
	bruh lowkey highkey nah fr frfr deadass ngl tbh imo imho idk lol lmao omg bro dude fam yall reckon gonna wanna gotta
	kinda sorta fancy brutal legit vibe vibes
	hm hmmm po naman lang ba yung kasi talaga yaar kya abeg sha sef innit lah leh`, func(w string) { m[vocab.Stem(w)] = true })
	return m
}()

// taskVerbs ask the bot to do a job on the visitor's own thing ("fix my
// code", "translate this", "write me a poem", "sing a song"): the guides
// answer questions about careers, they do no tasks.
var taskVerbs = map[string]bool{
	"fix": true, "debug": true, "solve": true, "translate": true, "calculate": true, "compute": true, "convert": true,
	"summarize": true, "summarise": true, "proofread": true, "rewrite": true, "write": true, "code": true, "draw": true,
	"sing": true, "play": true, "book": true, "order": true, "remind": true, "cook": true, "generate": true, "compose": true,
}

// taskObjects follow a task verb when it is a request: "fix my…", "write
// me a…", "translate this…".
var taskObjects = map[string]bool{"my": true, "me": true, "this": true, "these": true, "that": true, "a": true, "an": true, "some": true, "it": true, "our": true}

// asksForATask reports whether a question is a request to do a task rather
// than a question: a task verb that opens it or follows "you" ("can you
// fix my script", "please translate this"), then what it is to be done to.
func asksForATask(question string) bool {
	var words []string
	vocab.ForEachWordIn(question, func(w string) { words = append(words, w) })
	for i := 0; i+1 < len(words); i++ {
		if !taskVerbs[words[i]] || !taskObjects[words[i+1]] {
			continue
		}
		if i == 0 || words[i-1] == "you" || words[i-1] == "please" || words[i-1] == "pls" || words[i-1] == "just" {
			return true
		}
	}
	return false
}

// titleFollows reports whether the word after "rn" makes it the job title:
// "rn salary", "rn vs lpn", "rn programs" ("what are they doing rn" ends
// the question; there "rn" is "now").
// firstWord is the first word of s (vocab.ForEachWord's), or "".
func firstWord(s string) string {
	first := ""
	vocab.ForEachWord(s, func(w string) {
		if first == "" {
			first = w
		}
	})
	return first
}

// headFollows reports whether the next word of rest is the kind of a
// job ("specialist", "manager"): "hr" before it is human resources, not
// an hour.
func headFollows(rest string) bool {
	next := firstWord(rest)
	return genericHeads[next] || next == "department" || next == "team" || next == "jobs" || next == "job"
}

// countsTime reports whether the word before "hr" makes it an hour: a
// number or a rate ("20 hr", "per hr", "an hr").
func countsTime(prev string) bool {
	return prev == "per" || prev == "an" || prev == "a" || prev == "each" || prev == "every" || prev != "" && isNumber(prev)
}

func titleFollows(rest string) bool {
	switch firstWord(rest) {
	case "salary", "salaries", "pay", "wage", "wages", "job", "jobs", "career", "careers", "vs", "versus", "or", "school",
		"license", "licence", "program", "programs", "degree", "shifts", "shift", "nurse", "nurses":
		return true
	}
	return false
}
