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

// durationCues ask how long something takes; "from junior up" asks for
// the rungs from the one named.
var durationCues = []string{"how long", "how many years", "how many yrs", "years", "yrs", "till", "until", "before",
	"from", "up", "upwards", "onwards"}

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

// directionWords ask for the rung after the one named: "what's above
// senior", "and after senior?", "next step after mid level".
var directionWords = map[string]bool{"above": true, "after": true, "next": true, "beyond": true, "higher": true,
	"past": true}

// AsksRung reports whether a question about a career's progression asks
// about one rung (rank, of levelRanks), or with next the rung after it
// ("whats above senior": it was answered from the senior tier and the
// FAQ's growth path, without the next tier's years; DEV one-guide-v5).
// question should be without the career's own name.
func AsksRung(question string) (rank int, next, ok bool) {
	rungs := map[int]bool{}
	vocab.ForEachWord(question, func(w string) {
		if r, is := levelRanks[w]; is {
			rungs[r], rank = true, r
		}
		next = next || directionWords[w]
	})
	return rank, next, len(rungs) == 1
}

// RankOf is the rung a tier's heading names ("Lead Media Specialist /
// Media Manager" → the lead rank), the highest when it names several, or
// -1.
func RankOf(section string) int {
	rank := -1
	vocab.ForEachWord(sectionName(section), func(w string) {
		if r, ok := levelRanks[w]; ok {
			rank = max(rank, r)
		}
	})
	return rank
}

// Rung answers from one tier: its name and opening line, then its first
// sentences ("Lead Media Specialist / Media Manager — Experience: 7+
// years. At the leadership tier, …").
func (w *Writer) Rung(h rag.Hit) string {
	first, rest, _ := strings.Cut(strings.TrimSpace(h.Text), "\n")
	text := sectionName(h.Section) + " — " + strings.TrimSpace(first)
	if rest = strings.TrimSpace(rest); rest != "" {
		text += "\n\n" + firstSentences(rest, 2)
	}
	return text
}

// topWords ask for the top of the ladder: "whats the highest rung",
// "the top job i could get", "where does it end up".
var topWords = map[string]bool{"highest": true, "top": true, "peak": true, "final": true, "last": true,
	"furthest": true, "ultimate": true}

// AsksTopRung reports whether a question about a career's progression asks
// for the top of its ladder ("whats the highest rung for an lpn vs a
// trucker" got each career's growth-path prose, without the top tier;
// DEV multi9). question should be without the careers' names.
func AsksTopRung(question string) bool {
	top := false
	vocab.ForEachWord(question, func(w string) { top = top || topWords[w] })
	return top
}

// AsksTiers reports whether a question about a career's progression is
// answered from its tiers (Writer.Tiers): the ladder as a whole, one rung,
// the rung after one, or the top.
func AsksTiers(question string) bool {
	_, _, rung := AsksRung(question)
	return AsksWholeLadder(question) || rung || AsksTopRung(question)
}

// Tiers answers a question that AsksTiers from hits holding every tier of
// a career's path (the caller adds those retrieval missed): the ladder as
// a whole (Ladder), the rung named or the one after it, or the top rung
// (Rung). "" when the hits hold no such tier.
func (w *Writer) Tiers(question string, hits []rag.Hit) string {
	_, _, rung := AsksRung(question)
	if AsksWholeLadder(question) && (rung || !AsksTopRung(question)) {
		return w.Ladder(hits)
	}
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
	slices.SortFunc(tiers, func(a, b rag.Hit) int { return a.Ordinal - b.Ordinal })
	at := -1
	if rank, next, ok := AsksRung(question); ok {
		at = slices.IndexFunc(tiers, func(h rag.Hit) bool { return RankOf(h.Section) == rank })
		if at >= 0 && next {
			at++
		}
	} else if AsksTopRung(question) {
		at = len(tiers) - 1
	}
	if at < 0 || at >= len(tiers) {
		return ""
	}
	return w.Rung(tiers[at])
}
