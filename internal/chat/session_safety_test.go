package chat

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/protocol"
)

// One client cannot read or touch another's conversation without its exact
// id: near-miss ids get a fresh session with no history, feedback about the
// other's answer ids carries none of their text, and cancel only reaches
// the sender's own answers.
func TestAnotherSessionNeedsItsExactID(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, Config{}, conversation.Config{DataDir: dir}, conversation.Deps{})
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
		if e.Comment == "attacker" && (e.Session != attacker.ready.Session || e.Question != "" || e.Answer != "") {
			t.Errorf("feedback about another session's answer picked up its text: %+v", e)
		}
	}
}
