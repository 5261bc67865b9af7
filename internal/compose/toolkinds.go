package compose

import (
	"slices"
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// toolNamesOf maps a stem people ask a kind of tool by to the stems of the
// tools of that kind.
var toolNamesOf = namesByAsk(vocab.ToolKinds)

// namesByAsk maps each stem of a kind's Asks to the stems of its Names.
func namesByAsk(kinds []struct{ Asks, Names string }) map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for _, k := range kinds {
		names := map[string]bool{}
		vocab.ForEachWord(k.Names, func(w string) { names[vocab.Stem(strings.ToLower(w))] = true })
		vocab.ForEachWord(k.Asks, func(w string) {
			st := vocab.Stem(w)
			if m[st] == nil {
				m[st] = map[string]bool{}
			}
			for n := range names {
				m[st][n] = true
			}
		})
	}
	return m
}

// toolAsksOf maps a stem people ask a kind of tool by to the stems of the
// kind's other words ("editing" → "cut", "editor"): a list line may name
// the kind by any of them ("Final Cut Pro").
var toolAsksOf = namesByAsk(func() []struct{ Asks, Names string } {
	kinds := slices.Clone(vocab.ToolKinds)
	for k := range kinds {
		kinds[k].Names = kinds[k].Asks
	}
	return kinds
}())

// regions are the parts of the world people ask about ("in asia?", "what
// about europe") and the countries and cities in them, which is what a
// guide's global outlook names ("India", "Singapore", "Germany"). A line
// naming one answers the question as if it said the region. One word each:
// lines are matched word by word, so "new york" would make every "new"
// an American place.
var regions = []struct{ Asks, Names string }{
	{"asia asian apac", "india china japan singapore korea taiwan vietnam philippines malaysia indonesia thailand bangalore mumbai tokyo shanghai"},
	{"europe european eu", "uk britain england london germany berlin france paris netherlands amsterdam spain italy ireland dublin sweden denmark norway finland poland switzerland belgium austria portugal"},
	{"america americas", "usa canada toronto california mexico"},
	{"latin latam", "brazil argentina chile colombia mexico peru"},
	{"gulf mideast", "uae dubai saudi qatar israel"},
	{"africa african", "nigeria kenya egypt ghana morocco"},
	{"oceania", "australia zealand sydney melbourne"},
}

// regionNamesOf maps a stem people name a region by to the stems of the
// places in it.
var regionNamesOf = namesByAsk(regions)
