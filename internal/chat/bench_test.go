package chat

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/rag"
)

// Benchmarks of the chat server's hot paths. Run them with
//
//	go test ./internal/chat -run '^$' -bench . -benchmem
//
// docs/benchmarks.md has the figures and what they mean. Allocations are
// per operation of the whole process (server and the benchmark's client);
// the "frames/answer" and "bytes/answer" metrics are what one answer costs on
// the wire. The frame encoder's own benchmarks are in package protocol.

// benchServer is a Server behind a loopback HTTP server for benchmarks.
func benchServer(b *testing.B, idx conversation.Retriever) string {
	b.Helper()
	s := newServer(Config{}, conversation.Config{}, conversation.Deps{Index: idx})
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

func benchAnswers(b *testing.B, idx conversation.Retriever) {
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
