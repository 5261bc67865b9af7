package chat

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/protocol"
)

// smallBufferListener gives every accepted connection a small kernel send
// buffer, so that a client that never reads blocks the server's writes after
// kilobytes rather than megabytes.
type smallBufferListener struct{ net.Listener }

func (l smallBufferListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4 << 10)
	}
	return c, err
}

// bulkyIndex returns sections of 16 KiB, so that a few answers fill any
// kernel buffer whatever its tuning.
type bulkyIndex struct{ *fakeIndex }

func (b bulkyIndex) Search(ctx context.Context, q string) ([]rag.Hit, error) {
	hits, err := b.fakeIndex.Search(ctx, q)
	for i := range hits {
		hits[i].Text += strings.Repeat(" More about it.", 16<<10/15)
	}
	return hits, err
}

// A client that asks and never reads fills the kernel buffers; the server's
// write deadline then cuts it (not the send queue: it is large here), and
// meanwhile another client's answers keep coming (the generous bound only
// catches a hang).
func TestNeverReadingClientIsDroppedByTheWriteDeadline(t *testing.T) {
	logs := &syncBuffer{}
	s := newServer(Config{WriteTimeout: 300 * time.Millisecond, SendBuffer: 100_000}, conversation.Config{}, conversation.Deps{
		Index:  bulkyIndex{&fakeIndex{}},
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	hs := httptest.NewUnstartedServer(s)
	hs.Listener = smallBufferListener{hs.Listener}
	hs.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
		defer cancel()
		_ = s.Shutdown(ctx)
		hs.Close()
	})
	wsURL := "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws"

	// The stuck client's socket takes little before the server's writes
	// block.
	dialer := websocket.Dialer{NetDial: func(network, addr string) (net.Conn, error) {
		c, err := net.Dial(network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4 << 10)
		}
		return c, err
	}}
	stuck, _, err := dialer.Dial(wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	// It asks on and on (each ask answered, or refused as busy) and never
	// reads, until the server cuts it.
	long := strings.Repeat("What salary does a media specialist earn and which tools? ", 15)
	stop := make(chan struct{})
	stuckDone := make(chan struct{})
	go func() {
		defer close(stuckDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			_ = stuck.SetWriteDeadline(time.Now().Add(hangGuard))
			if err := stuck.WriteJSON(map[string]string{"type": "ask", "id": fmt.Sprint(i), "text": long}); err != nil {
				return // cut
			}
		}
	}()
	defer func() { close(stop); <-stuckDone }()

	other := (&testServer{Server: s, http: hs, wsURL: wsURL}).dial(t, "")
	for i := range 5 {
		start := time.Now()
		if r := other.answer(fmt.Sprint(i), "Which tools and skills?"); !r.done.Grounded {
			t.Fatalf("the other client: %+v", r)
		}
		if took := time.Since(start); took > hangGuard/2 {
			t.Errorf("the other client waited %s for an answer", took)
		}
	}
	for deadline := time.Now().Add(hangGuard); s.Stats().OpenConns != 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the client that never reads is still connected (%d open)", s.Stats().OpenConns)
		}
	}
	if strings.Contains(logs.String(), "client is not reading") {
		t.Errorf("dropped by the send queue, not by the write deadline:\n%s", logs.String())
	}
}

// A burst of messages from a client that does read its replies is answered
// in full (each with its error frame), not cut off because the reader got
// ahead of the writer.
func TestBurstOfMessagesIsAnsweredNotDropped(t *testing.T) {
	// The default send queue of 64; a frame budget past the burst, which
	// TestFrameBudgetCoversEveryMessageType covers.
	const n = 1000
	ts := startServer(t, Config{FrameBurst: 10 * n}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	done := make(chan error, 1)
	go func() {
		for i := range n {
			f, err := c.tryRead()
			if err != nil {
				done <- fmt.Errorf("after %d replies: %w", i, err)
				return
			}
			if f.Type != protocol.TypeError || f.Code != protocol.CodeBadRequest {
				done <- fmt.Errorf("reply %d: %s", i, f.raw)
				return
			}
		}
		done <- nil
	}()
	batch := `{"type":"nonsense"}`
	for range n {
		_ = c.ws.SetWriteDeadline(time.Now().Add(hangGuard))
		if err := c.ws.WriteMessage(websocket.TextMessage, []byte(batch)); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if r := c.answer("q", "What salary does a media specialist earn?"); !r.done.Grounded {
		t.Errorf("after the burst: %+v", r)
	}
}
