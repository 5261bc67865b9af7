package compose

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
)

func TestFollowUpsAreRelatedAndNew(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	q := "How much does a media specialist earn?"
	hits := ragtest.Search(t, ix, q)
	got := FollowUps(q, hits, 3)
	if len(got) != 3 {
		t.Fatalf("FollowUps = %q, want 3", got)
	}
	for _, s := range got {
		if strings.Contains(s, "earn") {
			t.Errorf("follow-up %q repeats the question's topic", s)
		}
		if _, err := ix.Search(context.Background(), s); err != nil {
			t.Errorf("follow-up %q finds nothing: %v", s, err)
		}
	}
	for _, s := range Starters(ix.Guides(), 4) {
		if _, err := ix.Search(context.Background(), s); err != nil {
			t.Errorf("starter %q finds nothing: %v", s, err)
		}
	}
}

func TestStartersAndDeclineNameEveryGuide(t *testing.T) {
	guides := []string{"Media Specialist Career Path Guide", "UX Researcher Career Guide"}
	if s := Starters(guides, 4); len(s) != 4 || !strings.Contains(strings.Join(s, " "), "UX Researcher") || !strings.Contains(strings.Join(s, " "), "Media Specialist") {
		t.Errorf("starters = %q, want both guides", s)
	}
	if d := Decline(guides); !strings.Contains(d, "Media Specialist") || !strings.Contains(d, "UX Researcher") {
		t.Errorf("decline = %q, want both careers named", d)
	}
}

// AskedTopicQuestions are the topic questions FollowUps leaves out because
// the question already asks about their topic.
func TestAskedTopicQuestionsAreWhatFollowUpsLeaveOut(t *testing.T) {
	const guide = "Media Specialist Career Path Guide"
	hit := []rag.Hit{{Chunk: rag.Chunk{Guide: guide}}}
	every := FollowUps("", hit, everyCandidate)
	for _, q := range []string{"what's the pay like?", "Do they need a degree? (media specialist)", "Which tools and software?", "How do they bake bread?", ""} {
		rest := FollowUps(q, hit, everyCandidate)
		var left []string
		for _, f := range every {
			if !slices.Contains(rest, f) {
				left = append(left, f)
			}
		}
		if got := AskedTopicQuestions(q, guide); !slices.Equal(got, left) {
			t.Errorf("AskedTopicQuestions(%q) = %q, want %q", q, got, left)
		}
	}
	if got := AskedTopicQuestions("How much do they earn?", guide); !slices.Equal(got, []string{"How much does a Media Specialist earn?"}) {
		t.Errorf("pay question: %q", got)
	}
}
