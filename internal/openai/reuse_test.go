package openai

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/openai/openaitest"
)

// TestConnectionReusedAfterDone: a server that ends its response a moment
// after the [DONE] event (the end of the chunked body follows the handler's
// return) must not cost the next request a new connection. Closed before its
// end, a body takes its connection with it, so each request would dial again
// (with a hosted API: a TLS handshake before every first token).
func TestConnectionReusedAfterDone(t *testing.T) {
	srv := openaitest.New(t)
	var mu sync.Mutex
	remotes := map[string]bool{}
	srv.Handle(func(w http.ResponseWriter, r *http.Request, _ int) {
		mu.Lock()
		remotes[r.RemoteAddr] = true
		mu.Unlock()
		openaitest.Stream(w, []string{"Hello", " world"}, "stop")
		time.Sleep(10 * time.Millisecond) // the body ends after the client saw [DONE]
	})
	tr := pooledTransport()
	t.Cleanup(tr.CloseIdleConnections)
	c := NewChatClient(ChatOptions{BaseURL: srv.BaseURL(), Model: "m", HTTPClient: &http.Client{Transport: tr}})
	const requests = 10
	for range requests {
		comp, err := c.Stream(context.Background(), []Message{{Role: RoleUser, Content: "hi"}}, func(string) {})
		if err != nil || comp.Text != "Hello world" {
			t.Fatalf("Stream: %q, %v", comp.Text, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	// One connection is the expectation; a few allow for a loaded machine.
	if len(remotes) > requests/2 {
		t.Errorf("%d connections for %d requests one after the other: connections are not reused", len(remotes), requests)
	}
}
