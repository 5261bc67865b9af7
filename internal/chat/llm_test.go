package chat

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/openai/openaitest"
	"github.com/careerbot/careerbot/internal/testutil"
	"github.com/careerbot/careerbot/protocol"
)

const secretKey = "sk-live-do-not-leak-4242"

// syncBuffer is a log sink the race detector is happy with.
type syncBuffer = testutil.Buffer

// startLLMServer starts a chat server in LLM mode against a loopback
// OpenAI-compatible server.
func startLLMServer(t *testing.T, timeout time.Duration) (*testServer, *openaitest.Server, *syncBuffer) {
	t.Helper()
	upstream := openaitest.New(t)
	logs := &syncBuffer{}
	client := openai.NewChatClient(openai.ChatOptions{
		BaseURL: upstream.BaseURL(), APIKey: secretKey, Model: "test-model",
		Timeout: timeout, RetryBackoff: time.Millisecond, HTTPClient: httpClient(t),
	})
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{LLM: client, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	return ts, upstream, logs
}

func TestLLMCancelAndDisconnectAbortUpstream(t *testing.T) {
	for _, how := range []string{"cancel", "disconnect"} {
		t.Run(how, func(t *testing.T) {
			ts, upstream, _ := startLLMServer(t, 10*time.Second)
			aborted := make(chan struct{})
			upstream.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
				openaitest.Chunk(w, "A media specialist", "")
				<-r.Context().Done()
				close(aborted)
			})
			c := ts.dial(t, "")
			c.ask("1", "What salary does a media specialist earn?")
			if f := c.read(); f.Type != protocol.TypeSources {
				t.Fatalf("got %s", f.raw)
			}
			if f := c.read(); f.Type != protocol.TypeToken {
				t.Fatalf("got %s", f.raw)
			}
			if how == "cancel" {
				c.write(`{"type":"cancel","id":"1"}`)
				f := c.read()
				if f.Type != protocol.TypeDone || !f.Cancelled || f.Text != "A media specialist" || f.Notice == "" {
					t.Errorf("after cancel: %s", f.raw)
				}
			} else {
				c.ws.Close()
			}
			select {
			case <-aborted:
			case <-time.After(hangGuard):
				t.Fatal("the upstream request was not aborted")
			}
		})
	}
}
