package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// With BOT_EMBEDDINGS=openai and the endpoint down at start (and no index
// file built earlier), `bot serve` fails with an error that names the
// endpoint and says it was embedding — instead of quietly answering from a
// different, built-in index. See docs/hardening.md.
func TestServeWithTheEmbeddingsEndpointDownFailsClearly(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	base := closed.URL + "/v1"
	closed.Close()
	const key = "sk-start-secret-777"
	env := map[string]string{
		"BOT_EMBEDDINGS":  "openai",
		"OPENAI_BASE_URL": base,
		"OPENAI_API_KEY":  key,
		"BOT_CORPUS_DIR":  "../../corpus",
		"BOT_DATA_DIR":    t.TempDir(),
		"BOT_ADDR":        "127.0.0.1:0",
		"BOT_LLM_TIMEOUT": "2s",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if ctx.Err() != nil {
		t.Fatal("serve hung with the embeddings endpoint down")
	}
	if err == nil {
		t.Fatal("serve started without its embeddings endpoint")
	}
	for _, want := range []string{"loading the index", "embedding the corpus", base} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error()+stderr.String()+stdout.String(), key) {
		t.Errorf("the API key leaked:\n%v\n%s", err, stderr.String())
	}
}
