package compose

import (
	"strings"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"
)

// minCitedWords is the fewest words a line of an answer must have to cite
// a source on its own: a shorter one ("Median: $65,000" after its label is
// cut) could be in any guide. A line's remainder after a label needs two.
const (
	minCitedWords = 3
	minPartWords  = 2
)

// Cited returns the indexes (ascending) of the hits an answer used: those
// whose text holds one of the answer's lines. An extractive answer is made
// of lines copied from the hits — sentences, list items, "Key: value"
// lines, a subsection summary after its " — " — so this finds the chunks it
// was written from however it was put together (one guide, a block per
// career, a summary of subsections), without the writer having to report
// them. Words are compared, not bytes (vocab.ForEachWord), so punctuation
// or a currency sign the writer added does not hide a line. A line that
// matches no hit as a whole is tried without a leading label ("Data
// Analyst: …", "Morning — …"). nil when no line matches.
func Cited(answer string, hits []rag.Hit) []int {
	if len(hits) == 0 || answer == "" {
		return nil
	}
	texts := make([]string, len(hits))
	for i, h := range hits {
		texts[i] = wordString(h.Text)
	}
	used := make([]bool, len(hits))
	mark := func(piece string, minWords int) bool {
		w := wordString(piece)
		if strings.Count(w, " ")-1 < minWords {
			return false
		}
		found := false
		for i, t := range texts {
			if strings.Contains(t, w) {
				used[i], found = true, true
			}
		}
		return found
	}
	for _, line := range strings.Split(answer, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
		if line == "" {
			continue
		}
		for _, s := range vocab.SplitSentences(line) {
			if mark(s, minCitedWords) {
				continue
			}
			// Without a label: "Data Analyst: Median: $71,350", "Morning — …".
			for _, sep := range []string{": ", " — "} {
				if _, rest, ok := strings.Cut(s, sep); ok && mark(rest, minPartWords) {
					break
				}
			}
		}
	}
	var out []int
	for i, u := range used {
		if u {
			out = append(out, i)
		}
	}
	return out
}

// wordString is the words of s (vocab.ForEachWord) joined by single
// spaces, with a space before and after, so that a substring test matches
// whole words only.
func wordString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	vocab.ForEachWord(s, func(w string) {
		b.WriteString(w)
		b.WriteByte(' ')
	})
	return b.String()
}
