package llm

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
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Options configure a Client.
type Options struct {
	BaseURL string // e.g. http://localhost:11434/v1; "" = OpenAI
	APIKey  string // may be empty for local servers; never logged
	Model   string
	// Temperature is sent as given. go-openai drops a zero temperature from
	// the request (omitempty), which would leave the server's default (often
	// 0.8–1.0) in force, so 0 is sent as the smallest positive float instead:
	// it behaves as greedy decoding everywhere we have tried.
	Temperature float32
	MaxTokens   int // 0 = the server's default
	// Timeout bounds the wait for the first token and every later silence
	// between tokens (default 30s).
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

// Client is the Streamer backed by go-openai.
type Client struct {
	api      *openai.Client
	opts     Options
	endpoint string // the base URL without credentials, for error messages
}

// New makes a Client. It does not contact the server.
func New(opts Options) *Client {
	cfg := openai.DefaultConfig(opts.APIKey)
	if opts.BaseURL != "" {
		cfg.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultMaxResponseBytes
	}
	hc := &http.Client{Transport: pooledTransport()}
	if opts.HTTPClient != nil {
		copied := *opts.HTTPClient
		hc = &copied
		if hc.Transport == nil {
			hc.Transport = http.DefaultTransport
		}
	}
	hc.Transport = &boundedTransport{base: hc.Transport, maxLine: opts.MaxLineBytes, maxTotal: opts.MaxResponseBytes}
	cfg.HTTPClient = hc
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.RetryBackoff <= 0 {
		opts.RetryBackoff = time.Second
	}
	return &Client{api: openai.NewClientWithConfig(cfg), opts: opts, endpoint: endpointForLog(cfg.BaseURL)}
}

// endpointForLog is the base URL with any user info and query removed, so
// that errors can say which server failed without repeating credentials.
func endpointForLog(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "(unparsable base URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// maxIdlePerHost is how many idle connections to the LLM are kept for
// reuse. net/http's default keeps 2: with more chats at once than that, most
// answers paid for a new TCP (and, for a hosted API, TLS) connection before
// their first token. bot bench's LLM mode showed 380 new connections for 408
// requests at 200 concurrent chats.
const maxIdlePerHost = 256

func pooledTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = maxIdlePerHost
	t.MaxIdleConnsPerHost = maxIdlePerHost
	return t
}

// Model names the configured model.
func (c *Client) Model() string { return c.opts.Model }

// Stream implements Streamer: at most two attempts, the second only when the
// first failed before any text with a 429, a 5xx or a timeout.
func (c *Client) Stream(ctx context.Context, msgs []Message, onDelta func(string)) (Completion, error) {
	req := c.request(msgs)
	var comp Completion
	var text strings.Builder
	for attempt := 1; ; attempt++ {
		comp.Attempts = attempt
		finish, err := c.attempt(ctx, req, func(delta string) {
			text.WriteString(delta)
			onDelta(delta)
		})
		comp.Text = text.String()
		comp.FinishReason = finish
		delivered := comp.Text != ""
		switch {
		case err == nil && !delivered:
			return comp, ErrEmpty
		case err == nil && (finish == string(openai.FinishReasonLength) || finish == string(openai.FinishReasonContentFilter)):
			return comp, fmt.Errorf("%w (finish_reason %q)", ErrTruncated, finish)
		case err == nil:
			return comp, nil
		case delivered:
			return comp, fmt.Errorf("%w: %w", ErrTruncated, c.redact(err))
		case ctx.Err() != nil:
			return comp, ctx.Err()
		case attempt >= 2 || !Retryable(err):
			return comp, c.redact(err)
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

func (c *Client) request(msgs []Message) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
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
		req.Messages = append(req.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
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

// attempt makes one streaming request. It returns the finish reason, or an
// error; onDelta has been called for everything that arrived either way.
func (c *Client) attempt(ctx context.Context, req openai.ChatCompletionRequest, onDelta func(string)) (string, error) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	// One timer guards both the first token and the gaps between tokens:
	// it is pushed back whenever text arrives.
	var timedOut atomic.Bool
	watchdog := time.AfterFunc(c.opts.Timeout, func() {
		timedOut.Store(true)
		cancel()
	})
	defer watchdog.Stop()
	fail := func(err error) (string, error) {
		if timedOut.Load() && ctx.Err() == nil {
			return "", fmt.Errorf("%w (no token for %s)", ErrTimeout, c.opts.Timeout)
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

// StatusCode is the HTTP status of an upstream error, or 0.
func StatusCode(err error) int {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}

// redact returns err with the API key removed from its message and the
// message shortened (go-openai puts whole error bodies into messages). The
// message names the endpoint, and for 401/403 says plainly that the key was
// refused, so that the operator's log line is enough to fix it. It keeps err
// in the chain for errors.Is/As.
func (c *Client) redact(err error) error {
	if err == nil {
		return nil
	}
	msg := "LLM endpoint " + c.endpoint + ": " + err.Error()
	if code := StatusCode(err); code == http.StatusUnauthorized || code == http.StatusForbidden {
		msg = fmt.Sprintf("LLM endpoint %s refused the API key (HTTP %d): check OPENAI_API_KEY and OPENAI_BASE_URL: %s", c.endpoint, code, err.Error())
	}
	return &redactedError{msg: Redact(msg, c.opts.APIKey), cause: err}
}

type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }

// Redact removes key from s and caps its length for logs.
func Redact(s, key string) string {
	if key != "" {
		s = strings.ReplaceAll(s, key, "[redacted]")
	}
	const max = 300
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
