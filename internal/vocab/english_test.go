package vocab

import (
	"sort"
	"strings"
	"testing"
)

// The in-place binary search over the embedded list agrees with a search of
// the list split into a slice, for every word in it and for words just
// before, between and after them.
func TestIsEnglishWordMatchesASliceSearch(t *testing.T) {
	words := strings.Split(strings.TrimSuffix(englishWords, "\n"), "\n")
	if !sort.StringsAreSorted(words) || len(words) < 30000 {
		t.Fatalf("the embedded list is not a sorted list of the expected size (%d words)", len(words))
	}
	inSlice := func(w string) bool {
		i := sort.SearchStrings(words, w)
		return i < len(words) && words[i] == w
	}
	for i, w := range words {
		for _, probe := range []string{w, w + "a", w[:len(w)-1], w + "zz", "a" + w} {
			if got, want := IsEnglishWord(probe), inSlice(probe) && len(probe) >= 4; got != want {
				t.Fatalf("IsEnglishWord(%q) = %v, want %v (near word %d)", probe, got, want, i)
			}
		}
	}
}

func TestIsEnglishWord(t *testing.T) {
	for w, want := range map[string]bool{
		"stuck": true, "clothing": true, "pointers": true, "aardvark": true, "zoom": true,
		"salry": false, "sallary": false, "recieve": false, "carrer": false, "": false, "the": false, "zzzzz": false,
	} {
		if got := IsEnglishWord(w); got != want {
			t.Errorf("IsEnglishWord(%q) = %v, want %v", w, got, want)
		}
	}
}
