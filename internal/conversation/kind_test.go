package conversation

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/openai/openaitest"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
	"github.com/careerbot/careerbot/protocol"
)

// done.kind says what sort of reply was sent; done.cited, which sources an
// answer used (indexes into sources).
func TestDoneKindAndCited(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist, ragtest.UXResearcher)
	_, sess := open(t, Config{}, Deps{Index: ix})
	for _, tt := range []struct{ question, kind string }{
		{"hi there", protocol.KindSmallTalk},
		{"How much does a plumber make?", protocol.KindUncovered},
		{"What is the capital of France?", protocol.KindDecline},
		{"How much does a media specialist earn?", protocol.KindAnswer},
	} {
		r := ask(t, sess, "q", tt.question)
		if r.done.Kind != tt.kind {
			t.Errorf("%q: kind %q, want %q (%q)", tt.question, r.done.Kind, tt.kind, r.done.Text)
		}
		if tt.kind != protocol.KindAnswer {
			if len(r.done.Cited) != 0 {
				t.Errorf("%q: a %s reply cites %v", tt.question, tt.kind, r.done.Cited)
			}
			continue
		}
		if len(r.done.Cited) == 0 {
			t.Fatalf("%q: nothing cited; sources %d", tt.question, len(r.sources.Sources))
		}
		var used []string
		for _, i := range r.done.Cited {
			if i < 0 || i >= len(r.sources.Sources) {
				t.Fatalf("cited %v out of %d sources", r.done.Cited, len(r.sources.Sources))
			}
			used = append(used, r.sources.Sources[i].Section)
		}
		if !slices.ContainsFunc(used, func(s string) bool { return strings.Contains(s, "Annual Salary") }) || !strings.Contains(r.done.Text, "$65,000") {
			t.Errorf("pay answer %q cites %v", r.done.Text, used)
		}
	}
}

func TestLLMCited(t *testing.T) {
	for _, tt := range []struct {
		answer string
		want   []int // into the stand-in index's sources for the question
	}{
		{"About $65,000 [Annual Salary (US, USD)].", []int{0}},
		{"About $65,000 [annual salary].", []int{0}},
		{"About $65,000 [1].", []int{0}},
		{"About $65,000.", nil}, // nothing recognisable: every source
	} {
		svc, upstream, _ := llmService(t, 10*time.Second)
		upstream.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
			openaitest.Stream(w, []string{tt.answer}, "stop")
		})
		r := ask(t, newSession(svc), "1", "What salary does a media specialist earn?")
		want := tt.want
		if want == nil {
			for i := range r.sources.Sources {
				want = append(want, i)
			}
		}
		if !slices.Equal(r.done.Cited, want) || r.done.Kind != protocol.KindAnswer {
			t.Errorf("model says %q: cited %v kind %q, want %v (sources %d)", tt.answer, r.done.Cited, r.done.Kind, want, len(r.sources.Sources))
		}
	}
}

// Routed answers say so in done.kind, and cite every career they are about.
func TestDoneKindOfRoutedAnswers(t *testing.T) {
	files, err := filepath.Glob("../../testdata/guides/*")
	if err != nil {
		t.Fatal(err)
	}
	ix := ragtest.Open(t, append(files, ragtest.MediaSpecialist)...)
	for _, tt := range []struct {
		question, kind string
		cites          []string // guides the cited sources must include
	}{
		{"Which pays more, an electrician or a graphic designer?", protocol.KindCompare, []string{"Electrician", "Graphic Designer"}},
		{"How much do people earn?", protocol.KindPerCareer, []string{"Electrician", "Registered Nurse"}},
		{"Which certifications should I get?", protocol.KindClarify, nil},
		{"How much does an electrician earn?", protocol.KindAnswer, []string{"Electrician"}},
	} {
		_, sess := open(t, Config{}, Deps{Index: ix})
		r := ask(t, sess, "q", tt.question)
		if r.done.Kind != tt.kind {
			t.Errorf("%q: kind %q, want %q (%q)", tt.question, r.done.Kind, tt.kind, r.done.Text)
			continue
		}
		var guides []string
		for _, i := range r.done.Cited {
			guides = append(guides, r.sources.Sources[i].Guide)
		}
		for _, want := range tt.cites {
			if !slices.ContainsFunc(guides, func(g string) bool { return strings.HasPrefix(g, want) }) {
				t.Errorf("%q: cited guides %v lack %s", tt.question, guides, want)
			}
		}
		if tt.kind == protocol.KindClarify && len(r.done.Cited) != 0 {
			t.Errorf("%q: a clarify reply cites %v", tt.question, r.done.Cited)
		}
	}
}

// A finished answer replayed by Resume keeps its kind and citations.
func TestResumeReplaysKindAndCited(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	svc, sess := open(t, Config{}, Deps{Index: ix})
	first := ask(t, sess, "q1", "How much does a media specialist earn?")
	if len(first.done.Cited) == 0 {
		t.Fatalf("nothing cited: %+v", first.done)
	}
	again, _ := svc.Open(context.Background(), "192.0.2.1", sess.ID())
	var done protocol.Done
	if err := again.Resume(context.Background(), "q1", func(f protocol.Frame) {
		if d, ok := f.(protocol.Done); ok {
			done = d
		}
	}); err != nil {
		t.Fatalf("resume: %+v", err)
	}
	if done.Kind != protocol.KindAnswer || !slices.Equal(done.Cited, first.done.Cited) {
		t.Errorf("replayed done kind %q cited %v, want %q %v", done.Kind, done.Cited, protocol.KindAnswer, first.done.Cited)
	}
}
