package rag

import (
	"slices"
	"testing"
)

// phraseConcepts skips a pattern when a word it needs is absent; that must
// never change what it finds.
func TestPhraseConceptsPrefilterKeepsMatches(t *testing.T) {
	plain := func(text string) []string {
		var out []string
		if payPhrase.MatchString(text) {
			out = append(out, "pay")
		}
		if becomePhrase.MatchString(text) {
			out = append(out, "become")
		}
		if placePhrase.MatchString(text) {
			out = append(out, "workplace")
		}
		return out
	}
	for _, text := range []string{
		"How much do they MAKE?", "how much would I take home", "Where do they work?", "WHERE would I be WORKING",
		"How do I break into media?", "Getting in is hard", "How do I GET STARTED", "starting out as a junior",
		"What tools do they use?", "", "Breaking news: where it works, how much it makes",
	} {
		if got, want := phraseConcepts(text), plain(text); !slices.Equal(got, want) {
			t.Errorf("phraseConcepts(%q) = %q, want %q", text, got, want)
		}
	}
}
