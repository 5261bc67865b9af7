package conversation

import (
	"context"
	"net/http"
	"testing"

	"github.com/careerbot/careerbot/internal/testutil"
	"github.com/careerbot/careerbot/protocol"
)

// reply is what one Answer produced: the frames it emitted, in order, and
// the frame it returned.
type reply struct {
	sources protocol.Sources
	tokens  []string
	done    protocol.Done
	err     *protocol.Error
}

// ask answers question (ask id) in sess, as a transport would, and checks
// the frames come in protocol order: sources, tokens, then done or error.
func ask(t *testing.T, sess *Session, id, question string) reply {
	t.Helper()
	var r reply
	gotSources := false
	last := sess.Answer(context.Background(), id, question, func(f protocol.Frame) {
		switch f := f.(type) {
		case protocol.Sources:
			if gotSources || len(r.tokens) > 0 {
				t.Errorf("ask %s: a second or late sources frame", id)
			}
			gotSources, r.sources = true, f
		case protocol.Token:
			if !gotSources {
				t.Errorf("ask %s: a token before the sources", id)
			}
			if f.ID != id {
				t.Errorf("ask %s: token for %q", id, f.ID)
			}
			r.tokens = append(r.tokens, f.Text)
		default:
			t.Errorf("ask %s: emitted %T; done and error are returned", id, f)
		}
	})
	switch f := last.(type) {
	case protocol.Done:
		r.done = f
	case protocol.Error:
		r.err = &f
	default:
		t.Fatalf("ask %s: last frame %T", id, last)
	}
	return r
}

// open starts a conversation of a fresh service on deps.
func open(t *testing.T, cfg Config, deps Deps) (*Service, *Session) {
	t.Helper()
	svc := New(cfg, deps)
	sess, _ := svc.Open(context.Background(), "192.0.2.1", "")
	return svc, sess
}

// httpClient makes an http.Client whose idle connections are closed when
// the test ends.
func httpClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

type syncBuffer = testutil.Buffer
