package compose

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
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
		if got := m.pick(tc.candidates, maxFollowUps, minFollowUps); !slices.Equal(got, tc.want) {
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

func TestChipsSkipWhatTheConversationAskedOrWasShown(t *testing.T) {
	const guide = "Media Specialist Career Path Guide"
	guides := []string{guide}
	var c Chips
	if got, want := c.ForReady(nil, guides, 3), Starters(guides, 3); !slices.Equal(got, want) {
		t.Errorf("ForReady of a new conversation = %q, want the starters %q", got, want)
	}
	pay := "How much does a Media Specialist earn?"
	history := []PastTurn{{Question: "what's the pay?", Standalone: "what's the pay?", Grounded: true, Guide: guide,
		Suggestions: []string{"What skills does a Media Specialist need?"}}}
	if got := c.ForReady(history, guides, 3); len(got) != 3 || slices.Contains(got, pay) {
		t.Errorf("ForReady of a conversation that asked about pay = %q, want 3 without %q", got, pay)
	}
	hits := []rag.Hit{{Chunk: rag.Chunk{ID: "media-specialist-0004", Guide: guide, Section: "Tools"}}}
	got := c.ForAnswer(history, guides, 3, "Which tools?", "Which tools?", hits)
	if len(got) < minFollowUps || len(got) > maxFollowUps {
		t.Fatalf("ForAnswer = %q, want 2 or 3 chips", got)
	}
	for _, q := range got {
		if q == pay || q == "What skills does a Media Specialist need?" || q == "Which tools and software does a Media Specialist use?" {
			t.Errorf("ForAnswer = %q offers %q again (asked, just offered, or just answered)", got, q)
		}
	}
	declined := c.ForAnswer(nil, guides, 3, "How do I bake bread?", "How do I bake bread?", nil)
	for _, q := range declined {
		if slices.Contains(Starters(guides, 3), q) {
			t.Errorf("ForAnswer after a decline = %q repeats the starters just shown", declined)
		}
	}
	if len(declined) != 3 {
		t.Errorf("ForAnswer after a decline = %q, want 3 starters", declined)
	}
}
