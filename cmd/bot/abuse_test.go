package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/protocol"
)

// Abuse tests: the whole server as `bot serve` runs it (serve's http.Server
// and the chat server) on loopback, attacked the ways a public page is.
// Waits are bounded by abuseGuard, which only catches hangs.
const abuseGuard = 20 * time.Second

type realServer struct {
	addr string
	srv  *chat.Server
}

// startRealServer runs serve() with cfg until the test ends.
func startRealServer(t *testing.T, cfg chat.Config, conv conversation.Config, readHeaderTimeout time.Duration) *realServer {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	logger := slog.New(slog.DiscardHandler)
	answers := conversation.New(conv, conversation.Deps{Logger: logger})
	srv := chat.NewServer(cfg, chat.Deps{Answers: answers, Logger: logger})
	addrs := make(chan net.Addr, 1)
	opts := serveOptions{addr: "127.0.0.1:0", shutdownTimeout: 5 * time.Second, readHeaderTimeout: readHeaderTimeout,
		onListen: func(l listening) { addrs <- l.chat }}
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, logger, opts, srv, answers, func(context.Context) (conversation.Retriever, error) { return oneSection{}, nil })
	}()
	rs := &realServer{addr: (<-addrs).String(), srv: srv}
	t.Cleanup(func() {
		stop()
		select {
		case <-done:
		case <-time.After(abuseGuard):
			t.Error("serve did not stop")
		}
	})
	for deadline := time.Now().Add(abuseGuard); !srv.Ready(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
	}
	return rs
}

// dial opens /ws with the given headers and query; on success it has read
// the ready frame.
func (rs *realServer) dial(h http.Header, query string) (*websocket.Conn, protocol.ServerFrame, *http.Response, error) {
	d := websocket.Dialer{HandshakeTimeout: abuseGuard}
	u := "ws://" + rs.addr + "/ws"
	if query != "" {
		u += "?" + query
	}
	ws, resp, err := d.Dial(u, h)
	if err != nil {
		return nil, protocol.ServerFrame{}, resp, err
	}
	var ready protocol.ServerFrame
	_ = ws.SetReadDeadline(time.Now().Add(abuseGuard))
	if err := ws.ReadJSON(&ready); err != nil || ready.Type != "ready" {
		ws.Close()
		return nil, ready, resp, fmt.Errorf("ready: %+v %v", ready, err)
	}
	return ws, ready, resp, nil
}

func xff(ip string) http.Header { return http.Header{"X-Forwarded-For": {ip}} }

// ask sends one question and returns the frame that ends it (done or error).
func askOver(t *testing.T, ws *websocket.Conn, id, text string) protocol.ServerFrame {
	t.Helper()
	_ = ws.SetWriteDeadline(time.Now().Add(abuseGuard))
	if err := ws.WriteJSON(protocol.Ask{Type: protocol.TypeAsk, ID: id, Text: text}); err != nil {
		t.Fatalf("ask: %v", err)
	}
	for {
		var f protocol.ServerFrame
		_ = ws.SetReadDeadline(time.Now().Add(abuseGuard))
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatalf("reading the answer: %v", err)
		}
		if f.Type == "done" || f.Type == "error" {
			return f
		}
	}
}

// Behind a trusted proxy, the per-IP cap applies to the address in
// X-Forwarded-For: one address is refused with 429 past the cap while
// others are served, and a client cannot dodge the cap by prepending
// addresses of its own. From an untrusted peer the header is ignored.
func TestAbusePerIPCapBehindATrustedProxy(t *testing.T) {
	rs := startRealServer(t, chat.Config{MaxConnsPerIP: 2, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}, conversation.Config{}, 0)
	for i := range 2 {
		ws, _, _, err := rs.dial(xff("203.0.113.5"), "")
		if err != nil {
			t.Fatalf("connection %d from 203.0.113.5: %v", i+1, err)
		}
		defer ws.Close()
	}
	for _, hdr := range []string{"203.0.113.5", "198.51.100.99, 203.0.113.5", "10.9.9.9,203.0.113.5"} {
		_, _, resp, err := rs.dial(xff(hdr), "")
		if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("X-Forwarded-For %q past the cap: %v %v, want 429", hdr, resp, err)
		}
	}
	other, _, _, err := rs.dial(xff("198.51.100.7"), "")
	if err != nil {
		t.Fatalf("another address refused: %v", err)
	}
	defer other.Close()
	if f := askOver(t, other, "1", "What is the salary?"); f.Type != "done" {
		t.Errorf("another address not served: %+v", f)
	}

	// The proxy list does not include loopback: X-Forwarded-For is the
	// client's own claim and counts for nothing.
	untrusted := startRealServer(t, chat.Config{MaxConnsPerIP: 1, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}, conversation.Config{}, 0)
	ws, _, _, err := untrusted.dial(xff("203.0.113.1"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, _, resp, err := untrusted.dial(xff("203.0.113.2"), ""); err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a forged X-Forwarded-For from an untrusted peer got past the cap: %v %v", resp, err)
	}
}

// A slowloris client (headers dripped in, never finished) is cut by
// ReadHeaderTimeout, and fifty of them do not keep anyone else out.
func TestAbuseSlowlorisIsCut(t *testing.T) {
	rs := startRealServer(t, chat.Config{}, conversation.Config{}, 300*time.Millisecond)
	var conns []net.Conn
	for range 50 {
		c, err := net.DialTimeout("tcp", rs.addr, abuseGuard)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n", rs.addr)
		conns = append(conns, c)
	}
	ws, _, _, err := rs.dial(nil, "")
	if err != nil {
		t.Fatalf("a normal client was kept out: %v", err)
	}
	ws.Close()

	// Keep dripping header lines into the first one: the deadline counts
	// from the start of the request, so dripping does not extend it.
	cut := make(chan error, 1)
	go func() {
		_ = conns[0].SetReadDeadline(time.Now().Add(abuseGuard))
		_, err := io.ReadAll(conns[0])
		cut <- err
	}()
	drip := time.NewTicker(50 * time.Millisecond)
	defer drip.Stop()
	for i := 0; ; i++ {
		select {
		case err := <-cut:
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the slowloris connection was never cut")
			}
			return
		case <-drip.C:
			fmt.Fprintf(conns[0], "X-Drip-%d: x\r\n", i)
		}
	}
}

// Request headers over MaxHeaderBytes are refused with 431 before any
// handler runs, and the server carries on.
func TestAbuseHugeHeadersAreRefused(t *testing.T) {
	rs := startRealServer(t, chat.Config{}, conversation.Config{}, 0)
	h := http.Header{"X-Big": {strings.Repeat("a", 64<<10)}}
	_, _, resp, err := rs.dial(h, "")
	if err == nil || resp == nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers: %v %v, want 431", resp, err)
	}
	many := http.Header{}
	for i := range 2000 {
		many.Set(fmt.Sprintf("X-H-%d", i), "v")
	}
	if _, _, resp, err := rs.dial(many, ""); err == nil || resp == nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("2000 headers: %v %v, want 431", resp, err)
	}
	ws, _, _, err := rs.dial(nil, "")
	if err != nil {
		t.Fatalf("after huge headers: %v", err)
	}
	ws.Close()
}

// A client flooding asks is refused with busy (while its one answer runs)
// and rate_limited (once its budget is spent) — exactly one final frame per
// ask — keeps its connection (it reads its replies, so it is slowed
// down, not dropped), and other addresses are served as usual.
func TestAbuseMessageFloodIsRateLimited(t *testing.T) {
	rs := startRealServer(t, chat.Config{FrameBurst: 10000, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}, conversation.Config{RateLimit: 6}, 0)
	flood, _, _, err := rs.dial(xff("203.0.113.66"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer flood.Close()
	// burst sends n asks (or unknown-id feedback, which costs an ask) as
	// fast as it can while reading, and counts the final frames by kind.
	burst := func(prefix string, n int, feedback bool) map[string]int {
		kinds := map[string]int{}
		read := make(chan error, 1)
		go func() {
			ended := map[string]bool{}
			for len(ended) < n {
				var f protocol.ServerFrame
				_ = flood.SetReadDeadline(time.Now().Add(abuseGuard))
				if err := flood.ReadJSON(&f); err != nil {
					read <- fmt.Errorf("after %d final frames: %w", len(ended), err)
					return
				}
				if f.Type == "done" || f.Type == "error" {
					if !strings.HasPrefix(f.ID, prefix) || ended[f.ID] {
						read <- fmt.Errorf("a second or stray final frame for %q", f.ID)
						return
					}
					ended[f.ID] = true
					kinds[f.Type+":"+f.Code]++
				}
			}
			read <- nil
		}()
		for i := range n {
			var msg any = protocol.Ask{Type: protocol.TypeAsk, ID: fmt.Sprintf("%s%d", prefix, i), Text: "What is the salary?"}
			if feedback {
				msg = protocol.Feedback{Type: protocol.TypeFeedback, ID: fmt.Sprintf("%s%d", prefix, i), Rating: protocol.RatingDown}
			}
			_ = flood.SetWriteDeadline(time.Now().Add(abuseGuard))
			if err := flood.WriteJSON(msg); err != nil {
				t.Fatalf("%s%d: %v", prefix, i, err)
			}
		}
		if err := <-read; err != nil {
			t.Fatalf("the flooding connection: %v", err)
		}
		return kinds
	}
	first := burst("a", 300, false)
	if first["done:"] > 2 || first["error:busy"]+first["error:rate_limited"]+first["done:"] != 300 {
		t.Errorf("first burst: final frames by kind %v", first)
	}
	// The answer is done, the budget spent: everything is rate_limited now
	// (a token may have come back in the meantime on a slow machine).
	second := burst("b", 100, false)
	if second["error:rate_limited"] < 99 {
		t.Errorf("second burst: final frames by kind %v, want rate_limited", second)
	}
	if fb := burst("c", 100, true); fb["error:rate_limited"] < 99 {
		t.Errorf("feedback flood: final frames by kind %v, want rate_limited", fb)
	}
	other, _, _, err := rs.dial(xff("198.51.100.8"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if f := askOver(t, other, "1", "What is the salary?"); f.Type != "done" {
		t.Errorf("another address during the flood: %+v", f)
	}
}

// Cross-site websocket hijacking: a page on a foreign origin, with whatever
// cookies the browser attaches and even with a victim's session id, is
// refused at the upgrade and learns nothing.
func TestAbuseCrossSiteWebsocketHijackingIsRefused(t *testing.T) {
	rs := startRealServer(t, chat.Config{AllowedOrigins: []string{"https://careers.example.com"}}, conversation.Config{}, 0)
	victim, ready, _, err := rs.dial(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if f := askOver(t, victim, "1", "What is my salary? secret-victim-question"); f.Type != "done" {
		t.Fatalf("victim: %+v", f)
	}
	victim.Close()
	for _, origin := range []string{"https://evil.example", "null", "https://careers.example.com.evil.example", "http://careers.example.com"} {
		h := http.Header{"Origin": {origin}, "Cookie": {"session=" + ready.Session + "; auth=valid"}}
		ws, _, resp, err := rs.dial(h, "session="+ready.Session)
		if ws != nil {
			ws.Close()
		}
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("origin %q: %v %v, want 403", origin, resp, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		if strings.Contains(string(body), "secret-victim-question") || strings.Contains(string(body), ready.Session) {
			t.Errorf("origin %q: the refusal leaks the session: %s", origin, body)
		}
	}
	// The allowed origin still works, and does resume with the id.
	ws, again, _, err := rs.dial(http.Header{"Origin": {"https://careers.example.com"}}, "session="+ready.Session)
	if err != nil {
		t.Fatalf("allowed origin: %v", err)
	}
	ws.Close()
	if !again.Resumed {
		t.Errorf("allowed origin did not resume: %+v", again)
	}
}

// Ten thousand rapid connect/disconnect cycles — closing politely, dropping
// the TCP connection, or leaving before the ready frame — leave no goroutine,
// connection or memory behind.
func TestAbuseConnectDisconnectCyclesLeakNothing(t *testing.T) {
	cycles := 10_000
	if testing.Short() {
		cycles = 1_000
	}
	rs := startRealServer(t, chat.Config{}, conversation.Config{}, 0)
	// Warm up (first-use allocations, the dialer's resolver) before the
	// baseline.
	for range 20 {
		ws, _, _, err := rs.dial(nil, "")
		if err != nil {
			t.Fatal(err)
		}
		ws.Close()
	}
	waitForConns(t, rs.srv, 0)
	baseGoroutines, baseHeap := settle()

	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < cycles; i += workers {
				if err := oneCycle(rs.addr, i%3); err != nil {
					errs <- fmt.Errorf("cycle %d: %w", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	waitForConns(t, rs.srv, 0)
	var goroutines int
	var heap uint64
	for deadline := time.Now().Add(abuseGuard); ; time.Sleep(50 * time.Millisecond) {
		goroutines, heap = settle()
		if goroutines <= baseGoroutines || time.Now().After(deadline) {
			break
		}
	}
	if goroutines > baseGoroutines {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before, %d after %d cycles\n%s", baseGoroutines, goroutines, cycles, buf[:runtime.Stack(buf, true)])
	}
	// Live heap after GC: a leak of even 1 KiB per connection would be 10 MB.
	if heap > baseHeap+8<<20 {
		t.Errorf("live heap grew from %d to %d bytes over %d cycles", baseHeap, heap, cycles)
	}
	t.Logf("%d cycles: goroutines %d → %d, live heap %d → %d KiB", cycles, baseGoroutines, goroutines, baseHeap>>10, heap>>10)
}

// oneCycle connects and leaves: 0 = close frame after ready, 1 = TCP close
// after ready, 2 = TCP close right after the handshake.
func oneCycle(addr string, how int) error {
	d := websocket.Dialer{HandshakeTimeout: abuseGuard}
	ws, _, err := d.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		return err
	}
	defer ws.Close()
	if how == 2 {
		return nil
	}
	_ = ws.SetReadDeadline(time.Now().Add(abuseGuard))
	if _, _, err := ws.ReadMessage(); err != nil {
		return err
	}
	if how == 0 {
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(abuseGuard))
	}
	return nil
}

func waitForConns(t *testing.T, srv *chat.Server, n int) {
	t.Helper()
	for deadline := time.Now().Add(abuseGuard); srv.Stats().OpenConns != n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still open, want %d", srv.Stats().OpenConns, n)
		}
	}
}

// settle collects garbage and returns the goroutine count and live heap.
func settle() (int, uint64) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapAlloc
}
