package conversation

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/careerbot/careerbot/internal/loadgen"
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

// benchBotbench are the questions cmd/botbench's clients ask in turn
// (loadgen.Questions), each client in one conversation for the whole run:
// the "botbench" case is the server-side cost of one answer of that load,
// without the websocket.
var benchBotbench = loadgen.Questions

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
		maxTurns  int  // 0 = the server's default
		keep      bool // one conversation for the whole run, as a botbench client
	}{
		{"one-guide", []string{ragtest.MediaSpecialist}, visit, 6, false},
		{"six-guides", append(files, ragtest.MediaSpecialist), visit, 6, false},
		{"six-guides-single", append(files, ragtest.MediaSpecialist), benchSingle, 6, false},
		{"botbench", []string{ragtest.MediaSpecialist}, benchBotbench, 0, true},
	} {
		b.Run(corpus.name, func(b *testing.B) {
			svc := New(Config{MaxTurns: corpus.maxTurns}, Deps{Index: ragtest.Open(b, corpus.files...)})
			ctx := context.Background()
			emit := func(protocol.Frame) {}
			sess, _ := svc.Open(ctx, "192.0.2.1", "")
			questions := corpus.questions
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				q := questions[i%len(questions)]
				if i%len(questions) == 0 && !corpus.keep {
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
