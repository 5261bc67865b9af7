package conversation

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/careerbot/careerbot/internal/rag/ragtest"
	"github.com/careerbot/careerbot/protocol"
)

// benchConversation is a visit: a question naming a career, follow-ups,
// one naming no career, a comparison and one asking what needs a career.
var benchConversation = []string{
	"how much do data analysts make",
	"what do they do in the morning",
	"what about nurses?",
	"nurse vs electrician pay",
	"and which is less stressful?",
}

var benchAmbiguous = []string{"whats the median salary?", "what degree do i need"}

// benchSingle are questions about one career each, named or current: what
// routing must not make dearer.
var benchSingle = []string{
	"how much do data analysts make",
	"what do they do in the morning",
	"which tools do electricians use",
	"do they need a license?",
	"is graphic design stressful",
}

// BenchmarkAnswerOffline is the answer service's CPU per offline answer
// over the six-career corpus (corpus/ + testdata/guides/), routing
// included: one op is one answer, questions taken in turn from a visit.
func BenchmarkAnswerOffline(b *testing.B) {
	files, err := filepath.Glob("../../testdata/guides/*")
	if err != nil {
		b.Fatal(err)
	}
	visit := append(append([]string(nil), benchConversation...), benchAmbiguous...)
	for _, corpus := range []struct {
		name      string
		files     []string
		questions []string
	}{
		{"one-guide", []string{ragtest.MediaSpecialist}, visit},
		{"six-guides", append(files, ragtest.MediaSpecialist), visit},
		{"six-guides-single", append(files, ragtest.MediaSpecialist), benchSingle},
	} {
		b.Run(corpus.name, func(b *testing.B) {
			svc := New(Config{MaxTurns: 6}, Deps{Index: ragtest.Open(b, corpus.files...)})
			ctx := context.Background()
			emit := func(protocol.Frame) {}
			sess, _ := svc.Open(ctx, "192.0.2.1", "")
			questions := corpus.questions
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				q := questions[i%len(questions)]
				if i%len(questions) == 0 {
					sess, _ = svc.Open(ctx, "192.0.2.1", "") // a new visit
				}
				if _, ok := sess.Answer(ctx, fmt.Sprint(i), q, emit).(protocol.Done); !ok {
					b.Fatalf("no done for %q", q)
				}
				i++
			}
		})
	}
}
