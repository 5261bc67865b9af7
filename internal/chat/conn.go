package chat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/protocol"
)

// conn is one websocket client. Its goroutines: one reads (readLoop) for as
// long as the connection is open; a writer (writeLoop), the only one, runs
// only while frames are queued; and at most one answer goroutine (the answer
// service writing one answer) runs at a time. An idle connection therefore
// has one goroutine: its pings and its idle check are timers whose callbacks
// run briefly when they fire (docs/benchmarks.md, Idle connections). Frames
// reach the writer through a bounded queue; a client that lets it fill up is
// dropped rather than waited for.
type conn struct {
	s      *Server
	ws     *websocket.Conn // nil in tests that read the queue themselves: no writer is started
	ip     string
	log    *slog.Logger
	ctx    context.Context // ends when the connection does
	cancel context.CancelFunc
	out    *corkConn // the connection under ws, for batching writes; nil in some tests

	// sendMu guards the send queue. send[sendHead:] are the frames waiting
	// for the writer, at most Config.SendBuffer of them. The queue starts
	// empty and grows with what is queued; the writer drops it when it has
	// written everything and stops, so an idle connection holds neither a
	// queue nor a writer goroutine (a fixed 64-slot channel was 4 KiB per
	// connection, and its writer goroutine's stack 4 KiB more). writing is
	// set while a writer runs (at most one: gorilla allows one concurrent
	// writer); stopped once the close frame is written, a write failed or
	// the connection ended: nothing more is written.
	sendMu   sync.Mutex
	send     []outFrame
	sendHead int
	writing  bool
	stopped  bool
	writers  sync.WaitGroup // the writer, while one runs (Add under sendMu while !stopped)

	// pinger and idler are the keep-alive and idle timers (clock.AfterFunc:
	// no goroutine while they wait); timerMu guards them, and timersOff
	// keeps a callback that raced with the end of the connection from
	// setting them again.
	timerMu       sync.Mutex
	pinger, idler timer
	timersOff     bool
	// lastToken is the token frame queued last, which later deltas of the
	// same answer may join (sendToken).
	lastToken atomic.Pointer[pendingToken]
	// closing is set once a close frame has been queued: from then on the
	// reader only waits for the client's close reply.
	closing atomic.Bool
	closeBy atomic.Int64 // unix nanoseconds: when to give up waiting for the close reply
	answers sync.WaitGroup

	// sess is the conversation this connection serves, set once serve
	// has opened it (Shutdown may look before).
	sess atomic.Pointer[conversation.Session]

	// frames is the connection's budget for client messages of any type
	// (FrameRate a second, bursts of FrameBurst); overBudget counts the
	// messages refused for it, and past MaxRefusedFrames the connection is
	// closed with 1008. Reader goroutine only.
	frames     *rate.Limiter
	overBudget int
	// spoke is set once the client has sent a message other than hello:
	// hello is only taken as the first. Reader goroutine only.
	spoke bool
	// lastAsk is when the connection opened, last asked or finished an
	// answer (unix nanoseconds); the writer closes it IdleTimeout later
	// when nothing is in flight (closeIfIdle).
	lastAsk atomic.Int64

	mu       sync.Mutex
	active   *job // the answer in flight, if any
	draining bool // close with 1001 when idle
}

// job is one answer in flight.
type job struct {
	id     string
	ctx    context.Context
	cancel context.CancelCauseFunc
	done   chan struct{}
}

type outFrame struct {
	data      []byte
	pooled    *[]byte       // when set, data is this buffer from wirePool: the writer returns it
	tok       *pendingToken // set on token frames, which later deltas may join (see sendToken)
	closeCode int           // non-zero: send a close frame with this code and stop writing
	closeText string
}

// pendingToken is a token frame waiting in the send queue. Deltas of the same
// answer that come while it waits behind enough other frames are appended to
// it instead of queueing frames of their own (sendToken).
type pendingToken struct {
	mu     sync.Mutex
	id     string
	delta  string // the first delta, which the queued frame was encoded with
	joined []byte // the text with later deltas, once any joined
	taken  bool   // the writer has it: add no more
}

func (p *pendingToken) add(id, delta string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.taken || p.id != id {
		return false
	}
	if p.joined == nil {
		p.joined = append([]byte(p.delta), delta...)
	} else {
		p.joined = append(p.joined, delta...)
	}
	return true
}

// take marks the frame as written and returns its text when deltas joined
// it (ok), so that the writer encodes the frame again.
func (p *pendingToken) take() (text string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.taken = true
	if p.joined == nil {
		return "", false
	}
	return string(p.joined), true
}

// Limits inside a connection that have no setting.
const (
	maxClientID = 128     // characters of a client's message id
	maxDrain    = 8 << 20 // bytes read and discarded after an oversized frame
)

func newConn(s *Server, ws *websocket.Conn, ip string) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &conn{
		s:      s,
		ws:     ws,
		ip:     ip,
		log:    s.log,
		ctx:    ctx,
		cancel: cancel,
		frames: rate.NewLimiter(rate.Limit(s.cfg.FrameRate), s.cfg.FrameBurst),
	}
	c.lastAsk.Store(c.now().UnixNano())
	return c
}

// now is the time on the server's clock (the wall clock but in tests).
func (c *conn) now() time.Time { return c.s.cfg.clock.Now() }

// refuse turns away a connection upgraded while the server began to drain.
func (c *conn) refuse() {
	deadline := time.Now().Add(time.Second)
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), deadline)
	c.cancel()
	c.ws.Close()
}

// open opens the conversation (resuming the session requested when it is
// live), starts the connection's timers and queues its ready frame. It runs
// on the HTTP handler's goroutine, before run, so that the work of opening
// (a session store call, encoding the frame) grows that goroutine's stack,
// which ends with the handler, rather than the reader's, which an idle
// connection keeps for as long as it is open.
func (c *conn) open(requested string) {
	sess, ready := c.s.answers.Open(c.ctx, c.ip, requested)
	c.sess.Store(sess)
	c.log.Debug("websocket open", "session", sess.LogID(), "resumed", ready.Resumed)
	c.alive()
	c.ws.SetPongHandler(func(string) error { c.alive(); return nil })
	c.startTimers()
	c.sendFrame(c.withLimits(ready))
}

// run reads the connection until it ends, then waits for its answers and
// its writer, and calls done. It is the connection's one long-lived
// goroutine, but not always the same one: after each client message it
// hands the reading on to a fresh goroutine and returns. Handling a message
// (JSON decoding, an ask, an error frame) grows the stack of the goroutine
// it runs on to 8 KiB, and the runtime does not shrink a parked stack
// below a quarter used, which a goroutine parked in gorilla's read is: a
// connection that had asked one question kept an 8 KiB reader stack for
// the rest of its life, a fresh goroutine waits in 4 KiB (measured with
// 3,000 connections that each asked once: docs/benchmarks.md, Idle
// connections). Goroutines are cheap to start, and messages are at most
// a few a second (the frame budget).
func (c *conn) run(done func()) {
	if c.readLoop() {
		go c.run(done)
		return
	}
	c.stopTimers()
	c.cancel() // stops the writer; an answer in flight goes on (see ask)
	c.ws.Close()
	c.answers.Wait()
	c.stopWriting()
	c.log.Debug("websocket closed", "session", c.sessionID())
	done()
}

// startTimers sets the keep-alive ping (every 9/10 of PongTimeout, so that
// a live client's pong comes before the read deadline) and the idle check.
func (c *conn) startTimers() {
	c.timerMu.Lock()
	defer c.timerMu.Unlock()
	c.pinger = c.s.cfg.clock.AfterFunc(c.pingEvery(), c.ping)
	c.idler = c.s.cfg.clock.AfterFunc(c.s.cfg.IdleTimeout, c.idleCheck)
}

func (c *conn) pingEvery() time.Duration { return c.s.cfg.PongTimeout * 9 / 10 }

// stopTimers stops both timers for good.
func (c *conn) stopTimers() {
	c.timerMu.Lock()
	defer c.timerMu.Unlock()
	c.timersOff = true
	if c.pinger != nil {
		c.pinger.Stop()
		c.idler.Stop()
	}
}

// rearm sets a timer (one of c.pinger, c.idler) to fire after d, unless
// the connection has ended.
func (c *conn) rearm(t *timer, d time.Duration) {
	c.timerMu.Lock()
	defer c.timerMu.Unlock()
	if !c.timersOff && c.ctx.Err() == nil {
		(*t).Reset(d)
	}
}

// ping runs when the ping timer fires, on a goroutine of its own: gorilla's
// WriteControl may be called alongside the writer (it takes the
// connection's write lock, and a ping written while the writer is corked
// goes out with the corked frames). No ping follows the close frame; a
// failed ping cuts the connection, as a failed frame does.
func (c *conn) ping() {
	if c.ctx.Err() != nil || c.closing.Load() {
		return
	}
	if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.s.cfg.WriteTimeout)); err != nil {
		if !c.closing.Load() {
			c.cancel()
			c.ws.Close()
		}
		return
	}
	c.rearm(&c.pinger, c.pingEvery())
}

// idleCheck runs when the idle timer fires (see closeIfIdle).
func (c *conn) idleCheck() {
	if c.ctx.Err() != nil {
		return
	}
	c.rearm(&c.idler, c.closeIfIdle())
}

// sessionID names the conversation in logs ("" before it is open): its
// tag, never the id, which is a bearer secret.
func (c *conn) sessionID() string {
	if sess := c.sess.Load(); sess != nil {
		return sess.LogID()
	}
	return ""
}

// withLimits adds the transport's limits to a ready frame, so that clients
// can enforce them before sending.
func (c *conn) withLimits(ready protocol.Ready) protocol.Ready {
	ready.Limits = protocol.Limits{MaxQuestion: c.s.cfg.MaxQuestion}
	return ready
}

// alive pushes back the read deadline; once closing, the deadline set by
// closeWith stands. Reader goroutine only (gorilla's pong handler runs
// there too).
func (c *conn) alive() {
	_ = c.s.cfg.clock.SetReadDeadline(c.ws, c.now().Add(c.s.cfg.PongTimeout))
	if c.closing.Load() { // closeWith may have run meanwhile: its deadline wins
		_ = c.s.cfg.clock.SetReadDeadline(c.ws, time.Unix(0, c.closeBy.Load()))
	}
}

// readLoop reads until a client message has been dealt with (true: run
// goes on on a fresh goroutine) or the connection ends (false).
func (c *conn) readLoop() bool {
	for {
		kind, r, err := c.ws.NextReader()
		if err != nil {
			return false
		}
		if c.closing.Load() {
			// Waiting for the client's close frame; ignore everything else.
			_, _ = io.Copy(io.Discard, io.LimitReader(r, maxDrain))
			continue
		}
		c.alive()
		return c.readMessage(kind, r)
	}
}

// readMessage reads one client message and deals with it; false means the
// connection failed.
func (c *conn) readMessage(kind int, r io.Reader) bool {
	limit := c.s.cfg.ReadLimit
	buf := readPool.Get().(*bytes.Buffer)
	buf.Reset()
	_, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	data := buf.Bytes()
	if err != nil {
		readPool.Put(buf)
		return false
	}
	if int64(len(data)) > limit {
		c.s.metrics.AskRejected(protocol.CodeTooLarge)
		c.sendError("", protocol.CodeTooLarge, fmt.Sprintf("Messages are limited to %d bytes.", limit))
		c.closeWith(websocket.CloseMessageTooBig, "message too large")
		// Read the rest of the frame before closing: closing a socket
		// with unread data resets it, and the client would never see
		// the error and close frames.
		_, _ = io.Copy(io.Discard, io.LimitReader(r, maxDrain))
		return true
	}
	if !c.withinBudget(data) {
		readPool.Put(buf)
		return true
	}
	if kind != websocket.TextMessage {
		c.s.metrics.AskRejected(protocol.CodeBadRequest)
		c.sendError("", protocol.CodeBadRequest, "Send JSON text frames, not binary ones.")
		return true
	}
	if !utf8.Valid(data) {
		// RFC 6455 §8.1: a text frame must be UTF-8; a client that
		// sends anything else is broken or probing.
		readPool.Put(buf)
		c.s.metrics.AskRejected(protocol.CodeBadRequest)
		c.sendError("", protocol.CodeBadRequest, "Text frames must be valid UTF-8.")
		c.closeWith(websocket.CloseInvalidFramePayloadData, "invalid UTF-8")
		return true
	}
	c.handle(data) // keeps nothing of data: it may go back to the pool
	if buf.Cap() <= 64<<10 {
		readPool.Put(buf)
	}
	return true
}

// withinBudget spends one of the connection's message tokens. Without one
// the message is refused with rate_limited (naming its id when it has one)
// and not looked at further; after MaxRefusedFrames refusals the client is
// told once more and the connection closed with 1008 (policy violation). A
// person never comes near the budget; a script flooding any message type
// (reset costs a store call, an unknown type a JSON parse and an error
// frame) is cut off after a bounded amount of work.
func (c *conn) withinBudget(data []byte) bool {
	if c.frames.Allow() {
		return true
	}
	c.overBudget++
	c.s.metrics.AskRejected(protocol.CodeRateLimited)
	var head struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(data, &head) != nil || utf8.RuneCountInString(head.ID) > maxClientID {
		head.ID = ""
	}
	c.sendError(head.ID, protocol.CodeRateLimited, "Too many messages on this connection. Please slow down.")
	if c.overBudget > c.s.cfg.MaxRefusedFrames {
		c.closeWith(websocket.ClosePolicyViolation, "too many messages")
	}
	return false
}

// closeIfIdle runs when the idle timer fires: a connection
// with no answer in flight that asked nothing for IdleTimeout is closed
// with 1000 and reason "idle", freeing its slot (answering pings does not
// keep it; the widget connects again when the visitor next asks).
// Otherwise it returns when to look again.
func (c *conn) closeIfIdle() (again time.Duration) {
	c.mu.Lock()
	busy := c.active != nil
	c.mu.Unlock()
	left := c.s.cfg.IdleTimeout - c.now().Sub(time.Unix(0, c.lastAsk.Load()))
	if busy || left > 0 {
		return max(left, c.s.cfg.IdleTimeout/10)
	}
	c.closeWith(websocket.CloseNormalClosure, idleCloseReason)
	return c.s.cfg.IdleTimeout
}

// idleCloseReason is the reason of the close frame sent to an idle
// connection; clients may reconnect lazily on seeing it.
const idleCloseReason = "idle"

// readPool holds the buffers client messages are read into, shared by all
// connections so that an idle one holds none.
var readPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (c *conn) handle(data []byte) {
	var in protocol.ClientFrame
	if err := json.Unmarshal(data, &in); err != nil {
		c.s.metrics.AskRejected(protocol.CodeBadRequest)
		c.sendError("", protocol.CodeBadRequest, "Malformed message: send one JSON object per frame, such as {\"type\":\"ask\",\"id\":\"1\",\"text\":\"…\"}.")
		return
	}
	if utf8.RuneCountInString(in.ID) > maxClientID {
		c.s.metrics.AskRejected(protocol.CodeBadRequest)
		c.sendError("", protocol.CodeBadRequest, fmt.Sprintf("Message ids are limited to %d characters.", maxClientID))
		return
	}
	first := !c.spoke
	c.spoke = true
	switch in.Type {
	case protocol.TypeHello:
		if !first {
			c.s.metrics.AskRejected(protocol.CodeBadRequest)
			c.sendError(in.ID, protocol.CodeBadRequest, "hello must be the first message of a connection.")
			return
		}
		c.reply(c.withLimits(c.sess.Load().Rejoin(c.ctx, in.Session)))
	case protocol.TypeAsk:
		c.ask(in)
	case protocol.TypeCancel:
		c.stopAnswerID(in.ID)
	case protocol.TypeReset:
		c.reset()
	case protocol.TypeFeedback:
		c.giveFeedback(in)
	case protocol.TypeResume:
		c.resume(in.ID)
	default:
		c.s.metrics.AskRejected(protocol.CodeBadRequest)
		c.sendError(in.ID, protocol.CodeBadRequest, fmt.Sprintf("Unknown message type %q: use ask, cancel, reset, feedback, resume or hello.", conversation.Clip(in.Type, 40)))
	}
}

func (c *conn) ask(in protocol.ClientFrame) {
	question := strings.TrimSpace(in.Text)
	switch {
	case question == "":
		c.s.metrics.AskRejected(protocol.CodeBadRequest)
		c.sendError(in.ID, protocol.CodeBadRequest, "Ask a question in \"text\".")
		return
	case utf8.RuneCountInString(question) > c.s.cfg.MaxQuestion:
		c.s.metrics.AskRejected(protocol.CodeBadRequest)
		c.sendError(in.ID, protocol.CodeBadRequest, fmt.Sprintf("Questions are limited to %d characters.", c.s.cfg.MaxQuestion))
		return
	}
	// The answer outlives the socket (a reload, a click to another page):
	// it ends with done, cancel, reset, shutdown or its own timeouts, is
	// stored in the session, and the client can resume it. The connection
	// stays registered until it ends (serve waits), so Shutdown still
	// reaches it.
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(c.ctx))
	j := &job{id: in.ID, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	c.mu.Lock()
	if c.active != nil || c.draining {
		c.mu.Unlock()
		cancel(nil)
		c.s.metrics.AskRejected(protocol.CodeBusy)
		c.sendError(in.ID, protocol.CodeBusy, "Still answering your previous question: wait for it to finish, or cancel it.")
		return
	}
	c.active = j
	c.mu.Unlock()
	c.lastAsk.Store(c.now().UnixNano())
	if !c.sess.Load().AllowAsk(c.ctx) {
		c.endJob(j, nil)
		c.s.metrics.AskRejected(protocol.CodeRateLimited)
		c.reply(c.sess.Load().RateLimited(in.ID, "You are asking faster than I can answer. Please wait a little and try again."))
		return
	}
	c.answers.Add(1)
	go func() {
		defer c.answers.Done()
		growAnswerStack()
		c.endJob(j, c.sess.Load().Answer(j.ctx, j.id, question, c.emit))
	}()
}

// answerStackBytes is the stack an answer's goroutine takes in one step
// before it answers. An offline answer runs deep (routing, retrieval, the
// writer, the chips) and a new goroutine's stack is small, so the runtime
// grew it by copying, several times per answer: runtime.newstack and
// copystack were ~3% of the server's CPU under botbench at 50 clients
// (profile at 13:51 UTC). One frame this large makes the runtime allocate
// a big enough stack while it is still nearly empty, one cheap copy.
// Measured in BenchmarkAnswerOffline/botbench run on a goroutine per
// answer: 8, 12 and 16 KiB each saved ~4% of the instructions per answer
// (valgrind cachegrind, 13:58 UTC); 64 KiB saved less (zeroing it).
const answerStackBytes = 16 << 10

// growAnswerStack grows the calling goroutine's stack to hold
// answerStackBytes more (TestGrowAnswerStackStaysOnTheStack: its frame must
// not move to the heap).
//
//go:noinline
func growAnswerStack() {
	var frame [answerStackBytes]byte
	touchFrame(frame[:])
}

//go:noinline
func touchFrame(b []byte) { b[len(b)-1] = 1 }

// emit writes a frame of the answer in flight: tokens through sendToken,
// which may join them when the client falls behind.
func (c *conn) emit(f protocol.Frame) {
	if t, ok := f.(protocol.Token); ok {
		c.sendToken(t.ID, t.Text)
		return
	}
	c.sendFrame(f)
}

// endJob sends the answer's last frame (done or error) and frees the answer
// slot in one step, so that a client that asks again as soon as it sees done
// is never told it is busy, and a new answer's frames never precede the old
// done. The idle clock restarts before the last frame is queued, so that a
// client that has seen done never finds the connection counted idle from
// before the answer. A draining connection then closes.
func (c *conn) endJob(j *job, last protocol.Frame) {
	c.mu.Lock()
	if c.active == j {
		c.active = nil
	}
	c.lastAsk.Store(c.now().UnixNano())
	if last != nil {
		c.sendFrame(last) // never blocks
	}
	draining := c.draining
	c.mu.Unlock()
	j.cancel(nil)
	close(j.done)
	if draining {
		c.closeWith(websocket.CloseGoingAway, "server shutting down")
	}
}

// stopAnswerID handles cancel: it stops the answer with that id (an empty id
// stops whatever is in flight). Unknown ids are ignored: the answer may have
// just finished.
func (c *conn) stopAnswerID(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.active != nil && (id == "" || id == c.active.id) {
		c.active.cancel(conversation.ErrCancelled)
	}
}

// stopAnswer stops the answer in flight, if any, with the given cause.
func (c *conn) stopAnswer(cause error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.active != nil {
		c.active.cancel(cause)
	}
}

// reset stops the answer in flight (its done frame goes out first), forgets
// the conversation and starts a new session with a fresh ready.
func (c *conn) reset() {
	c.mu.Lock()
	j := c.active
	c.mu.Unlock()
	if j != nil {
		j.cancel(conversation.ErrCancelled)
		<-j.done
	}
	c.reply(c.withLimits(c.sess.Load().Reset(c.ctx)))
}

func (c *conn) giveFeedback(in protocol.ClientFrame) {
	if refused := c.sess.Load().Feedback(c.ctx, in.ID, in.Rating, in.Comment); refused != nil {
		c.s.metrics.AskRejected(refused.Code)
		c.reply(*refused)
	}
}

// resume handles a resume frame: the answer it names comes through emit,
// from the answer being written or from the session store, which may mean
// a wait (another replica's answer): off the reading goroutine.
func (c *conn) resume(id string) {
	c.answers.Add(1)
	go func() {
		defer c.answers.Done()
		if refused := c.sess.Load().Resume(c.ctx, id, c.emit); refused != nil {
			c.s.metrics.AskRejected(refused.Code)
			c.sendFrame(*refused)
		}
	}()
}

// drain is Shutdown's request: close now if idle, else after the answer.
func (c *conn) drain() {
	c.mu.Lock()
	c.draining = true
	idle := c.active == nil
	c.mu.Unlock()
	if idle {
		c.closeWith(websocket.CloseGoingAway, "server shutting down")
	}
}

// closeWith queues a close frame behind the frames already queued, and gives
// the client closeGrace to answer it before the connection is cut.
func (c *conn) closeWith(code int, text string) {
	deadline := c.now().Add(closeGrace)
	c.closeBy.Store(deadline.UnixNano())
	if !c.closing.CompareAndSwap(false, true) {
		return
	}
	if c.enqueue(outFrame{closeCode: code, closeText: text}) {
		_ = c.s.cfg.clock.SetReadDeadline(c.ws, deadline)
	}
}

// drop cuts the connection without ceremony.
func (c *conn) drop(reason string) {
	c.log.Info("dropping websocket", "session", c.sessionID(), "reason", reason)
	c.cancel()
	c.ws.Close()
}

func (c *conn) sendFrame(v protocol.Frame) bool {
	if c.closing.Load() {
		return false // nothing may follow the close frame
	}
	buf, err := encodePooled(v)
	if err != nil {
		c.log.Error("encoding frame", "err", err)
		return false
	}
	return c.enqueue(outFrame{data: *buf, pooled: buf})
}

// sendToken queues one delta of an answer. When the writer is behind (an
// eighth of the send queue is waiting, e.g. a slow network or a busy
// machine while a model streams fast), the delta joins the token frame still
// waiting at the tail instead of taking a slot of its own: the client gets
// fewer, larger token frames and is not dropped for falling a little behind.
// Frames stay in order, since only the newest frame is ever joined, and
// nothing else of this answer has been queued after it. A client that keeps
// up still gets every delta in a frame of its own.
func (c *conn) sendToken(id, delta string) bool {
	if c.closing.Load() {
		return false
	}
	if p := c.lastToken.Load(); p != nil && c.queued() >= max(c.s.cfg.SendBuffer/8, 1) && p.add(id, delta) {
		return true
	}
	buf, err := encodePooled(protocol.Token{Type: protocol.TypeToken, ID: id, Text: delta})
	if err != nil {
		c.log.Error("encoding frame", "err", err)
		return false
	}
	p := &pendingToken{id: id, delta: delta}
	c.lastToken.Store(p)
	return c.enqueue(outFrame{data: *buf, pooled: buf, tok: p})
}

// sendError answers a client message with an error frame; it runs on the
// reader goroutine (see reply).
func (c *conn) sendError(id, code, message string) {
	c.reply(protocol.Error{Type: protocol.TypeError, ID: id, Code: code, Message: message})
}

// reply queues the reader's own answer to a client message (an error, or the
// ready after reset). Unlike answer frames it waits, up to WriteTimeout,
// while the queue is half full: a client that sends a burst of messages but
// reads its replies is then slowed down by TCP backpressure and told
// rate_limited or busy, instead of being dropped because the reader outran
// the writer — and the other half stays free for the frames of the answer in
// flight, which never wait. A client that does not read is still dropped: the
// writer's deadline fails, or the wait ends and enqueue drops it when full.
func (c *conn) reply(v protocol.Frame) {
	if c.closing.Load() {
		return
	}
	data, err := encodeFrame(v)
	if err != nil {
		c.log.Error("encoding frame", "err", err)
		return
	}
	if c.queued() >= c.s.cfg.SendBuffer/2 {
		deadline := time.Now().Add(c.s.cfg.WriteTimeout)
		poll := time.NewTicker(2 * time.Millisecond)
		defer poll.Stop()
		for c.queued() >= c.s.cfg.SendBuffer/2 && time.Now().Before(deadline) {
			select {
			case <-c.ctx.Done():
				return
			case <-poll.C:
			}
		}
	}
	c.enqueue(outFrame{data: data})
}

// queued is how many frames wait for the writer.
func (c *conn) queued() int {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	return len(c.send) - c.sendHead
}

// enqueue hands a frame to the writer, starting one when none runs, without
// ever blocking: when the queue is full the client is not reading, and it is
// dropped. It reports whether the frame was queued.
func (c *conn) enqueue(f outFrame) bool {
	if c.ctx.Err() != nil {
		return false
	}
	c.sendMu.Lock()
	if c.stopped {
		c.sendMu.Unlock()
		return false
	}
	if n := len(c.send) - c.sendHead; n >= c.s.cfg.SendBuffer {
		c.sendMu.Unlock()
		c.log.Warn("client is not reading; dropping it", "session", c.sessionID(), "queued", n)
		c.cancel()
		c.ws.Close()
		return false
	}
	if c.send == nil {
		c.send = make([]outFrame, 0, 4) // an offline answer's frames (sources, token, done) without regrowing
	}
	c.send = append(c.send, f)
	start := !c.writing && c.ws != nil
	if start {
		c.writing = true
		c.writers.Add(1)
	}
	c.sendMu.Unlock()
	if start {
		go c.writeLoop()
	}
	return true
}

// pop takes the next queued frame for the writer, if any.
func (c *conn) pop() (outFrame, bool) {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	if c.sendHead == len(c.send) || c.stopped || c.ctx.Err() != nil {
		return outFrame{}, false
	}
	f := c.send[c.sendHead]
	c.send[c.sendHead] = outFrame{}
	if c.sendHead++; c.sendHead == len(c.send) {
		c.send, c.sendHead = c.send[:0], 0 // reused while this writer runs
	}
	return f, true
}

// park ends the writer when nothing is left to write (or stop: nothing may
// be written any more), dropping the queue's memory; otherwise it reports
// false and the writer goes on. The next enqueue starts a new writer.
func (c *conn) park(stop bool) bool {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	if stop {
		c.stopped = true
	}
	if !c.stopped && c.ctx.Err() == nil && c.sendHead < len(c.send) {
		return false
	}
	c.send, c.sendHead = nil, 0
	c.writing = false
	return true
}

// stopWriting stops the writing for good and waits for a writer still
// running (run, once the connection has ended).
func (c *conn) stopWriting() {
	c.sendMu.Lock()
	c.stopped = true
	c.sendMu.Unlock()
	c.writers.Wait()
}

// writeLoop is the connection's writer while frames are queued: it writes
// them, the ones queued behind the first going out in the same write
// (corked), and returns when the queue is empty, after the close frame, or
// when writing fails (the connection is then cut).
func (c *conn) writeLoop() {
	defer c.writers.Done()
	for {
		c.out.cork()
		more := true
		for n := 0; more && n < c.s.cfg.SendBuffer; n++ {
			f, ok := c.pop()
			if !ok {
				break
			}
			more = c.writeFrame(f)
		}
		err := c.out.uncork()
		if err != nil {
			c.cancel()
			c.ws.Close()
		}
		if c.park(err != nil || !more) {
			c.out.release()
			return
		}
	}
}

// writeFrame writes one queued frame; false means the writer is done (the
// close frame was written, or writing failed and the connection is cut).
func (c *conn) writeFrame(f outFrame) bool {
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.s.cfg.WriteTimeout))
	if f.closeCode != 0 {
		_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(f.closeCode, f.closeText))
		return false
	}
	data := f.data
	if f.tok != nil {
		if text, joined := f.tok.take(); joined {
			var err error
			if data, err = encodeFrame(protocol.Token{Type: protocol.TypeToken, ID: f.tok.id, Text: text}); err != nil {
				c.log.Error("encoding frame", "err", err)
				return true
			}
		}
	}
	err := c.ws.WriteMessage(websocket.TextMessage, data)
	if f.pooled != nil {
		releaseFrame(f.pooled) // gorilla has copied it
	}
	if err != nil {
		c.cancel()
		c.ws.Close()
		return false
	}
	return true
}
