package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/widget"
	"github.com/careerbot/careerbot/protocol"
)

// Option mounts an optional route on the server.
type Option func(*routeOptions)

type routeOptions struct {
	metrics       http.Handler
	metricsAllow  []netip.Prefix
	metricsAnyone bool
}

// WithMetrics serves h (Prometheus metrics) at GET /metrics on the chat's
// own address. Leave it out to keep metrics off, or on a listener of their
// own.
func WithMetrics(h http.Handler) Option {
	return func(o *routeOptions) { o.metrics = h }
}

// WithMetricsAllowed opens /metrics on the chat's address to the clients in
// allow, or to anyone, besides loopback and private-range clients (the
// only ones served without it; BOT_METRICS_ALLOW).
func WithMetricsAllowed(allow []netip.Prefix, anyone bool) Option {
	return func(o *routeOptions) { o.metricsAllow, o.metricsAnyone = allow, anyone }
}

// routes is the one place where the server's URLs are declared.
func (s *Server) routes(opts []Option) {
	var o routeOptions
	for _, opt := range opts {
		opt(&o)
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /ws", s.handleWebsocket)
	s.mux.HandleFunc("GET /healthz", s.handleHealthz)
	s.mux.HandleFunc("GET /readyz", s.handleReadyz)
	if o.metrics != nil {
		s.mux.Handle("GET /metrics", privateOnly(o.metrics, s.cfg.TrustedProxies, o.metricsAllow, o.metricsAnyone))
	}
	// The widget script, the demo page and anything else the widget serves.
	s.mux.Handle("/", widget.Handler())
}

// handleHealthz: the process is alive.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// handleReadyz: 200 once the index is loaded, 503 before and while shutting
// down (so that a load balancer stops sending new chats). The body is one
// line of text, or Readiness as JSON for a client that asks for it with
// Accept: application/json (botbench reads the index size there).
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	status, code, text := ReadyStatusReady, http.StatusOK, "ready\n"
	switch {
	case s.isDraining():
		status, code, text = ReadyStatusShuttingDown, http.StatusServiceUnavailable, "shutting down\n"
	case !s.answers.Ready():
		status, code, text = ReadyStatusLoading, http.StatusServiceUnavailable, "loading the index\n"
	}
	var index *IndexState
	if state := s.indexState.Load(); state != nil {
		st := (*state)()
		index = &st
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "Accept")
	if !strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(text))
		if index != nil {
			_, _ = w.Write([]byte(index.text()))
		}
		return
	}
	body := Readiness{Status: status, Index: index}
	if st, ok := s.answers.IndexStats(); ok && status == ReadyStatusReady {
		body.Guides, body.Sections, body.Chunks = st.Guides, st.Sections, st.Chunks
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// Readiness is the JSON body of GET /readyz (docs/protocol.md). Fields are
// only ever added: a client must ignore those it does not know.
type Readiness struct {
	Status string `json:"status"` // ReadyStatusReady, ReadyStatusLoading or ReadyStatusShuttingDown
	// The index's size once ready, when the retriever can tell it (the
	// guide index can).
	Guides   int `json:"guides,omitempty"`
	Sections int `json:"sections,omitempty"`
	Chunks   int `json:"chunks,omitempty"`
	// The index's build progress, age and reloads, when the server has an
	// index keeper (SetIndexState).
	Index *IndexState `json:"index,omitempty"`
}

// IndexState is what /readyz says about the index: the build running, if
// any, the index in service, and the last reload.
type IndexState struct {
	Building   *BuildProgress `json:"building,omitempty"`
	Guides     int            `json:"guides,omitempty"`
	Chunks     int            `json:"chunks,omitempty"`
	BuiltAt    time.Time      `json:"built_at,omitzero"`
	AgeSeconds float64        `json:"age_seconds,omitempty"`
	Reloads    int            `json:"reloads,omitempty"`
	LastReload string         `json:"last_reload,omitempty"` // ok, unchanged or error
	// ReloadError is the last reload's error, naming the guide at fault;
	// the index in service is the one from before it.
	ReloadError string `json:"reload_error,omitempty"`
}

// BuildProgress is an index build while it runs.
type BuildProgress struct {
	Phase      string  `json:"phase"` // reading, embedding or indexing
	Guides     int     `json:"guides"`
	GuidesDone int     `json:"guides_done"`
	Chunks     int     `json:"chunks"` // to embed
	ChunksDone int     `json:"chunks_done"`
	Reused     int     `json:"reused"` // chunks whose vectors are reused
	Rate       float64 `json:"chunks_per_second"`
	ETASeconds float64 `json:"eta_seconds"`
}

// text is the state as /readyz's text body shows it after the status
// line: one "index:" line of key=value pairs, then a "reload error:" line
// after a failed reload (docs/protocol.md).
func (st IndexState) text() string {
	var b strings.Builder
	b.WriteString("index:")
	if p := st.Building; p != nil {
		fmt.Fprintf(&b, " building phase=%s guides=%d/%d chunks=%d/%d reused=%d rate=%.0f/s eta=%s",
			p.Phase, p.GuidesDone, p.Guides, p.ChunksDone, p.Chunks, p.Reused, p.Rate, (time.Duration(p.ETASeconds) * time.Second).String())
	}
	if st.Guides > 0 {
		fmt.Fprintf(&b, " guides=%d chunks=%d built=%s age=%s", st.Guides, st.Chunks,
			st.BuiltAt.UTC().Format(time.RFC3339), (time.Duration(st.AgeSeconds) * time.Second).String())
	}
	if st.Reloads > 0 {
		fmt.Fprintf(&b, " reloads=%d last_reload=%s", st.Reloads, st.LastReload)
	}
	b.WriteByte('\n')
	if st.ReloadError != "" {
		fmt.Fprintf(&b, "reload error: %s\n", strings.ReplaceAll(st.ReloadError, "\n", " "))
	}
	return b.String()
}

// Readiness.Status values.
const (
	ReadyStatusReady        = "ready"
	ReadyStatusLoading      = "loading"
	ReadyStatusShuttingDown = "shutting_down"
)

// handleWebsocket checks the origin, readiness and connection caps, then
// upgrades and serves the connection until it ends.
func (s *Server) handleWebsocket(w http.ResponseWriter, r *http.Request) {
	if !originAllowed(r, s.cfg.AllowedOrigins, s.cfg.TrustedProxies) {
		s.metrics.ConnRejected("origin")
		s.refusedLog("websocket refused: origin not allowed", "origin", "origin", clipHeader(r.Header.Get("Origin")))
		if !s.explainRefusal(w, r, websocket.ClosePolicyViolation, "origin not allowed (BOT_ALLOWED_ORIGINS)") {
			http.Error(w, "origin not allowed", http.StatusForbidden)
		}
		return
	}
	if ready := s.answers.Ready(); !ready || s.isDraining() {
		reason := "not_ready"
		if ready {
			reason = "draining"
		}
		s.metrics.ConnRejected(reason)
		if !s.explainRefusal(w, r, websocket.CloseTryAgainLater, reason) {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "not ready, try again shortly", http.StatusServiceUnavailable)
		}
		return
	}
	ip := ClientKey(ClientIP(r, s.cfg.TrustedProxies), s.cfg.IPv6Prefix)
	release, err := s.conns.acquire(ip)
	if err != nil {
		status, reason := http.StatusServiceUnavailable, "total"
		if errors.Is(err, ErrTooManyConnsFromIP) {
			status, reason = http.StatusTooManyRequests, "per_ip"
		}
		s.metrics.ConnRejected(reason)
		// The client is its key (an address or a prefix), never a header
		// as sent: X-Forwarded-For and User-Agent are the client's to fill.
		s.refusedLog("websocket refused", reason, "reason", err.Error(), "client", ip)
		http.Error(w, err.Error(), status)
		return
	}
	cw := &corkingWriter{ResponseWriter: w}
	ws, err := s.upgrader.Upgrade(cw, r, nil)
	if err != nil {
		release()
		return // the upgrader has answered with an HTTP error
	}
	c := newConn(s, ws, ip)
	c.out = cw.conn
	if !s.register(c) {
		c.refuse()
		release()
		return
	}
	// The session to resume: from the header (clients that can set one
	// keep the id out of URLs and access logs), else the query; a client
	// may also name it in its first frame (protocol.Hello).
	requested := r.Header.Get(protocol.SessionHeader)
	if requested == "" {
		requested = r.URL.Query().Get("session")
	}
	// The connection is opened here, then gets a goroutine of its own (its
	// reader) and this handler returns: net/http then lets go of the
	// request's state and of this goroutine's stack, grown deep by the HTTP
	// machinery and by opening the session, which an idle websocket would
	// otherwise keep for its whole life.
	c.open(requested)
	go c.run(func() {
		s.unregister(c)
		release()
	})
}

// explainRefusal serves a client that asked for it with ?refusal=close (the
// widget): a browser cannot read the HTTP status of a refused websocket
// handshake, so the server completes the handshake and closes at once with
// code (1008 origin not allowed, 1013 not ready) and reason. Nothing is read
// from such a connection. It reports whether it answered.
func (s *Server) explainRefusal(w http.ResponseWriter, r *http.Request, code int, reason string) bool {
	if r.URL.Query().Get("refusal") != "close" || !websocket.IsWebSocketUpgrade(r) {
		return false
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return true // the upgrader has answered with an HTTP error
	}
	_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	_ = ws.Close()
	return true
}

// refusedLog logs a refused client at warn level, sampled per reason (one
// line a second at most, saying how many were left out): a flood of refused
// connections must not flood the log as well. Metrics count every refusal.
func (s *Server) refusedLog(msg, reason string, args ...any) {
	s.refusals.Warn(s.log, time.Now(), reason, msg, args...)
}
