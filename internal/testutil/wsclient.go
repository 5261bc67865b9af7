package testutil

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/protocol"
)

// HangGuard bounds every wait of a Client: it only catches hangs, it never
// measures speed.
const HangGuard = 20 * time.Second

// Frame is a frame from the server with the text it came in.
type Frame struct {
	protocol.ServerFrame
	Raw string
}

// Client is a websocket client of the chat protocol for tests: it fails the
// test on anything unexpected, and every wait is bounded by HangGuard.
type Client struct {
	t     testing.TB
	WS    *websocket.Conn
	Ready Frame // the server's first frame
}

// Dial opens the websocket at url (with header, may be nil), closed when the
// test ends, and reads the ready frame.
func Dial(t testing.TB, url string, header http.Header) *Client {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(url, header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (HTTP %d)", url, err, status)
	}
	t.Cleanup(func() { ws.Close() })
	c := &Client{t: t, WS: ws}
	c.Ready = c.Read()
	if c.Ready.Type != protocol.TypeReady {
		t.Fatalf("first frame %s, want ready", c.Ready.Raw)
	}
	return c
}

// Write sends v as a text frame: a string as it is, anything else as JSON.
func (c *Client) Write(v any) {
	c.t.Helper()
	var data []byte
	if s, ok := v.(string); ok {
		data = []byte(s)
	} else {
		data, _ = json.Marshal(v)
	}
	_ = c.WS.SetWriteDeadline(time.Now().Add(HangGuard))
	if err := c.WS.WriteMessage(websocket.TextMessage, data); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// Ask sends an ask frame.
func (c *Client) Ask(id, text string) {
	c.t.Helper()
	c.Write(protocol.Ask{Type: protocol.TypeAsk, ID: id, Text: text})
}

// Read reads the next frame.
func (c *Client) Read() Frame {
	c.t.Helper()
	f, err := c.TryRead()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

// TryRead reads the next frame; the error is the connection's (a frame that
// is not JSON fails the test).
func (c *Client) TryRead() (Frame, error) {
	_ = c.WS.SetReadDeadline(time.Now().Add(HangGuard))
	_, data, err := c.WS.ReadMessage()
	if err != nil {
		return Frame{}, err
	}
	var f Frame
	if err := json.Unmarshal(data, &f.ServerFrame); err != nil {
		c.t.Fatalf("frame %q: %v", data, err)
	}
	f.Raw = string(data)
	return f, nil
}

// Reply is everything the server sent for one ask.
type Reply struct {
	Sources Frame
	Tokens  []string
	Done    Frame
	Err     Frame // set instead of Done on an error frame
}

// Answer asks and reads the reply (see ReadReply).
func (c *Client) Answer(id, text string) Reply {
	c.t.Helper()
	c.Ask(id, text)
	return c.ReadReply(id)
}

// ReadReply reads the frames of the ask id up to its done or error, and
// fails the test on a frame of another ask or out of order (sources, then
// tokens, then done).
func (c *Client) ReadReply(id string) Reply {
	c.t.Helper()
	var r Reply
	for {
		f := c.Read()
		if f.ID != id {
			c.t.Fatalf("frame for id %q while waiting for %q: %s", f.ID, id, f.Raw)
		}
		switch f.Type {
		case protocol.TypeError:
			r.Err = f
			return r
		case protocol.TypeSources:
			if r.Sources.Type != "" || len(r.Tokens) > 0 {
				c.t.Fatalf("sources out of order: %s", f.Raw)
			}
			r.Sources = f
		case protocol.TypeToken:
			if r.Sources.Type == "" {
				c.t.Fatalf("token before sources: %s", f.Raw)
			}
			r.Tokens = append(r.Tokens, f.Text)
		case protocol.TypeDone:
			if r.Sources.Type == "" {
				c.t.Fatalf("done before sources: %s", f.Raw)
			}
			r.Done = f
			return r
		default:
			c.t.Fatalf("unexpected frame %s", f.Raw)
		}
	}
}

// CloseCode reads until the connection closes and returns the close code.
func (c *Client) CloseCode() int {
	c.t.Helper()
	for {
		_, err := c.TryRead()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		c.t.Fatalf("connection ended without a close frame: %v", err)
	}
}
