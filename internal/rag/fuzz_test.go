package rag

import (
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// The fuzz targets below run for a few seconds each in CI (.ci/run) and, with
// their seed corpora in testdata/fuzz (which include every non-ASCII line of
// the scraped guide, mojibake and all), as ordinary tests in go test.

// addGuideSeeds adds the first guide and every one of its non-ASCII lines.
func addGuideSeeds(f *testing.F) {
	f.Helper()
	raw, err := os.ReadFile(mediaFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(raw))
	for _, line := range strings.Split(string(raw), "\n") {
		if !isASCII(line) {
			f.Add(line)
		}
	}
}

// asMojibake is the scraping accident RepairMojibake undoes: the UTF-8 bytes of
// s read as Windows-1253 (Windows-1252 for the bytes 1253 leaves undefined).
// ok is false when a byte is undefined in both.
func asMojibake(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			b.WriteByte(c)
			continue
		}
		r := charmap.Windows1253.DecodeByte(c)
		if r == utf8.RuneError {
			r = charmap.Windows1252.DecodeByte(c)
		}
		if r == utf8.RuneError {
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

func FuzzRepairMojibake(f *testing.F) {
	addGuideSeeds(f)
	for _, s := range []string{"45,000—85,000", "📈 Market Demand", "café — bar", "Καλημέρα", "日本語", "master’s", "\u0080\u009f", "Ã", "â€", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := RepairMojibake(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("RepairMojibake(%q) = %q: invalid UTF-8 from valid input", s, got)
		}
		if isASCII(s) && got != s {
			t.Fatalf("RepairMojibake changed ASCII %q to %q", s, got)
		}
		if utf8.RuneCountInString(got) > utf8.RuneCountInString(s) {
			t.Fatalf("RepairMojibake(%q) = %q: repairs only ever shorten", s, got)
		}
		// Round trip: any text without control characters, garbled the way
		// the guide was, comes back exactly.
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r >= utf8.RuneSelf && unicode.IsControl(r) }) {
			return
		}
		m, ok := asMojibake(s)
		if !ok {
			return
		}
		if back := RepairMojibake(m); back != s {
			t.Fatalf("RepairMojibake(asMojibake(%q)) = %q, mojibake %q", s, back, m)
		}
	})
}

// upperCounts counts the letters and digits of s, compared case-blind
// (unicode.ToUpper, so that "ı" and "I" meet as upperFirst makes them).
func upperCounts(parts ...string) map[rune]int {
	m := map[rune]int{}
	for _, s := range parts {
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				m[unicode.ToUpper(r)]++
			}
		}
	}
	return m
}

func FuzzParseGuide(f *testing.F) {
	addGuideSeeds(f)
	if md, err := os.ReadFile(uxFile); err == nil {
		f.Add(string(md))
	}
	for _, s := range []string{
		"Title\n\nHeading\n\nBody text here.",
		"# T\n## A\n## B\nbody\n",
		"T\n\nEntry-Level\n$51,000\n8%\ngrowth rate\n\nMore.",
		"T\n\nSources & References\n\n- a\n- b\n\nUSD $8/month",
		"\uFEFF\r\n\t•  • item\r\n\u200b\u00a0x",
		strings.Repeat("Word. ", 400),
		"T\n\n" + strings.Repeat("- item number one is here\n", 80),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		// The normaliser: valid UTF-8 with Unix newlines, no control
		// characters, no trailing spaces, and exactly the letters and digits
		// of the mojibake-repaired input (only spacing, bullets, invisible
		// and control characters are dropped).
		norm := normalizeText(raw)
		if !utf8.ValidString(norm) {
			t.Fatalf("normalizeText: invalid UTF-8 %q", norm)
		}
		for _, line := range strings.Split(norm, "\n") {
			if strings.HasSuffix(line, " ") {
				t.Fatalf("normalizeText left trailing space in %q", line)
			}
			if strings.ContainsFunc(line, func(r rune) bool { return unicode.IsControl(r) || r == '\u200B' || r == '\uFEFF' || r == '\uFFFD' }) {
				t.Fatalf("normalizeText left a control or invisible character in %q", line)
			}
		}
		if want, got := upperCounts(RepairMojibake(strings.ToValidUTF8(raw, "\uFFFD"))), upperCounts(norm); !equalCounts(want, got) {
			t.Fatalf("normalizeText lost or invented letters: input %q, output %q", raw, norm)
		}

		for _, stop := range [][]string{nil, {}} {
			g := ParseGuide("guide.txt", raw, stop)
			checkGuide(t, raw, norm, g, stop)
			checkChunks(t, g)
		}
	})
}

func equalCounts(a, b map[rune]int) bool {
	if len(a) != len(b) {
		return false
	}
	for r, n := range a {
		if b[r] != n {
			return false
		}
	}
	return true
}

func checkGuide(t *testing.T, raw, norm string, g Guide, stop []string) {
	t.Helper()
	if g.Title == "" || !utf8.ValidString(g.Title) || strings.Contains(g.Title, "\n") {
		t.Fatalf("title %q", g.Title)
	}
	out := []string{g.Title}
	var texts []string
	for _, s := range g.Sections {
		if strings.TrimSpace(s.Text) == "" || s.Path == "" {
			t.Fatalf("empty section %+v from %q", s, raw)
		}
		if !utf8.ValidString(s.Path) || !utf8.ValidString(s.Text) || strings.Contains(s.Path, "\n") {
			t.Fatalf("bad section %+v", s)
		}
		out = append(out, s.Path, s.Text)
		// The one word the parser adds: a figure range alone is labelled
		// "Range: " (glueLabelValues), as the salary tables write it.
		texts = append(texts, strings.ReplaceAll(s.Text, "Range: ", ""))
	}
	// Nothing is invented: every letter of the title and the texts is in the
	// (normalised) input. The title falls back to the file name.
	have := upperCounts(norm)
	title := g.Title
	if title == "guide" {
		title = ""
	}
	for r := range upperCounts(append(texts, title)...) {
		if have[r] == 0 {
			t.Fatalf("invented %q: input %q, guide %+v", r, raw, g)
		}
	}
	// Nothing is lost: with no stop headings and no price list (the only
	// things dropped on purpose, as page chrome), every letter of every line
	// that cannot be a heading reaches the guide. Headings without a body
	// may go: there is nothing to cite them for.
	if stop == nil || priceLine.MatchString(norm) {
		return
	}
	var body []string
	first := true
	for _, line := range strings.Split(norm, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if first || mdHeading.MatchString(line) || isTitleLine(line) {
			first = false
			continue
		}
		body = append(body, line)
	}
	got := upperCounts(out...)
	for r, n := range upperCounts(body...) {
		if got[r] < n {
			t.Fatalf("lost %q (%d of %d): input %q, guide %+v", r, got[r], n, raw, g)
		}
	}
}

// checkChunks: chunks are non-empty, numbered in order, and a section's chunks
// hold exactly its letters (splitting loses and duplicates nothing).
func checkChunks(t *testing.T, g Guide) {
	t.Helper()
	chunks := ChunkGuide(g, "guide", 0)
	ids := map[string]bool{}
	bySection := map[string][]string{}
	for i, c := range chunks {
		if strings.TrimSpace(c.Text) == "" || !utf8.ValidString(c.Text) {
			t.Fatalf("chunk %d: %q", i, c.Text)
		}
		if c.Ordinal != i || ids[c.ID] || c.Guide != g.Title {
			t.Fatalf("chunk %d: %+v", i, c)
		}
		ids[c.ID] = true
		bySection[c.Section] = append(bySection[c.Section], c.Text)
	}
	want := map[string][]string{}
	for _, s := range g.Sections {
		want[s.Path] = append(want[s.Path], s.Text)
	}
	for path, texts := range want {
		if !equalCounts(upperCounts(texts...), upperCounts(bySection[path]...)) {
			t.Fatalf("section %q: chunks %q do not hold exactly its text %q", path, bySection[path], texts)
		}
	}
}
