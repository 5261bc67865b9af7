package vocab

import (
	"slices"
	"strings"
	"testing"
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
	for _, tt := range []struct{ word, concept string }{{"experienced", "experience"}, {"advance", "promotion"}, {"advanced", "promotion"}} {
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
