package openai

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/redact"
)

// EmbedderOptions configure embeddings from an OpenAI-compatible endpoint:
// OpenAI itself, Ollama (/v1), vLLM, LocalAI, llama.cpp server.
type EmbedderOptions struct {
	BaseURL string        // e.g. https://api.openai.com/v1 or http://localhost:11434/v1; empty = OpenAI
	APIKey  string        // may be empty for local servers; never logged
	Model   string        // e.g. text-embedding-3-small, nomic-embed-text
	Timeout time.Duration // per request (0 = DefaultTimeout)
	Batch   int           // texts per request (default 64)
	// MaxResponseBytes bounds one response body (0 =
	// DefaultMaxEmbeddingResponse): go-openai reads it whole, so a broken or
	// hostile endpoint could otherwise make the bot buffer without limit;
	// past it the request fails with ErrResponseTooLarge.
	MaxResponseBytes int64
	HTTPClient       *http.Client // nil = a pooled client of our own
}

// Embedder is the rag.Embedder backed by go-openai's CreateEmbeddings.
// Vectors are L2-normalised here because chromem-go does not normalise what
// an embedding function returns, and not every server returns unit vectors.
type Embedder struct {
	client   *goopenai.Client
	opts     EmbedderOptions
	endpoint string // the base URL without credentials, for errors
}

var _ rag.Embedder = (*Embedder)(nil)

// NewEmbedder returns an embedder for opts. It does not contact the server.
func NewEmbedder(opts EmbedderOptions) *Embedder {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Batch <= 0 {
		opts.Batch = 64
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultMaxEmbeddingResponse
	}
	if opts.BaseURL == "" {
		opts.BaseURL = "https://api.openai.com/v1"
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	cfg := goopenai.DefaultConfig(opts.APIKey)
	cfg.BaseURL = opts.BaseURL
	// An embeddings response is one JSON document: no bound per line, one
	// on the whole.
	hc := boundedClient(opts.HTTPClient, 0, opts.MaxResponseBytes)
	hc.Timeout = opts.Timeout
	cfg.HTTPClient = hc
	return &Embedder{client: goopenai.NewClientWithConfig(cfg), opts: opts, endpoint: redact.URL(opts.BaseURL)}
}

// Name identifies endpoint and model, so switching either rebuilds the index.
func (e *Embedder) Name() string {
	return "openai:" + e.opts.BaseURL + ":" + e.opts.Model
}

// Embed implements rag.Embedder: texts in batches of opts.Batch.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.opts.Batch {
		end := min(start+e.opts.Batch, len(texts))
		vecs, err := e.embedBatch(ctx, texts[start:end])
		if err != nil {
			return nil, err
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func (e *Embedder) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	resp, err := e.client.CreateEmbeddings(ctx, goopenai.EmbeddingRequestStrings{
		Input: texts,
		Model: goopenai.EmbeddingModel(e.opts.Model),
	})
	if err != nil {
		return nil, redactError(err, e.opts.APIKey, "embeddings endpoint", e.where())
	}
	if len(resp.Data) != len(texts) {
		return nil, fmt.Errorf("embeddings endpoint %s: %d vectors for %d texts", e.where(), len(resp.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(texts) || len(d.Embedding) == 0 {
			return nil, fmt.Errorf("embeddings endpoint %s: bad vector at index %d", e.where(), d.Index)
		}
		v := append([]float32(nil), d.Embedding...)
		rag.Normalize(v)
		out[d.Index] = v
	}
	return out, nil
}

// where names the endpoint and model in errors.
func (e *Embedder) where() string { return e.endpoint + " (model " + e.opts.Model + ")" }
