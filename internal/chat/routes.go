package chat

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/widget"
)

// routes is the one place where the server's URLs are declared.
func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /ws", s.handleWebsocket)
	s.mux.HandleFunc("GET /healthz", s.handleHealthz)
	s.mux.HandleFunc("GET /readyz", s.handleReadyz)
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
	idx := s.retriever()
	switch {
	case s.isDraining():
		status, code, text = ReadyStatusShuttingDown, http.StatusServiceUnavailable, "shutting down\n"
	case idx == nil:
		status, code, text = ReadyStatusLoading, http.StatusServiceUnavailable, "loading the index\n"
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "Accept")
	if !strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(text))
		return
	}
	body := Readiness{Status: status}
	if sized, ok := idx.(interface{ Stats() rag.Stats }); ok && status == ReadyStatusReady {
		st := sized.Stats()
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
	if !originAllowed(r, s.cfg.AllowedOrigins) {
		s.metrics.ConnRejected("origin")
		s.log.Info("websocket refused: origin not allowed", "origin", r.Header.Get("Origin"))
		if !s.explainRefusal(w, r, websocket.ClosePolicyViolation, "origin not allowed (BOT_ALLOWED_ORIGINS)") {
			http.Error(w, "origin not allowed", http.StatusForbidden)
		}
		return
	}
	idx := s.retriever()
	if idx == nil || s.isDraining() {
		reason := "not_ready"
		if idx != nil {
			reason = "draining"
		}
		s.metrics.ConnRejected(reason)
		if !s.explainRefusal(w, r, websocket.CloseTryAgainLater, reason) {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "not ready, try again shortly", http.StatusServiceUnavailable)
		}
		return
	}
	ip := clientIP(r, s.cfg.TrustedProxies)
	release, err := s.conns.Acquire(ip)
	if err != nil {
		status, reason := http.StatusServiceUnavailable, "total"
		if errors.Is(err, ErrTooManyConnsFromIP) {
			status, reason = http.StatusTooManyRequests, "per_ip"
		}
		s.metrics.ConnRejected(reason)
		s.log.Warn("websocket refused", "reason", err.Error())
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
	requested := r.URL.Query().Get("session")
	// The connection gets a goroutine of its own and this handler returns:
	// net/http then lets go of the request's state and of this goroutine's
	// stack, grown deep by the HTTP machinery, which an idle websocket
	// would otherwise keep for its whole life.
	go func() {
		defer release()
		defer s.unregister(c)
		session, history, resumed := c.openSession(requested)
		c.serve(idx, session, history, resumed)
	}()
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

// newSessionID is a random (crypto/rand) UUIDv4.
func newSessionID() string { return uuid.NewString() }
