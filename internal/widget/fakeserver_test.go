package widget_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/widget"
)

// fakeServer speaks the wire protocol of issue 3 (ready, sources, token,
// done, error, reset, cancel) with scripted answers. It covers what the real
// server cannot be made to do on demand: slow streams to stop, error frames,
// dropped connections, and an LLM answer full of attack payloads.
type fakeServer struct {
	*httptest.Server
	answer     func(question string) fakeAnswer
	tokenDelay atomic.Int64 // nanoseconds before each token; set it before the page connects
	starting   atomic.Bool  // refuse like a server still loading its index (close 1013)

	mu       sync.Mutex
	holds    map[int]chan struct{} // answers pause after that many tokens until the channel is closed
	sessions map[string]bool
	conns    []*websocket.Conn
	asks     []string // questions in arrival order
	cancels  int
	resets   int
	urls     []string         // request URLs of websocket upgrades
	feedback []map[string]any // feedback frames in arrival order
}

type fakeAnswer struct {
	text        string
	sources     []map[string]any
	suggestions []string
	notice      string
	errCode     string // send this error frame instead of an answer
	retryAfter  int    // retry_after_ms of that error, when > 0
	cited       []int  // done.cited, when set
}

func newFakeServer(t *testing.T, answer func(question string) fakeAnswer) *fakeServer {
	t.Helper()
	fs := &fakeServer{answer: answer, sessions: map[string]bool{}}
	mux := http.NewServeMux()
	mux.Handle("/", widget.Handler())
	mux.HandleFunc("GET /ws", fs.serveWS)
	fs.Server = httptest.NewServer(mux)
	t.Cleanup(func() {
		fs.dropConnections()
		fs.Close()
	})
	return fs
}

func (fs *fakeServer) serveWS(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	if fs.starting.Load() && r.URL.Query().Get("refusal") == "close" {
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "not_ready"), time.Now().Add(time.Second))
		_ = conn.Close()
		return
	}
	fs.mu.Lock()
	fs.conns = append(fs.conns, conn)
	fs.urls = append(fs.urls, r.URL.String())
	session := r.URL.Query().Get("session")
	if !fs.sessions[session] {
		session = newID()
		fs.sessions[session] = true
	}
	fs.mu.Unlock()

	var writeMu sync.Mutex
	write := func(v any) {
		writeMu.Lock()
		defer writeMu.Unlock()
		_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_ = conn.WriteJSON(v)
	}
	ready := func() {
		write(map[string]any{"type": "ready", "session": session, "mode": "offline",
			"greeting":    "Hi! I answer questions about careers from our guides.",
			"suggestions": []string{"What does a media specialist earn?", "Which tools do media specialists use?"}})
	}
	ready()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var streams sync.WaitGroup
	defer streams.Wait()
	cancelByID := map[string]context.CancelFunc{}
	for {
		var f struct{ Type, ID, Text, Rating, Comment string }
		if err := conn.ReadJSON(&f); err != nil {
			cancel()
			return
		}
		switch f.Type {
		case "ask":
			fs.mu.Lock()
			fs.asks = append(fs.asks, f.Text)
			fs.mu.Unlock()
			askCtx, askCancel := context.WithCancel(ctx)
			cancelByID[f.ID] = askCancel
			streams.Add(1)
			go func(id, question string) {
				defer streams.Done()
				fs.stream(askCtx, write, id, fs.answer(question))
			}(f.ID, f.Text)
		case "cancel":
			fs.mu.Lock()
			fs.cancels++
			fs.mu.Unlock()
			if c := cancelByID[f.ID]; c != nil {
				c()
			}
		case "feedback":
			fs.mu.Lock()
			fs.feedback = append(fs.feedback, map[string]any{"id": f.ID, "rating": f.Rating, "comment": f.Comment})
			fs.mu.Unlock()
		case "reset":
			fs.mu.Lock()
			fs.resets++
			session = newID()
			fs.sessions[session] = true
			fs.mu.Unlock()
			ready()
		default:
			write(map[string]any{"type": "error", "id": f.ID, "code": "bad_request", "message": "unknown frame type"})
		}
	}
}

func (fs *fakeServer) stream(ctx context.Context, write func(any), id string, a fakeAnswer) {
	if a.errCode != "" {
		e := map[string]any{"type": "error", "id": id, "code": a.errCode, "message": "scripted error"}
		if a.retryAfter > 0 {
			e["retry_after_ms"] = a.retryAfter
		}
		write(e)
		return
	}
	write(map[string]any{"type": "sources", "id": id, "sources": a.sources})
	fs.mu.Lock()
	holds := make(map[int]chan struct{}, len(fs.holds))
	for n, ch := range fs.holds {
		holds[n] = ch
	}
	fs.mu.Unlock()
	for i, tok := range splitKeep(a.text) {
		if hold := holds[i]; hold != nil {
			select {
			case <-ctx.Done():
				return
			case <-hold:
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(fs.tokenDelay.Load())):
		}
		write(map[string]any{"type": "token", "id": id, "text": tok})
	}
	done := map[string]any{"type": "done", "id": id, "text": a.text, "grounded": len(a.sources) > 0, "suggestions": a.suggestions}
	if a.notice != "" {
		done["notice"] = a.notice
	}
	if a.cited != nil {
		done["cited"] = a.cited
	}
	write(done)
}

// holdAfter makes every answer pause after its first n tokens until release
// is called, so a test can look at (or act on) a stream still open, however
// slow the machine. Holds at several counts add up. Release is also called at
// cleanup. Set holds before the question is asked.
func (fs *fakeServer) holdAfter(t *testing.T, n int) (release func()) {
	t.Helper()
	ch := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(ch) }) }
	fs.mu.Lock()
	if fs.holds == nil {
		fs.holds = map[int]chan struct{}{}
	}
	fs.holds[n] = ch
	fs.mu.Unlock()
	t.Cleanup(release)
	return release
}

// dropConnections closes every websocket, as a server restart or a network
// blip would.
func (fs *fakeServer) dropConnections() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, c := range fs.conns {
		_ = c.Close()
	}
	fs.conns = nil
}

func (fs *fakeServer) feedbackFrames() []map[string]any {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]map[string]any(nil), fs.feedback...)
}

func (fs *fakeServer) counts() (asks []string, cancels, resets int, urls []string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]string(nil), fs.asks...), fs.cancels, fs.resets, append([]string(nil), fs.urls...)
}

// splitKeep splits text into word-sized deltas that concatenate back to it.
func splitKeep(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexAny(s[1:], " \n")
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// mediaAnswer is what the real offline server says about pay, in its shape:
// paragraphs and "- " list lines, with the section it came from.
func mediaAnswer(question string) fakeAnswer {
	return fakeAnswer{
		text: "Media specialists in the US earn a **median salary of $65,000** a year.\n\n- Entry level: $51,000\n- Top 10%: $85,000 or more",
		sources: []map[string]any{
			{"guide": "Media Specialist Career Path Guide", "section": "Annual Salary (US, USD)", "text": "Median: $65,000. Entry: $51,000. Senior: $79,000.", "score": 0.82},
		},
		suggestions: []string{"What skills does a media specialist need?", "How do I become a media specialist?"},
		notice:      "Answered from the career guides without an AI model.",
	}
}
