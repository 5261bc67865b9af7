package conversation

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"

	"github.com/careerbot/careerbot/internal/testutil"
)

// TestInitialsOfIsCareersByInitials holds expandInitials (the careers'
// initials remembered per careers slice) to the version before, which read
// them on every call: for the six-career corpus, a slice of other careers
// (initials shared, taken by shorthand), copies of a slice (a reload) and a
// copy changed, asked in turn so that the remembered initials are replaced
// and read again, on every eval question and history with initials put in.
func TestInitialsOfIsCareersByInitials(t *testing.T) {
	six := multiGuideIndex(t).Careers()
	other := []rag.Career{{Name: "Registered Nurse"}, {Name: "Real Estate Agent"}, {Name: "Data Analyst"}, {Name: "Database Administrator"},
		{Name: "Urban Researcher"}, {Name: "Nurse"}, {Name: "Physical Therapist"}}
	changed := slices.Clone(six)
	changed[0].Name = "Physical Therapist"
	lists := [][]rag.Career{six, other, slices.Clone(six), changed, six, nil, other[:1]}
	questions := testutil.EvalMessages(t, "../../testdata/eval")
	questions = append(questions, "starting salary for an rn", "rn pay senior level", "how about rns then", "what's the pay rn",
		"da vs dba?", "is a pt job stressful", "an rea earns what", "become a ra", "UR pay?")
	for _, cs := range lists {
		if got, want := initialsOf(cs), careersByInitials(cs); len(cs) > 0 && !reflect.DeepEqual(got, want) {
			t.Fatalf("initialsOf(%v) = %v, want %v", cs, got, want)
		}
		for _, q := range questions {
			for _, q := range []string{q, "an rn " + q, q + " da pay?"} {
				if got, want := expandInitials(q, cs), refExpandInitials(q, cs); got != want {
					t.Fatalf("expandInitials(%q) = %q, want %q", q, got, want)
				}
			}
		}
	}
}

// The version before (commit 0328225).

func refExpandInitials(question string, careers []rag.Career) string {
	byInitials := map[string]string{}
	for _, c := range careers {
		words := strings.Fields(c.Name)
		if len(words) < 2 {
			continue
		}
		var b strings.Builder
		for _, w := range words {
			r := []rune(w)
			b.WriteRune(unicode.ToLower(r[0]))
		}
		in := b.String()
		if notInitials[in] || vocab.IsStopWord(in) {
			continue
		}
		if _, taken := byInitials[in]; taken {
			byInitials[in] = "" // two careers share them: neither
			continue
		}
		byInitials[in] = c.Name
	}
	if len(byInitials) == 0 {
		return question
	}
	fields := strings.Fields(question)
	lower := make([]string, len(fields))
	for i, f := range fields {
		lower[i] = strings.ToLower(strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
	}
	changed := false
	for i, w := range lower {
		name, plural := byInitials[w], false
		if name == "" && strings.HasSuffix(w, "s") {
			name, plural = byInitials[strings.TrimSuffix(w, "s")], true
		}
		if name == "" {
			continue
		}
		title := plural || i > 0 && titleBefore[lower[i-1]] || i+1 < len(lower) && titleAfter[lower[i+1]]
		if !title {
			continue
		}
		if plural {
			name += "s"
		}
		// Keep the punctuation around the word ("rn?" → "Registered Nurse?").
		f := fields[i]
		start := strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		end := strings.LastIndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		fields[i] = f[:start] + name + f[end+1:]
		changed = true
	}
	if !changed {
		return question
	}
	return strings.Join(fields, " ")
}
