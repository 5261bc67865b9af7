package chat

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/openai/openaitest"
	"github.com/careerbot/careerbot/protocol"
)

// slowAnswer makes the upstream send one token, then wait for release (or
// for the request to be abandoned) before finishing.
func slowAnswer(release <-chan struct{}) func(w http.ResponseWriter, r *http.Request, n int) {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		openaitest.Chunk(w, "A media specialist", "")
		select {
		case <-release:
			openaitest.Chunk(w, " earns $65,000.", "stop")
			openaitest.Done(w)
		case <-r.Context().Done():
		}
	}
}

func TestShutdownLetsInFlightAnswerFinish(t *testing.T) {
	ts, upstream, _ := startLLMServer(t, 10*time.Second)
	release := make(chan struct{})
	upstream.Handle(slowAnswer(release))
	busy := ts.dial(t, "")
	idle := ts.dial(t, "")
	busy.ask("1", "What salary does a media specialist earn?")
	busy.read() // sources
	busy.read() // first token: the answer is in flight

	shutdownErr := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
		defer cancel()
		shutdownErr <- ts.Shutdown(ctx)
	}()
	if code := idle.closeCode(); code != websocket.CloseGoingAway {
		t.Errorf("idle connection closed with %d, want 1001", code)
	}
	if _, resp, err := websocket.DefaultDialer.Dial(ts.wsURL, nil); err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("new connection while draining: %v %v, want 503", resp, err)
	}
	close(release)
	f := busy.read()
	if f.Type != protocol.TypeToken {
		t.Fatalf("got %s, want the rest of the answer", f.raw)
	}
	f = busy.read()
	if f.Type != protocol.TypeDone || f.Text != "A media specialist earns $65,000." || f.Notice != "" || f.Cancelled {
		t.Fatalf("in-flight answer: %s", f.raw)
	}
	if code := busy.closeCode(); code != websocket.CloseGoingAway {
		t.Errorf("busy connection closed with %d after its answer, want 1001", code)
	}
	if err := <-shutdownErr; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

func TestShutdownDeadlineStopsAnswers(t *testing.T) {
	ts, upstream, _ := startLLMServer(t, 10*time.Second)
	upstream.Handle(slowAnswer(nil)) // never finishes by itself
	c := ts.dial(t, "")
	c.ask("1", "What salary does a media specialist earn?")
	c.read()
	c.read()
	shutdownErr := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		shutdownErr <- ts.Shutdown(ctx)
	}()
	f := c.read()
	if f.Type != protocol.TypeDone || !f.Cancelled || f.Notice != noticeShutdown || f.Text != "A media specialist" {
		t.Errorf("stopped answer: %s", f.raw)
	}
	if code := c.closeCode(); code != websocket.CloseGoingAway {
		t.Errorf("closed with %d, want 1001", code)
	}
	if err := <-shutdownErr; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown: %v, want the deadline error", err)
	}
}
