package compose

import (
	"bytes"
	"strings"
	"sync"

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
	// Word strings in buffers (vocab.AppendWords), the hits' from a cache
	// by text: a string per word and per text was ~60% of Cited's CPU, and
	// scanning the hits' texts again on every answer most of the rest
	// (botbench -clients 50 -profile-dir, 16:26 and 16:36 UTC; Cited was
	// ~12% of an offline answer). TestCitedMatchesWordStrings holds it to
	// the string version.
	texts := make([][]byte, len(hits))
	for i, h := range hits {
		texts[i] = hitWords.of(h.Text)
	}
	used := make([]bool, len(hits))
	var w []byte
	mark := func(piece string, minWords int) bool {
		w = vocab.AppendWords(append(w[:0], ' '), piece)
		if bytes.Count(w, space)-1 < minWords {
			return false
		}
		found := false
		for i, t := range texts {
			if bytes.Contains(t, w) {
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

// wordCache holds the word strings (" w1 w2 … ") of chunk texts, which
// Cited compares every answer with: computed once per text, like the
// answer writer's analysis of a chunk. It is cleared when it holds
// maxCachedWordStrings texts, so that texts of an index replaced by a
// reload do not stay in memory, and a large corpus keeps only the texts
// recently cited from.
type wordCache struct {
	mu sync.RWMutex
	m  map[string][]byte
}

const maxCachedWordStrings = 4096

var hitWords wordCache

// of returns text's word string; callers must not modify it.
func (c *wordCache) of(text string) []byte {
	c.mu.RLock()
	w, ok := c.m[text]
	c.mu.RUnlock()
	if ok {
		return w
	}
	w = vocab.AppendWords(append(make([]byte, 0, len(text)+2), ' '), text)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedWordStrings {
		c.m = map[string][]byte{}
	}
	c.m[text] = w
	c.mu.Unlock()
	return w
}

// space counts a word string's words: one more space than words.
var space = []byte{' '}
