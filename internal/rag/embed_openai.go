package rag

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// OpenAIEmbedderConfig configures embeddings from an OpenAI-compatible
// endpoint: OpenAI itself, Ollama (/v1), vLLM, LocalAI, llama.cpp server.
type OpenAIEmbedderConfig struct {
	BaseURL string        // e.g. https://api.openai.com/v1 or http://localhost:11434/v1; empty = OpenAI
	APIKey  string        // may be empty for local servers
	Model   string        // e.g. text-embedding-3-small, nomic-embed-text
	Timeout time.Duration // per request (default 30s)
	Batch   int           // texts per request (default 64)
	// MaxResponseBytes bounds one response body (default 64 MiB): go-openai
	// reads it whole, so a broken or hostile endpoint could otherwise make
	// the bot buffer without limit. 64 texts of 3,072 dimensions are ~5 MB.
	MaxResponseBytes int64
}

// DefaultMaxEmbeddingResponse is OpenAIEmbedderConfig.MaxResponseBytes'
// default.
const DefaultMaxEmbeddingResponse = 64 << 20

// ErrEmbeddingResponseTooLarge: the endpoint's response passed
// MaxResponseBytes and was abandoned.
var ErrEmbeddingResponseTooLarge = errors.New("embeddings endpoint: response too large")

// OpenAIEmbedder embeds through go-openai's CreateEmbeddings. Vectors are
// L2-normalised here because chromem-go does not normalise what an embedding
// function returns, and not every server returns unit vectors.
type OpenAIEmbedder struct {
	client *openai.Client
	cfg    OpenAIEmbedderConfig
}

// NewOpenAIEmbedder returns an embedder for cfg.
func NewOpenAIEmbedder(cfg OpenAIEmbedderConfig) *OpenAIEmbedder {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 64
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxEmbeddingResponse
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://api.openai.com/v1"
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = &http.Client{
		Timeout:   cfg.Timeout,
		Transport: &cappedTransport{base: http.DefaultTransport, max: cfg.MaxResponseBytes},
	}
	return &OpenAIEmbedder{client: openai.NewClientWithConfig(oc), cfg: cfg}
}

// Name identifies endpoint and model, so switching either rebuilds the index.
func (e *OpenAIEmbedder) Name() string {
	return "openai:" + e.cfg.BaseURL + ":" + e.cfg.Model
}

// Embed embeds texts in batches.
func (e *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.cfg.Batch {
		end := min(start+e.cfg.Batch, len(texts))
		vecs, err := e.embedBatch(ctx, texts[start:end])
		if err != nil {
			return nil, err
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func (e *OpenAIEmbedder) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	resp, err := e.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
		Input: texts,
		Model: openai.EmbeddingModel(e.cfg.Model),
	})
	if err != nil {
		return nil, fmt.Errorf("embeddings endpoint %s (model %s): %w", e.cfg.BaseURL, e.cfg.Model, redactErr(err, e.cfg.APIKey))
	}
	if len(resp.Data) != len(texts) {
		return nil, fmt.Errorf("embeddings endpoint %s (model %s): %d vectors for %d texts", e.cfg.BaseURL, e.cfg.Model, len(resp.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(texts) || len(d.Embedding) == 0 {
			return nil, fmt.Errorf("embeddings endpoint %s (model %s): bad vector at index %d", e.cfg.BaseURL, e.cfg.Model, d.Index)
		}
		v := append([]float32(nil), d.Embedding...)
		normalize(v)
		out[d.Index] = v
	}
	return out, nil
}

// redactErr keeps the API error's status and message but never the key:
// request headers are not repeated, and a server (or proxy) that echoes the
// key in its error message has it replaced. err stays in the chain.
func redactErr(err error, key string) error {
	msg := err.Error()
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		msg = fmt.Sprintf("HTTP %d: %s", apiErr.HTTPStatusCode, apiErr.Message)
	case errors.As(err, &reqErr):
		msg = fmt.Sprintf("HTTP %d: %v", reqErr.HTTPStatusCode, reqErr.Err)
	}
	if key != "" {
		msg = strings.ReplaceAll(msg, key, "[redacted]")
	}
	return &redactedError{msg: msg, cause: err}
}

type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }

// cappedTransport makes every response body fail with
// ErrEmbeddingResponseTooLarge once more than max bytes have been read.
type cappedTransport struct {
	base http.RoundTripper
	max  int64
}

func (t *cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	resp.Body = &cappedBody{body: resp.Body, left: t.max}
	return resp, nil
}

type cappedBody struct {
	body io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly max bytes from a longer one.
		var one [1]byte
		n, err := b.body.Read(one[:])
		if n > 0 {
			return 0, ErrEmbeddingResponseTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *cappedBody) Close() error { return b.body.Close() }
