package openai

//lint:file-ignore SA1019 max_tokens (deprecated by OpenAI for max_completion_tokens) is the field Ollama, vLLM and llama.cpp server understand

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/careerbot/careerbot/internal/redact"
)

// DefaultTimeout is how long a request may go without progress when the
// options give no timeout: the wait for the first token (and between
// tokens) of a chat stream, one embeddings request.
const DefaultTimeout = 30 * time.Second

// ChatOptions configure a ChatClient.
type ChatOptions struct {
	BaseURL string // e.g. http://localhost:11434/v1; "" = OpenAI
	APIKey  string // may be empty for local servers; never logged
	Model   string
	// Temperature is sent as given. go-openai drops a zero temperature from
	// the request (omitempty), which would leave the server's default (often
	// 0.8–1.0) in force, so 0 is sent as the smallest positive float instead:
	// it behaves as greedy decoding everywhere we have tried.
	Temperature float32
	MaxTokens   int // 0 = the server's default
	// Timeout bounds the whole wait for the first token, the retry
	// included, and every later silence between tokens (0 = DefaultTimeout).
	Timeout time.Duration
	// RetryBackoff is the pause before the single retry (default 1s).
	RetryBackoff time.Duration
	HTTPClient   *http.Client // nil = a plain client (no overall timeout: answers stream)
	// MaxLineBytes and MaxResponseBytes bound what is read from the
	// endpoint (defaults DefaultMaxLineBytes and DefaultMaxResponseBytes);
	// past them the request fails with ErrResponseTooLarge.
	MaxLineBytes     int64
	MaxResponseBytes int64
}

// ChatClient is the Streamer backed by go-openai.
type ChatClient struct {
	api      *goopenai.Client
	opts     ChatOptions
	endpoint string // the base URL without credentials, for logs and errors
}

// NewChatClient makes a ChatClient. It does not contact the server.
func NewChatClient(opts ChatOptions) *ChatClient {
	cfg := goopenai.DefaultConfig(opts.APIKey)
	if opts.BaseURL != "" {
		cfg.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultMaxResponseBytes
	}
	cfg.HTTPClient = boundedClient(opts.HTTPClient, opts.MaxLineBytes, opts.MaxResponseBytes)
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.RetryBackoff <= 0 {
		opts.RetryBackoff = time.Second
	}
	return &ChatClient{api: goopenai.NewClientWithConfig(cfg), opts: opts, endpoint: redact.URL(cfg.BaseURL)}
}

// Model names the configured model.
func (c *ChatClient) Model() string { return c.opts.Model }

// Endpoint is the base URL answers come from, without credentials: for logs.
func (c *ChatClient) Endpoint() string { return c.endpoint }

// Stream implements Streamer: at most two attempts, the second only when the
// first failed before any text with a 429, a 5xx or a timeout, and only
// with the time left: Timeout bounds the whole wait for the first token, so
// a black-holed endpoint costs a question one Timeout, not two and a
// backoff.
func (c *ChatClient) Stream(ctx context.Context, msgs []Message, onDelta func(string)) (Completion, error) {
	req := c.request(msgs)
	var comp Completion
	var text strings.Builder
	firstBy := time.Now().Add(c.opts.Timeout) // the first token's deadline, across attempts
	for attempt := 1; ; attempt++ {
		comp.Attempts = attempt
		finish, err := c.attempt(ctx, req, time.Until(firstBy), func(delta string) {
			text.WriteString(delta)
			onDelta(delta)
		})
		comp.Text = text.String()
		comp.FinishReason = finish
		delivered := comp.Text != ""
		switch {
		case err == nil && !delivered:
			return comp, ErrEmpty
		case err == nil && (finish == string(goopenai.FinishReasonLength) || finish == string(goopenai.FinishReasonContentFilter)):
			return comp, fmt.Errorf("%w (finish_reason %q)", ErrTruncated, finish)
		case err == nil:
			return comp, nil
		case delivered:
			return comp, fmt.Errorf("%w: %w", ErrTruncated, c.redact(err))
		case ctx.Err() != nil:
			return comp, ctx.Err()
		case attempt >= 2 || !Retryable(err):
			return comp, c.redact(err)
		case time.Until(firstBy) <= c.opts.RetryBackoff:
			// No time left for a retry to bring a first token.
			if errors.Is(err, ErrTimeout) {
				return comp, err
			}
			return comp, fmt.Errorf("%w (within %s, no time left to retry): %w", ErrTimeout, c.opts.Timeout, c.redact(err))
		}
		pause := time.NewTimer(c.opts.RetryBackoff)
		select {
		case <-ctx.Done():
			pause.Stop()
			return comp, ctx.Err()
		case <-pause.C:
		}
	}
}

func (c *ChatClient) request(msgs []Message) goopenai.ChatCompletionRequest {
	req := goopenai.ChatCompletionRequest{
		Model:       c.opts.Model,
		Stream:      true,
		Temperature: c.opts.Temperature,
	}
	if req.Temperature == 0 {
		req.Temperature = math.SmallestNonzeroFloat32
	}
	if reasoningModel(c.opts.Model) {
		// go-openai refuses max_tokens and any temperature but 1 for these
		// models before sending anything, and their token budget includes
		// hidden reasoning: leave both to the server.
		req.Temperature = 0
	} else {
		// max_tokens, not max_completion_tokens: Ollama, vLLM, llama.cpp and
		// LocalAI all understand it.
		//lint:ignore SA1019 deliberately the widely supported field
		req.MaxTokens = c.opts.MaxTokens
	}
	for _, m := range msgs {
		req.Messages = append(req.Messages, goopenai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	return req
}

// reasoningModel reports the OpenAI reasoning models (o1, o3, o4, gpt-5,
// gpt-6 families) whose request parameters go-openai validates differently.
func reasoningModel(model string) bool {
	for _, prefix := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(model, prefix) {
			return true
		}
	}
	return false
}

// errStreamCut: the body ended (io.EOF) without any finish_reason. go-openai
// reports a clean end and a dropped connection the same way, so the missing
// finish_reason is the only sign that the answer is incomplete.
var errStreamCut = errors.New("stream ended without a finish_reason")

// attempt makes one streaming request that must bring its first token
// within firstWait. It returns the finish reason, or an error; onDelta has
// been called for everything that arrived either way.
func (c *ChatClient) attempt(ctx context.Context, req goopenai.ChatCompletionRequest, firstWait time.Duration, onDelta func(string)) (string, error) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	// One timer guards both the first token and the gaps between tokens:
	// it is pushed back (by Timeout) whenever text arrives.
	var timedOut atomic.Bool
	watchdog := time.AfterFunc(firstWait, func() {
		timedOut.Store(true)
		cancel()
	})
	defer watchdog.Stop()
	fail := func(err error) (string, error) {
		if timedOut.Load() && ctx.Err() == nil {
			return "", fmt.Errorf("%w (no token within %s)", ErrTimeout, c.opts.Timeout)
		}
		return "", err
	}

	slot := &responseSlot{}
	stream, err := c.api.CreateChatCompletionStream(context.WithValue(actx, responseSlotKey{}, slot), req)
	if err != nil {
		return fail(err)
	}
	defer stream.Close()
	finish := ""
	for {
		// RecvRaw and a decoder of just the fields used: go-openai's Recv
		// decodes each chunk into its full response type, ~3× the CPU per
		// token (docs/benchmarks.md, LLM mode). RecvRaw still does the SSE
		// framing and turns error payloads into errors.
		var resp streamChunk
		raw, err := stream.RecvRaw()
		if err == nil {
			err = json.Unmarshal(raw, &resp)
		}
		if errors.Is(err, io.EOF) {
			if finish == "" {
				return fail(errStreamCut)
			}
			slot.drainAfterDone(cancel)
			return finish, nil
		}
		if err != nil {
			return fail(err)
		}
		for _, choice := range resp.Choices {
			if choice.Index != 0 {
				continue
			}
			if choice.Delta.Content != "" {
				watchdog.Reset(c.opts.Timeout)
				onDelta(choice.Delta.Content)
			}
			if choice.FinishReason != "" {
				finish = string(choice.FinishReason)
			}
		}
	}
}

// responseSlot receives the response body of a streaming request from
// boundedTransport, so that attempt can read its end (drainAfterDone).
type responseSlot struct{ body io.Reader }

type responseSlotKey struct{}

// drainWait bounds the wait for the end of a response after [DONE]; a
// server ends it at once.
const drainWait = 250 * time.Millisecond

// drainAfterDone reads what is left of a stream after its [DONE] event —
// the end of the chunked body, which often arrives just after — so that
// net/http can reuse the connection: a body closed before its end takes the
// connection with it, and the next request pays for a new one (with a
// hosted API, a TLS handshake) before its first token. bot bench saw 6 new
// connections for 11 requests of a single chat. If the end does not come
// within drainWait, cancel drops the connection, as closing would have.
func (s *responseSlot) drainAfterDone(cancel context.CancelFunc) {
	if s.body == nil {
		return
	}
	t := time.AfterFunc(drainWait, cancel)
	defer t.Stop()
	_, _ = io.CopyN(io.Discard, s.body, 4<<10)
}

// streamChunk is the part of a streamed chat completion chunk that Stream
// uses.
type streamChunk struct {
	Choices []struct {
		Index int `json:"index"`
		Delta struct {
			Content string `json:"content"`
		} `json:"delta"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

// Retryable reports whether err is worth one more try: rate limiting, a
// server error or a timeout.
func Retryable(err error) bool {
	if errors.Is(err, ErrTimeout) {
		return true
	}
	if code := StatusCode(err); code == http.StatusTooManyRequests || code >= 500 {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// redact is err as Stream reports it (redact.go).
func (c *ChatClient) redact(err error) error {
	return redactError(err, c.opts.APIKey, "LLM endpoint", c.endpoint)
}
