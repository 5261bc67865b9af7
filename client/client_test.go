package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.uber.org/goleak"

	. "github.com/careerbot/careerbot/client"
	"github.com/careerbot/careerbot/client/clienttest"
	"github.com/careerbot/careerbot/protocol"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testCtx bounds a test so that a hang fails it instead of the whole run.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func startFake(t *testing.T) (*clienttest.Server, string) {
	fake := clienttest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv.URL // http://127.0.0.1:port: Dial turns it into ws://…/ws
}

func dial(t *testing.T, url string, opts Options) *Conn {
	t.Helper()
	c, err := Dial(testCtx(t), url, opts)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestAskStreamsTheAnswerThenReturnsItWithSources(t *testing.T) {
	_, url := startFake(t)
	c := dial(t, url, Options{})

	ready := c.Ready()
	if ready.Session == "" || ready.Greeting != "Hello from the fake." || len(ready.Suggestions) != 2 || ready.Mode != "offline" || ready.MaxQuestion != 500 {
		t.Fatalf("ready = %+v", ready)
	}
	var streamed []string
	ans, err := c.Ask(testCtx(t), "What does a tester do?", func(d string) { streamed = append(streamed, d) })
	if err != nil {
		t.Fatalf("Ask: %v", err)
	}
	want := "You asked: What does a tester do?."
	if ans.Text != want || strings.Join(streamed, "") != want || len(streamed) < 2 {
		t.Errorf("answer %q streamed as %q; want %q in several tokens", ans.Text, streamed, want)
	}
	if len(ans.Sources) != 1 || ans.Sources[0].Guide != "Tester Guide" || ans.Sources[0].Score != 0.5 {
		t.Errorf("sources = %+v", ans.Sources)
	}
	if !ans.Grounded || len(ans.Suggestions) != 2 || ans.Question != "What does a tester do?" || ans.ID == "" {
		t.Errorf("answer = %+v", ans)
	}
}

func TestFollowUpsStayInTheSameConversation(t *testing.T) {
	_, url := startFake(t)
	c := dial(t, url, Options{})
	if _, err := c.Ask(testCtx(t), "What does a tester do?", nil); err != nil {
		t.Fatal(err)
	}
	ans, err := c.Ask(testCtx(t), "And what do they earn?", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ans.Text, "Earlier you asked: What does a tester do?") {
		t.Errorf("follow-up answered without the first question: %q", ans.Text)
	}
}

func TestServerErrorsAreTypedAndTheConnectionStaysUsable(t *testing.T) {
	fake, url := startFake(t)
	c := dial(t, url, Options{})
	for _, tc := range []struct{ code, readable string }{
		{protocol.CodeRateLimited, "Too many questions: fake rate_limited"},
		{protocol.CodeBusy, "Still answering: fake busy"},
		{protocol.CodeBadRequest, "Question not accepted: fake bad_request"},
		{protocol.CodeUpstream, "The language model is unavailable: fake upstream"},
	} {
		_, err := c.Ask(testCtx(t), "error:"+tc.code, nil)
		var se *ServerError
		if !errors.As(err, &se) || se.Code != tc.code {
			t.Fatalf("%s: err = %v, want a *ServerError", tc.code, err)
		}
		if got := se.Readable(); got != tc.readable {
			t.Errorf("%s: Readable() = %q, want %q", tc.code, got, tc.readable)
		}
	}
	if _, err := c.Ask(testCtx(t), "Still there?", nil); err != nil {
		t.Fatalf("ask after errors: %v", err)
	}
	if n := len(fake.Connections()); n != 1 {
		t.Errorf("%d connections, want the one", n)
	}
}

func TestTooLargeClosesTheConnectionAndTheNextAskResumes(t *testing.T) {
	fake, url := startFake(t)
	c := dial(t, url, Options{})
	session := c.Session()
	_, err := c.Ask(testCtx(t), "error:too_large", nil)
	var se *ServerError
	if !errors.As(err, &se) || se.Code != protocol.CodeTooLarge {
		t.Fatalf("err = %v, want too_large", err)
	}
	ans, err := c.Ask(testCtx(t), "Shorter then?", nil)
	if err != nil {
		t.Fatalf("ask after too_large: %v", err)
	}
	if !strings.Contains(ans.Text, "Earlier you asked: error:too_large") {
		t.Errorf("conversation not resumed: %q", ans.Text)
	}
	if got := fake.Connections(); len(got) != 2 || got[1] != session {
		t.Errorf("connections = %q, want a second one resuming %q", got, session)
	}
}

func TestADroppedConnectionReconnectsOnceAndResumes(t *testing.T) {
	fake, url := startFake(t)
	var resumed []bool
	c := dial(t, url, Options{OnReconnect: func(r bool) { resumed = append(resumed, r) }})
	if _, err := c.Ask(testCtx(t), "What does a tester do?", nil); err != nil {
		t.Fatal(err)
	}
	fake.DropNext(1)

	ans, err := c.Ask(testCtx(t), "And the pay?", nil)
	if err != nil {
		t.Fatalf("Ask across a drop: %v", err)
	}
	if !strings.Contains(ans.Text, "You asked: And the pay?") || !strings.Contains(ans.Text, "What does a tester do?") {
		t.Errorf("answer after reconnect = %q, want the question answered in the same conversation", ans.Text)
	}
	if got := fake.Connections(); len(got) != 2 || got[1] != c.Session() {
		t.Errorf("connections = %q, want a second one resuming %q", got, c.Session())
	}
	if len(resumed) != 1 || !resumed[0] {
		t.Errorf("OnReconnect calls = %v, want [true]", resumed)
	}
}

func TestASecondDropInTheSameAskIsAnError(t *testing.T) {
	fake, url := startFake(t)
	c := dial(t, url, Options{})
	fake.DropNext(2)
	_, err := c.Ask(testCtx(t), "Hello?", nil)
	var de *DisconnectedError
	if !errors.As(err, &de) || de.Reconnect != nil {
		t.Fatalf("err = %v, want a DisconnectedError after one reconnect", err)
	}
	if n := len(fake.Connections()); n != 2 {
		t.Errorf("%d connections, want 2 (one reconnect only)", n)
	}
	// The next question gets its own reconnect.
	if _, err := c.Ask(testCtx(t), "Hello again?", nil); err != nil {
		t.Errorf("next ask: %v", err)
	}
}

func TestAnExpiredSessionIsReportedOnReconnect(t *testing.T) {
	fake, url := startFake(t)
	var resumed []bool
	c := dial(t, url, Options{OnReconnect: func(r bool) { resumed = append(resumed, r) }})
	fake.ForgetSessions()

	// Nothing answered yet: nothing lost, even though the session is new.
	first := c.Session()
	fake.DropNext(1)
	if _, err := c.Ask(testCtx(t), "Hello?", nil); err != nil {
		t.Fatal(err)
	}
	if len(resumed) != 1 || !resumed[0] || c.Session() == first {
		t.Errorf("OnReconnect calls = %v, session %q → %q; want [true] and a new session", resumed, first, c.Session())
	}

	// Now there is a conversation to lose.
	second := c.Session()
	fake.DropNext(1)
	if _, err := c.Ask(testCtx(t), "And now?", nil); err != nil {
		t.Fatal(err)
	}
	if len(resumed) != 2 || resumed[1] || c.Session() == second {
		t.Errorf("OnReconnect calls = %v, session %q → %q; want [true false] and a new session", resumed, second, c.Session())
	}
}

func TestCancelTellsTheServerAndKeepsTheConnection(t *testing.T) {
	fake, url := startFake(t)
	c := dial(t, url, Options{CancelGrace: 30 * time.Second}) // only a hang guard here
	ctx, cancel := context.WithCancel(testCtx(t))
	tokens := 0
	ans, err := c.Ask(ctx, "slow answer please", func(string) {
		if tokens++; tokens == 3 {
			cancel()
		}
	})
	if !errors.Is(err, ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want ErrCanceled wrapping context.Canceled", err)
	}
	if !strings.HasPrefix(ans.Text, "more more more") || ans.Notice != "Stopped." {
		t.Errorf("partial answer = %+v", ans)
	}
	cancels := fake.Received("cancel")
	if len(cancels) != 1 || cancels[0].ID != ans.ID {
		t.Errorf("cancel frames = %v, want one for %q", cancels, ans.ID)
	}
	if _, err := c.Ask(testCtx(t), "Next question", nil); err != nil {
		t.Errorf("ask after cancel: %v", err)
	}
}

func TestResetStartsANewConversation(t *testing.T) {
	_, url := startFake(t)
	c := dial(t, url, Options{})
	first := c.Session()
	if _, err := c.Ask(testCtx(t), "What does a tester do?", nil); err != nil {
		t.Fatal(err)
	}
	ready, err := c.Reset(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if ready.Session == first || ready.Session != c.Session() || ready.Greeting == "" {
		t.Errorf("after reset: ready %+v, session %q (was %q)", ready, c.Session(), first)
	}
	ans, err := c.Ask(testCtx(t), "And the pay?", nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ans.Text, "Earlier") {
		t.Errorf("history survived the reset: %q", ans.Text)
	}
}

func TestOnFrameSeesEveryFrameAsOneLineOfJSON(t *testing.T) {
	_, url := startFake(t)
	var mu sync.Mutex
	var raws []string
	c := dial(t, url, Options{OnFrame: func(f Frame) {
		mu.Lock()
		defer mu.Unlock()
		raws = append(raws, string(f.Raw))
	}})
	if _, err := c.Ask(testCtx(t), "Hi", nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	var types []string
	for _, raw := range raws {
		var f struct{ Type string }
		if strings.Contains(raw, "\n") || json.Unmarshal([]byte(raw), &f) != nil {
			t.Fatalf("raw frame %q is not one line of JSON", raw)
		}
		types = append(types, f.Type)
	}
	if got := strings.Join(types, " "); got != "ready sources token token token done" {
		t.Errorf("frame types = %q", got)
	}
}

func TestFeedbackReachesTheServer(t *testing.T) {
	fake, url := startFake(t)
	c := dial(t, url, Options{})
	ans, err := c.Ask(testCtx(t), "Hi", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Feedback(testCtx(t), ans.ID, "up", "clear"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ask(testCtx(t), "Sync", nil); err != nil { // the server has read the feedback by now
		t.Fatal(err)
	}
	got := fake.Received("feedback")
	if len(got) != 1 || got[0].ID != ans.ID || got[0].Rating != "up" || got[0].Comment != "clear" {
		t.Errorf("feedback frames = %v", got)
	}
}

func TestDialFailuresSayWhatHappened(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := "ws://" + ln.Addr().String() + "/ws"
	ln.Close()

	forbidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "forbidden", http.StatusForbidden)
	}))
	defer forbidden.Close()

	for _, tc := range []struct{ url, want string }{
		{unreachable, "connect to " + unreachable + ": "},
		{forbidden.URL, "the server answered HTTP 403 Forbidden instead of opening a websocket"},
		{"ftp://example.com", "want ws://host:port/ws"},
	} {
		c, err := Dial(testCtx(t), tc.url, Options{})
		if err == nil {
			c.Close()
			t.Fatalf("Dial(%s) succeeded", tc.url)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Dial(%s) = %v, want it to contain %q", tc.url, err, tc.want)
		}
	}
}

func TestDialWaitsForAServerThatIsStillLoading(t *testing.T) {
	fake := clienttest.NewServer()
	var mu sync.Mutex
	refusals := 2
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		loading := refusals > 0
		refusals--
		mu.Unlock()
		if loading {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "not ready, try again shortly", http.StatusServiceUnavailable)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c := dial(t, srv.URL, Options{})
	if _, err := c.Ask(testCtx(t), "Hi", nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if refusals != -1 {
		t.Errorf("%d refusals left, want every 503 retried", refusals+1)
	}
	mu.Unlock()

	// One that never gets ready is given up on after the handshake timeout.
	never := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "not ready", http.StatusServiceUnavailable)
	}))
	defer never.Close()
	_, err := Dial(testCtx(t), never.URL, Options{HandshakeTimeout: 1500 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "the server is not ready (HTTP 503 Service Unavailable)") {
		t.Errorf("Dial to a server that stays at 503 = %v", err)
	}
}

func TestAServerThatGoesAwayForGoodIsADisconnectedError(t *testing.T) {
	closed := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		_ = ws.WriteJSON(protocol.Ready{Type: protocol.TypeReady, Session: "s1"})
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "restarting"), time.Now().Add(time.Second))
		close(closed)
	}))
	c := dial(t, srv.URL, Options{})
	<-closed
	srv.Close()

	_, err := c.Ask(testCtx(t), "Hello?", nil)
	var de *DisconnectedError
	if !errors.As(err, &de) || de.Reconnect == nil {
		t.Fatalf("err = %v, want a DisconnectedError with a failed reconnect", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "the server is shutting down: restarting, code 1001") || !strings.Contains(msg, "could not reconnect") {
		t.Errorf("message = %q", msg)
	}
}

func TestCallsAfterCloseFail(t *testing.T) {
	_, url := startFake(t)
	c := dial(t, url, Options{})
	c.Close()
	if _, err := c.Ask(testCtx(t), "Hi", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Ask after Close = %v, want ErrClosed", err)
	}
}

func TestWebsocketURL(t *testing.T) {
	for in, want := range map[string]string{
		"ws://localhost:8080/ws":        "ws://localhost:8080/ws",
		"localhost:8080":                "ws://localhost:8080/ws",
		"http://example.com":            "ws://example.com/ws",
		"https://example.com/":          "wss://example.com/ws",
		"wss://example.com/chat/ws?x=1": "wss://example.com/chat/ws?x=1",
	} {
		if got, err := WebsocketURL(in); err != nil || got != want {
			t.Errorf("WebsocketURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
