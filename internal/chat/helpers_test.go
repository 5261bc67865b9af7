package chat

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.uber.org/goleak"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/protocol"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// hangGuard bounds every wait in these tests: it only catches hangs, it
// never measures speed.
const hangGuard = 20 * time.Second

// fakeIndex is a keyword retriever over a few real sections of the media
// specialist guide. It records the questions it was asked.
type fakeIndex struct {
	mu       sync.Mutex
	searches []string
	block    chan struct{} // when set, Search waits for it (or ctx)
}

var fakeChunks = []rag.Chunk{
	{ID: "media-specialist-1", Guide: "Media Specialist Career Path Guide", Section: "Annual Salary (US, USD)", Ordinal: 1,
		Text: "Median: $65,000. Entry level: $51,000. Senior: $79,000. Top 10% of earners in this field can expect salaries starting from $85,000+ per year."},
	{ID: "media-specialist-2", Guide: "Media Specialist Career Path Guide", Section: "Tech Skills", Ordinal: 2,
		Text: "- Adobe Creative Cloud (Premiere Pro, After Effects, Photoshop, Illustrator)\n- SEO tools (Ahrefs, SEMrush)\n- Audio recording and editing tools (Audacity, Adobe Audition)"},
	{ID: "media-specialist-3", Guide: "Media Specialist Career Path Guide", Section: "Education", Ordinal: 3,
		Text: "Most Media Specialist positions require at minimum a bachelor's degree in communications, media studies, journalism, marketing, digital media, or a related field."},
}

var stopWords = map[string]bool{"what": true, "does": true, "the": true, "and": true, "how": true, "much": true, "they": true, "which": true, "those": true, "are": true, "for": true, "with": true, "use": true, "do": true, "a": true}

func (f *fakeIndex) Search(ctx context.Context, question string) ([]rag.Hit, error) {
	f.mu.Lock()
	f.searches = append(f.searches, question)
	block := f.block
	f.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var hits []rag.Hit
	for _, c := range fakeChunks {
		text := strings.ToLower(c.Section + " " + c.Text)
		var score float32
		for _, w := range strings.FieldsFunc(strings.ToLower(question), func(r rune) bool { return !('a' <= r && r <= 'z') }) {
			if len(w) > 3 && !stopWords[w] && strings.Contains(text, strings.TrimSuffix(w, "s")) {
				score++
			}
		}
		if score > 0 {
			hits = append(hits, rag.Hit{Chunk: c, Score: score / 10})
		}
	}
	if len(hits) == 0 {
		return nil, rag.ErrNothingRelevant
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits, nil
}

func (f *fakeIndex) Guides() []string { return []string{"Media Specialist Career Path Guide"} }

func (f *fakeIndex) Searches() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.searches...)
}

// testServer is a chat Server behind a loopback HTTP server.
type testServer struct {
	*Server
	http  *httptest.Server
	index *fakeIndex
	wsURL string
}

func startServer(t *testing.T, cfg Config, deps Deps) *testServer {
	t.Helper()
	idx := &fakeIndex{}
	if deps.Index == nil {
		deps.Index = idx
	}
	s := NewServer(cfg, deps)
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

func fakeHits(section, text string) []rag.Hit {
	return []rag.Hit{{Chunk: rag.Chunk{ID: "g-1", Guide: "Guide", Section: section, Text: text}, Score: 0.9}}
}
