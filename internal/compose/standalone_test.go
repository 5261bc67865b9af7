package compose

import (
	"strings"
	"testing"
)

func TestStandalone(t *testing.T) {
	tests := []struct {
		q, prev, wantContains string
		unchanged             bool
	}{
		{"And how much do they earn?", "What does a junior media specialist do?", "media specialist", false},
		{"Do they need a degree?", "How much does a media specialist earn?", "media specialist", false},
		{"Which of those are for audio?", "What tools do media specialists use?", "tools", false},
		{"what about remote?", "How much does a media specialist earn?", "media specialist", false},
		{"How much does a UX researcher earn?", "What tools do media specialists use?", "", true},
		{"What degree do I need to become a media specialist?", "", "", true},
		{"Salary?", "What does a junior media specialist do?", "media specialist", false},
		{"What is the capital of France?", "Can media specialists work remotely?", "", true},
		// A fragment opened by a preposition continues the last question.
		{"in asia?", "Which countries hire media specialists?", "countries", false},
		{"for scheduling posts?", "What apps do media specialists use?", "apps", false},
		{"In 2024 did the market grow or shrink overall?", "Which countries hire media specialists?", "", true},
		{"n the soft ones?", "What technical skills matter?", "skills", false},
		// The same question asked of something else carries the topic, not
		// the words "same question".
		{"same question for electricians", "media specialist job growth", "growth", false},
		{"same for juniors", "how much do seniors make", "pay", false},
		// Weighing the careers just compared on a topic of its own; a
		// list's items weighed by no topic keep the list's.
		{"and which of them is more stressful", "who earns more, financial analyst or hvac technician?", "hvac technician", false},
		{"which of them is more important", "what skills do media specialists need", "skills", false},
	}
	for _, tt := range tests {
		var prev []string
		if tt.prev != "" {
			prev = []string{tt.prev}
		}
		got := Standalone(tt.q, prev)
		if strings.Contains(tt.prev, "earn") && strings.Contains(got, "earn") {
			t.Errorf("Standalone(%q after %q) = %q carries the previous topic", tt.q, tt.prev, got)
		}
		if tt.unchanged && got != tt.q {
			t.Errorf("Standalone(%q) = %q, want unchanged", tt.q, got)
		}
		if !tt.unchanged && !strings.Contains(got, tt.wantContains) {
			t.Errorf("Standalone(%q after %q) = %q, want it to carry %q", tt.q, tt.prev, got, tt.wantContains)
		}
	}
}

// A follow-up that names no topic of its own asks the same about something
// else: it carries the previous topic, not the previous subject.
func TestFollowUpWithoutATopicKeepsTheTopic(t *testing.T) {
	tests := []struct{ prev, q, want string }{
		{"what's the pay like", "and for seniors?", "and for seniors? (pay)"},
		{"how much does a junior make", "and mid level?", "and mid level? (pay)"},
		{"tell me about the morning routine", "and the afternoon?", "and the afternoon? (routine)"},
		{"what software do they use", "which one for video", "which one for video (software use)"},
	}
	for _, tt := range tests {
		if got := Standalone(tt.q, []string{tt.prev}); got != tt.want {
			t.Errorf("Standalone(%q after %q) = %q, want %q", tt.q, tt.prev, got, tt.want)
		}
	}
}

// A correction asks the previous question again with what it corrects,
// without what it says was not meant.
func TestCorrections(t *testing.T) {
	for q, want := range map[string]bool{
		"no i meant the senior ones": true, "sorry i meant the junior level not manager": true,
		"no, the technical ones i mean": true, "nope, remote": true,
		"no": false, "what do i mean to them": false, "is it not stressful": false, "how much do they make": false,
	} {
		if got := IsCorrection(q); got != want {
			t.Errorf("IsCorrection(%q) = %v, want %v", q, got, want)
		}
	}
	for q, want := range map[string]string{
		"no not editing, i meant for scheduling posts": "no i meant for scheduling posts",
		"sorry i meant the junior level not manager":   "sorry i meant the junior level",
		"not the morning, the afternoon":               "the afternoon",
	} {
		if got := WithoutNegated(q); got != want {
			t.Errorf("WithoutNegated(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestSameQuestionIsNotSearched(t *testing.T) {
	if got := Standalone("same question for electricians", []string{"media specialist job growth"}); strings.Contains(got, "question") {
		t.Errorf("Standalone = %q: the words saying it is the same question are searched", got)
	}
}
