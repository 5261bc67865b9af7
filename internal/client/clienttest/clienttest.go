// Package clienttest provides a stand-in chat server for testing websocket
// clients: it speaks the protocol of docs/protocol.md with canned answers and
// can misbehave on request (drop a connection in the middle of an answer,
// forget sessions), which the real server cannot easily be made to do.
package clienttest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Server is an http.Handler for GET /ws. Questions steer it:
//
//	"error:<code> …"  an error frame with that code (too_large also closes with 1009)
//	"slow …"          a token every few milliseconds until cancelled, then done with notice "Stopped."
//	anything else     a sources frame, one token per word, then done:
//	                  "You asked: <question>." plus, when the conversation
//	                  has earlier questions, " Earlier you asked: <q1>; <q2>."
type Server struct {
	mu        sync.Mutex
	sessions  map[string][]string // session id → questions asked
	lastID    int
	connects  []string // the ?session= of each connection, in order
	received  []map[string]string
	dropNext  int  // drop the connection after the sources of this many asks
	forgetAll bool // treat every resumed session as unknown
}

// NewServer returns a Server with no conversations.
func NewServer() *Server { return &Server{sessions: map[string][]string{}} }

// DropNext makes the server end the connection abruptly (no close frame),
// right after the sources frame, for each of the next n asks.
func (s *Server) DropNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropNext = n
}

// ForgetSessions makes the server treat every session id as expired.
func (s *Server) ForgetSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forgetAll = true
}

// Connections returns the session id each connection asked to resume ("" for
// none), in the order they came.
func (s *Server) Connections() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.connects...)
}

// Received returns the client frames of the given type received so far.
func (s *Server) Received(typ string) []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]string
	for _, f := range s.received {
		if f["type"] == typ {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) newSession() string {
	s.lastID++
	id := "session-" + strconv.Itoa(s.lastID)
	s.sessions[id] = nil
	return id
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	gone := make(chan struct{}) // stops a slow answer when the connection ends
	defer close(gone)

	s.mu.Lock()
	asked := r.URL.Query().Get("session")
	s.connects = append(s.connects, asked)
	session := asked
	if _, known := s.sessions[session]; !known || s.forgetAll {
		session = s.newSession()
	}
	s.mu.Unlock()

	var writeMu sync.Mutex
	send := func(v any) {
		writeMu.Lock()
		defer writeMu.Unlock()
		_ = ws.WriteJSON(v)
	}
	ready := func() {
		send(map[string]any{"type": "ready", "session": session, "greeting": "Hello from the fake.",
			"suggestions": []string{"What does a tester do?", "How much do testers earn?"}, "mode": "offline",
			"limits": map[string]int{"max_question": 500}})
	}
	ready()

	cancels := map[string]chan struct{}{}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var in map[string]string
		if err := json.Unmarshal(data, &in); err != nil {
			send(map[string]any{"type": "error", "code": "bad_request", "message": "malformed frame"})
			continue
		}
		s.mu.Lock()
		s.received = append(s.received, in)
		s.mu.Unlock()
		id := in["id"]
		switch in["type"] {
		case "reset":
			s.mu.Lock()
			session = s.newSession()
			s.mu.Unlock()
			ready()
		case "cancel":
			if stop, ok := cancels[id]; ok {
				close(stop)
				delete(cancels, id)
			}
		case "feedback":
		case "ask":
			q := in["text"]
			s.mu.Lock()
			earlier := s.sessions[session]
			s.sessions[session] = append(earlier, q)
			drop := s.dropNext > 0
			if drop {
				s.dropNext--
			}
			s.mu.Unlock()
			if code, ok := strings.CutPrefix(q, "error:"); ok {
				code, _, _ = strings.Cut(code, " ")
				send(map[string]any{"type": "error", "id": id, "code": code, "message": "fake " + code})
				if code == "too_large" {
					writeMu.Lock()
					_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseMessageTooBig, ""), time.Now().Add(time.Second))
					writeMu.Unlock()
					return
				}
				continue
			}
			send(map[string]any{"type": "sources", "id": id, "sources": []map[string]any{
				{"guide": "Tester Guide", "section": "About › " + q, "text": "Testers test things.", "score": 0.5},
			}})
			if drop {
				return
			}
			if strings.HasPrefix(q, "slow") {
				stop := make(chan struct{})
				cancels[id] = stop
				go slowAnswer(id, send, stop, gone)
				continue
			}
			answer := "You asked: " + q + "."
			if len(earlier) > 0 {
				answer += " Earlier you asked: " + strings.Join(earlier, "; ") + "."
			}
			for _, word := range strings.SplitAfter(answer, " ") {
				send(map[string]any{"type": "token", "id": id, "text": word})
			}
			send(map[string]any{"type": "done", "id": id, "text": answer, "grounded": true,
				"suggestions": []string{"What next?", "Tell me more."}})
		default:
			send(map[string]any{"type": "error", "id": id, "code": "bad_request", "message": "unknown type"})
		}
	}
}

// slowAnswer streams "more " every few milliseconds until stopped (or for
// about ten seconds).
func slowAnswer(id string, send func(any), stop, gone <-chan struct{}) {
	var sent strings.Builder
	for range 2000 {
		select {
		case <-gone:
			return
		case <-stop:
			send(map[string]any{"type": "done", "id": id, "text": sent.String(), "grounded": true, "notice": "Stopped.", "cancelled": true})
			return
		case <-time.After(5 * time.Millisecond):
			sent.WriteString("more ")
			send(map[string]any{"type": "token", "id": id, "text": "more "})
		}
	}
	send(map[string]any{"type": "done", "id": id, "text": sent.String(), "grounded": true})
}
