// Package conversation is the answer service: it answers the questions of a
// conversation from the career guides, and knows nothing of websockets. For
// each question it loads the conversation's history, makes a follow-up
// standalone (compose.Standalone), retrieves the guide sections (Retriever),
// then writes the answer — streamed from the model (openai.Streamer, with
// the prompt and its injection defence in prompt.go), or the extractive
// answer when offline or when the model fails before its first token
// (compose) — chooses the follow-up suggestions (compose.Chips), stores the
// turn and logs one line. The frames of the answer (protocol) go to the
// caller's emit function; the transport (internal/chat) writes them.
//
// Its ports — SessionStore, RateLimiter, FeedbackSink, Retriever, Metrics —
// have in-memory implementations here; internal/redisstate implements the
// stores for a fleet of replicas.
package conversation

import (
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/careerbot/careerbot/internal/compose"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/redact"
	"github.com/careerbot/careerbot/protocol"
)

// Defaults for settings whose zero value means nothing; cmd/bot's settings
// table uses them.
const (
	DefaultSessionTTL = time.Hour // idle time after which a conversation is forgotten
	DefaultMaxTurns   = 20        // turns of history kept per conversation
	// DefaultMaxSessionBytes caps one in-memory session's turns (TurnBytes):
	// about ten turns with their sources (a full 20-turn session of the
	// media specialist guide measured 64 KiB; docs/hardening.md).
	DefaultMaxSessionBytes = 32 << 10
	// DefaultMaxSessions caps the in-memory sessions: full ones hold 49–62
	// KiB each (under twice the byte cap, the dropped turns waiting to be
	// copied away, plus bookkeeping), so at most about 430 MiB, when every
	// turn owns its sources' texts; ~24 KiB each when those are the
	// index's, as in-process answers' are (TestSessionMemoryIsBounded,
	// docs/hardening.md).
	DefaultMaxSessions = 7000
)

// Config holds the service's settings. Zero values take the defaults
// documented on each field.
type Config struct {
	Greeting   string        // "" = built from the guide titles
	SessionTTL time.Duration // idle expiry of a conversation (DefaultSessionTTL)
	MaxTurns   int           // turns kept per conversation (DefaultMaxTurns)
	// MaxSessions and MaxSessionBytes bound the in-memory session store
	// (DefaultMaxSessions, DefaultMaxSessionBytes): see SessionLimits.
	MaxSessions     int
	MaxSessionBytes int
	RateLimit       int    // asks per minute per client (0 = off)
	DataDir         string // feedback.jsonl goes here ("" = no feedback log)
	// FeedbackMaxBytes rotates feedback.jsonl and bounds the Redis stream
	// (DefaultFeedbackMaxBytes).
	FeedbackMaxBytes int64
	// IDKey keys the hash that stands for session ids in logs and feedback
	// (redact.IDTag); "" = a random key per process. Replicas given the
	// same key log the same tag for a session.
	IDKey string

	// BreakerFailures consecutive model failures open the circuit breaker
	// for BreakerCooldown (DefaultBreakerFailures, DefaultBreakerCooldown;
	// BreakerFailures < 0 = no breaker): see breaker.
	BreakerFailures int
	BreakerCooldown time.Duration

	// Tuning that has no setting; tests shorten them.
	Suggestions     int // starter questions in ready (3)
	HistoryInPrompt int // earlier turns given to the LLM (6)
}

func (c Config) withDefaults() Config {
	if c.SessionTTL <= 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if c.MaxTurns <= 0 {
		c.MaxTurns = DefaultMaxTurns
	}
	if c.BreakerFailures == 0 {
		c.BreakerFailures = DefaultBreakerFailures
	}
	if c.BreakerCooldown <= 0 {
		c.BreakerCooldown = DefaultBreakerCooldown
	}
	if c.Suggestions <= 0 {
		c.Suggestions = 3
	}
	if c.HistoryInPrompt <= 0 {
		c.HistoryInPrompt = 6
	}
	return c
}

// Deps are the service's collaborators. Only Index is needed for answers,
// and it may arrive later through SetIndex (Ready reports false until then).
// Nil stores and limiters get the in-memory implementations.
type Deps struct {
	Index    Retriever
	LLM      openai.Streamer // nil = offline mode
	Sessions SessionStore
	Limiter  RateLimiter
	Feedback FeedbackSink // nil = feedback.jsonl in Config.DataDir
	Metrics  Metrics
	Logger   *slog.Logger
	Now      func() time.Time // for tests; nil = time.Now
}

// Service answers questions. Create it with New; it is safe for concurrent
// use by any number of conversations.
type Service struct {
	cfg      Config
	llm      openai.Streamer
	sessions SessionStore
	limiter  RateLimiter
	feedback FeedbackSink
	metrics  Metrics
	log      *slog.Logger
	now      func() time.Time
	writer   compose.Writer // writes the offline answers (and caches per chunk)
	idKey    []byte         // for the session tags of logs and feedback (Config.IDKey)

	index    atomic.Pointer[retrieverBox]
	inflight atomic.Int64
	live     liveAnswers // answers being written here, for clients that resume them
	breaker  *breaker    // the model's circuit breaker
}

type retrieverBox struct{ Retriever }

// New returns a Service. deps.Index may be nil: see SetIndex.
func New(cfg Config, deps Deps) *Service {
	cfg = cfg.withDefaults()
	s := &Service{
		cfg:      cfg,
		llm:      deps.LLM,
		sessions: deps.Sessions,
		limiter:  deps.Limiter,
		feedback: deps.Feedback,
		metrics:  deps.Metrics,
		log:      deps.Logger,
		now:      deps.Now,
		idKey:    redact.IDKey(cfg.IDKey),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.metrics == nil {
		s.metrics = noMetrics{}
	}
	s.breaker = newBreaker(cfg.BreakerFailures, cfg.BreakerCooldown, s.now, s.log, s.metrics)
	if s.feedback == nil {
		s.feedback = NewFeedbackLog(cfg.DataDir, cfg.FeedbackMaxBytes)
	}
	if s.sessions == nil {
		s.sessions = NewBoundedSessions(SessionLimits{TTL: cfg.SessionTTL, MaxTurns: cfg.MaxTurns, MaxSessions: cfg.MaxSessions, MaxBytes: cfg.MaxSessionBytes}, s.now)
	}
	if s.limiter == nil {
		s.limiter = NewMemoryRateLimiter(cfg.RateLimit, s.now)
	}
	if deps.Index != nil {
		s.SetIndex(deps.Index)
	}
	return s
}

// SetIndex makes the retrieval available; from now on the service is ready.
func (s *Service) SetIndex(r Retriever) { s.index.Store(&retrieverBox{r}) }

// Ready reports whether the service can answer: the index is loaded.
func (s *Service) Ready() bool { return s.retriever() != nil }

func (s *Service) retriever() Retriever {
	if b := s.index.Load(); b != nil {
		return b.Retriever
	}
	return nil
}

// IndexStats is the size of the index, when the retriever can tell it (the
// guide index can; ok is false before SetIndex and for retrievers that
// cannot), for the readiness endpoint.
func (s *Service) IndexStats() (st rag.Stats, ok bool) {
	sized, ok := s.retriever().(interface{ Stats() rag.Stats })
	if !ok {
		return rag.Stats{}, false
	}
	return sized.Stats(), true
}

// Mode is protocol.ModeLLM when a model is configured, else
// protocol.ModeOffline.
func (s *Service) Mode() string {
	if s.llm != nil {
		return protocol.ModeLLM
	}
	return protocol.ModeOffline
}

// AsksLimited reports whether asks are rate limited (Config.RateLimit > 0);
// with the limit off (a load test) the transport drops its own message
// budget too.
func (s *Service) AsksLimited() bool { return s.cfg.RateLimit > 0 }

// InFlight is the number of answers being written now.
func (s *Service) InFlight() int64 { return s.inflight.Load() }

// Causes a transport cancels an answer's context with (context.WithCancelCause):
// the done frame's notice says which.
var (
	ErrCancelled = errors.New("cancelled by the client")
	ErrShutdown  = errors.New("server shutting down")
)

// greeting is the configured one, or one naming the guides.
func (s *Service) greeting(idx Retriever) string {
	if s.cfg.Greeting != "" {
		return s.cfg.Greeting
	}
	guides := idx.Guides()
	if len(guides) == 0 {
		return "Hi! I answer questions about careers from our career guides."
	}
	return "Hi! I answer questions about careers from our career guides (" + strings.Join(guides, ", ") +
		"). Ask me about pay, skills, tools, education, day-to-day work or how to get started."
}

// Notices shown to the user in done.notice.
const (
	noticeFallback  = "The AI assistant is unavailable right now, so this is a shorter answer taken straight from the guide."
	noticeTruncated = "This answer was cut off before it finished, so it is incomplete. Please ask again."
	noticeCancelled = "Stopped."
	noticeShutdown  = "The server is restarting, so this answer was stopped. Please ask again in a moment."
)

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
