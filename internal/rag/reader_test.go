package rag

import (
	"context"
	"reflect"
	"testing"

	"github.com/careerbot/careerbot/internal/testutil"
)

// TestReaderIsIndex holds the Reader (each question read once per answer)
// to the Index it reads: on the multi-guide corpus, for every question of
// the eval sets (and their histories), each of its methods gives what the
// Index's gives, asked in turn on one Reader per case so that later calls
// use what earlier ones read, and a match it returns may be changed by its
// caller without changing what it returns next.
func TestReaderIsIndex(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	ctx := context.Background()
	var cases [][]string
	for _, c := range testutil.EvalCases(t, "../../testdata/eval") {
		cases = append(cases, append([]string{c.Question}, c.History...))
	}
	if len(cases) < 300 {
		t.Fatalf("only %d eval cases read", len(cases))
	}
	careers := len(ix.Careers())
	for _, qs := range cases {
		r := ix.Reader()
		for pass := range 2 { // the second pass reads nothing afresh
			for _, q := range qs {
				want, got := ix.ResolveCareers(q), r.ResolveCareers(q)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("pass %d: ResolveCareers(%q) = %+v, want %+v", pass, q, got, want)
				}
				got.Covered = append(got.Covered[:0], 99) // the caller's to change
				if w, g := ix.QuestionTopics(q), r.QuestionTopics(q); !reflect.DeepEqual(g, w) {
					t.Fatalf("QuestionTopics(%q) = %v, want %v", q, g, w)
				}
				if w, g := ix.WithoutCareers(q), r.WithoutCareers(q); g != w {
					t.Fatalf("WithoutCareers(%q) = %q, want %q", q, g, w)
				}
				for _, cs := range [][]int{nil, want.Covered, {careers - 1}} {
					wh, werr := ix.SearchCareers(ctx, q, cs)
					gh, gerr := r.SearchCareers(ctx, q, cs)
					if !reflect.DeepEqual(gh, wh) || (gerr == nil) != (werr == nil) {
						t.Fatalf("SearchCareers(%q, %v) = %v, %v; want %v, %v", q, cs, gh, gerr, wh, werr)
					}
				}
				for _, topics := range [][]string{{"pay"}, {"remote", "setting"}, {"skills"}} {
					wh, werr := ix.SearchTopic(ctx, q, 0, topics...)
					gh, gerr := r.SearchTopic(ctx, q, 0, topics...)
					if !reflect.DeepEqual(gh, wh) || (gerr == nil) != (werr == nil) {
						t.Fatalf("SearchTopic(%q, %v) = %v, %v; want %v, %v", q, topics, gh, gerr, wh, werr)
					}
				}
			}
		}
	}
}

func TestReaderAsksOnlyItsTopicIsIndexs(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	r := ix.Reader()
	for _, q := range []string{"what gear would i use", "whats a journeyman", "whats the pay like", "salary?", "hi"} {
		if got, want := r.AsksOnlyItsTopic(q), ix.AsksOnlyItsTopic(q); got != want {
			t.Errorf("Reader.AsksOnlyItsTopic(%q) = %v, Index says %v", q, got, want)
		}
	}
	if !ix.AsksOnlyItsTopic("what gear would i use") || ix.AsksOnlyItsTopic("whats a journeyman") {
		t.Error("gear is only a topic's words, journeyman is not")
	}
}
