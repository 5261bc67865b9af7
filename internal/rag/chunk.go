package rag

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/careerbot/careerbot/internal/vocab"
)

// ChunkerVersion is recorded in the index fingerprint: bump it whenever the
// cleaning or chunking rules change, so that old indexes are rebuilt.
const ChunkerVersion = "chunker-v3"

// Chunk size bounds, in bytes of text. Sections shorter than minChunk stay
// whole (a FAQ answer or a career tier is one unit even when short).
const (
	minChunk    = 300
	targetChunk = 900
	maxChunk    = 1200
)

// DefaultStopHeadings are headings whose sections are page chrome rather than
// career content, used when Options.StopHeadings is nil; the
// BOT_STOP_HEADINGS setting's default is this list. Compared
// case-insensitively, ignoring leading symbols.
var DefaultStopHeadings = []string{"Sources & References", "Related Roles", "Share career guide"}

// Guide is one cleaned, parsed career guide.
type Guide struct {
	File     string    // file name within the corpus dir
	Title    string    // first heading or first line
	Sections []Section // in document order
}

// Section is a heading with its body. Path joins the titles of the enclosing
// headings with " › ".
type Section struct {
	Path string
	Text string
}

// block is a run of non-blank lines.
type block struct {
	lines   []string
	heading bool
	level   int // markdown level, or 1/2 for plain-text groups
	title   string
}

var (
	mdHeading = regexp.MustCompile(`^(#{1,6})\s+(.+?)\s*#*\s*$`)
	// priceLine recognises a subscription price ("USD $8/month", "€5 per month").
	priceLine = regexp.MustCompile(`(?i)([$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(usd|eur|gbp))\s*(/|per\s+)(mo|month|yr|year|week)\b`)
	// figureRange matches a bare range of figures: "45,000—85,000", "$40k - $60k".
	figureRange = regexp.MustCompile(`^[$€£]?\d[\d.,]*[kK]?\s*[-–—]\s*[$€£]?\d[\d.,]*[kK]?\+?$`)
)

// ParseGuide cleans raw guide text and splits it into titled sections.
// stopHeadings nil means DefaultStopHeadings.
func ParseGuide(file, raw string, stopHeadings []string) Guide {
	if stopHeadings == nil {
		stopHeadings = DefaultStopHeadings
	}
	text := normalizeText(raw)
	blocks := splitBlocks(text)
	g := Guide{File: file}

	markdown := false
	for _, b := range blocks {
		if b.heading && b.level > 0 {
			markdown = true
			break
		}
	}
	if markdown {
		g.Title, blocks = takeMarkdownTitle(blocks)
	} else {
		g.Title, blocks = takePlainTitle(blocks)
		markPlainHeadings(blocks)
	}
	if g.Title == "" {
		g.Title = strings.TrimSuffix(file, fileExt(file))
	}
	blocks = dropTrailingChrome(blocks, stopHeadings)
	blocks = dropStopSections(blocks, stopHeadings)
	g.Sections = buildSections(blocks)
	return g
}

// splitBlocks splits text at blank lines. A markdown heading line is always a
// block of its own, even without blank lines around it.
func splitBlocks(text string) []block {
	var blocks []block
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			blocks = append(blocks, block{lines: cur})
			cur = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if m := mdHeading.FindStringSubmatch(line); m != nil {
			flush()
			blocks = append(blocks, block{lines: []string{line}, heading: true, level: len(m[1]), title: cleanTitle(m[2])})
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return blocks
}

// takeMarkdownTitle uses the first heading as the guide title when it is the
// only level-1 heading; otherwise the first line is the title.
func takeMarkdownTitle(blocks []block) (string, []block) {
	for i, b := range blocks {
		if !b.heading {
			continue
		}
		if b.level == 1 {
			return b.title, append(blocks[:i:i], blocks[i+1:]...)
		}
		break
	}
	if len(blocks) > 0 && !blocks[0].heading && len(blocks[0].lines) == 1 {
		return cleanTitle(blocks[0].lines[0]), blocks[1:]
	}
	return "", blocks
}

func takePlainTitle(blocks []block) (string, []block) {
	if len(blocks) == 0 {
		return "", blocks
	}
	first := blocks[0].lines[0]
	if utf8.RuneCountInString(first) <= 120 {
		if len(blocks[0].lines) == 1 {
			return cleanTitle(first), blocks[1:]
		}
		blocks[0].lines = blocks[0].lines[1:]
		return cleanTitle(first), blocks
	}
	return "", blocks
}

// markPlainHeadings finds headings in plain text: a block of one short
// title-like line (see isTitleLine) followed by more content.
//
// Nesting: a title followed directly by another title opens a group (level
// 1), and the titles after it are its children (level 2) for as long as their
// sections have the same shape as the first child's: the same kind of title
// (question, symbol-led or plain) and the same sequence of block kinds
// (paragraph, list, "Key: value" line with its key). So "Career Path Tiers"
// holds the four tiers (each starting "Experience: …") and "Frequently Asked
// Questions" holds its questions, while "Global Outlook", a plain paragraph
// section after the tiers, is top-level again.
func markPlainHeadings(blocks []block) {
	for i := range blocks {
		b := &blocks[i]
		if len(b.lines) == 1 && i+1 < len(blocks) && isTitleLine(b.lines[0]) {
			b.heading = true
			b.title = cleanTitle(b.lines[0])
		}
	}
	// A question is a heading only when an answer follows it.
	for i := range blocks {
		if blocks[i].heading && strings.HasSuffix(blocks[i].title, "?") && (i+1 >= len(blocks) || blocks[i+1].heading) {
			blocks[i].heading = false
		}
	}
	inGroup, drifted := false, false
	groupShape, groupTitle := "", ""
	for i := range blocks {
		b := &blocks[i]
		if !b.heading {
			continue
		}
		// In a group of questions (an FAQ), a question is the next entry
		// whatever its answer looks like, and a question never introduces
		// a group: a short answer must not open a group of its own.
		question := strings.HasSuffix(b.title, "?")
		faqEntry := inGroup && strings.HasPrefix(groupShape, "question") && question
		if !faqEntry && (i+1 < len(blocks) && blocks[i+1].heading || !question && isGroupIntro(blocks, i)) {
			b.level, inGroup, drifted, groupShape, groupTitle = 1, true, false, "", b.title
			continue
		}
		if !inGroup {
			b.level = 1
			continue
		}
		shape := sectionShape(blocks, i)
		switch {
		case groupShape == "":
			groupShape, b.level = shape, 2
		case faqEntry, shape == groupShape && !drifted:
			b.level = 2
		case sharesTopicWord(b.title, groupTitle):
			// "Skills and Qualifications" holds "Education Level" (prose)
			// and "Tech Skills" (a list): a child of another shape stays
			// in the group when its title names what the group's does,
			// and from then on only such children do.
			b.level, drifted = 2, true
		default:
			b.level, inGroup = 1, false
		}
	}
}

// sharesTopicWord reports whether two titles share a content word or a
// concept ("Tech Skills" and "Skills and Qualifications"; "Soft Abilities"
// and "Skills…", through the skills concept).
func sharesTopicWord(a, b string) bool {
	q := map[string]bool{}
	for _, t := range vocab.Terms(b) {
		q[t.Stem] = true
		if t.Concept != "" {
			q["§"+t.Concept] = true
		}
	}
	for _, t := range vocab.Terms(a) {
		if q[t.Stem] || t.Concept != "" && q["§"+t.Concept] {
			return true
		}
	}
	return false
}

// isGroupIntro: a heading whose body is one short paragraph introducing the
// headings that follow ("Skill Map" / "This map outlines…" / "Foundational
// Skills" …) also opens a group, when at least two headings of the same shape
// follow it.
func isGroupIntro(blocks []block, i int) bool {
	if i+2 >= len(blocks) || blocks[i+1].heading || !blocks[i+2].heading || len(blocks[i+1].lines) != 1 {
		return false
	}
	intro := blocks[i+1].lines[0]
	if len(intro) > 200 || strings.HasPrefix(intro, "- ") {
		return false
	}
	first := sectionShape(blocks, i+2)
	for j := i + 3; j < len(blocks); j++ {
		if blocks[j].heading {
			return sectionShape(blocks, j) == first
		}
	}
	return false
}

// sectionShape describes the heading at i and its body for group detection.
func sectionShape(blocks []block, i int) string {
	var parts []string
	switch title := blocks[i].title; {
	case strings.HasSuffix(title, "?"):
		parts = append(parts, "question")
	case startsWithSymbol(blocks[i].lines[0]):
		parts = append(parts, "symbol")
	default:
		parts = append(parts, "plain")
	}
	for j := i + 1; j < len(blocks) && !blocks[j].heading; j++ {
		kind := blockKind(blocks[j])
		if parts[len(parts)-1] != kind {
			parts = append(parts, kind)
		}
	}
	return strings.Join(parts, ",")
}

func blockKind(b block) string {
	first := b.lines[0]
	if strings.HasPrefix(first, "- ") {
		return "list"
	}
	if key, ok := vocab.KeyOf(first); ok {
		return "kv:" + key
	}
	switch {
	case isShortBlock(b):
		return "short"
	default:
		return "prose"
	}
}

// isTitleLine reports whether a line looks like a heading in plain text: short,
// starting with a capital letter (after any emoji), without sentence-ending
// punctuation (a question is allowed: FAQ entries), and not "Key: value".
func isTitleLine(line string) bool {
	if strings.HasPrefix(line, "- ") || utf8.RuneCountInString(line) > 100 || len(strings.Fields(line)) > 16 {
		return false
	}
	if vocab.IsKeyValue(line) || strings.Contains(line, ": ") {
		return false
	}
	core := strings.TrimLeftFunc(line, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	first, _ := utf8.DecodeRuneInString(core)
	if !unicode.IsUpper(first) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	if strings.ContainsRune(".,;:!", last) {
		return false
	}
	if strings.HasSuffix(line, "?") {
		return true
	}
	// A plain title has no sentence punctuation inside it either.
	return !strings.Contains(line, ". ")
}

func startsWithSymbol(line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// cleanTitle trims markdown emphasis and leading emoji or symbols ("📈 Market
// Demand" → "Market Demand") so citations read well.
func cleanTitle(s string) string {
	s = strings.Trim(strings.TrimSpace(s), "*_`")
	s = strings.TrimLeftFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '(' && r != '$'
	})
	return strings.TrimSpace(s)
}

func normalizedHeading(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(cleanTitle(s)), " "))
}

func isStopHeading(b block, stop []string) bool {
	if !b.heading && !(len(b.lines) == 1 && isTitleLine(b.lines[0])) {
		return false
	}
	title := b.title
	if title == "" {
		title = b.lines[0]
	}
	h := normalizedHeading(title)
	for _, s := range stop {
		if normalizedHeading(s) == h {
			return true
		}
	}
	return false
}

// dropTrailingChrome removes the page furniture after a guide's last real
// paragraph (a sentence-ending paragraph of at least 15 words): share links,
// sign-up prompts, subscription price lists. The tail is dropped only when it
// shows chrome — it holds a stop heading or a price per period ("USD
// $8/month") — so a guide that simply ends with a short list keeps it.
func dropTrailingChrome(blocks []block, stop []string) []block {
	lastReal := -1
	for i, b := range blocks {
		if isRealParagraph(b) {
			lastReal = i
		}
	}
	tail := blocks[lastReal+1:]
	chrome := false
	for _, b := range tail {
		if isStopHeading(b, stop) {
			chrome = true
		}
		for _, l := range b.lines {
			if priceLine.MatchString(l) {
				chrome = true
			}
		}
	}
	if chrome {
		return blocks[:lastReal+1]
	}
	return blocks
}

func isRealParagraph(b block) bool {
	if b.heading || len(b.lines) != 1 || strings.HasPrefix(b.lines[0], "- ") {
		return false
	}
	line := b.lines[0]
	last, _ := utf8.DecodeLastRuneInString(line)
	return len(strings.Fields(line)) >= 15 && strings.ContainsRune(".!?", last)
}

// dropStopSections removes each stop heading and its body, up to the next
// heading of the same or a higher level.
func dropStopSections(blocks []block, stop []string) []block {
	out := blocks[:0:0]
	skipLevel := 0
	for _, b := range blocks {
		if skipLevel > 0 {
			if !b.heading || b.level > skipLevel {
				continue
			}
			skipLevel = 0
		}
		if b.heading && isStopHeading(b, stop) {
			skipLevel = max(b.level, 1)
			continue
		}
		out = append(out, b)
	}
	return out
}

// buildSections walks the blocks with a heading stack and renders each
// section's body. Text before the first heading is the "Overview". A short
// introduction under a heading whose subsections follow ("Skill Map: This map
// outlines…") is carried into the first subsection rather than left as a
// chunk too small to answer anything.
func buildSections(blocks []block) []Section {
	var sections []Section
	var stack []block
	var body []block
	carry := ""
	path := "Overview"
	flush := func(next *block) {
		text := renderBody(body)
		body = nil
		if carry != "" {
			text = strings.TrimSpace(carry + "\n\n" + text)
			carry = ""
		}
		if text == "" {
			return
		}
		if next != nil && len(stack) > 0 && next.level > stack[len(stack)-1].level && len(text) < 200 {
			carry = text
			return
		}
		sections = append(sections, Section{Path: path, Text: text})
	}
	for i := range blocks {
		b := blocks[i]
		if !b.heading {
			body = append(body, b)
			continue
		}
		flush(&b)
		for len(stack) > 0 && stack[len(stack)-1].level >= b.level {
			stack = stack[:len(stack)-1]
		}
		stack = append(stack, b)
		titles := make([]string, len(stack))
		for i, h := range stack {
			titles[i] = h.title
		}
		path = strings.Join(titles, " › ")
	}
	flush(nil)
	return sections
}

// renderBody turns a section's blocks into text: paragraphs separated by blank
// lines, list items as "- item", and runs of short label and value lines glued
// into "Label: value" lines.
func renderBody(blocks []block) string {
	var parts []string
	var short []string // pending short lines, glued when the run ends
	flushShort := func() {
		if len(short) > 0 {
			parts = append(parts, strings.Join(glueLabelValues(short), "\n"))
			short = nil
		}
	}
	for _, b := range blocks {
		if isShortBlock(b) {
			short = append(short, b.lines...)
			continue
		}
		flushShort()
		parts = append(parts, renderBlock(b))
	}
	flushShort()
	return strings.TrimSpace(strings.Join(parts, "\n\n"))
}

func renderBlock(b block) string {
	var lines []string
	var para []string
	flush := func() {
		if len(para) > 0 {
			lines = append(lines, strings.Join(para, " "))
			para = nil
		}
	}
	for _, l := range b.lines {
		if strings.HasPrefix(l, "- ") || vocab.IsKeyValue(l) {
			flush()
			lines = append(lines, l)
			continue
		}
		para = append(para, l)
	}
	flush()
	return strings.Join(lines, "\n")
}

// isShortBlock: every line is a short fragment (a label, a figure or a
// "Key: value"), as in scraped stat boxes and salary tables.
func isShortBlock(b block) bool {
	if b.heading {
		return false
	}
	for _, l := range b.lines {
		if strings.HasPrefix(l, "- ") || utf8.RuneCountInString(l) > 40 || len(strings.Fields(l)) > 5 {
			return false
		}
		last, _ := utf8.DecodeLastRuneInString(l)
		if strings.ContainsRune(".!?", last) && !vocab.IsFigure(l) {
			return false
		}
	}
	return true
}

// glueLabelValues pairs labels with their figures, in whichever order the
// page put them: "Entry-Level" / "$51,000" and "8%" / "growth rate" both
// become "Label: value". Lines that are already "Key: value" stay as they are,
// and a run of bare labels is joined with commas.
func glueLabelValues(lines []string) []string {
	var out []string
	var labels []string
	flushLabels := func() {
		if len(labels) > 0 {
			out = append(out, strings.Join(labels, ", "))
			labels = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		cur := lines[i]
		var next string
		if i+1 < len(lines) {
			next = lines[i+1]
		}
		curKV, nextKV := vocab.IsKeyValue(cur), vocab.IsKeyValue(next)
		switch {
		case curKV:
			flushLabels()
			out = append(out, cur)
		case !vocab.IsFigure(cur) && next != "" && !nextKV && vocab.IsFigure(next):
			flushLabels()
			out = append(out, cur+": "+next)
			i++
		case vocab.IsFigure(cur) && next != "" && !nextKV && !vocab.IsFigure(next):
			flushLabels()
			out = append(out, upperFirst(next)+": "+cur)
			i++
		case vocab.IsFigure(cur) && figureRange.MatchString(cur):
			flushLabels()
			out = append(out, "Range: "+cur) // "45,000—85,000" alone is a range
		case vocab.IsFigure(cur):
			flushLabels()
			out = append(out, cur)
		default:
			labels = append(labels, cur)
		}
	}
	flushLabels()
	return withRangeCurrency(out)
}

// withRangeCurrency gives a bare range of figures the currency the other
// figures of its table carry: "Range: 45,000—85,000" beside "Median:
// $65,000" is "Range: $45,000—$85,000", so the answer keeps its unit.
func withRangeCurrency(lines []string) []string {
	symbol := ""
	for _, l := range lines {
		if i := strings.IndexAny(l, "$€£"); i >= 0 {
			r, _ := utf8.DecodeRuneInString(l[i:])
			if symbol != "" && symbol != string(r) {
				return lines // mixed currencies: leave the range alone
			}
			symbol = string(r)
		}
	}
	if symbol == "" {
		return lines
	}
	for i, l := range lines {
		rng, ok := strings.CutPrefix(l, "Range: ")
		if !ok || strings.ContainsAny(rng, "$€£") {
			continue
		}
		lines[i] = "Range: " + figureStart.ReplaceAllStringFunc(rng, func(m string) string {
			return m[:len(m)-1] + symbol + m[len(m)-1:]
		})
	}
	return lines
}

// figureStart finds where each figure of a range starts.
var figureStart = regexp.MustCompile(`(^|[-–—]\s*)(\d)`)

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// ChunkGuide splits a guide's sections into retrievable chunks of roughly
// minChunk–maxChunk bytes: a section that fits is one chunk; a longer one is
// split between blocks, and a block that is itself too long between list
// items or sentences. Ordinals continue from first.
func ChunkGuide(g Guide, slug string, first int) []Chunk {
	var chunks []Chunk
	ord := first
	for _, s := range g.Sections {
		for _, text := range splitSection(s.Text) {
			chunks = append(chunks, Chunk{
				ID:      chunkID(slug, ord),
				Guide:   g.Title,
				Section: s.Path,
				Ordinal: ord,
				Text:    text,
			})
			ord++
		}
	}
	return chunks
}

func chunkID(slug string, ord int) string {
	return slug + "#" + itoa4(ord)
}

func itoa4(n int) string {
	s := []byte("0000")
	for i := 3; i >= 0 && n > 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	if n > 0 {
		return itoa4(n/10000) + string(s)
	}
	return string(s)
}

func splitSection(text string) []string {
	if len(text) <= maxChunk {
		return []string{text}
	}
	// Units are paragraphs, and within an over-long paragraph or list its
	// items or sentences.
	var units []string
	for _, para := range strings.Split(text, "\n\n") {
		if len(para) <= targetChunk {
			units = append(units, para)
			continue
		}
		if strings.Contains(para, "\n") {
			units = append(units, strings.Split(para, "\n")...)
		} else {
			units = append(units, vocab.SplitSentences(para)...)
		}
	}
	var out []string
	var cur strings.Builder
	sep := ""
	for _, u := range units {
		if cur.Len() > 0 && cur.Len()+len(u)+2 > targetChunk && cur.Len() >= minChunk {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			sep = "\n"
			if !strings.HasPrefix(u, "- ") || !strings.HasPrefix(lastLine(cur.String()), "- ") {
				sep = "\n\n"
				if !strings.Contains(u, "\n") && !strings.HasPrefix(u, "- ") && !strings.Contains(cur.String(), "\n") && !strings.HasPrefix(cur.String(), "- ") {
					sep = " " // sentences of one paragraph stay one paragraph
				}
			}
			cur.WriteString(sep)
		}
		cur.WriteString(u)
	}
	if cur.Len() > 0 {
		// A short remainder joins the previous chunk when that stays near the bound.
		if n := len(out); n > 0 && cur.Len() < minChunk && len(out[n-1])+cur.Len() <= maxChunk+minChunk/2 {
			sep := "\n\n"
			if strings.HasPrefix(cur.String(), "- ") && strings.HasPrefix(lastLine(out[n-1]), "- ") {
				sep = "\n"
			}
			out[n-1] += sep + cur.String()
		} else {
			out = append(out, cur.String())
		}
	}
	return out
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
