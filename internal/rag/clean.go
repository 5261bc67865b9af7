package rag

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// RepairMojibake undoes the commonest scraping accident: UTF-8 bytes that were
// decoded with a Windows code page and re-encoded as UTF-8, so that "—"
// (E2 80 94) turns into "β€”" under Windows-1253 or "â€”" under Windows-1252.
//
// It works on the text in general, not from a table of known sequences: every
// character is mapped back to the byte it came from (Windows-1253 first, then
// Windows-1252 for the bytes 1253 leaves undefined, which is what browsers and
// most decoders do), and a run of such bytes is replaced only where it forms
// one complete, valid UTF-8 sequence. Genuine text is left alone because ASCII
// letters never map to UTF-8 continuation bytes, and a lone accented letter
// cannot form a multi-byte sequence on its own.
func RepairMojibake(s string) string {
	if isASCII(s) {
		return s
	}
	runes := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(runes); {
		if r, n := repairAt(runes[i:]); n > 0 {
			b.WriteRune(r)
			i += n
			continue
		}
		b.WriteRune(runes[i])
		i++
	}
	return b.String()
}

// repairAt tries to read one UTF-8 sequence, written as code-page characters,
// from the start of runes. It returns the repaired rune and how many runes it
// consumed, or n == 0 when there is nothing to repair there.
func repairAt(runes []rune) (rune, int) {
	lead, ok := codePageByte(runes[0])
	if !ok {
		return 0, 0
	}
	var size int
	switch {
	case lead >= 0xC2 && lead <= 0xDF:
		size = 2
	case lead >= 0xE0 && lead <= 0xEF:
		size = 3
	case lead >= 0xF0 && lead <= 0xF4:
		size = 4
	default:
		return 0, 0
	}
	if len(runes) < size {
		return 0, 0
	}
	var buf [4]byte
	buf[0] = lead
	for k := 1; k < size; k++ {
		c, ok := codePageByte(runes[k])
		if !ok || c < 0x80 || c > 0xBF {
			return 0, 0
		}
		buf[k] = c
	}
	r, n := utf8.DecodeRune(buf[:size])
	if r == utf8.RuneError || n != size || unicode.IsControl(r) {
		return 0, 0
	}
	return r, size
}

// codePageByte maps a character back to the single Windows-1253 or
// Windows-1252 byte that decodes to it. Only bytes ≥ 0x80 matter here.
func codePageByte(r rune) (byte, bool) {
	if r < 0x80 {
		return 0, false
	}
	if b, ok := charmap.Windows1253.EncodeRune(r); ok {
		return b, true
	}
	if b, ok := charmap.Windows1252.EncodeRune(r); ok {
		return b, true
	}
	return 0, false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeText makes a guide's text uniform before it is split into blocks:
// valid UTF-8, mojibake repaired, Unix newlines, no-break and odd spaces
// turned into plain spaces, bullets ("•", "●", "▪", "* ", "- ") written as
// "- ", and trailing spaces trimmed.
func normalizeText(raw string) string {
	s := strings.ToValidUTF8(raw, "\uFFFD")
	s = strings.TrimPrefix(s, "\uFEFF")
	s = RepairMojibake(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		line = strings.Map(func(r rune) rune {
			switch {
			case r == '\t' || r == '\u00A0' || r == '\u2007' || r == '\u202F' || r == '\u2009' || r == '\u200A':
				return ' '
			case r == '\u200B' || r == '\uFEFF' || r == '\uFFFD':
				return -1
			case unicode.IsControl(r):
				return -1
			}
			return r
		}, line)
		lines[i] = normalizeBullet(strings.TrimRight(line, " "))
	}
	return strings.Join(lines, "\n")
}

// bulletMarks are the characters that start a list item in scraped guides.
const bulletMarks = "•●▪◦‣∙·*-–"

// normalizeBullet rewrites "  • • item" as "- item"; other lines are only
// left-trimmed of indentation.
func normalizeBullet(line string) string {
	trimmed := strings.TrimLeft(line, " ")
	item, isItem := stripBullets(trimmed)
	if !isItem {
		return trimmed
	}
	return "- " + item
}

// stripBullets removes one or more leading bullet marks followed by a space.
func stripBullets(s string) (string, bool) {
	found := false
	for {
		r, size := utf8.DecodeRuneInString(s)
		if size == 0 || !strings.ContainsRune(bulletMarks, r) {
			break
		}
		rest := s[size:]
		if !strings.HasPrefix(rest, " ") {
			break
		}
		s = strings.TrimLeft(rest, " ")
		found = true
	}
	return s, found && s != ""
}
