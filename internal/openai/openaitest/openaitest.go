// Package openaitest is a loopback OpenAI-compatible chat server for tests. It
// writes server-sent events the way go-openai's own tests do, and records the
// requests it got.
package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Request is the part of a chat completion request the tests look at.
type Request struct {
	Model       string    `json:"model"`
	Stream      bool      `json:"stream"`
	Temperature *float64  `json:"temperature"`
	MaxTokens   int       `json:"max_tokens"`
	Messages    []Message `json:"messages"`

	Authorization string `json:"-"`
}

// Message is one message of a Request.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Server is an httptest server answering POST /v1/chat/completions with the
// handler set by Handle (by default: the tokens "Hello", " world" and stop).
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
	handler  func(w http.ResponseWriter, r *http.Request, n int)
}

// New starts a Server that is closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{}
	s.handler = func(w http.ResponseWriter, r *http.Request, n int) {
		Stream(w, []string{"Hello", " world"}, "stop")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) {
		var req Request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req.Authorization = r.Header.Get("Authorization")
		s.mu.Lock()
		s.requests = append(s.requests, req)
		n := len(s.requests)
		h := s.handler
		s.mu.Unlock()
		h(w, r, n)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// BaseURL is the value for OPENAI_BASE_URL.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Handle sets what the server does; n counts requests from 1.
func (s *Server) Handle(h func(w http.ResponseWriter, r *http.Request, n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = h
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Stream writes a complete SSE answer: one chunk per token, finishReason on
// the last one ("" = none, i.e. a cut stream), then [DONE] unless the stream
// is cut.
func Stream(w http.ResponseWriter, tokens []string, finishReason string) {
	w.Header().Set("Content-Type", "text/event-stream")
	for i, tok := range tokens {
		fr := ""
		if i == len(tokens)-1 {
			fr = finishReason
		}
		Chunk(w, tok, fr)
	}
	if finishReason != "" {
		Done(w)
	}
}

// Chunk writes one SSE chunk and flushes it.
func Chunk(w http.ResponseWriter, content, finishReason string) {
	delta, _ := json.Marshal(map[string]string{"content": content})
	fr := "null"
	if finishReason != "" {
		fr = fmt.Sprintf("%q", finishReason)
	}
	fmt.Fprintf(w, "event: message\ndata: {\"id\":\"1\",\"object\":\"chat.completion.chunk\",\"created\":1598069254,\"model\":\"test\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}\n\n", delta, fr)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// Done writes the [DONE] event.
func Done(w http.ResponseWriter) {
	fmt.Fprint(w, "event: done\ndata: [DONE]\n\n")
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// Fail writes an OpenAI-style JSON error with the given status.
func Fail(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"message":%q,"type":"test_error"}}`, message)
}
