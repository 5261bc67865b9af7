package compose

import (
	"context"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
)

func TestAnswerKeepsTheSalaryFigures(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	q := "How much does a media specialist earn?"
	hits := ragtest.Search(t, ix, q)
	answer := new(Writer).Answer(q, hits)
	for _, want := range []string{"$65,000", "Entry-Level: $51,000"} {
		if !strings.Contains(answer, want) {
			t.Errorf("answer lacks %q:\n%s", want, answer)
		}
	}
}

func TestAnswerComesFromTheAskedGuide(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist, ragtest.UXResearcher)
	q := "Which tools do UX researchers use for interviews?"
	hits := ragtest.Search(t, ix, q)
	if a := new(Writer).Answer(q, hits); !strings.Contains(a, "Dovetail") {
		t.Errorf("answer lacks Dovetail:\n%s", a)
	}
}

func TestFollowUpNarrowsAList(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	q := Standalone("Which of those are for audio?", []string{"Which tools do media specialists use?"})
	hits := ragtest.Search(t, ix, q)
	got := new(Writer).Answer(q, hits)
	if !strings.Contains(got, "Audacity") || strings.Contains(got, "Final Cut Pro") {
		t.Errorf("answer to %q = %q, want only the audio tools", q, got)
	}
}

// A follow-up in a new direction must be answered about the new topic, not
// pulled back to the previous one (the subject carries, the topic does not).
func TestFollowUpChangesTopic(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	tests := []struct{ prev, q, wantSection, wantFact string }{
		{"How much does a Media Specialist earn?", "Do they need a degree?", "Education", "bachelor"},
		{"Which tools does a Media Specialist use?", "And how much do they earn?", "Annual Salary", "$65,000"},
		{"What degree do I need to become a media specialist?", "Can they work from home?", "remotely", "remote"},
	}
	for _, tt := range tests {
		q := Standalone(tt.q, []string{tt.prev})
		hits, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Errorf("%q after %q: %v", tt.q, tt.prev, err)
			continue
		}
		if !strings.Contains(hits[0].Section, tt.wantSection) && !strings.Contains(hits[0].Section, strings.ToLower(tt.wantSection)) {
			t.Errorf("%q after %q (as %q) → %s, want %s", tt.q, tt.prev, q, hits[0].Section, tt.wantSection)
		}
		if a := new(Writer).Answer(q, hits); !strings.Contains(a, tt.wantFact) {
			t.Errorf("%q after %q: answer lacks %q:\n%s", tt.q, tt.prev, tt.wantFact, a)
		}
	}
}

// The analysis cache is keyed by chunk id but never answers from a text the
// chunk no longer has (a reloaded guide keeps its chunk ids).
func TestAnswerCacheFollowsTheChunkText(t *testing.T) {
	var w Writer
	q := "What is the starting salary?"
	hit := func(text string) []rag.Hit {
		return []rag.Hit{{Chunk: rag.Chunk{ID: "guide-0001", Guide: "Media Specialist Career Path Guide", Section: "Salary", Text: text}, Score: 1}}
	}
	if a := w.Answer(q, hit("The starting salary is $51,000.")); !strings.Contains(a, "$51,000") {
		t.Fatalf("first answer = %q", a)
	}
	if a := w.Answer(q, hit("The starting salary is $55,000 since the update.")); !strings.Contains(a, "$55,000") {
		t.Errorf("answer after the chunk changed = %q, want the new figure", a)
	}
	if _, ok := w.analyses.Load("guide-0001"); !ok {
		t.Error("chunk analysis not cached by id")
	}
}

func BenchmarkAnswerGuide(b *testing.B) {
	ix := ragtest.Open(b, ragtest.MediaSpecialist)
	q := "How much does a media specialist earn?"
	hits := ragtest.Search(b, ix, q)
	var w Writer
	for b.Loop() {
		w.Answer(q, hits)
	}
}

// What an answer must hold for questions whose answer is not the top
// chunk's first lines (issue 12): both kinds of skills, the line of a long
// section that names what was asked, the salary table rather than the
// sentence under it, a story's outcome.
func TestAnswerPicksTheLinesThatAnswer(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	tests := []struct {
		q    string
		want []string
	}{
		{"What skills does a Media Specialist need?", []string{"video editing", "communication"}},
		{"what skills do i need", []string{"skills:", "communication"}},
		{"Are bootcamps an option instead of a degree?", []string{"bootcamps"}},
		{"What salary after ten years or so?", []string{"Senior-Level: $79,000", "Entry-Level: $51,000"}},
		{"How did the fashion brand campaign go?", []string{"doubled"}},
		{"Is a master's degree useful?", []string{"master"}},
	}
	var w Writer
	for _, tt := range tests {
		got := w.Answer(tt.q, ragtest.Search(t, ix, tt.q))
		for _, want := range tt.want {
			if !strings.Contains(strings.ToLower(got), strings.ToLower(want)) {
				t.Errorf("answer to %q lacks %q:\n%s", tt.q, want, got)
			}
		}
	}
}
