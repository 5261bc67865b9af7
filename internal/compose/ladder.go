package compose

import (
	"slices"
	"strings"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"
)

// ladderWords ask about a career's ladder as a whole: its rungs, how one
// moves up them, how long each takes. Words of leading people ("lead a
// team", "be the boss") are the progression topic too, but ask about
// leadership, not for the ladder.
var ladderWords = map[string]bool{"ladder": true, "progression": true, "progress": true, "progressing": true,
	"promotion": true, "promotions": true, "promoted": true, "promote": true, "advancement": true, "advance": true,
	"advancing": true, "levels": true, "tiers": true, "tier": true, "rungs": true, "rung": true, "stages": true,
	"hierarchy": true, "climb": true, "climbing": true, "trajectory": true, "ranks": true,
	// A turn in a chat about the ladder asks within it by its direction.
	"above": true, "higher": true, "beyond": true}

// ladderPhrases are the ladder's words of more than one word.
var ladderPhrases = []string{"career path", "move up", "moving up", "work my way up", "work your way up", "work up",
	"how long", "how many years", "how many yrs", "years of experience", "years experience"}

// durationCues ask how long something takes.
var durationCues = []string{"how long", "how many years", "how many yrs", "years", "yrs", "till", "until", "before"}

// AsksWholeLadder reports whether a question about a career's progression
// (the caller knows its topic) asks about the ladder as a whole, to be
// answered with every tier and its years: "how do you move up as a media
// specialist" was answered "Experience: 7+ years" — the top tier's line —
// and "how long does it take to get promoted" with the top tier alone (DEV
// one-guide-v3, multi5, multi6, multi7: the tier years or names missing).
// A question naming one rung asks about that rung ("what do senior ones
// do"), unless it asks how long it takes to get there. question should be
// without the career's own name (a "Project Manager" is no rung).
func AsksWholeLadder(question string) bool {
	var words []string
	vocab.ForEachWord(question, func(w string) { words = append(words, w) })
	ladder, rungs := false, map[int]bool{}
	for i, w := range words {
		if ladderWords[w] {
			ladder = true
		}
		if r, ok := levelRanks[w]; ok && !(w == "lead" && i+1 < len(words) && (words[i+1] == "a" || words[i+1] == "the" || words[i+1] == "people")) {
			rungs[r] = true
		}
	}
	padded := " " + strings.Join(words, " ") + " "
	for _, p := range ladderPhrases {
		ladder = ladder || strings.Contains(padded, " "+p+" ")
	}
	if !ladder {
		return false
	}
	if len(rungs) != 1 {
		return true
	}
	for _, c := range durationCues {
		if strings.Contains(padded, " "+c+" ") {
			return true
		}
	}
	return false
}

// IsTier reports whether a section is a rung of its guide's career path: a
// subsection of a "Career Path Tiers" (or "Career Path", "Career Levels")
// section.
func IsTier(section string) bool {
	parent := strings.ToLower(sectionName(parentOf(section)))
	return parent != "" && (strings.Contains(parent, "tier") || strings.Contains(parent, "career path") || strings.Contains(parent, "levels"))
}

// Ladder answers a question about the ladder as a whole (AsksWholeLadder)
// from hits that hold its tiers: the tiers in guide order, each with its
// opening line ("Junior Media Specialist — Experience: 0-2 years"). "" when
// the hits hold fewer than two tiers of one guide.
func (w *Writer) Ladder(hits []rag.Hit) string {
	first := slices.IndexFunc(hits, func(h rag.Hit) bool { return IsTier(h.Section) })
	if first < 0 {
		return ""
	}
	parent := parentOf(hits[first].Section)
	var tiers []rag.Hit
	for _, h := range hits {
		if h.Guide == hits[first].Guide && parentOf(h.Section) == parent {
			tiers = append(tiers, h)
		}
	}
	if len(tiers) < 2 {
		return ""
	}
	slices.SortFunc(tiers, func(a, b rag.Hit) int { return a.Ordinal - b.Ordinal })
	var b strings.Builder
	b.WriteString(sectionName(parent) + ":")
	for _, h := range tiers {
		b.WriteString("\n- " + sectionName(h.Section) + " — " + summaryLine(h.Text))
	}
	return b.String()
}
