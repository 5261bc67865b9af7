package chat

import (
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/protocol"
)

// A page reloaded mid-answer: the server finishes the answer, the new page
// resumes the session and gets the rest of the stream; a later page gets
// the finished answer replayed from the session.
func TestAnswerSurvivesTheSocketClosingMidAnswer(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	ts.index.Block = make(chan struct{})
	first := ts.dial(t, "")
	session := first.ready.Session
	first.ask("q1", "What salary does a media specialist earn?")
	// Close only once the answer is running (its search has started), as a
	// visitor who clicks away mid-answer does: closing straight after the
	// write raced the server reading the ask, and the test was flaky.
	waitFor(t, "the answer to start", func() bool { return len(ts.index.Searches()) > 0 })
	first.ws.Close() // the visitor clicks away while the answer is being written

	// Still running: the reloaded page resumes the session and the answer.
	second := ts.dial(t, "session="+session)
	if !second.ready.Resumed || second.ready.Session != session {
		t.Fatalf("ready after the reload: %s, want session %s resumed", second.ready.raw, session)
	}
	second.write(`{"type":"resume","id":"q1"}`)
	close(ts.index.Block)
	live := second.readReply("q1")
	if !live.done.Grounded || !strings.Contains(live.done.Text, "65,000") || strings.Join(live.tokens, "") != live.done.Text {
		t.Fatalf("resumed answer: tokens %q, done %s", live.tokens, live.done.raw)
	}
	second.ws.Close()

	// Finished: replayed from the session, sources included.
	third := ts.dial(t, "session="+session)
	if len(third.ready.History) != 1 {
		t.Fatalf("the answer finished after its socket closed was not kept: %s", third.ready.raw)
	}
	third.write(`{"type":"resume","id":"q1"}`)
	replay := third.readReply("q1")
	if replay.done.Text != live.done.Text || strings.Join(replay.tokens, "") != live.done.Text || len(replay.sources.Sources) == 0 || len(replay.done.Suggestions) == 0 {
		t.Errorf("replayed answer: sources %s, tokens %q, done %s; want the answer as first sent", replay.sources.raw, replay.tokens, replay.done.raw)
	}
	third.write(`{"type":"resume","id":"never-asked"}`)
	if f := third.read(); f.Type != protocol.TypeError || f.ID != "never-asked" || f.Code != protocol.CodeBadRequest {
		t.Errorf("resume of an unknown id: %s, want bad_request", f.raw)
	}
}

// waitFor polls cond every few milliseconds until it holds, failing the test
// after five seconds with what it was waiting for.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
