package compose

import (
	"strings"
	"testing"
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
