package compose

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestChipPickPrefersFreshThenOfferedThenAsked(t *testing.T) {
	m := &chipMemory{
		asked:   map[string]bool{chipKey("A?"): true, chipKey("B?"): true},
		offered: map[string]bool{chipKey("C?"): true, chipKey("D?"): true},
	}
	for _, tc := range []struct {
		name       string
		candidates []string
		want       []string
	}{
		{"fresh first, in order", []string{"A?", "C?", "E?", "F?", "G?", "H?"}, []string{"E?", "F?", "G?"}},
		{"two fresh are enough", []string{"A?", "C?", "E?", "F?"}, []string{"E?", "F?"}},
		{"one fresh, topped up with an offered one", []string{"A?", "C?", "E?"}, []string{"E?", "C?"}},
		{"offered before asked", []string{"a", "B?", "D?"}, []string{"D?", "a"}},
		{"only asked: repeats rather than fewer than two", []string{"a?", "b"}, []string{"a?", "b"}},
		{"duplicates and blanks skipped", []string{"E?", "e", " ", "F?"}, []string{"E?", "F?"}},
		{"too few candidates", []string{"E?"}, []string{"E?"}},
	} {
		if got := m.pick(tc.candidates, MaxFollowUps, MinFollowUps); !slices.Equal(got, tc.want) {
			t.Errorf("%s: pick(%q) = %q, want %q", tc.name, tc.candidates, got, tc.want)
		}
	}
}

func TestChipMemoryKnowsTopicsAskedInOtherWords(t *testing.T) {
	const guide = "Media Specialist Career Path Guide"
	history := []PastTurn{
		{Question: "what's the pay like?", Standalone: "what's the pay like? (media specialist)", Grounded: true, Guide: guide,
			Suggestions: []string{"What skills does a Media Specialist need?"}},
		{Question: "How do they bake bread?", Standalone: "How do they bake bread?", Grounded: false,
			Suggestions: []string{"Which certifications help a Media Specialist?"}},
	}
	m := newChipMemory(history, []string{guide}, []string{"How do I become a Media Specialist?"}, nil)
	for q, want := range map[string]bool{
		"How much does a Media Specialist earn?":        true,  // same topic as the pay question
		"How much does a Data Analyst earn?":            false, // another career
		"How do they bake bread":                        true,  // asked word for word
		"What skills does a Media Specialist need?":     false,
		"How do I become a Media Specialist?":           false, // a starter, but there was an answer since
		"Which certifications help a Media Specialist?": false, // offered, not asked
	} {
		if got := m.asked[chipKey(q)]; got != want {
			t.Errorf("asked[%q] = %v, want %v", q, got, want)
		}
	}
	if !m.offered[chipKey("Which certifications help a Media Specialist?")] || len(m.offered) != 1 {
		t.Errorf("offered = %v, want the last answer's chips only", m.offered)
	}
	if first := newChipMemory(nil, []string{guide}, []string{"How do I become a Media Specialist?"}, nil); !first.offered[chipKey("How do I become a Media Specialist?")] {
		t.Error("before the first answer, ready's starters should count as offered")
	}
}

func TestChipKeyASCIIMatchesUnicode(t *testing.T) {
	// chipKey's ASCII path must agree with the general one on every byte.
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		b := make([]byte, r.IntN(20))
		for i := range b {
			b[i] = byte(r.IntN(128))
		}
		if got, want := chipKey(string(b)), chipKeyUnicode(string(b)); got != want {
			t.Fatalf("chipKey(%q) = %q, want %q", b, got, want)
		}
	}
	if got := chipKey("Wie viel verdient ein Mediengestalter? Ärzte!"); got != "wie viel verdient ein mediengestalter ärzte" {
		t.Errorf("non-ASCII: %q", got)
	}
}
