// Package vocab reads English the way the bot needs it: words, a light
// stemmer, stop words, the career concepts that make "pay", "salary" and
// "earn" meet, phrases that name a concept as a whole, sentences, "Key:
// value" lines and figures. Retrieval (internal/rag) and answer writing
// (internal/compose) both read text through it, so a question and a guide
// are always cut into the same words; a change to the vocabulary is made
// here, once.
package vocab

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopWords are dropped before matching: they carry no topic.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but if then so of to in on at by for with from into onto about as
	is are was were be been being am do does did doing done have has had having will would shall should can could may might must
	i me my mine we us our you your yours he him his she her it its they them their theirs this that these those there here
	what which who whom whose when where why how whats hows whos
	not no nor only own same too very just also than such any all each both few more most other some
	up down out over under again further once s t ll re ve d m one ones
	tell know please want like get got really much many lot lots kind sort thing things
	main usual usually common commonly normal normally best good great need needs needed able possible worth right now currently actually
	exactly generally someone somebody anyone person way ways stuff etc ok okay hi hello hey thanks thank
	put together go going take make makes made look looks looking until till im ive id youre theyre dont doesnt isnt arent cant wont
	help give show explain describe say`) {
		m[w] = true
	}
	return m
}()

// conceptGroups are users' everyday words for a career topic, which share
// one feature so that "pay", "salary" and "earn" meet. Keep this general
// career vocabulary, not guide wording. A slice, not a map (issue 16): built
// in map order, a stem listed under two concepts went to either, per
// process ("experienced" was senior and experience, "advanced" senior and
// "advance" promotion: one stem each), which changed vectors, scores and
// answers from one run to the next. No stem may be in two groups
// (TestConceptStemsAreUnique); were one, the first group would win.
var conceptGroups = []struct{ concept, words string }{
	{"pay", "pay paid salary salari earn earning income compensation wage money paycheck remuneration hourly"},
	{"remote", "remote remotely home telecommute telework wfh hybrid anywhere distributed"},
	{"entry", "junior entry beginner newcomer novice graduate grad starting start fresher intern internship"},
	{"senior", "senior veteran"},
	{"education", "degree college university major study education educational school bachelor master diploma coursework academic"},
	{"tools", "software tool program app application stack platform suite use using utilize"},
	{"skills", "skill abilities ability competenc competency qualiti quality strength"},
	{"certify", "certification certificate credential certified cert"},
	{"day", "day daily typical routine schedule workday"},
	{"stress", "stress stressful pressure balance burnout"},
	// Working hours are their own concept: "do they work weekends" and
	// "crazy hours?" are answered where the guide says when the work is
	// done ("irregular hours during live events"), not by the stress
	// ratings, which they met as one concept (DEV: five hours questions of
	// four sets answered with "Stress Level: Moderate" alone).
	{"hours", "hour overtime weekend night irregular"},
	{"demand", "demand outlook growth grow growing future prospect hiring market"},
	{"promotion", "promotion promot advance advancement progress progression ladder tier"},
	{"portfolio", "portfolio showreel reel sample"},
	{"duties", "responsibiliti responsibility duty duti task"},
	{"pros", "pro advantage benefit upside perk"},
	{"cons", "con disadvantage downside drawback"},
	{"challenge", "challenge difficult hard harder hardest tough tougher toughest obstacle struggle problem"},
	{"audio", "audio sound podcast record recording"},
	{"video", "video film footage"},
	{"mistake", "mistake error pitfall avoid"},
	{"abroad", "abroad international global country worldwide overseas"},
	{"workplace", "workplace office environment setting studio"},
	{"become", "become becoming path pathway enter break"},
	{"success", "success measure metric kpi analytics"},
	{"experience", "experience experienced"},
	{"soft", "interpersonal people soft teamwork"},
}

// concepts maps a stem (see Stem) to its concept name.
var concepts = func() map[string]string {
	m := map[string]string{}
	for _, g := range conceptGroups {
		for _, w := range strings.Fields(g.words) {
			if _, taken := m[Stem(w)]; !taken {
				m[Stem(w)] = g.concept
			}
		}
	}
	return m
}()

// careerNouns name the career itself, not a part of it: "this job", "the
// career", "the profession". A question's other words say what it asks.
var careerNouns = map[string]bool{"job": true, "career": true, "profession": true, Stem("occupation"): true, "field": true, "gig": true}

// IsCareerNoun reports whether stem only names the career being asked about
// ("what is this job about", "hardest part of the career").
func IsCareerNoun(stem string) bool { return careerNouns[stem] }

// IsStopWord reports whether word (lower case, see ForEachWord) carries no
// topic and is dropped before matching.
func IsStopWord(word string) bool { return stopWords[word] }

// ConceptOf is the career concept a stem belongs to ("salari" → "pay"), or "".
func ConceptOf(stem string) string { return concepts[stem] }

// ForEachWord calls fn with each lower-cased word of s: letters and digits,
// with thousands separators inside numbers removed ("$51,000" → "51000").
// Each word is a string of its own, which fn may keep.
func ForEachWord(s string, fn func(word string)) {
	sc := wordScanner{s: s}
	for w, _, _, ok := sc.next(); ok; w, _, _, ok = sc.next() {
		fn(string(w))
	}
}

// ForEachWordIn is ForEachWord for the answer path (a question, the texts
// of the hits): a word that s already holds as ForEachWord gives it —
// lower-case ASCII letters and digits, most words of a text — is passed as
// a substring of s instead of a copy, so it costs no allocation. A word
// that fn keeps keeps s in memory, so index-time callers, which keep words
// of texts they then drop, use ForEachWord. Measured (botbench -clients 50
// -profile-dir, offline): ForEachWord's copies were ~28% of an answer's
// allocations, ~170 per answer. TestForEachWordInIsForEachWord holds the
// two to the same words.
func ForEachWordIn(s string, fn func(word string)) {
	sc := wordScanner{s: s}
	for w, from, plain, ok := sc.next(); ok; w, from, plain, ok = sc.next() {
		if plain {
			fn(s[from : from+len(w)])
		} else {
			fn(string(w))
		}
	}
}

// AppendWords appends the words of s (ForEachWord) to dst, each followed
// by a space, without a string per word: compose.Writer.Cited compares answers
// and hits as such word strings on every answer.
func AppendWords(dst []byte, s string) []byte {
	sc := wordScanner{s: s}
	for w, _, _, ok := sc.next(); ok; w, _, _, ok = sc.next() {
		dst = append(dst, w...)
		dst = append(dst, ' ')
	}
	return dst
}

// wordScanner is the one word scanner behind ForEachWord, ForEachWordIn
// and AppendWords. A value on the caller's stack: its buffer holds the
// word next returns (until the next call), so no word costs an allocation
// unless the caller copies it.
type wordScanner struct {
	s   string
	i   int
	buf [64]byte
}

// next returns the next word in a scratch buffer, where it began in s, and
// whether s holds it there byte for byte (plain: nothing lowered, skipped or
// re-encoded); ok is false at the end of s.
//
// ASCII bytes are classed by a table (asciiClass) without decoding a rune
// first: next was the biggest self cost of an offline answer (56k of 775k
// instructions per answer, BenchmarkAnswerOffline/botbench under
// callgrind), nearly all on ASCII. TestWordScannerMatchesReference holds it
// to the rune-by-rune scanner it replaced (kept in the test).
func (sc *wordScanner) next() (w []byte, from int, plain, ok bool) {
	s := sc.s
	w = sc.buf[:0]
	plain = true
	i := sc.i
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch asciiClass[c] {
			case asciiLower:
				if len(w) == 0 {
					from = i
				} else if from+len(w) != i {
					plain = false // a separator or an apostrophe was skipped
				}
				w = append(w, c)
				i++
				continue
			case asciiUpper:
				if len(w) == 0 {
					from = i
				}
				plain = false
				w = append(w, c+'a'-'A')
				i++
				continue
			case asciiApostrophe:
				i++ // don't → dont
				continue
			case asciiPoint:
				if len(w) > 0 && isDigit(w[len(w)-1]) && i+1 < len(s) && isDigit(s[i+1]) {
					i++ // 51,000 and 1.5 stay one token
					continue
				}
			}
			i++
			if len(w) > 0 {
				sc.i = i
				return w, from, plain, true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '’':
			// master’s → masters
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if len(w) == 0 {
				from = i
			}
			plain = false
			w = utf8.AppendRune(w, unicode.ToLower(r))
		case len(w) > 0 && unicode.IsMark(r):
			// A combining mark goes on its letter's word: Devanagari's vowel
			// signs and virama ("नमस्ते" was two words), a decomposed accent.
			plain = false
			w = utf8.AppendRune(w, r)
		default:
			if len(w) > 0 {
				sc.i = i + size
				return w, from, plain, true
			}
		}
		i += size
	}
	sc.i = i
	return w, from, plain, len(w) > 0
}

// The classes of ASCII bytes for wordScanner.next: a lower-case letter or
// a digit (kept as is), an upper-case letter (lowered), an apostrophe
// (skipped inside a word), a comma or a full stop (kept between digits),
// anything else a separator.
const (
	asciiSeparator = iota
	asciiLower
	asciiUpper
	asciiApostrophe
	asciiPoint
)

var asciiClass = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			t[c] = asciiLower
		case c >= 'A' && c <= 'Z':
			t[c] = asciiUpper
		case c == '\'':
			t[c] = asciiApostrophe
		case c == ',' || c == '.':
			t[c] = asciiPoint
		}
	}
	return t
}()

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// Stem is a light English stemmer: enough to meet "editing"/"edit",
// "salaries"/"salary", "skills"/"skill", without Porter's full rule set.
func Stem(w string) string {
	if w == "advanced" {
		// The adjective ("advanced skills") is no advance in a career:
		// stemmed, it met "advance" and "advancement" (promotion), and
		// "which advanced skills help me level up" went to the career
		// growth path, not the Advanced Technical Skills.
		return w
	}
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "sses"):
		w = w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	}
	n = len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = undouble(w[:n-3])
	case n > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		w = undouble(w[:n-2])
	case n > 5 && strings.HasSuffix(w, "ly") && w != "hourly": // "hourly" is pay; "hour" is the working day's
		w = w[:n-2]
	}
	if n := len(w); n >= 8 && strings.HasSuffix(w, "ation") {
		// The noun of a verb in "-ate" is the verb: "negotiations" met no
		// "negotiate", "regulations" no "regulate" ("do leads negotiate
		// contracts" was declined; DEV one-guide). Not a short word
		// ("station", "nation").
		w = w[:n-3]
	} else if n > 3 && w[n-1] == 'e' {
		w = w[:n-1] // "manage"/"managing" → "manag"
	}
	return w
}

func undouble(w string) string {
	n := len(w)
	if n > 2 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

// Term is one content word of a text, with its concept (if any).
type Term struct {
	Stem    string
	Concept string
}

// Terms returns the stems of s without stop words, in order. The stems
// may be substrings of s (ForEachWordIn: Terms runs on every question and
// on the lines of every answer).
func Terms(s string) []Term {
	var out []Term
	ForEachWordIn(s, func(word string) {
		if stopWords[word] {
			return
		}
		st := Stem(word)
		out = append(out, Term{Stem: st, Concept: concepts[st]})
	})
	return out
}

// PhraseConcepts returns the concepts that phrases in text name as a whole:
// "how much do they make" is about pay without every "make" being pay;
// "break into" and "get started" are about getting in; "where … work" is
// about the workplace. It scans words, not regexps: it runs on every chunk.
func PhraseConcepts(text string) []string {
	var out []string
	var prev string
	var howMuch, where, what, pay, become, place bool
	// ForEachWordIn: no word is kept past the call (prev is local), and
	// PhraseConcepts reads every question several times per answer; its
	// word copies were ~4% of an offline answer's allocations
	// (BenchmarkAnswerOffline/botbench, 13:52 UTC).
	// TestForEachWordInIsForEachWord holds the two scanners to the same words.
	ForEachWordIn(text, func(w string) {
		switch {
		case prev == "how" && w == "much":
			howMuch = true
		case howMuch && (w == "make" || w == "makes" || w == "get" || w == "take" || w == "bring"):
			pay = true
		case (prev == "break" || prev == "breaking" || prev == "get" || prev == "getting") && (w == "into" || w == "in"),
			prev == "get" && w == "started", (prev == "start" || prev == "starting") && w == "out":
			become = true
		case w == "where":
			where = true
		case where && strings.HasPrefix(w, "work"):
			place = true
		case w == "what":
			what = true
		}
		prev = w
	})
	// "What does a … do?" asks for the duties.
	if what && (prev == "do" || prev == "does") {
		out = append(out, "duties")
	}
	if pay {
		out = append(out, "pay")
	}
	if become {
		out = append(out, "become")
	}
	if place {
		out = append(out, "workplace")
	}
	return out
}

// SplitSentences splits prose after ". ", "! " or "? " when the next word
// starts with a capital letter, which keeps "e.g. this" and "$1.5 million"
// together.
func SplitSentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(p); i++ {
		if (p[i] == '.' || p[i] == '!' || p[i] == '?') && p[i+1] == ' ' {
			r, _ := utf8.DecodeRuneInString(p[i+2:])
			if unicode.IsUpper(r) || unicode.IsDigit(r) {
				out = append(out, strings.TrimSpace(p[start:i+1]))
				start = i + 2
			}
		}
	}
	if rest := strings.TrimSpace(p[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// keyValue matches "Experience: 0-2 years" but not a sentence with a colon in it.
var keyValue = regexp.MustCompile(`^([A-Z][\w &/'’().-]{0,40}):\s+(\S.*)$`)

// IsKeyValue reports whether line is a "Key: value" line ("Experience: 0-2
// years"), not a sentence with a colon in it.
func IsKeyValue(line string) bool { return keyValue.MatchString(line) }

// KeyOf returns the key of a "Key: value" line ("Experience"), if it is one.
func KeyOf(line string) (string, bool) {
	m := keyValue.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// IsFigure reports whether a fragment is a number, money or a percentage.
func IsFigure(s string) bool {
	return strings.ContainsFunc(s, unicode.IsDigit)
}
