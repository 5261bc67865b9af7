package chat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/redact"
	"github.com/careerbot/careerbot/protocol"
)

func TestReadyFrame(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	r := c.ready
	if _, err := uuid.Parse(r.Session); err != nil || uuid.MustParse(r.Session).Version() != 4 {
		t.Errorf("session %q is not a UUIDv4", r.Session)
	}
	if r.Mode != protocol.ModeOffline || !strings.Contains(r.Greeting, "Media Specialist") || len(r.Suggestions) != 3 || r.Resumed {
		t.Errorf("ready = %s", r.raw)
	}
	if other := ts.dial(t, ""); other.ready.Session == r.Session {
		t.Error("two connections got the same session")
	}
	if r.Limits.MaxQuestion != 1000 {
		t.Errorf("ready = %s, want limits.max_question 1000 (the default)", r.raw)
	}
}

// ready tells clients the question length limit, which the server then
// enforces to the character, after reset too.
func TestReadyTellsTheQuestionLimit(t *testing.T) {
	ts := startServer(t, Config{MaxQuestion: 30}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	if !strings.Contains(c.ready.raw, `"limits":{"max_question":30}`) {
		t.Fatalf("ready = %s", c.ready.raw)
	}
	if r := c.answer("1", strings.Repeat("é", 30)); r.err.Type != "" {
		t.Errorf("a question of exactly max_question characters was refused: %s", r.err.raw)
	}
	if r := c.answer("2", strings.Repeat("é", 31)); r.err.Code != protocol.CodeBadRequest || !strings.Contains(r.err.Message, "30 characters") {
		t.Errorf("one character over: %+v", r)
	}
	c.write(`{"type":"reset"}`)
	if f := c.read(); f.Type != protocol.TypeReady || f.Limits.MaxQuestion != 30 {
		t.Errorf("ready after reset = %s", f.raw)
	}
}

func TestOfflineAnswer(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	r := c.answer("q1", "What salary does a media specialist earn?")
	if r.err.Type != "" {
		t.Fatalf("error %s", r.err.raw)
	}
	if len(r.sources.Sources) == 0 || r.sources.Sources[0].Section != "Annual Salary (US, USD)" || r.sources.Sources[0].Text == "" {
		t.Errorf("sources %s", r.sources.raw)
	}
	if len(r.tokens) < 2 || len(r.tokens) > 2 {
		t.Errorf("offline answer in %d token frames, want a few", len(r.tokens))
	}
	if strings.Join(r.tokens, "") != r.done.Text {
		t.Errorf("tokens %q do not add up to done text %q", r.tokens, r.done.Text)
	}
	if !strings.Contains(r.done.Text, "$65,000") || !r.done.Grounded || r.done.Notice != "" {
		t.Errorf("done %s", r.done.raw)
	}
	if n := len(r.done.Suggestions); n < 1 || n > 3 {
		t.Errorf("suggestions %q", r.done.Suggestions)
	}
}

func TestOffTopicDeclines(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	r := c.answer("q1", "How do I bake sourdough bread?")
	if r.done.Grounded || len(r.sources.Sources) != 0 || r.sources.Sources == nil {
		t.Errorf("off-topic: sources %s, done %s", r.sources.raw, r.done.raw)
	}
	if !strings.Contains(r.done.Text, "Media Specialist") || len(r.done.Suggestions) == 0 {
		t.Errorf("decline %s should name the guides and suggest questions", r.done.raw)
	}
}

func TestFollowUpUsesPreviousSubject(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	c.answer("q1", "What salary does a media specialist earn?")
	r := c.answer("q2", "And the skills?")
	searches := ts.index.Searches()
	if last := searches[len(searches)-1]; !strings.Contains(last, "media specialist") || !strings.Contains(last, "skills") {
		t.Errorf("follow-up searched as %q", last)
	}
	if !r.done.Grounded {
		t.Errorf("follow-up not answered: %s", r.done.raw)
	}
}

func TestOriginPolicy(t *testing.T) {
	ts := startServer(t, Config{AllowedOrigins: []string{"https://careers.example.com"}}, conversation.Config{}, conversation.Deps{})
	host := strings.TrimPrefix(ts.http.URL, "http://")
	tests := []struct {
		origin string
		want   int
	}{
		{"", http.StatusSwitchingProtocols},                            // not a browser
		{"http://" + host, http.StatusSwitchingProtocols},              // same origin
		{"https://careers.example.com", http.StatusSwitchingProtocols}, // listed
		{"https://CAREERS.example.com", http.StatusSwitchingProtocols}, // hosts are case-insensitive
		{"https://evil.example.com", http.StatusForbidden},
		{"https://careers.example.com:8443", http.StatusForbidden}, // exact port
		{"http://careers.example.com", http.StatusForbidden},       // exact scheme
		{"null", http.StatusForbidden},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.origin != "" {
			h.Set("Origin", tt.origin)
		}
		ws, resp, err := websocket.DefaultDialer.Dial(ts.wsURL, h)
		if ws != nil {
			ws.Close()
		}
		if resp == nil {
			t.Fatalf("origin %q: %v", tt.origin, err)
		}
		if resp.StatusCode != tt.want {
			t.Errorf("origin %q: status %d, want %d", tt.origin, resp.StatusCode, tt.want)
		}
	}
}

func TestWildcardOrigin(t *testing.T) {
	ts := startServer(t, Config{AllowedOrigins: []string{"*"}}, conversation.Config{}, conversation.Deps{})
	ws, resp, err := websocket.DefaultDialer.Dial(ts.wsURL, http.Header{"Origin": {"https://anywhere.example"}})
	if err != nil {
		t.Fatalf("status %v: %v", resp, err)
	}
	ws.Close()
}

func TestOversizedFrameCloses1009(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	big := `{"type":"ask","id":"big","text":"` + strings.Repeat("a", 1<<20) + `"}`
	c.write(big)
	f := c.read()
	if f.Type != protocol.TypeError || f.Code != protocol.CodeTooLarge {
		t.Fatalf("got %s, want a too_large error", f.raw)
	}
	if code := c.closeCode(); code != websocket.CloseMessageTooBig {
		t.Errorf("close code %d, want 1009", code)
	}
}

func TestBadInputKeepsConnectionUsable(t *testing.T) {
	ts := startServer(t, Config{MaxQuestion: 50}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	bad := []struct {
		name string
		send func()
	}{
		{"malformed JSON", func() { c.write(`{"type":"ask",`) }},
		{"not an object", func() { c.write(`["ask"]`) }},
		{"unknown type", func() { c.write(`{"type":"shout","id":"x"}`) }},
		{"empty question", func() { c.ask("x", "   ") }},
		{"long question", func() { c.ask("x", strings.Repeat("é", 51)) }},
		{"bad rating", func() { c.write(`{"type":"feedback","id":"x","rating":"meh"}`) }},
		{"long id", func() { c.ask(strings.Repeat("i", 200), "What salary?") }},
		{"binary frame", func() {
			if err := c.ws.WriteMessage(websocket.BinaryMessage, []byte(`{"type":"ask"}`)); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, b := range bad {
		b.send()
		if f := c.read(); f.Type != protocol.TypeError || f.Code != protocol.CodeBadRequest || f.Message == "" {
			t.Errorf("%s: got %s, want a bad_request error", b.name, f.raw)
		}
	}
	if r := c.answer("ok", "What salary does a media specialist earn?"); !r.done.Grounded {
		t.Errorf("after errors: %+v", r)
	}
}

func TestRateLimited(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{RateLimit: 6}, conversation.Deps{}) // burst of 1
	c := ts.dial(t, "")
	if r := c.answer("1", "What salary does a media specialist earn?"); r.err.Type != "" {
		t.Fatalf("first ask: %s", r.err.raw)
	}
	r := c.answer("2", "What salary does a media specialist earn?")
	if r.err.Code != protocol.CodeRateLimited {
		t.Fatalf("second ask: %+v, want rate_limited", r)
	}
	// 6 asks a minute: the empty bucket has a token again within 10 s.
	if !strings.Contains(r.err.raw, `"retry_after_ms":10000`) {
		t.Errorf("rate_limited frame %s, want retry_after_ms 10000", r.err.raw)
	}
	// The limit is per client IP, not per connection.
	if r := ts.dial(t, "").answer("3", "What salary?"); r.err.Code != protocol.CodeRateLimited {
		t.Fatalf("another connection from the same IP: %+v, want rate_limited", r)
	}
}

func TestBusyWhileAnswering(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	ts.index.Block = make(chan struct{})
	c := ts.dial(t, "")
	c.ask("1", "What salary does a media specialist earn?")
	for i := 0; i < 5; i++ {
		c.ask("flood", "What salary?")
		if f := c.read(); f.Code != protocol.CodeBusy || f.ID != "flood" {
			t.Fatalf("got %s, want busy", f.raw)
		}
	}
	close(ts.index.Block)
	if r := c.readReply("1"); !r.done.Grounded {
		t.Errorf("first answer %+v", r)
	}
}

func TestCancelOffline(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	ts.index.Block = make(chan struct{})
	c := ts.dial(t, "")
	c.ask("1", "What salary does a media specialist earn?")
	c.write(`{"type":"cancel","id":"1"}`)
	r := c.readReply("1")
	if !r.done.Cancelled || r.done.Notice == "" || len(r.tokens) != 0 {
		t.Errorf("cancelled answer: %+v", r)
	}
	close(ts.index.Block)
	if r := c.answer("2", "What salary does a media specialist earn?"); !r.done.Grounded || r.done.Cancelled {
		t.Errorf("after cancel: %+v", r)
	}
}

func TestConnectionCaps(t *testing.T) {
	ts := startServer(t, Config{MaxConnsPerIP: 2}, conversation.Config{}, conversation.Deps{})
	a := ts.dial(t, "")
	ts.dial(t, "")
	_, resp, err := websocket.DefaultDialer.Dial(ts.wsURL, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third connection: %v %v, want 429", resp, err)
	}
	a.ws.Close()
	// The slot frees once the server notices the close.
	for deadline := time.Now().Add(hangGuard); ; {
		ws, _, err := websocket.DefaultDialer.Dial(ts.wsURL, nil)
		if err == nil {
			ws.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("slot never freed")
		}
		time.Sleep(10 * time.Millisecond)
	}

	total := startServer(t, Config{MaxConns: 1}, conversation.Config{}, conversation.Deps{})
	total.dial(t, "")
	if _, resp, _ := websocket.DefaultDialer.Dial(total.wsURL, nil); resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("over the total cap: %v, want 503", resp)
	}
}

func TestSlowReaderDoesNotDelayOthers(t *testing.T) {
	ts := startServer(t, Config{SendBuffer: 8}, conversation.Config{}, conversation.Deps{})
	stuck := ts.dial(t, "")
	// The stuck client asks again and again and never reads a frame.
	stop := make(chan struct{})
	flooded := make(chan struct{})
	go func() {
		defer close(flooded)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			_ = stuck.ws.SetWriteDeadline(time.Now().Add(time.Second))
			if err := stuck.ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"ask","id":"s","text":"What salary does a media specialist earn?"}`)); err != nil {
				return // dropped by the server
			}
		}
	}()
	other := ts.dial(t, "")
	for i := 0; i < 5; i++ {
		if r := other.answer("o", "Which tools and skills?"); !r.done.Grounded {
			t.Fatalf("other client: %+v", r)
		}
	}
	close(stop)
	<-flooded
}

func TestSessionsAreSeparate(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	a := ts.dial(t, "")
	b := ts.dial(t, "")
	a.answer("a1", "What salary does a media specialist earn?")
	b.answer("b1", "And which tools?")
	searches := ts.index.Searches()
	if last := searches[len(searches)-1]; strings.Contains(last, "salary") {
		t.Errorf("session b's follow-up picked up session a's question: %q", last)
	}
	again := ts.dial(t, "session="+b.ready.Session)
	for _, h := range again.ready.History {
		if strings.Contains(h.Question, "salary") {
			t.Errorf("session b's history holds session a's turn: %+v", again.ready.History)
		}
	}
}

func TestResumeSession(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	first := ts.dial(t, "")
	first.answer("1", "What salary does a media specialist earn?")
	first.ws.Close()

	resumed := ts.dial(t, "session="+first.ready.Session)
	if resumed.ready.Session != first.ready.Session || !resumed.ready.Resumed ||
		len(resumed.ready.History) != 1 || !strings.Contains(resumed.ready.History[0].Answer, "$65,000") {
		t.Fatalf("resume: %s", resumed.ready.raw)
	}
	resumed.answer("2", "And the skills?")
	searches := ts.index.Searches()
	if last := searches[len(searches)-1]; !strings.Contains(last, "media specialist") {
		t.Errorf("resumed follow-up searched as %q", last)
	}

	for _, q := range []string{"session=" + uuid.NewString(), "session=not-a-uuid"} {
		c := ts.dial(t, q)
		if c.ready.Resumed || c.ready.Session == "" || strings.Contains(q, c.ready.Session) {
			t.Errorf("%s: %s, want a new session", q, c.ready.raw)
		}
	}
}

func TestSessionExpires(t *testing.T) {
	var offset atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	ts := startServer(t, Config{}, conversation.Config{SessionTTL: time.Hour}, conversation.Deps{Now: clock})
	first := ts.dial(t, "")
	first.answer("1", "What salary does a media specialist earn?")
	offset.Store(int64(2 * time.Hour))
	if c := ts.dial(t, "session="+first.ready.Session); c.ready.Resumed {
		t.Errorf("expired session resumed: %s", c.ready.raw)
	}
}

func TestReset(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	c.answer("1", "What salary does a media specialist earn?")
	c.write(`{"type":"reset"}`)
	f := c.read()
	if f.Type != protocol.TypeReady || f.Session == c.ready.Session || f.Resumed {
		t.Fatalf("after reset: %s", f.raw)
	}
	c.answer("2", "And the skills?")
	searches := ts.index.Searches()
	if last := searches[len(searches)-1]; strings.Contains(last, "salary") || strings.Contains(last, "media") {
		t.Errorf("after reset the follow-up still used the old conversation: %q", last)
	}
	if old := ts.dial(t, "session="+c.ready.Session); old.ready.Resumed {
		t.Error("the reset session can still be resumed")
	}
}

func TestFeedbackLog(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, Config{}, conversation.Config{DataDir: dir, IDKey: "log-key"}, conversation.Deps{})
	c := ts.dial(t, "")
	c.answer("1", "What salary does a media specialist earn?")
	c.write(`{"type":"feedback","id":"1","rating":"up","comment":"handy"}`)
	c.write(`{"type":"feedback","id":"1","rating":"down"}`)
	// Frames are handled in order: once this answer is back, the feedback is written.
	c.answer("2", "What salary?")
	data, err := os.ReadFile(filepath.Join(dir, "feedback.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("feedback.jsonl:\n%s", data)
	}
	var e conversation.Feedback
	if err := json.Unmarshal(lines[0], &e); err != nil {
		t.Fatal(err)
	}
	if e.Rating != "up" || e.Comment != "handy" || e.Session != redact.IDTag([]byte("log-key"), c.ready.Session) || !strings.Contains(e.Answer, "$65,000") || e.Question == "" {
		t.Errorf("entry %+v", e)
	}
}

func TestFeedbackUnwritableKeepsChatting(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Config{}, conversation.Config{DataDir: notADir}, conversation.Deps{})
	c := ts.dial(t, "")
	c.answer("1", "What salary does a media specialist earn?")
	c.write(`{"type":"feedback","id":"1","rating":"up"}`)
	if r := c.answer("2", "What salary?"); !r.done.Grounded {
		t.Errorf("after failed feedback: %+v", r)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	answers := conversation.New(conversation.Config{}, conversation.Deps{})
	s := NewServer(Config{}, Deps{Answers: answers})
	get := func(path string) int {
		rec := newRecorder()
		s.ServeHTTP(rec, mustRequest(path))
		return rec.Code
	}
	if get("/healthz") != 200 || get("/readyz") != 503 || get("/ws") != 503 {
		t.Errorf("before the index: healthz %d readyz %d ws %d", get("/healthz"), get("/readyz"), get("/ws"))
	}
	answers.SetIndex(&fakeIndex{})
	if get("/readyz") != 200 || get("/widget.js") != 200 || get("/") != 200 {
		t.Errorf("after the index: readyz %d widget %d page %d", get("/readyz"), get("/widget.js"), get("/"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if get("/readyz") != 503 {
		t.Error("readyz should fail while shutting down")
	}
}

// A browser cannot read the status of a refused handshake, so a client that
// asks with ?refusal=close (the widget) gets the handshake and a close frame
// saying why: 1008 for an origin not in BOT_ALLOWED_ORIGINS, 1013 while the
// server is not ready or draining. Others still get the HTTP status.
func TestRefusalExplainedInCloseFrame(t *testing.T) {
	ts := startServer(t, Config{AllowedOrigins: []string{"https://careers.example.com"}}, conversation.Config{}, conversation.Deps{})
	closeCode := func(query string, origin string) (int, string) {
		t.Helper()
		ws, resp, err := websocket.DefaultDialer.Dial(ts.wsURL+query, http.Header{"Origin": {origin}})
		if err != nil {
			if resp == nil {
				t.Fatalf("dial: %v", err)
			}
			return resp.StatusCode, ""
		}
		defer ws.Close()
		_ = ws.SetReadDeadline(time.Now().Add(hangGuard))
		_, _, err = ws.ReadMessage()
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			t.Fatalf("read after an explained refusal: %v, want a close frame", err)
		}
		return ce.Code, ce.Text
	}
	if code, reason := closeCode("?refusal=close", "https://evil.example.com"); code != websocket.ClosePolicyViolation || !strings.Contains(reason, "BOT_ALLOWED_ORIGINS") {
		t.Errorf("refused origin: close %d %q, want 1008 naming BOT_ALLOWED_ORIGINS", code, reason)
	}
	if code, _ := closeCode("", "https://evil.example.com"); code != http.StatusForbidden {
		t.Errorf("refused origin without refusal=close: %d, want HTTP 403", code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if code, _ := closeCode("?refusal=close&session=x", "https://careers.example.com"); code != websocket.CloseTryAgainLater {
		t.Errorf("draining: close %d, want 1013", code)
	}
}

// sizedIndex is a retriever that tells its size, as the guide index does.
type sizedIndex struct{ fakeIndex }

func (*sizedIndex) Stats() rag.Stats { return rag.Stats{Guides: 1, Sections: 46, Chunks: 53} }

// TestReadyzBody: the text body clients and probes have always had, and the
// JSON one for a client that asks for it, through loading, ready and
// shutting down.
func TestReadyzBody(t *testing.T) {
	answers := conversation.New(conversation.Config{}, conversation.Deps{})
	s := NewServer(Config{}, Deps{Answers: answers})
	get := func(accept string) (int, string, string) {
		rec := newRecorder()
		req := mustRequest("/readyz")
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		s.ServeHTTP(rec, req)
		return rec.Code, rec.Header().Get("Content-Type"), rec.Body.String()
	}
	check := func(stage string, wantCode int, wantText, wantJSON string) {
		t.Helper()
		if code, ctype, body := get(""); code != wantCode || body != wantText || ctype != "text/plain; charset=utf-8" {
			t.Errorf("%s, text: %d %q %q; want %d %q", stage, code, ctype, body, wantCode, wantText)
		}
		if code, ctype, body := get("application/json"); code != wantCode || body != wantJSON || ctype != "application/json" {
			t.Errorf("%s, JSON: %d %q %q; want %d %q", stage, code, ctype, body, wantCode, wantJSON)
		}
	}
	check("loading", 503, "loading the index\n", `{"status":"loading"}`+"\n")
	answers.SetIndex(&fakeIndex{})
	check("ready, size unknown", 200, "ready\n", `{"status":"ready"}`+"\n")
	answers.SetIndex(&sizedIndex{})
	check("ready", 200, "ready\n", `{"status":"ready","guides":1,"sections":46,"chunks":53}`+"\n")
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	check("shutting down", 503, "shutting down\n", `{"status":"shutting_down"}`+"\n")
}

// The server reads frames through a 512-byte buffer (Upgrader's
// ReadBufferSize, kept small for idle connections): a question almost
// twice that long is read whole and answered, a 10 KB frame is read whole
// and refused for its length, and the connection goes on answering.
func TestAsksLongerThanTheReadBufferAreReadWhole(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	long := "What salary does a media specialist earn? " + strings.Repeat("I would really like to know. ", 31) // 941 characters
	if len(long) <= 512 || len([]rune(long)) > DefaultMaxQuestion {
		t.Fatalf("question of %d bytes", len(long))
	}
	for _, id := range []string{"a", "b"} {
		if r := c.answer(id, long); r.err.Type != "" || !r.done.Grounded {
			t.Fatalf("ask %s of %d bytes: %+v", id, len(long), r)
		}
	}
	filler := strings.Repeat("x", 10_000) // a frame 20 times the buffer, refused by its content only
	c.write(`{"type":"ask","id":"c","text":"` + filler + `"}`)
	if f := c.read(); f.Type != protocol.TypeError || f.Code != protocol.CodeBadRequest {
		t.Fatalf("a 10 KB question: got %.200s, want a bad_request error", f.raw)
	}
	if r := c.answer("d", "What salary does a media specialist earn?"); !r.done.Grounded {
		t.Errorf("after the long frames: %+v", r)
	}
}
