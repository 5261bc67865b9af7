package chat

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/redact"
	"github.com/careerbot/careerbot/internal/testutil"
	"github.com/careerbot/careerbot/protocol"
)

// One client cannot read or touch another's conversation without its exact
// id: near-miss ids get a fresh session with no history, feedback about the
// other's answer ids carries none of their text, and cancel only reaches
// the sender's own answers.
func TestAnotherSessionNeedsItsExactID(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, Config{}, conversation.Config{DataDir: dir, IDKey: "k"}, conversation.Deps{})
	victim := ts.dial(t, "")
	victim.answer("v1", "What salary does a media specialist earn? secret-victim-words")
	id := victim.ready.Session

	flip := []byte(id)
	if flip[0] == 'a' {
		flip[0] = 'b'
	} else {
		flip[0] = 'a'
	}
	for _, guess := range []string{
		string(flip), id[:len(id)-1], id + "0", id[:8], strings.Repeat("0", 32),
		uuid.NewString(), "' OR 1=1 --", "../" + id, id + "&session=" + id[:8],
	} {
		c := ts.dial(t, "session="+url.QueryEscape(guess))
		if c.ready.Resumed || c.ready.Session == id || strings.Contains(c.ready.raw, "secret-victim-words") {
			t.Errorf("guess %q reached the victim's session: %s", guess, c.ready.raw)
		}
	}

	attacker := ts.dial(t, "")
	attacker.write(`{"type":"feedback","id":"v1","rating":"down","comment":"attacker"}`)
	block := make(chan struct{})
	ts.index.Block = block
	victim.ask("v2", "What salary does a media specialist earn?")
	attacker.write(`{"type":"cancel","id":"v2"}`)
	attacker.write(`{"type":"cancel"}`)
	// The attacker's connection handles its frames in order: once this
	// reply is back, its cancels and feedback have been dealt with.
	attacker.write(`{"type":"shout"}`)
	if f := attacker.read(); f.Code != protocol.CodeBadRequest {
		t.Fatalf("attacker: %s", f.raw)
	}
	close(block)
	if r := victim.readReply("v2"); r.done.Cancelled || !r.done.Grounded {
		t.Errorf("the attacker's cancel reached the victim's answer: %s", r.done.raw)
	}

	data, err := os.ReadFile(filepath.Join(dir, "feedback.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var e conversation.Feedback
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		if e.Comment == "attacker" && (e.Session != redact.IDTag([]byte("k"), attacker.ready.Session) || e.Question != "" || e.Answer != "") {
			t.Errorf("feedback about another session's answer picked up its text: %+v", e)
		}
	}
}

// The session id is a bearer secret (issue 14, defect 5): whoever holds it
// can resume the conversation. It never appears in a log line (at debug
// level, answers, drops, resumes and resets included) nor in the feedback
// log: a short keyed hash stands for it there, the same for every line of
// one session.
func TestSessionIDsStayOutOfLogsAndFeedback(t *testing.T) {
	dir := t.TempDir()
	var logs testutil.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := startServer(t, Config{}, conversation.Config{DataDir: dir}, conversation.Deps{Logger: logger})
	c := ts.dial(t, "")
	first := c.ready.Session
	c.answer("1", "What salary does a media specialist earn?")
	c.write(`{"type":"feedback","id":"1","rating":"up","comment":"handy"}`)
	c.answer("2", "Which tools do they use?")
	c.ws.Close()
	again := ts.dial(t, "session="+first)
	if !again.ready.Resumed {
		t.Fatalf("not resumed: %s", again.ready.raw)
	}
	again.write(`{"type":"resume","id":"2"}`)
	again.readReply("2")
	again.write(`{"type":"reset"}`)
	second := again.read().Session
	again.answer("3", "What does a media specialist earn?")
	again.write(`{"type":"feedback","id":"3","rating":"down"}`)
	again.answer("4", "What salary?")

	feedback, err := os.ReadFile(filepath.Join(dir, "feedback.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{first, second} {
		if strings.Contains(logs.String(), id) {
			t.Errorf("session id %s in the log:\n%s", id, logs.String())
		}
		if strings.Contains(string(feedback), id) {
			t.Errorf("session id %s in feedback.jsonl:\n%s", id, feedback)
		}
	}
	// What stands for the session: one tag per session, in the answer
	// lines and in the feedback.
	tags := map[string]bool{}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "msg=answer ") {
			_, rest, _ := strings.Cut(line, " session=")
			tag, _, _ := strings.Cut(rest, " ")
			tags[tag] = true
		}
	}
	if len(tags) != 2 {
		t.Errorf("answer lines name %d sessions (%v), want 2 tags", len(tags), tags)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(feedback), []byte("\n")) {
		var e conversation.Feedback
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		if !tags[e.Session] || len(e.Session) != 12 {
			t.Errorf("feedback names session %q, want one of the log's tags %v", e.Session, tags)
		}
	}
}

// A session can be resumed without its id in the URL (issue 14, defect
// 5): by the Careerbot-Session header, or by a hello frame sent first; the
// query keeps working. Unknown ids are refused by each way alike, and hello
// is taken only as the first message.
func TestSessionResumesByHeaderOrFirstFrame(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	id := c.ready.Session
	c.answer("1", "What salary does a media specialist earn?")

	resumed := func(way string, ready frame) {
		t.Helper()
		if !ready.Resumed || ready.Session != id || len(ready.History) != 1 {
			t.Errorf("%s: not resumed: %s", way, ready.raw)
		}
	}
	resumed("query", ts.dial(t, "session="+id).ready)

	ws, resp, err := websocket.DefaultDialer.Dial(ts.wsURL, http.Header{protocol.SessionHeader: {id}})
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	t.Cleanup(func() { ws.Close() })
	byHeader := &client{t: t, ws: ws}
	resumed("header", byHeader.read())

	hello := ts.dial(t, "")
	fresh := hello.ready.Session
	if hello.ready.Resumed || fresh == id {
		t.Fatalf("a connection without a session resumed one: %s", hello.ready.raw)
	}
	hello.write(protocol.Hello{Type: protocol.TypeHello, Session: id})
	resumed("hello", hello.read())
	hello.answer("2", "Which tools do they use?")
	hello.write(protocol.Hello{Type: protocol.TypeHello, Session: fresh})
	if f := hello.read(); f.Type != protocol.TypeError || f.Code != protocol.CodeBadRequest {
		t.Errorf("a second hello: %s, want bad_request", f.raw)
	}
	if again := ts.dial(t, "session="+id); len(again.ready.History) != 2 {
		t.Errorf("the question asked after hello is not in the session: %s", again.ready.raw)
	}

	// Unknown ids: a new session, whichever way they come.
	unknown := uuid.NewString()
	u := ts.dial(t, "")
	u.write(protocol.Hello{Type: protocol.TypeHello, Session: unknown})
	if f := u.read(); f.Type != protocol.TypeReady || f.Resumed || f.Session != u.ready.Session {
		t.Errorf("hello with an unknown id: %s, want the connection's own new session again", f.raw)
	}
	ws2, _, err := websocket.DefaultDialer.Dial(ts.wsURL, http.Header{protocol.SessionHeader: {unknown}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws2.Close() })
	if f := (&client{t: t, ws: ws2}).read(); f.Resumed || f.Session == unknown {
		t.Errorf("header with an unknown id: %s", f.raw)
	}
}
