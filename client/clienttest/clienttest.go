// Package clienttest provides a stand-in chat server for testing websocket
// clients: it speaks package protocol (docs/protocol.md) with canned answers and
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

	"github.com/careerbot/careerbot/protocol"
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
	connects  []string // the session each connection asked for (header or ?session=), in order
	received  []protocol.ClientFrame
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
func (s *Server) Received(typ string) []protocol.ClientFrame {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []protocol.ClientFrame
	for _, f := range s.received {
		if f.Type == typ {
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
	asked := r.Header.Get(protocol.SessionHeader)
	if asked == "" {
		asked = r.URL.Query().Get("session")
	}
	s.connects = append(s.connects, asked)
	session := asked
	if _, known := s.sessions[session]; !known || s.forgetAll {
		session = s.newSession()
	}
	s.mu.Unlock()

	var writeMu sync.Mutex
	send := func(f protocol.Frame) {
		data, err := protocol.Encode(f)
		if err != nil {
			panic(err) // the fake's own frames always encode
		}
		writeMu.Lock()
		defer writeMu.Unlock()
		_ = ws.WriteMessage(websocket.TextMessage, data)
	}
	ready := func() {
		send(protocol.Ready{Type: protocol.TypeReady, Session: session, Greeting: "Hello from the fake.",
			Suggestions: []string{"What does a tester do?", "How much do testers earn?"}, Mode: protocol.ModeOffline,
			Limits: protocol.Limits{MaxQuestion: 500}})
	}
	ready()

	cancels := map[string]chan struct{}{}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var in protocol.ClientFrame
		if err := json.Unmarshal(data, &in); err != nil {
			send(protocol.Error{Type: protocol.TypeError, Code: protocol.CodeBadRequest, Message: "malformed frame"})
			continue
		}
		s.mu.Lock()
		s.received = append(s.received, in)
		s.mu.Unlock()
		id := in.ID
		switch in.Type {
		case protocol.TypeReset:
			s.mu.Lock()
			session = s.newSession()
			s.mu.Unlock()
			ready()
		case protocol.TypeCancel:
			if stop, ok := cancels[id]; ok {
				close(stop)
				delete(cancels, id)
			}
		case protocol.TypeFeedback:
		case protocol.TypeAsk:
			q := in.Text
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
				send(protocol.Error{Type: protocol.TypeError, ID: id, Code: code, Message: "fake " + code})
				if code == protocol.CodeTooLarge {
					writeMu.Lock()
					_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseMessageTooBig, ""), time.Now().Add(time.Second))
					writeMu.Unlock()
					return
				}
				continue
			}
			send(protocol.Sources{Type: protocol.TypeSources, ID: id, Sources: []protocol.Source{
				{Guide: "Tester Guide", Section: "About › " + q, Text: "Testers test things.", Score: 0.5},
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
				send(protocol.Token{Type: protocol.TypeToken, ID: id, Text: word})
			}
			send(protocol.Done{Type: protocol.TypeDone, ID: id, Text: answer, Grounded: true,
				Suggestions: []string{"What next?", "Tell me more."}})
		default:
			send(protocol.Error{Type: protocol.TypeError, ID: id, Code: protocol.CodeBadRequest, Message: "unknown type"})
		}
	}
}

// slowAnswer streams "more " every few milliseconds until stopped (or for
// about ten seconds).
func slowAnswer(id string, send func(protocol.Frame), stop, gone <-chan struct{}) {
	var sent strings.Builder
	for range 2000 {
		select {
		case <-gone:
			return
		case <-stop:
			send(protocol.Done{Type: protocol.TypeDone, ID: id, Text: sent.String(), Grounded: true, Notice: "Stopped.", Cancelled: true})
			return
		case <-time.After(5 * time.Millisecond):
			sent.WriteString("more ")
			send(protocol.Token{Type: protocol.TypeToken, ID: id, Text: "more "})
		}
	}
	send(protocol.Done{Type: protocol.TypeDone, ID: id, Text: sent.String(), Grounded: true})
}
