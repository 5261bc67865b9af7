package compose

import (
	"bytes"
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
	// The hits' word strings in one buffer, and each piece's in a scratch
	// one (vocab.AppendWords): a string per word and per text was ~60% of
	// Cited's CPU and Cited ~12% of an offline answer's (botbench -clients
	// 50 -profile-dir, 16:26 UTC). TestCitedMatchesWordStrings holds it to
	// the string version.
	n := 0
	for _, h := range hits {
		n += len(h.Text) + 2
	}
	all := make([]byte, 0, n) // a word string is at most its text and two spaces
	ends := make([]int, len(hits))
	for i, h := range hits {
		all = append(all, ' ')
		all = vocab.AppendWords(all, h.Text)
		ends[i] = len(all)
	}
	used := make([]bool, len(hits))
	var w []byte
	mark := func(piece string, minWords int) bool {
		w = vocab.AppendWords(append(w[:0], ' '), piece)
		if bytes.Count(w, space)-1 < minWords {
			return false
		}
		found, start := false, 0
		for i, end := range ends {
			if bytes.Contains(all[start:end], w) {
				used[i], found = true, true
			}
			start = end
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

// space counts a word string's words: one more space than words.
var space = []byte{' '}
