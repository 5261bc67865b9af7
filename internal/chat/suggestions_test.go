package chat_test

// Follow-up chips as a user sees them over a real websocket, with the real
// index, in offline and LLM mode, with sessions in memory and in Redis. An
// external test package, because redisstate imports chat.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/openai/openaitest"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/redisstate"
	"github.com/careerbot/careerbot/internal/redisstate/redistest"
	"github.com/careerbot/careerbot/protocol"
)

// chipsHangGuard only catches hangs; nothing here measures speed.
const chipsHangGuard = 20 * time.Second

type chipFrame struct {
	Type        string   `json:"type"`
	ID          string   `json:"id"`
	Session     string   `json:"session"`
	Suggestions []string `json:"suggestions"`
	Resumed     bool     `json:"resumed"`
	Grounded    bool     `json:"grounded"`
	Text        string   `json:"text"`
	Notice      string   `json:"notice"`
	Code        string   `json:"code"`
}

type chipClient struct {
	t     *testing.T
	ws    *websocket.Conn
	ready chipFrame
	n     int
}

func dialChips(t *testing.T, url string) *chipClient {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { ws.Close() })
	c := &chipClient{t: t, ws: ws}
	c.ready = c.read()
	if c.ready.Type != "ready" {
		t.Fatalf("first frame %+v", c.ready)
	}
	return c
}

func (c *chipClient) read() chipFrame {
	c.t.Helper()
	_ = c.ws.SetReadDeadline(time.Now().Add(chipsHangGuard))
	var f chipFrame
	if err := c.ws.ReadJSON(&f); err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

// ask sends a question and returns its done frame.
func (c *chipClient) ask(question string) chipFrame {
	c.t.Helper()
	c.n++
	id := "q" + string(rune('a'+c.n))
	msg, _ := json.Marshal(map[string]string{"type": "ask", "id": id, "text": question})
	_ = c.ws.SetWriteDeadline(time.Now().Add(chipsHangGuard))
	if err := c.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
		c.t.Fatal(err)
	}
	for {
		f := c.read()
		switch f.Type {
		case "done":
			return f
		case "error":
			c.t.Fatalf("asking %q: error frame %+v", question, f)
		}
	}
}

func sameQuestion(a, b string) bool {
	norm := func(s string) string { return strings.Trim(strings.ToLower(s), " ?") }
	return norm(a) == norm(b)
}

func containsQuestion(list []string, q string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return sameQuestion(s, q) })
}

func TestFollowUpChipsDoNotRepeat(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), chipsHangGuard)
	defer cancel()
	idx, err := rag.Open(ctx, rag.Options{CorpusDir: "../../corpus", DataDir: t.TempDir(), TopK: 4, MinScore: rag.DefaultMinScore})
	if err != nil {
		t.Fatal(err)
	}
	stores := map[string]func(t *testing.T) conversation.SessionStore{
		"memory": func(*testing.T) conversation.SessionStore { return nil },
		"redis": func(t *testing.T) conversation.SessionStore {
			url := redistest.URL(t)
			s, err := redisstate.Open(context.Background(), redisstate.Options{URL: url, Prefix: redistest.Prefix(t, url)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s.Sessions(time.Hour, 20)
		},
	}
	for _, mode := range []string{protocol.ModeOffline, protocol.ModeLLM} {
		for _, store := range []string{"memory", "redis"} {
			t.Run(mode+"/"+store, func(t *testing.T) {
				deps := conversation.Deps{Index: idx, Sessions: stores[store](t)}
				if mode == protocol.ModeLLM {
					upstream := openaitest.New(t)
					upstream.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
						openaitest.Stream(w, []string{"From the guide:", " see [Annual Salary]."}, "stop")
					})
					tr := &http.Transport{}
					t.Cleanup(tr.CloseIdleConnections)
					deps.LLM = openai.NewChatClient(openai.ChatOptions{BaseURL: upstream.BaseURL(), Model: "m", Timeout: chipsHangGuard, HTTPClient: &http.Client{Transport: tr}})
				}
				s := chat.NewServer(chat.Config{}, chat.Deps{Answers: conversation.New(conversation.Config{}, deps)})
				hs := httptest.NewServer(s)
				t.Cleanup(func() {
					ctx, cancel := context.WithTimeout(context.Background(), chipsHangGuard)
					defer cancel()
					_ = s.Shutdown(ctx)
					hs.Close()
				})
				checkChipsDoNotRepeat(t, "ws"+strings.TrimPrefix(hs.URL, "http")+"/ws", mode)
			})
		}
	}
}

// checkChipsDoNotRepeat plays a user who types a question, then keeps
// clicking the first chip, reloading the page half-way.
func checkChipsDoNotRepeat(t *testing.T, url, mode string) {
	c := dialChips(t, url)
	if c.ready.Resumed || len(c.ready.Suggestions) != 3 {
		t.Fatalf("ready: %+v", c.ready)
	}
	var asked []string
	previous := c.ready.Suggestions
	check := func(question string, done chipFrame, strict bool) {
		t.Helper()
		asked = append(asked, question)
		if done.Notice != "" || !done.Grounded {
			t.Fatalf("%s: %q was not answered normally: %+v", mode, question, done)
		}
		chips := done.Suggestions
		if n := len(chips); n < 2 || n > 3 {
			t.Errorf("after %q: %d chips %q, want 2–3", question, n, chips)
		}
		for _, chip := range chips {
			if containsQuestion(asked, chip) {
				t.Errorf("after %q: chip %q was already asked (asked %q)", question, chip, asked)
			}
			if strict && containsQuestion(previous, chip) {
				t.Errorf("after %q: chip %q repeats the previous chips %q", question, chip, previous)
			}
		}
		previous = chips
	}

	// A typed question about skills: the skills chip is not offered again
	// later, even though it is worded differently.
	done := c.ask("What skills do media specialists need?")
	check("What skills do media specialists need?", done, true)
	done = c.ask("Which software tools do they use?")
	check("Which software tools do they use?", done, true)
	for _, chip := range done.Suggestions {
		if strings.Contains(chip, "skills") {
			t.Errorf("chip %q asks again what the user typed first", chip)
		}
	}
	for range 2 {
		q := done.Suggestions[0]
		done = c.ask(q)
		check(q, done, true)
	}

	// Reload: the resumed conversation still knows what was asked and
	// offered.
	c.ws.Close()
	c = dialChips(t, url+"?session="+c.ready.Session)
	if !c.ready.Resumed {
		t.Fatalf("not resumed: %+v", c.ready)
	}
	for _, s := range c.ready.Suggestions {
		if containsQuestion(asked, s) {
			t.Errorf("resumed ready offers %q, already asked", s)
		}
	}
	for range 2 {
		q := done.Suggestions[0]
		done = c.ask(q)
		check(q, done, true)
	}

	// Keep clicking until the guide runs out of new questions: still at
	// least two chips, repeats only once nothing fresh is left.
	for round := 0; round < 12; round++ {
		q := done.Suggestions[0]
		done = c.ask(q)
		if n := len(done.Suggestions); n < 2 || n > 3 {
			t.Errorf("round %d, after %q: %d chips %q, want 2–3", round, q, n, done.Suggestions)
		}
		if containsQuestion(done.Suggestions, q) {
			t.Errorf("round %d: chip %q is the question just asked", round, q)
		}
		asked = append(asked, q)
	}
}
