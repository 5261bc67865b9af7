package compose

import (
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// toolNamesOf maps a stem people ask a kind of tool by to the stems of the
// tools of that kind.
var toolNamesOf = func() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for _, k := range vocab.ToolKinds {
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
}()
