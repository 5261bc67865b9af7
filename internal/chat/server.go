// Package chat is the websocket chat server: the wire protocol at GET /ws,
// conversations, answers grounded in the career guides (streamed from an LLM,
// or extractive when offline), and the limits that make it safe to put on a
// public web page. docs/protocol.md describes the protocol for client authors.
package chat

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/compose"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/protocol"
)

// Server serves the chat. It is an http.Handler; see routes.go for the
// routes. Create it with NewServer, stop it with Shutdown.
type Server struct {
	cfg      Config
	llm      openai.Streamer
	sessions SessionStore
	limiter  RateLimiter
	conns    ConnLimiter
	metrics  Metrics
	log      *slog.Logger
	now      func() time.Time
	feedback FeedbackSink
	upgrader websocket.Upgrader
	mux      *http.ServeMux

	index  atomic.Pointer[retrieverBox]
	writer compose.Writer // writes the offline answers (and caches per chunk)

	mu       sync.Mutex
	live     map[*conn]struct{}
	draining bool
	gone     chan struct{} // signalled (not closed) whenever a connection ends
	inflight atomic.Int64
	liveJobs liveJobs // answers running here, for clients that resume them
}

type retrieverBox struct{ Retriever }

// NewServer returns a Server. deps.Index may be nil: the server then reports
// not ready (and refuses websockets) until SetIndex.
func NewServer(cfg Config, deps Deps) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:      cfg,
		llm:      deps.LLM,
		sessions: deps.Sessions,
		limiter:  deps.Limiter,
		conns:    deps.Conns,
		metrics:  deps.Metrics,
		log:      deps.Logger,
		now:      deps.Now,
		feedback: deps.Feedback,
		live:     map[*conn]struct{}{},
		gone:     make(chan struct{}, 1),
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
	if s.feedback == nil {
		s.feedback = newFeedbackLog(cfg.DataDir)
	}
	if s.sessions == nil {
		s.sessions = NewMemorySessions(cfg.SessionTTL, cfg.MaxTurns, s.now)
	}
	if s.limiter == nil {
		s.limiter = NewMemoryRateLimiter(cfg.RateLimit, s.now)
	}
	if s.conns == nil {
		s.conns = NewMemoryConnLimiter(cfg.MaxConnsPerIP, cfg.MaxConns)
	}
	s.upgrader = websocket.Upgrader{
		// ReadBufferSize 0 reuses the 4 KiB read buffer net/http already
		// allocated for the connection instead of allocating a second one.
		ReadBufferSize:  0,
		WriteBufferSize: 4096,
		// Idle connections (most of them) hold no write buffer.
		WriteBufferPool: &sync.Pool{},
		// Origins are checked before upgrading (so the refusal is counted
		// and logged); by then the request is acceptable.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	if deps.Index != nil {
		s.SetIndex(deps.Index)
	}
	s.routes()
	return s
}

// SetIndex makes the retrieval available; from now on the server is ready.
func (s *Server) SetIndex(r Retriever) { s.index.Store(&retrieverBox{r}) }

// Ready reports whether the server can answer: the index is loaded and it is
// not shutting down.
func (s *Server) Ready() bool { return s.retriever() != nil && !s.isDraining() }

func (s *Server) retriever() Retriever {
	if b := s.index.Load(); b != nil {
		return b.Retriever
	}
	return nil
}

// Mode is "llm" when an LLM is configured, else "offline".
func (s *Server) Mode() string {
	if s.llm != nil {
		return protocol.ModeLLM
	}
	return protocol.ModeOffline
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Stats is a snapshot for the debug endpoint.
type Stats struct {
	OpenConns       int    `json:"open_connections"`
	InFlightAnswers int64  `json:"in_flight_answers"`
	Draining        bool   `json:"draining"`
	Ready           bool   `json:"ready"`
	Mode            string `json:"mode"`
}

// Stats returns current counts.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	n, draining := len(s.live), s.draining
	s.mu.Unlock()
	return Stats{OpenConns: n, InFlightAnswers: s.inflight.Load(), Draining: draining, Ready: s.retriever() != nil && !draining, Mode: s.Mode()}
}

func (s *Server) isDraining() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.draining
}

func (s *Server) register(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining {
		return false
	}
	s.live[c] = struct{}{}
	s.metrics.ConnOpened()
	return true
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	if _, ok := s.live[c]; ok {
		delete(s.live, c)
		s.metrics.ConnClosed()
	}
	s.mu.Unlock()
	select {
	case s.gone <- struct{}{}:
	default:
	}
}

func (s *Server) liveConns() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*conn, 0, len(s.live))
	for c := range s.live {
		out = append(out, c)
	}
	return out
}

// waitConns waits until no connection is left, or ctx ends (false).
func (s *Server) waitConns(ctx context.Context) bool {
	for {
		if len(s.liveConns()) == 0 {
			return true
		}
		select {
		case <-s.gone:
		case <-ctx.Done():
			return false
		}
	}
}

// errShutdown is the cancellation cause of answers stopped by Shutdown.
var errShutdown = errors.New("server shutting down")

// closeGrace is how long a connection waits for the client to answer our
// close frame before the TCP connection is cut.
const closeGrace = 2 * time.Second

// Shutdown drains the server: new websockets are refused (503), idle
// connections are closed with 1001 (going away) at once, and connections with
// an answer in flight are closed with 1001 as soon as that answer's done frame
// is sent. When ctx ends first, the remaining answers are stopped (their done
// frame says so), their connections closed, and ctx's error returned.
// Stop the http.Server (which does not track websockets) before or alongside.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.draining = true
	s.mu.Unlock()
	for _, c := range s.liveConns() {
		c.drain()
	}
	if s.waitConns(ctx) {
		return nil
	}
	s.log.Warn("shutdown deadline reached; stopping answers still in flight", "connections", len(s.liveConns()))
	for _, c := range s.liveConns() {
		c.stopAnswer(errShutdown)
		c.drain()
	}
	grace, cancel := context.WithTimeout(context.Background(), closeGrace+time.Second)
	defer cancel()
	if !s.waitConns(grace) {
		for _, c := range s.liveConns() {
			c.drop("shutdown")
		}
		last, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		s.waitConns(last)
	}
	return ctx.Err()
}

// greeting is the configured one, or one naming the guides.
func (s *Server) greeting(idx Retriever) string {
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
