// Package chat is the websocket transport of the chat: the routes (GET /ws,
// the health checks, the widget, and /metrics and /debug when mounted), the
// read and write loops of each connection with their back-pressure and
// corking, and the limits that make it safe to put on a public web page
// (frame size, question length, one answer at a time, origins, client IPs
// behind proxies, connection caps). It answers nothing itself: each ask goes
// to the answer service (internal/conversation), whose frames it writes.
// docs/protocol.md describes the protocol for client authors.
package chat

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/conversation"
)

// Server serves the chat. It is an http.Handler; see routes.go for the
// routes. Create it with NewServer, stop it with Shutdown.
type Server struct {
	cfg      Config
	answers  *conversation.Service
	conns    *connLimiter
	metrics  Metrics
	log      *slog.Logger
	upgrader websocket.Upgrader
	mux      *http.ServeMux
	refusals *LogSampler // warnings about refused clients, sampled

	indexState atomic.Pointer[func() IndexState] // what /readyz says about the index (SetIndexState)

	mu       sync.Mutex
	live     map[*conn]struct{}
	draining bool
	gone     chan struct{} // signalled (not closed) whenever a connection ends
}

// NewServer returns a Server in front of deps.Answers. Until the service is
// ready (its index loaded) the server reports not ready and refuses
// websockets.
func NewServer(cfg Config, deps Deps, opts ...Option) *Server {
	if cfg.FrameRate == 0 && deps.Answers != nil && !deps.Answers.AsksLimited() {
		cfg.FrameRate = -1 // limits off: no message budget either
	}
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:      cfg,
		answers:  deps.Answers,
		conns:    newConnLimiter(cfg.MaxConnsPerIP, cfg.MaxConns),
		metrics:  deps.Metrics,
		log:      deps.Logger,
		live:     map[*conn]struct{}{},
		gone:     make(chan struct{}, 1),
		refusals: NewLogSampler(time.Second),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.metrics == nil {
		s.metrics = noMetrics{}
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
	s.routes(opts)
	return s
}

// SetIndexState makes /readyz report state(): the index's build progress,
// age and last reload (cmd/bot's index keeper).
func (s *Server) SetIndexState(state func() IndexState) { s.indexState.Store(&state) }

// Ready reports whether the server can answer: the answer service is ready
// and the server is not shutting down.
func (s *Server) Ready() bool { return s.answers.Ready() && !s.isDraining() }

// ServeHTTP implements http.Handler.
// With Config.PublicHosts set, a request for any other Host gets 421
// (Misdirected Request), except the health checks, which load balancers
// send to the replica's address.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !hostAllowed(r.Host, s.cfg.PublicHosts) && r.URL.Path != "/healthz" && r.URL.Path != "/readyz" {
		s.metrics.ConnRejected("host")
		s.refusedLog("request refused: Host not in BOT_PUBLIC_HOSTS", "host", "host", clipHeader(r.Host))
		http.Error(w, "unknown host", http.StatusMisdirectedRequest)
		return
	}
	s.mux.ServeHTTP(w, r)
}

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
	return Stats{OpenConns: n, InFlightAnswers: s.answers.InFlight(), Draining: draining, Ready: s.answers.Ready() && !draining, Mode: s.answers.Mode()}
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
		c.stopAnswer(conversation.ErrShutdown)
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
