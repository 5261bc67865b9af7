package chat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/rag"
)

// Benchmarks of the chat server's hot paths. Run them with
//
//	go test ./internal/chat -run '^$' -bench . -benchmem
//
// docs/benchmarks.md has the figures and what they mean. Allocations are
// per operation of the whole process (server and the benchmark's client);
// the "frames/answer" and "bytes/answer" metrics are what one answer costs on
// the wire.

var benchSources = func() []source {
	var out []source
	for _, c := range fakeChunks {
		out = append(out, source{Guide: c.Guide, Section: c.Section, Text: c.Text, Score: 0.61})
	}
	return append(out, source{Guide: fakeChunks[0].Guide, Section: "Career Path Tiers › Senior Media Specialist", Text: strings.Repeat("Leads campaigns and mentors juniors; “owns” the calendar. ", 12), Score: 0.42})
}()

func BenchmarkEncodeTokenFrame(b *testing.B) {
	f := tokenFrame{Type: typeToken, ID: "42", Text: "A Media Specialist earns a median of $65,000 a year, with entry-level pay near $51,000 "}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeFrame(f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeSourcesFrame(b *testing.B) {
	f := sourcesFrame{Type: typeSources, ID: "42", Sources: benchSources}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeFrame(f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeDoneFrame(b *testing.B) {
	f := doneFrame{Type: typeDone, ID: "42", Text: strings.Repeat("A Media Specialist plans, makes and measures content. ", 8), Grounded: true,
		Suggestions: []string{"What skills does a Media Specialist need?", "How do I become a Media Specialist?", "Which tools does a Media Specialist use?"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeFrame(f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSplitDeltas(b *testing.B) {
	text := strings.Repeat("A Media Specialist plans, makes and measures content across platforms. ", 10)
	b.ReportAllocs()
	for b.Loop() {
		splitDeltas(text, offlineDeltas)
	}
}

// benchServer is a Server behind a loopback HTTP server for benchmarks.
func benchServer(b *testing.B, idx Retriever) string {
	b.Helper()
	s := NewServer(Config{}, Deps{Index: idx})
	hs := httptest.NewServer(s)
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
		defer cancel()
		_ = s.Shutdown(ctx)
		hs.Close()
	})
	return "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws"
}

// benchClient asks and reads until done, counting frames and bytes.
type benchClient struct {
	ws            *websocket.Conn
	frames, bytes int
}

func dialBench(url string) (*benchClient, error) {
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		return nil, err
	}
	_ = ws.SetReadDeadline(time.Now().Add(hangGuard))
	if _, _, err := ws.ReadMessage(); err != nil { // ready
		ws.Close()
		return nil, err
	}
	return &benchClient{ws: ws}, nil
}

var (
	doneType  = []byte(`{"type":"done"`)
	errorType = []byte(`{"type":"error"`)
)

func (c *benchClient) answer(id, question string) error {
	msg := `{"type":"ask","id":"` + id + `","text":"` + question + `"}`
	_ = c.ws.SetWriteDeadline(time.Now().Add(hangGuard))
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		return err
	}
	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(hangGuard))
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return err
		}
		c.frames++
		c.bytes += len(data)
		if bytes.HasPrefix(data, doneType) {
			return nil
		}
		if bytes.HasPrefix(data, errorType) {
			return fmt.Errorf("error frame: %s", data)
		}
	}
}

var benchQuestions = []string{
	"What salary does a media specialist earn?",
	"Which tech skills and tools does a media specialist use?",
	"What education does a media specialist need?",
	"How do I bake bread?",
}

// BenchmarkOfflineAnswer is one offline answer end to end over a loopback
// websocket — ask, sources, tokens, done — with a keyword retriever, so that
// it measures the chat server's own cost per answer.
func BenchmarkOfflineAnswer(b *testing.B) {
	benchAnswers(b, &fakeIndex{})
}

// BenchmarkOfflineAnswerRealIndex is the same with the real index of the
// corpus guide: the cost a user's question has in production offline mode.
func BenchmarkOfflineAnswerRealIndex(b *testing.B) {
	ix, err := rag.Open(context.Background(), rag.Options{CorpusDir: "../../corpus", MinScore: rag.DefaultMinScore})
	if err != nil {
		b.Fatal(err)
	}
	benchAnswers(b, ix)
}

func benchAnswers(b *testing.B, idx Retriever) {
	c, err := dialBench(benchServer(b, idx))
	if err != nil {
		b.Fatal(err)
	}
	defer c.ws.Close()
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		if err := c.answer(strconv.Itoa(n), benchQuestions[n%len(benchQuestions)]); err != nil {
			b.Fatal(err)
		}
		n++
	}
	// CPU time rather than wall time: on a shared machine it is the
	// figure that other processes disturb least.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(n), "cpu-µs/answer")
	b.ReportMetric(float64(c.frames)/float64(n), "frames/answer")
	b.ReportMetric(float64(c.bytes)/float64(n), "bytes/answer")
}

// BenchmarkOfflineAnswerParallel is many clients at once (one connection
// each) against one server.
func BenchmarkOfflineAnswerParallel(b *testing.B) {
	url := benchServer(b, &fakeIndex{})
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		c, err := dialBench(url)
		if err != nil {
			b.Error(err)
			return
		}
		defer c.ws.Close()
		n := 0
		for pb.Next() {
			if err := c.answer(strconv.Itoa(n), benchQuestions[n%len(benchQuestions)]); err != nil {
				b.Error(err)
				return
			}
			n++
		}
	})
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestEncodeFrameMatchesJSON(t *testing.T) {
	// encodeFrame is what goes on the wire: it must be exactly what
	// encoding/json makes of the frame, without HTML escaping (clients parse
	// it as JSON).
	frames := []any{
		tokenFrame{Type: typeToken, ID: "1", Text: "a \"quoted\" <b>&</b> line\nwith \u2028 and é"},
		sourcesFrame{Type: typeSources, ID: "2", Sources: benchSources},
		sourcesFrame{Type: typeSources, ID: "3", Sources: []source{}},
		doneFrame{Type: typeDone, ID: "4", Text: "x", Grounded: true, Suggestions: []string{}, Notice: "n", Cancelled: true},
		errorFrame{Type: typeError, Code: codeBusy, Message: "m"},
	}
	for _, f := range frames {
		got, err := encodeFrame(f)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(f)
		want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if !bytes.Equal(got, want) {
			t.Errorf("encodeFrame(%T)\n got %s\nwant %s", f, got, want)
		}
	}
}
