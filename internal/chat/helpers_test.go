package chat

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.uber.org/goleak"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/conversation/conversationtest"
	"github.com/careerbot/careerbot/protocol"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// hangGuard bounds every wait in these tests: it only catches hangs, it
// never measures speed.
const hangGuard = 20 * time.Second

// fakeIndex is the answer service's stand-in retriever.
type fakeIndex = conversationtest.Index

// testServer is a chat Server behind a loopback HTTP server.
type testServer struct {
	*Server
	http  *httptest.Server
	index *fakeIndex
	wsURL string
}

// newServer is a Server in front of an answer service made of conv and
// deps (whose Logger the transport logs to as well).
func newServer(cfg Config, conv conversation.Config, deps conversation.Deps) *Server {
	return NewServer(cfg, Deps{Answers: conversation.New(conv, deps), Logger: deps.Logger})
}

func startServer(t *testing.T, cfg Config, conv conversation.Config, deps conversation.Deps) *testServer {
	t.Helper()
	idx := &fakeIndex{}
	if deps.Index == nil {
		deps.Index = idx
	}
	s := newServer(cfg, conv, deps)
	hs := httptest.NewServer(s)
	ts := &testServer{Server: s, http: hs, index: idx, wsURL: "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws"}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
		defer cancel()
		_ = s.Shutdown(ctx)
		hs.Close()
	})
	return ts
}

// frame is any server frame, with the text it came in.
type frame struct {
	protocol.ServerFrame

	raw string
}

type client struct {
	t     *testing.T
	ws    *websocket.Conn
	ready frame
}

// dial connects and reads the ready frame.
func (ts *testServer) dial(t *testing.T, query string) *client {
	t.Helper()
	u := ts.wsURL
	if query != "" {
		u += "?" + query
	}
	ws, resp, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatalf("dial: %v (response %v)", err, resp)
	}
	c := &client{t: t, ws: ws}
	t.Cleanup(func() { ws.Close() })
	c.ready = c.read()
	if c.ready.Type != protocol.TypeReady {
		t.Fatalf("first frame %s, want ready", c.ready.raw)
	}
	return c
}

func (c *client) write(v any) {
	c.t.Helper()
	var data []byte
	if s, ok := v.(string); ok {
		data = []byte(s)
	} else {
		data, _ = json.Marshal(v)
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(hangGuard))
	if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *client) read() frame {
	c.t.Helper()
	f, err := c.tryRead()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

func (c *client) tryRead() (frame, error) {
	_ = c.ws.SetReadDeadline(time.Now().Add(hangGuard))
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		return frame{}, err
	}
	var f frame
	if err := json.Unmarshal(data, &f); err != nil {
		c.t.Fatalf("frame %q: %v", data, err)
	}
	f.raw = string(data)
	return f, nil
}

func (c *client) ask(id, text string) {
	c.t.Helper()
	c.write(map[string]string{"type": "ask", "id": id, "text": text})
}

// reply is everything the server sent for one ask.
type reply struct {
	sources frame
	tokens  []string
	done    frame
	err     frame // set instead of the others on an error frame
}

// answer asks and reads the reply, checking the frame order.
func (c *client) answer(id, text string) reply {
	c.t.Helper()
	c.ask(id, text)
	return c.readReply(id)
}

func (c *client) readReply(id string) reply {
	c.t.Helper()
	var r reply
	for {
		f := c.read()
		if f.ID != id {
			c.t.Fatalf("frame for id %q while waiting for %q: %s", f.ID, id, f.raw)
		}
		switch f.Type {
		case protocol.TypeError:
			r.err = f
			return r
		case protocol.TypeSources:
			if r.sources.Type != "" || len(r.tokens) > 0 {
				c.t.Fatalf("sources out of order: %s", f.raw)
			}
			r.sources = f
		case protocol.TypeToken:
			if r.sources.Type == "" {
				c.t.Fatalf("token before sources: %s", f.raw)
			}
			r.tokens = append(r.tokens, f.Text)
		case protocol.TypeDone:
			if r.sources.Type == "" {
				c.t.Fatalf("done before sources: %s", f.raw)
			}
			r.done = f
			return r
		default:
			c.t.Fatalf("unexpected frame %s", f.raw)
		}
	}
}

// closeCode reads until the connection closes and returns the close code.
func (c *client) closeCode() int {
	c.t.Helper()
	for {
		_, err := c.tryRead()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if errorsAs(err, &ce) {
			return ce.Code
		}
		c.t.Fatalf("connection ended without a close frame: %v", err)
	}
}

// newLLMServerClient makes an http.Client whose idle connections are closed
// when the test ends (goleak would see their goroutines).
func httpClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func mustRequest(path string) *http.Request { return httptest.NewRequest(http.MethodGet, path, nil) }
