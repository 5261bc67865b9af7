// Package openai is the bot's one adapter to OpenAI-compatible endpoints
// (OpenAI, Ollama, vLLM, llama.cpp server, LocalAI), over go-openai:
//
//   - ChatClient streams chat completions with the failure handling a chat
//     front end needs: one retry with backoff for 429, 5xx and timeouts before
//     the first token, a bound on the wait for the first token and on the
//     silence between tokens, and detection of streams cut off before the
//     model said it had finished;
//   - Embedder implements rag.Embedder with the /embeddings endpoint.
//
// Both read responses through one bounded transport (transport.go) and
// report errors through one redaction (redact.go): errors name the endpoint,
// never the API key or credentials in the base URL.
package openai

import (
	"context"
	"errors"
)

// Roles of a Message.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one entry of the conversation sent to the model.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Completion is what a Stream produced.
type Completion struct {
	Text         string // everything received, concatenated
	FinishReason string // as reported by the model ("stop", "length", …); "" if never reported
	Attempts     int    // requests made (2 when the first was retried)
}

// Streamer is a chat model that streams its answer. *Client is the real one;
// tests use fakes.
type Streamer interface {
	// Stream sends msgs and calls onDelta with each piece of text as it
	// arrives, in order, from the calling goroutine. It returns when the
	// answer is complete or has failed.
	//
	// The error is nil only for a complete answer. ErrTruncated (possibly
	// wrapping a cause) means onDelta was called at least once and the answer
	// stopped early; Completion.Text then holds what arrived. Any other error
	// means no text was delivered, so the caller can fall back to something
	// else. When ctx is cancelled the upstream request is aborted and ctx's
	// error is returned (wrapped in ErrTruncated if text had arrived).
	Stream(ctx context.Context, msgs []Message, onDelta func(delta string)) (Completion, error)
	// Model names the model, for logs.
	Model() string
}

var (
	// ErrTruncated: the stream stopped after some text had been delivered —
	// the connection was cut, it stalled, or the model hit its token limit.
	ErrTruncated = errors.New("llm: answer cut off before it finished")
	// ErrTimeout: no first token within the timeout (after the retry).
	ErrTimeout = errors.New("llm: timed out waiting for the model")
	// ErrEmpty: the model finished without producing any text.
	ErrEmpty = errors.New("llm: the model returned an empty answer")
)
