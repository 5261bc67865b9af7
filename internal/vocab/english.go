package vocab

import (
	_ "embed"
	"strings"
)

// englishWords is SCOWL's "small" American English list (Debian's
// wamerican-small 2020.12.07, /usr/share/dict/american-english-small), kept
// to its lower-case ASCII words of four letters or more, one per line,
// sorted: the words typo correction may be asked about. SCOWL's copyright
// and permission notice is in english-words.LICENSE beside it.
//
//go:embed english-words.txt
var englishWords string

// IsEnglishWord reports whether w (lower case) is a correctly spelt English
// word of four letters or more. Typo correction leaves such words alone: a
// question's "stuck" is not a typo of a guide's "stack", nor "clothing" of
// "closing", although each is one or two edits from a word the guides use.
// The list is searched in place (binary search over the embedded text), so
// it costs no heap: 355 KB of read-only data in the binary.
func IsEnglishWord(w string) bool {
	if len(w) < 4 {
		return false
	}
	// Binary search over line starts: find the first line >= w.
	lo, hi := 0, len(englishWords)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		start := lineStart(mid)
		line := lineAt(start)
		if line < w {
			lo = start + len(line) + 1
		} else {
			hi = start
		}
	}
	return lo < len(englishWords) && lineAt(lo) == w
}

// lineStart is the start of the line holding byte i of englishWords.
func lineStart(i int) int {
	return strings.LastIndexByte(englishWords[:i], '\n') + 1
}

// lineAt is the line starting at byte start of englishWords.
func lineAt(start int) string {
	line := englishWords[start:]
	if n := strings.IndexByte(line, '\n'); n >= 0 {
		line = line[:n]
	}
	return line
}
