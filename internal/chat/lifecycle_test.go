package chat

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/protocol"
)

// waitUntil polls cond until it holds or hangGuard passes (false).
func waitUntil(cond func() bool) bool {
	deadline := time.Now().Add(hangGuard)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// smallDialer is a client that holds little memory per connection, so
// that what a test weighs is mostly the server's.
var smallDialer = &websocket.Dialer{ReadBufferSize: 256, WriteBufferPool: &sync.Pool{}, HandshakeTimeout: hangGuard}

func (ts *testServer) dialSmall(t *testing.T) *client {
	t.Helper()
	ws, resp, err := smallDialer.Dial(ts.wsURL, nil)
	if err != nil {
		t.Fatalf("dial: %v (response %v)", err, resp)
	}
	c := &client{t: t, ws: ws}
	t.Cleanup(func() { ws.Close() })
	if c.ready = c.read(); c.ready.Type != protocol.TypeReady {
		t.Fatalf("first frame %s, want ready", c.ready.raw)
	}
	return c
}

// liveMemory is the bytes of goroutine stacks and of live heap after two
// collections.
func liveMemory() (stack, heap uint64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.StackInuse, ms.HeapAlloc
}

// startingStack is the stack size the runtime gives a new goroutine (it
// adapts it to the average stack in use).
func startingStack() uint64 {
	s := []metrics.Sample{{Name: "/gc/stack/starting-size:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// An idle connection is one goroutine with one starting-size stack, whether
// it has only been greeted or has asked a question: the writer exists only
// while frames are queued, the pings and the idle check are timers, and the
// reader hands on to a fresh goroutine after each message (conn.run), so a
// stack grown by handling an ask is not kept. The old design (a reader and a
// writer per connection, a 64-frame channel) held two stacks and 4 KiB of
// queue.
func TestAnIdleConnectionHoldsOneSmallGoroutine(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	const n = 200
	baseG := runtime.NumGoroutine()
	baseStack, baseHeap := liveMemory()
	start := startingStack()
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = ts.dialSmall(t)
		if i%2 == 0 { // half of them ask once first
			if r := clients[i].answer("q", "What salary does a media specialist earn?"); r.done.Type == "" {
				t.Fatalf("ask on connection %d: %+v", i, r.err)
			}
		}
	}
	if !waitUntil(func() bool { return runtime.NumGoroutine()-baseG <= n }) {
		t.Fatalf("%d idle connections left %d goroutines, want one each", n, runtime.NumGoroutine()-baseG)
	}
	stack, heap := liveMemory()
	perStack := float64(stack-baseStack) / n
	perHeap := (float64(heap) - float64(baseHeap)) / n
	start = max(start, startingStack())
	t.Logf("per idle connection: %.0f B of stack (new goroutines start with %d B), %.0f B of live heap (the client's side and 100 one-question sessions included); %d goroutines",
		perStack, start, perHeap, runtime.NumGoroutine()-baseG)
	if perStack > 1.5*float64(start) {
		t.Errorf("%.0f B of stack per idle connection, want about one starting stack (%d B)", perStack, start)
	}
}

// After a client message is dealt with, a different goroutine reads the
// next one (see conn.run): the one that handled it, with the stack it grew,
// ends.
func TestTheReaderMovesToAFreshGoroutineAfterAMessage(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	var before []string // the reader starts after ready is queued: wait for it
	if !waitUntil(func() bool { before = readerGoroutines(t); return len(before) == 1 }) {
		t.Fatalf("%d reading goroutines for one connection, want 1", len(before))
	}
	if r := c.answer("q", "What salary does a media specialist earn?"); r.done.Type == "" {
		t.Fatalf("ask: %+v", r.err)
	}
	var after []string
	if !waitUntil(func() bool {
		after = readerGoroutines(t)
		return len(after) == 1 && after[0] != before[0]
	}) {
		t.Fatalf("reading goroutines %v before the ask, %v after, want one other", before, after)
	}
	if r := c.answer("q2", "What salary does a media specialist earn?"); r.done.Type == "" {
		t.Fatalf("second ask on the fresh reader: %+v", r.err)
	}
}

// readerGoroutines are the ids of the goroutines in conn.readLoop.
func readerGoroutines(t *testing.T) []string {
	t.Helper()
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var ids []string
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if !bytes.Contains(g, []byte("chat.(*conn).readLoop")) {
			continue
		}
		head, _, _ := strings.Cut(string(g), " [")
		ids = append(ids, strings.TrimPrefix(head, "goroutine "))
	}
	return ids
}

// The writer starts when frames are queued and stops when they are written,
// any number of times: bursts from several goroutines arrive complete and
// in each sender's order, and after each burst no writer is left and the
// memory of the queue and of the corking buffer is let go.
func TestTheWriterStartsAndStopsWithBursts(t *testing.T) {
	ts := startServer(t, Config{SendBuffer: 1 << 16}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	conns := ts.liveConns()
	if len(conns) != 1 {
		t.Fatalf("%d live connections, want 1", len(conns))
	}
	sc := conns[0]
	const senders, perBurst, bursts = 4, 50, 5
	for b := range bursts {
		var wg sync.WaitGroup
		for s := range senders {
			wg.Go(func() {
				for i := range perBurst {
					id := fmt.Sprintf("%d-%d-%d", b, s, i)
					if !sc.sendFrame(protocol.Error{Type: protocol.TypeError, ID: id, Code: protocol.CodeBusy, Message: "x"}) {
						t.Errorf("frame %s not queued", id)
					}
					if i%10 == 0 {
						runtime.Gosched() // let the writer catch up and stop now and then
					}
				}
			})
		}
		next := make([]int, senders)
		for range senders * perBurst {
			f := c.read()
			var fb, fs, fi int
			if _, err := fmt.Sscanf(f.ID, "%d-%d-%d", &fb, &fs, &fi); err != nil || fb != b {
				t.Fatalf("burst %d: frame %s", b, f.raw)
			}
			if fi != next[fs] {
				t.Fatalf("burst %d sender %d: frame %d after %d", b, fs, fi, next[fs]-1)
			}
			next[fs]++
		}
		wg.Wait()
		if !waitUntil(func() bool {
			sc.sendMu.Lock()
			defer sc.sendMu.Unlock()
			sc.out.mu.Lock()
			defer sc.out.mu.Unlock()
			return !sc.writing && sc.send == nil && sc.out.buf == nil
		}) {
			t.Fatalf("burst %d: the writer is still running, or holds its queue or its corking buffer", b)
		}
	}
	if r := c.answer("q", "What salary does a media specialist earn?"); r.done.Type == "" {
		t.Fatalf("ask after the bursts: %+v", r.err)
	}
}

// Frames sent while the connection is being closed never follow the close
// frame, never race (go test -race), and the connection ends with the
// close code; frames sent after it ends are refused.
func TestSendingWhileClosing(t *testing.T) {
	for round := range 20 {
		ts := startServer(t, Config{SendBuffer: 1 << 16}, conversation.Config{}, conversation.Deps{})
		c := ts.dial(t, "")
		sc := ts.liveConns()[0]
		var wg sync.WaitGroup
		for s := range 4 {
			wg.Go(func() {
				for i := range 100 {
					sc.sendFrame(protocol.Error{Type: protocol.TypeError, ID: strconv.Itoa(s*1000 + i), Code: protocol.CodeBusy, Message: "x"})
				}
			})
		}
		wg.Go(func() {
			runtime.Gosched()
			sc.drain()
		})
		if code := c.closeCode(); code != websocket.CloseGoingAway {
			t.Fatalf("round %d: close code %d, want 1001", round, code)
		}
		wg.Wait()
		c.ws.Close()
		if !waitUntil(func() bool { return len(ts.liveConns()) == 0 }) {
			t.Fatalf("round %d: the connection did not end", round)
		}
		if sc.sendFrame(protocol.Error{Type: protocol.TypeError, ID: "late", Code: protocol.CodeBusy, Message: "x"}) {
			t.Errorf("round %d: a frame was queued on an ended connection", round)
		}
	}
}

// The server pings every 9/10 of PongTimeout: a client that answers stays
// connected through several timeouts, one that never reads (so never
// answers) is cut once PongTimeout has passed without a pong. The clock is
// fake (clock_test.go): the test moves it, and waits in real time only for
// the live client's pong to reach the server, so a slow machine cannot cut
// a connection the test is using (it did: the real 100 ms between a ping
// and its deadline were not always enough under the race detector).
func TestPingsKeepALiveClientAndCutADeadOne(t *testing.T) {
	const pong = time.Second
	fc := newFakeClock()
	ts := startServer(t, Config{PongTimeout: pong, clock: fc}, conversation.Config{}, conversation.Deps{})
	live := ts.dial(t, "")
	liveConn := ts.onlyConn(t, nil)
	var mu sync.Mutex
	pings := 0
	live.ws.SetPingHandler(func(data string) error {
		mu.Lock()
		pings++
		mu.Unlock()
		return live.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	readDone := make(chan error, 1)
	go func() {
		_, _, err := live.ws.ReadMessage() // answers pings while it waits
		readDone <- err
	}()
	dead := ts.dial(t, "")
	ts.onlyConn(t, liveConn)
	for i := 1; i <= 4; i++ {
		// To the next ping exactly, then wait for its pong: moving on past
		// the read deadline first would cut the live client too.
		before := fc.readDeadline(liveConn.ws)
		fc.advance(pong * 9 / 10)
		waitFor(t, fmt.Sprintf("pong %d to reach the server", i), func() bool {
			return fc.readDeadline(liveConn.ws).After(before) // the pong pushed the deadline back
		})
	}
	waitFor(t, "the dead connection to be cut", func() bool { return len(ts.liveConns()) == 1 })
	if conns := ts.liveConns(); len(conns) != 1 || conns[0] != liveConn {
		t.Errorf("%d live connections after 4 pings, want the live one only", len(conns))
	}
	mu.Lock()
	got := pings
	mu.Unlock()
	if got < 4 {
		t.Errorf("%d pings in %v, want one every %v", got, 4*pong, pong*9/10)
	}
	select {
	case err := <-readDone:
		t.Fatalf("the live connection ended: %v", err)
	default:
	}
	_ = dead.ws.SetReadDeadline(time.Now().Add(hangGuard))
	if _, _, err := dead.ws.ReadMessage(); err == nil {
		t.Error("the dead connection is still open")
	}
	live.ws.Close()
	<-readDone
}
