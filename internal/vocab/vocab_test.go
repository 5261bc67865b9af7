package vocab

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/careerbot/careerbot/internal/testutil"
)

func TestTermsStemAndDropStopWords(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []Term
	}{
		{"What's the salary?", []Term{{"salary", "pay"}}},
		{"Editing skills and salaries", []Term{{"edit", ""}, {"skill", "skills"}, {"salary", "pay"}}},
		{"Can I work from home?", []Term{{"work", ""}, {"hom", "remote"}}},                  // "home"/"homes" → "hom"
		{"$51,000 to 1.5 million", []Term{{"51000", ""}, {"15", ""}, {"million", ""}}},      // separators inside numbers dropped
		{"Master’s degree, don't", []Term{{"master", "education"}, {"degre", "education"}}}, // "don't" → "dont", a stop word
		{"the and of", nil},
	} {
		if got := Terms(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestPhraseConcepts(t *testing.T) {
	for text, want := range map[string][]string{
		"How much do they make?":          {"pay"},
		"How do I break into the field?":  {"become"},
		"Where do they work?":             {"workplace"},
		"What does a media specialist do": {"duties"},
		"How much software do they use?":  nil,
	} {
		if got := PhraseConcepts(text); !slices.Equal(got, want) {
			t.Errorf("PhraseConcepts(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestLineShapes(t *testing.T) {
	if got := SplitSentences("Pay is good, e.g. in media. It grows! Is it $1.5 million? 2024 saw growth."); !slices.Equal(got, []string{"Pay is good, e.g. in media.", "It grows!", "Is it $1.5 million?", "2024 saw growth."}) {
		t.Errorf("SplitSentences = %q", got)
	}
	for line, want := range map[string]string{"Experience: 0-2 years": "Experience", "Note: see below": "Note", "The role is varied and it pays very well overall: yes": "", "- Item: x": ""} {
		key, ok := KeyOf(line)
		if key != want || ok != (want != "") || IsKeyValue(line) != ok {
			t.Errorf("KeyOf(%q) = %q, %v; IsKeyValue %v; want %q", line, key, ok, IsKeyValue(line), want)
		}
	}
	if !IsFigure("$51,000") || IsFigure("Entry-Level") {
		t.Error("IsFigure")
	}
}

// A stem in two concept groups would belong to whichever the map built
// last; it must belong to one (issue 16: it changed answers per process).
func TestConceptStemsAreUnique(t *testing.T) {
	owner := map[string]string{}
	for _, g := range conceptGroups {
		for _, w := range strings.Fields(g.words) {
			st := Stem(w)
			if o, ok := owner[st]; ok && o != g.concept {
				t.Errorf("%q (stem %q) is in the concepts %s and %s: keep it in one", w, st, o, g.concept)
			}
			owner[st] = g.concept
		}
	}
	for _, tt := range []struct{ word, concept string }{{"experienced", "experience"}, {"advance", "promotion"}, {"advancement", "promotion"},
		// The adjective is no advance: "advanced skills" are the skills.
		{"advanced", ""},
		// A lead is a tier of its own and leading is a doing, not seniority.
		{"lead", ""}, {"senior", "senior"},
		// Working hours are a concept of their own, not stress.
		{"weekends", "hours"}, {"overtime", "hours"}, {"hours", "hours"}, {"stressful", "stress"}} {
		if got := ConceptOf(Stem(tt.word)); got != tt.concept {
			t.Errorf("ConceptOf(Stem(%q)) = %q, want %q", tt.word, got, tt.concept)
		}
	}
}

// Words of a question that say nothing about what it asks: "one" ("how long
// to become one", "which one"), and nouns naming the career itself ("this
// field"). "hourly" is pay, not the hours of the day.
func TestPronounsCareerNounsAndHourly(t *testing.T) {
	for _, w := range []string{"one", "ones"} {
		if !IsStopWord(w) {
			t.Errorf("%q is not a stop word", w)
		}
	}
	if !IsCareerNoun(Stem("field")) {
		t.Error(`"field" does not name the career`)
	}
	if c := ConceptOf(Stem("hourly")); c != "pay" {
		t.Errorf("hourly: concept %q, want pay", c)
	}
	if c := ConceptOf(Stem("hours")); c == "pay" {
		t.Error("hours: concept pay")
	}
}

// ForEachWordIn and AppendWords are hand optimisations of ForEachWord for
// the answer path: they must give the same words, in the same order, for
// any text (capitals, apostrophes, numbers with separators, other scripts,
// words longer than the scanner's buffer, invalid UTF-8).
func TestForEachWordInIsForEachWord(t *testing.T) {
	pieces := []string{"a", "Z", "pay", "Salary", "don't", "master’s", "$51,000", "1.5", "3,", ",5", ".", "'", "’", " ", "\n", "-",
		"naïve", "ÉCOLE", "日本", "İ", "ß", "\xff", "\xe2\x80", strings.Repeat("x", 70), strings.Repeat("É", 40), "k", "65k", "q&a"}
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "How much does a data analyst earn?", "Median: $71,350 a year; the top 10% earn over $100,000."}
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		var want, got, in []string
		referenceWords(s, func(w string) { want = append(want, w) })
		ForEachWord(s, func(w string) { got = append(got, w) })
		ForEachWordIn(s, func(w string) { in = append(in, w) })
		if !slices.Equal(got, want) || !slices.Equal(in, want) {
			t.Fatalf("%q: ForEachWord gives %q, ForEachWordIn %q, want %q", s, got, in, want)
		}
		joined := ""
		for _, w := range want {
			joined += w + " "
		}
		if app := string(AppendWords([]byte("x"), s)); app != "x"+joined {
			t.Fatalf("AppendWords(%q) = %q, want %q", s, app, "x"+joined)
		}
	}
}

// The point of ForEachWordIn: a text of plain lower-case words costs no
// allocation, where ForEachWord costs one per word.
func TestForEachWordInAllocatesNothingForPlainWords(t *testing.T) {
	s := "what degree do you need to become a data analyst"
	n := 0
	if a := testing.AllocsPerRun(100, func() { ForEachWordIn(s, func(w string) { n += len(w) }) }); a != 0 {
		t.Errorf("ForEachWordIn allocated %v times per call, want 0", a)
	}
	var buf []byte
	if a := testing.AllocsPerRun(100, func() { buf = AppendWords(buf[:0], "Median: $71,350 for Data Analysts") }); a != 0 {
		t.Errorf("AppendWords allocated %v times per call into a buffer of room enough, want 0", a)
	}
}

// referenceWords is ForEachWord as it was before the scanner was shared
// (commit 8047da0), the reference the shared scanner is held to.
func referenceWords(s string, fn func(word string)) {
	var buf [64]byte
	w := buf[:0]
	flush := func() {
		if len(w) > 0 {
			fn(string(w))
			w = w[:0]
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			w = append(w, byte(r))
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			w = append(w, byte(r+'a'-'A'))
		case (r == ',' || r == '.') && len(w) > 0 && isDigit(w[len(w)-1]) && i+1 < len(s) && isDigit(s[i+1]):
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w = utf8.AppendRune(w, unicode.ToLower(r))
		case len(w) > 0 && unicode.IsMark(r): // a rule of words, not of the optimisation
			w = utf8.AppendRune(w, r)
		default:
			flush()
		}
		i += size
	}
	flush()
}

// wordScanner.next classes ASCII bytes by a table (a hand optimisation,
// see there): it must give the words, their starts and their plain flags
// the rune-by-rune scanner gave (referenceScanner, kept below), on the
// corpus, the DEV eval questions and random texts.
func TestWordScannerMatchesReference(t *testing.T) {
	texts := []string{"", "How much does a data analyst earn?", "Median: $71,350 a year; the top 10% earn over $100,000.", "don't", "a,b 1,2 1, ,1 1.5. 3.x"}
	texts = append(texts, testutil.FileLines(t, "../../corpus/*", "../../testdata/guides/*", "../../testdata/eval/*.dev.jsonl")...)
	pieces := []string{"a", "Z", "pay", "Salary", "don't", "master’s", "$51,000", "1.5", "3,", ",5", ".", "'", "’", " ", "\n", "-",
		"naïve", "ÉCOLE", "日本", "İ", "ß", "\xff", "\xe2\x80", strings.Repeat("x", 70), strings.Repeat("É", 40), "k", "65k", "q&a", "9", "\x7f", "\x00", "`", "_"}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			if rng.IntN(4) == 0 {
				b.WriteByte(byte(rng.IntN(256)))
			} else {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
		}
		texts = append(texts, b.String())
	}
	words := 0
	for _, s := range texts {
		sc, ref := wordScanner{s: s}, referenceScanner{s: s}
		for {
			w, from, plain, ok := sc.next()
			rw, rfrom, rplain, rok := ref.next()
			if string(w) != string(rw) || from != rfrom || plain != rplain || ok != rok {
				t.Fatalf("%q: next gives %q at %d (plain %v, ok %v), want %q at %d (plain %v, ok %v)", s, w, from, plain, ok, rw, rfrom, rplain, rok)
			}
			if !ok {
				break
			}
			words++
		}
	}
	if words < 80000 {
		t.Fatalf("only %d words compared: the test checks too little", words)
	}
}

// referenceScanner is wordScanner as it was before its ASCII table
// (main 897c4f8).
type referenceScanner struct {
	s   string
	i   int
	buf [64]byte
}

func (sc *referenceScanner) next() (w []byte, from int, plain, ok bool) {
	s := sc.s
	w = sc.buf[:0]
	plain = true
	for sc.i < len(s) {
		i := sc.i
		r, size := utf8.DecodeRuneInString(s[i:])
		sc.i += size
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			if len(w) == 0 {
				from = i
			} else if from+len(w) != i {
				plain = false // a separator or an apostrophe was skipped
			}
			w = append(w, byte(r))
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			if len(w) == 0 {
				from = i
			}
			plain = false
			w = append(w, byte(r+'a'-'A'))
		case (r == ',' || r == '.') && len(w) > 0 && isDigit(w[len(w)-1]) && i+1 < len(s) && isDigit(s[i+1]):
			// 51,000 and 1.5 stay one token
		case r == '\'' || r == '’':
			// don't → dont, master’s → masters
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if len(w) == 0 {
				from = i
			}
			plain = false
			w = utf8.AppendRune(w, unicode.ToLower(r))
		case len(w) > 0 && unicode.IsMark(r): // a rule of words added since, not part of what is guarded
			plain = false
			w = utf8.AppendRune(w, r)
		default:
			if len(w) > 0 {
				return w, from, plain, true
			}
		}
	}
	return w, from, plain, len(w) > 0
}

// The noun of a verb in "-ate" stems as the verb; a short word ending so
// keeps its own stem.
func TestStemMeetsTheVerbOfAnAtionNoun(t *testing.T) {
	for _, pair := range [][2]string{{"negotiations", "negotiate"}, {"regulation", "regulated"}, {"communication", "communicate"},
		{"certification", "certificate"}, {"locations", "locate"}} {
		if a, b := Stem(pair[0]), Stem(pair[1]); a != b {
			t.Errorf("Stem(%q) = %q, Stem(%q) = %q; want one stem", pair[0], a, pair[1], b)
		}
	}
	for _, w := range []string{"station", "nation"} {
		if st := Stem(w); st != w {
			t.Errorf("Stem(%q) = %q, want it kept", w, st)
		}
	}
}
