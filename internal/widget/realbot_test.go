package widget_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
)

// The real corpus index is built once for the package (it is read-only).
var corpus struct {
	once sync.Once
	idx  *rag.Index
	err  error
}

func corpusIndex(t *testing.T) *rag.Index {
	t.Helper()
	corpus.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		dir, err := tempDataDir()
		if err != nil {
			corpus.err = err
			return
		}
		corpus.idx, corpus.err = rag.Open(ctx, rag.Options{CorpusDir: "../../corpus", DataDir: dir})
	})
	if corpus.err != nil {
		t.Fatalf("indexing the corpus: %v", corpus.err)
	}
	return corpus.idx
}

type botOption func(*chat.Config, *conversation.Deps)

// withLLM points the server at an OpenAI-compatible server (LLM mode).
func withLLM(baseURL string) botOption {
	return func(_ *chat.Config, d *conversation.Deps) {
		d.LLM = openai.NewChatClient(openai.ChatOptions{BaseURL: baseURL, Model: "test-model", Timeout: 10 * time.Second, RetryBackoff: 10 * time.Millisecond})
	}
}

func withAllowedOrigins(origins ...string) botOption {
	return func(c *chat.Config, _ *conversation.Deps) { c.AllowedOrigins = origins }
}

// realBot is the real chat server (it mounts widget.Handler for / and
// /widget.js) on a loopback port, offline unless withLLM is given.
type realBot struct {
	*httptest.Server
	chat *chat.Server
}

func startRealBot(t *testing.T, opts ...botOption) *realBot {
	t.Helper()
	cfg := chat.Config{}
	deps := conversation.Deps{Index: corpusIndex(t)}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	answers := conversation.New(conversation.Config{DataDir: t.TempDir()}, deps)
	srv := chat.NewServer(cfg, chat.Deps{Answers: answers})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		ts.Close()
	})
	return &realBot{Server: ts, chat: srv}
}
