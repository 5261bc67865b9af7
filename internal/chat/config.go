package chat

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/protocol"
)

// Config holds the server's limits and texts. Zero values take the defaults
// documented on each field (the same as cmd/bot's settings table).
type Config struct {
	Greeting       string         // "" = built from the guide titles
	AllowedOrigins []string       // cross-origin browser origins allowed; "*" = any
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed
	SessionTTL     time.Duration  // idle expiry of a conversation (1h)
	MaxTurns       int            // turns kept per conversation (20)
	MaxQuestion    int            // longest question in characters (1000)
	ReadLimit      int64          // largest frame in bytes (16 KiB)
	RateLimit      int            // asks per minute per client IP (0 = off)
	MaxConnsPerIP  int            // open connections per client IP (0 = off)
	MaxConns       int            // open connections in total (0 = off)
	DataDir        string         // feedback.jsonl goes here ("" = no feedback log)

	// Tuning that has no setting; tests shorten them.
	Suggestions     int           // starter questions in ready (3)
	HistoryInPrompt int           // earlier turns given to the LLM (6)
	SendBuffer      int           // frames queued per connection before it counts as not reading (64)
	WriteTimeout    time.Duration // per frame (10s)
	PongTimeout     time.Duration // a connection silent this long is dead (60s); pings go at 9/10 of it
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur(&c.SessionTTL, time.Hour)
	def(&c.MaxTurns, 20)
	def(&c.MaxQuestion, 1000)
	if c.ReadLimit <= 0 {
		c.ReadLimit = 16 << 10
	}
	def(&c.Suggestions, 3)
	def(&c.HistoryInPrompt, 6)
	def(&c.SendBuffer, 64)
	defDur(&c.WriteTimeout, 10*time.Second)
	defDur(&c.PongTimeout, 60*time.Second)
	return c
}

// ParseTrustedProxies parses BOT_TRUSTED_PROXIES entries: IPs or CIDRs.
func ParseTrustedProxies(entries []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want an IP or a CIDR", e)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

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
	// can have it replayed (resume). Turns stored without them still load.
	AskID   string            `json:"ask_id,omitempty"`
	Sources []protocol.Source `json:"sources,omitempty"`
	Notice  string            `json:"notice,omitempty"`
}

// SessionStore keeps conversations. A session exists once it has a turn and
// is forgotten after the idle TTL. Implementations must be safe for
// concurrent use.
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

// ConnLimiter counts open websocket connections.
type ConnLimiter interface {
	// Acquire claims a slot for a connection from ip, or returns
	// ErrTooManyConnsFromIP / ErrTooManyConns. release frees the slot.
	Acquire(ip string) (release func(), err error)
	// Open is the number of slots held.
	Open() int
}

// Metrics receives the server's countable events, each from exactly one
// place in the code. The default does nothing; a metrics exporter can
// implement it.
type Metrics interface {
	ConnOpened()
	ConnClosed()
	// ConnRejected: reason is origin, per_ip, total, not_ready or draining.
	ConnRejected(reason string)
	// AskRejected: code is bad_request, too_large, rate_limited or busy.
	AskRejected(code string)
	// FirstToken: the first token of an answer was sent, wait after the ask.
	FirstToken(mode string, wait time.Duration)
	// Answered: a done frame was sent. outcome is answered, declined,
	// fallback, truncated, cancelled or error.
	Answered(mode, outcome string, grounded bool, took time.Duration)
	// LLMError: the model failed; kind is timeout, rate_limited, server,
	// client, truncated or other.
	LLMError(kind string)
	// Retrieved: a search of the guides finished (with hits or not).
	Retrieved(took time.Duration)
	// TokensStreamed: an answer sent n token frames (reported once, at done).
	TokensStreamed(mode string, n int)
}

type noMetrics struct{}

func (noMetrics) ConnOpened()                                  {}
func (noMetrics) ConnClosed()                                  {}
func (noMetrics) ConnRejected(string)                          {}
func (noMetrics) AskRejected(string)                           {}
func (noMetrics) FirstToken(string, time.Duration)             {}
func (noMetrics) Answered(string, string, bool, time.Duration) {}
func (noMetrics) LLMError(string)                              {}
func (noMetrics) Retrieved(time.Duration)                      {}
func (noMetrics) TokensStreamed(string, int)                   {}

// FeedbackSink keeps the users' ratings. The default appends to
// feedback.jsonl in Config.DataDir; a shared store (Redis) can replace it.
type FeedbackSink interface {
	SaveFeedback(ctx context.Context, f Feedback) error
}

// Deps are the server's collaborators. Only Index is needed for answers, and
// it may arrive later through SetIndex (the server reports not ready until
// then). Nil stores and limiters get the in-memory implementations.
type Deps struct {
	Index    Retriever
	LLM      openai.Streamer // nil = offline mode
	Sessions SessionStore
	Limiter  RateLimiter
	Conns    ConnLimiter
	Metrics  Metrics
	Feedback FeedbackSink // nil = feedback.jsonl in Config.DataDir
	Logger   *slog.Logger
	Now      func() time.Time // for tests; nil = time.Now
}
