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
func (w *Writer) Cited(answer string, hits []rag.Hit) []int {
	if len(hits) == 0 || answer == "" {
		return nil
	}
	// Word strings in buffers (vocab.AppendWords), the hits' from the
	// Writer's analysis of each chunk: a string per word and per text was
	// ~60% of Cited's CPU, and scanning the hits' texts again on every
	// answer most of the rest (botbench -clients 50 -profile-dir, 16:26 and
	// 16:36 UTC; Cited was ~12% of an offline answer).
	// TestCitedMatchesWordStrings holds it to the string version.
	texts := make([][]byte, len(hits))
	for i, h := range hits {
		texts[i] = w.analysisOf(h.Chunk).words
	}
	used := make([]bool, len(hits))
	var piece []byte
	mark := func(s string, minWords int) bool {
		piece = vocab.AppendWords(append(piece[:0], ' '), s)
		if bytes.Count(piece, space)-1 < minWords {
			return false
		}
		found := false
		for i, t := range texts {
			if containsWords(t, piece) {
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

// space counts a word string's words: one more space than words.
var space = []byte{' '}

// containsWords is bytes.Contains(t, piece) for word strings (" w1 w2 … "):
// it looks for the piece without its leading space, then checks the byte
// before. bytes.Index meets a piece's leading space at every word of t,
// gives up on its fast scan and falls back to Rabin-Karp; a piece opening
// with a letter is found by the fast scan. Contains was ~5% of an offline
// answer (BenchmarkAnswerOffline/botbench profile, 14:00 UTC).
// TestContainsWordsIsContains.
func containsWords(t, piece []byte) bool {
	if len(piece) < 2 || piece[0] != ' ' || piece[1] == ' ' {
		return bytes.Contains(t, piece)
	}
	body := piece[1:]
	// A body longer than bytes.Index's vector search takes is looked for
	// by its first bytes, then checked whole where they are: for a long
	// one bytes.Index scans for its first byte, gives up on a common
	// letter and hashes the whole text (Rabin-Karp). Looking for the
	// answer's lines in the hits was ~30k of ~600k instructions per
	// offline answer (BenchmarkAnswerOffline/botbench under callgrind).
	// TestContainsWordsIsContains, TestContainsWordsLongPieces.
	head := body[:min(len(body), containsHead)]
	for {
		j := bytes.Index(t, head)
		switch {
		case j < 0:
			return false
		case j > 0 && t[j-1] == ' ' && bytes.HasPrefix(t[j:], body):
			return true
		}
		t = t[j+1:]
	}
}

// containsHead is how many bytes of a piece containsWords looks for
// first: within bytes.Index's vector search (bytealg.MaxLen is 63 with
// AVX2, 31 with SSE only).
const containsHead = 31
