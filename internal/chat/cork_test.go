package chat

import (
	"bytes"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/protocol"
)

// recordingConn records every Write as one call.
type recordingConn struct {
	net.Conn
	mu     sync.Mutex
	writes [][]byte
}

func (r *recordingConn) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes = append(r.writes, bytes.Clone(p))
	return len(p), nil
}

func TestCorkConnGathersWritesUntilUncork(t *testing.T) {
	rec := &recordingConn{}
	c := &corkConn{Conn: rec}
	_, _ = c.Write([]byte("lone"))
	if len(rec.writes) != 1 {
		t.Fatalf("an uncorked write was held back: %q", rec.writes)
	}
	c.cork()
	for _, p := range []string{"a", "b", "c"} {
		_, _ = c.Write([]byte(p))
	}
	if len(rec.writes) != 1 {
		t.Fatalf("corked writes went out early: %q", rec.writes)
	}
	if err := c.uncork(); err != nil {
		t.Fatal(err)
	}
	if len(rec.writes) != 2 || string(rec.writes[1]) != "abc" {
		t.Fatalf("writes %q, want the corked ones in one write, in order", rec.writes)
	}
	if err := c.uncork(); err != nil || len(rec.writes) != 2 {
		t.Fatalf("an empty uncork wrote: %q, %v", rec.writes, err)
	}
}

func TestCorkConnBoundsWhatItHolds(t *testing.T) {
	rec := &recordingConn{}
	c := &corkConn{Conn: rec}
	c.cork()
	big := bytes.Repeat([]byte("x"), maxCorked-10)
	_, _ = c.Write(big)
	_, _ = c.Write([]byte("0123456789abc")) // does not fit: both go out now
	if len(rec.writes) != 2 || len(rec.writes[0]) != len(big) {
		t.Fatalf("got %d writes, want the held bytes flushed before the one that did not fit", len(rec.writes))
	}
	_ = c.uncork()
}

func TestNilCorkConnIsANoOp(t *testing.T) {
	var c *corkConn
	c.cork()
	c.release()
	if err := c.uncork(); err != nil {
		t.Fatal(err)
	}
}

func TestTokensJoinOnlyWhenTheWriterIsBehind(t *testing.T) {
	s := newServer(Config{SendBuffer: 16}, conversation.Config{}, conversation.Deps{Index: &fakeIndex{}}) // joins once 2 frames wait
	c := newConn(s, nil, "192.0.2.1")
	defer c.cancel()
	c.sendToken("q", "A")
	c.sendToken("q", "B") // one frame waiting: below the threshold, a frame of its own
	if c.queued() != 2 {
		t.Fatalf("%d frames queued, want 2", c.queued())
	}
	c.sendToken("q", "C") // two waiting: joins the tail frame
	c.sendToken("q", "D")
	c.sendToken("other", "x") // another answer's delta never joins
	if c.queued() != 3 {
		t.Fatalf("%d frames queued, want 3", c.queued())
	}
	var got []string
	for f, ok := c.pop(); ok; f, ok = c.pop() {
		text, joined := f.tok.take()
		if !joined {
			var tf protocol.Token
			if err := json.Unmarshal(f.data, &tf); err != nil {
				t.Fatal(err)
			}
			text = tf.Text
		}
		got = append(got, f.tok.id+":"+text)
	}
	if strings.Join(got, " ") != "q:A q:BCD other:x" {
		t.Errorf("token frames %q", got)
	}
	c.sendToken("other", "y") // the tail was taken by the writer: a new frame
	if c.queued() != 1 {
		t.Errorf("a delta joined a frame already written")
	}
}
