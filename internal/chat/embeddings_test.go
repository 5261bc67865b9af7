package chat

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/protocol"
)

// Modes of the fake embeddings endpoint.
const (
	embedOK int32 = iota
	embedFail
	embedHang
)

// fakeEmbeddings is an OpenAI-compatible POST /v1/embeddings whose behaviour
// a test switches at run time.
func fakeEmbeddings(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var mode atomic.Int32
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load() {
		case embedFail:
			// Some proxies echo the request's credentials in errors.
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": "upstream down; you sent " + r.Header.Get("Authorization"), "type": "server_error"}})
			return
		case embedHang:
			select {
			case <-r.Context().Done():
			case <-stop:
			}
			return
		}
		var req struct {
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		type item struct {
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		var data []item
		for i, text := range req.Input {
			// A bag of hashed words: similar texts get similar vectors.
			v := make([]float32, 32)
			for _, w := range strings.Fields(strings.ToLower(text)) {
				h := fnv.New32a()
				h.Write([]byte(w))
				v[h.Sum32()%32]++
			}
			data = append(data, item{Index: i, Embedding: v})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
	}))
	t.Cleanup(func() { close(stop); srv.Close() })
	return srv, &mode
}

// With BOT_EMBEDDINGS=openai every question is embedded by the endpoint. When
// it fails or hangs at query time the user gets an upstream error frame
// (bounded by the embedder's timeout), the connection stays usable, and the
// key appears nowhere.
func TestEmbeddingsDownAtQueryTime(t *testing.T) {
	srv, mode := fakeEmbeddings(t)
	corpus := t.TempDir()
	guide, err := os.ReadFile("../../corpus/media-specialist.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpus, "media-specialist.txt"), guide, 0o644); err != nil {
		t.Fatal(err)
	}
	embedder := openai.NewEmbedder(openai.EmbedderOptions{BaseURL: srv.URL + "/v1", APIKey: secretKey, Model: "fake", Timeout: 500 * time.Millisecond})
	ix, err := rag.Open(context.Background(), rag.Options{CorpusDir: corpus, DataDir: t.TempDir(), Embedder: embedder, MinScore: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{Index: ix, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	c := ts.dial(t, "")
	const q = "What is the median salary of a media specialist?"
	if r := c.answer("ok", q); !r.done.Grounded {
		t.Fatalf("with the endpoint up: %+v", r)
	}
	var raws []string
	for _, m := range []struct {
		name string
		mode int32
	}{{"failing", embedFail}, {"hanging", embedHang}} {
		mode.Store(m.mode)
		r, raw := c.answerRaw(m.name, q)
		raws = append(raws, raw...)
		if r.err.Code != protocol.CodeUpstream || r.err.Message == "" || r.err.ID != m.name {
			t.Errorf("%s endpoint: %+v, want an upstream error frame", m.name, r)
		}
	}
	mode.Store(embedOK)
	if r := c.answer("back", q); !r.done.Grounded {
		t.Errorf("after the endpoint recovered: %+v", r)
	}
	if !strings.Contains(logs.String(), srv.URL) {
		t.Errorf("the log does not name the embeddings endpoint:\n%s", logs.String())
	}
	for _, s := range append(raws, logs.String()) {
		if strings.Contains(s, secretKey) {
			t.Fatalf("the API key leaked: %s", s)
		}
	}
}
