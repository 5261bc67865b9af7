package compose

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/vocab"
)

func TestSmallTalk(t *testing.T) {
	for _, tc := range []struct {
		message, kind string
	}{
		{"hi", SmallTalkGreeting}, {"Hello there!", SmallTalkGreeting}, {"hey bot", SmallTalkGreeting},
		{"thanks!", SmallTalkThanks}, {"thank you so much", SmallTalkThanks}, {"ok thanks", SmallTalkThanks},
		{"bye", SmallTalkBye}, {"see ya", SmallTalkBye},
		{"who are you?", SmallTalkAbout}, {"what can you do", SmallTalkAbout}, {"help", SmallTalkAbout}, {"hi, what can you do?", SmallTalkAbout}, {"what do u do", SmallTalkAbout}, {"thank u", SmallTalkThanks},
		{"are you a bot?", SmallTalkAbout}, {"r u a bot", SmallTalkAbout}, {"are you a robot", SmallTalkAbout},
	} {
		if kind, ok := SmallTalk(tc.message); !ok || kind != tc.kind {
			t.Errorf("SmallTalk(%q) = %q %v, want %q", tc.message, kind, ok, tc.kind)
		}
	}
	for _, q := range []string{"hi, how much do nurses make?", "help me become a nurse", "what do you earn as a designer", "thanks, and what about remote work?"} {
		if kind, ok := SmallTalk(q); ok {
			t.Errorf("SmallTalk(%q) = %q, want a career question", q, kind)
		}
	}
	guides := []string{"Media Specialist Career Path Guide", "UX Researcher Career Guide"}
	for _, kind := range []string{SmallTalkGreeting, SmallTalkThanks, SmallTalkBye, SmallTalkAbout} {
		r := SmallTalkReply(kind, guides)
		if !strings.Contains(r, "Media Specialist and UX Researcher") || strings.Contains(r, "couldn't find") {
			t.Errorf("%s reply %q: want the careers, never the decline", kind, r)
		}
	}
	if r := Uncovered([]string{"Plumber"}, guides); !strings.Contains(r, "Plumber") || !strings.Contains(r, "UX Researcher") || strings.ContainsAny(r, "$0123456789") {
		t.Errorf("Uncovered = %q", r)
	}
}

// SmallTalk stops at a first word that is not small talk (a hand
// optimisation): it must classify every message as the version that
// looked at the rest first did — phrases, pairs of them, career questions
// and mixtures of their words.
func TestSmallTalkMatchesReference(t *testing.T) {
	var words []string
	for _, ps := range smallTalkPhrases {
		for _, p := range ps {
			words = append(words, strings.Fields(p)...)
		}
	}
	words = append(words, "how", "much", "do", "nurses", "make", "bot", "again", "so", "lol", ":)", "u", "thx", "salary", "Hi,", "there!")
	rng := rand.New(rand.NewPCG(7, 8))
	var messages []string
	for _, ps := range smallTalkPhrases {
		for _, p := range ps {
			for _, qs := range smallTalkPhrases {
				messages = append(messages, p, p+", "+qs[rng.IntN(len(qs))], p+" bot", "how much "+p)
			}
		}
	}
	for range 20000 {
		var b []string
		for range 1 + rng.IntN(9) {
			b = append(b, words[rng.IntN(len(words))])
		}
		messages = append(messages, strings.Join(b, " "))
	}
	small := 0
	for _, m := range messages {
		k, ok := SmallTalk(m)
		wk, wok := smallTalkReference(m)
		if k != wk || ok != wok {
			t.Fatalf("SmallTalk(%q) = %q, %v; want %q, %v", m, k, ok, wk, wok)
		}
		if ok {
			small++
		}
	}
	if small < 1000 {
		t.Fatalf("only %d of %d messages were small talk: the test checks too little", small, len(messages))
	}
}

// smallTalkReference is SmallTalk as it was before it stopped at a first
// word that is no small talk (commit 8047da0's, with ForEachWordIn).
func smallTalkReference(message string) (string, bool) {
	var words []string
	vocab.ForEachWordIn(message, func(w string) {
		switch w { // chat shorthand
		case "u", "ya":
			w = "you"
		case "ur":
			w = "your"
		case "r":
			w = "are"
		case "thx", "thnx", "tnx":
			w = "thanks"
		}
		words = append(words, w)
	})
	if len(words) == 0 || len(words) > 8 {
		return "", false
	}
	// Drop a trailing "bot", "there", "again", "so much" and friendly fillers.
	// The phrases are matched before the fillers go as well as after:
	// stripping " bot " turned "are you a bot" into "are you a", which
	// matched nothing and was declined.
	whole := strings.Join(words, " ")
	text := " " + whole + " "
	for _, filler := range []string{" bot ", " again ", " mate ", " guys ", " very much ", " so much ", " lol ", " :) "} {
		text = strings.ReplaceAll(text, filler, " ")
	}
	text = strings.TrimSpace(text)
	for _, kind := range []string{SmallTalkAbout, SmallTalkThanks, SmallTalkBye, SmallTalkGreeting} {
		for _, p := range smallTalkPhrases[kind] {
			if text == p || whole == p {
				return kind, true
			}
		}
	}
	// "hi there, thanks!" and similar pairs.
	if first, rest, ok := strings.Cut(text, " "); ok {
		k1, ok1 := smallTalkReference(first)
		k2, ok2 := smallTalkReference(rest)
		if ok1 && ok2 {
			if k2 == SmallTalkAbout {
				return k2, true
			}
			return k1, true
		}
	}
	return "", false
}
