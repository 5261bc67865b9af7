package conversation

import (
	"context"
	"time"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/protocol"
)

// Retriever finds the guide sections for a question. *rag.Index is the real
// one.
type Retriever interface {
	// Search returns the most relevant sections, or rag.ErrNothingRelevant.
	Search(ctx context.Context, question string) ([]rag.Hit, error)
	Guides() []string
}

// Turn is one question and its answer in a conversation.
type Turn struct {
	Question   string    `json:"question"`
	Standalone string    `json:"standalone"` // the question as used for retrieval
	Answer     string    `json:"answer"`
	Grounded   bool      `json:"grounded"`
	At         time.Time `json:"at"`
	// Guide is the guide the answer came from (its best source), when
	// grounded; Suggestions are the follow-ups offered with it. Both help
	// choose the next suggestions; turns stored without them still load.
	Guide       string   `json:"guide,omitempty"`
	Suggestions []string `json:"suggestions,omitempty"`
	// AskID is the client's id of the ask, and Sources and Notice what its
	// answer was sent with, so that a client that lost the page mid-answer
	// can have it replayed (Session.Resume). Turns stored without them
	// still load.
	AskID   string            `json:"ask_id,omitempty"`
	Sources []protocol.Source `json:"sources,omitempty"`
	Notice  string            `json:"notice,omitempty"`
	// Cited and Kind are the done frame's, for the same replay. Kind is also
	// how the answer was routed (route.go): "compare", "per-career" or
	// "clarify" (protocol.Kind*); "" in turns stored before it, read as a
	// single answer. Careers are the careers a comparison was about, so
	// that a follow-up keeps them all. Turns stored without them still load.
	Cited   []int    `json:"cited,omitempty"`
	Kind    string   `json:"kind,omitempty"`
	Careers []string `json:"careers,omitempty"`
}

// SessionStore keeps conversations. A session exists once it has a turn and
// is forgotten after the idle TTL. Implementations must be safe for
// concurrent use, and bound their own calls: a turn is stored after its
// client may have gone (with a context that is never cancelled), so a
// remote store must time out by itself rather than hang the answer.
type SessionStore interface {
	// Load returns the turns of a live session, oldest first; ok is false
	// for an unknown or expired id. Callers must not modify the turns.
	Load(ctx context.Context, id string) (turns []Turn, ok bool, err error)
	// Append adds a turn (creating the session), keeps only the newest
	// turns, and restarts the idle clock.
	Append(ctx context.Context, id string, t Turn) error
	// Reset forgets the session.
	Reset(ctx context.Context, id string) error
}

// RateLimiter is the per-client ask budget.
type RateLimiter interface {
	// Allow reports whether key (a client IP) may ask now, spending a token.
	Allow(ctx context.Context, key string) bool
}

// FeedbackSink keeps the users' ratings. The default appends to
// feedback.jsonl in Config.DataDir; a shared store (Redis) can replace it.
type FeedbackSink interface {
	SaveFeedback(ctx context.Context, f Feedback) error
}

// Metrics receives the answer service's countable events, each from exactly
// one place in the code. The default does nothing; a metrics exporter can
// implement it. mode is always the service's Mode (an LLM answer that fell
// back to the guide is mode llm, outcome fallback).
type Metrics interface {
	// FirstToken: the first token of an answer was sent, wait after the ask.
	FirstToken(mode string, wait time.Duration)
	// Answered: a done frame (or an error instead) ends an answer. outcome
	// is answered, declined, fallback, truncated, cancelled or error.
	Answered(mode, outcome string, grounded bool, took time.Duration)
	// LLMError: the model failed; kind is timeout, rate_limited, server,
	// client, truncated or other.
	LLMError(kind string)
	// Retrieved: a search of the guides finished (with hits or not).
	Retrieved(took time.Duration)
	// TokensStreamed: an answer sent n token frames (reported once, at done).
	TokensStreamed(mode string, n int)
	// LLMCircuit: the model's circuit breaker is now in state
	// (CircuitClosed, CircuitOpen or CircuitHalfOpen); called with closed
	// when the service starts.
	LLMCircuit(state string)
	// LLMShortCircuited: an answer came from the guide without asking the
	// model, because the circuit breaker is open.
	LLMShortCircuited()
}

type noMetrics struct{}

func (noMetrics) FirstToken(string, time.Duration)             {}
func (noMetrics) Answered(string, string, bool, time.Duration) {}
func (noMetrics) LLMError(string)                              {}
func (noMetrics) Retrieved(time.Duration)                      {}
func (noMetrics) TokensStreamed(string, int)                   {}
func (noMetrics) LLMCircuit(string)                            {}
func (noMetrics) LLMShortCircuited()                           {}
