// Package client is a Go client of the career bot's websocket chat server
// (the frames of package protocol, described in docs/protocol.md): Dial
// connects and waits for the ready frame; a Conn asks questions with the
// answer's tokens streamed to a callback, cancels an answer, starts a new
// conversation and sends feedback, and when the connection drops it
// reconnects once and resumes the same conversation by its session id.
//
// It is what `bot chat` and `bot ask --url` are built on, and it is meant for
// other Go programs too:
//
//	import "github.com/careerbot/careerbot/client"
//
// Package clienttest is a stand-in server for testing code that uses it.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/protocol"
)

// Frame is one frame from the server, decoded: only the fields of its Type
// are set (see protocol.ServerFrame).
type Frame struct {
	protocol.ServerFrame
	// Raw is the frame exactly as the server sent it (compacted).
	Raw json.RawMessage `json:"-"`
}

// Ready is what the server says when a conversation starts.
type Ready struct {
	Session     string   // conversation id; reconnecting with it resumes the conversation
	Greeting    string   // a line to show the user
	Suggestions []string // starter questions
	Mode        string   // protocol.ModeLLM or protocol.ModeOffline
	Resumed     bool     // an earlier conversation was resumed (see Dial)
	// History is the resumed conversation's earlier exchanges, when the
	// server sends them.
	History []protocol.HistoryItem
	// MaxQuestion is the longest question the server accepts, in
	// characters; 0 when the server does not say (older servers).
	MaxQuestion int
}

// Answer is the server's reply to one question.
type Answer struct {
	ID          string            // the ask id the client chose
	Question    string            // what was asked
	Text        string            // the full answer
	Sources     []protocol.Source // the sections retrieved for the question, best first
	Grounded    bool              // false when the guides do not cover the question
	Suggestions []string          // 2-3 follow-up questions
	Notice      string            // something the user should know, e.g. the answer was cut short
	// Cited are the indexes into Sources of the sources the answer used
	// (done.cited); nil when the server does not say (older servers, or
	// none used). Kind is done.kind (a protocol.Kind constant; "" from
	// older servers).
	Cited []int
	Kind  string
}

// SplitSources returns the answer's sources as a client should show them:
// those the answer used (Cited) in order, then the others. Without Cited
// every source counts as used.
func (a *Answer) SplitSources() (used, others []protocol.Source) {
	if len(a.Cited) == 0 {
		return a.Sources, nil
	}
	for i, s := range a.Sources {
		if slices.Contains(a.Cited, i) {
			used = append(used, s)
		} else {
			others = append(others, s)
		}
	}
	return used, others
}

// ServerError is an error frame from the server. After one the connection
// stays usable, except after too_large, where the server closes it (the next
// call reconnects).
type ServerError struct {
	ID      string // the ask it refers to; may be empty
	Code    string // one of protocol's Code constants
	Message string // the server's human-readable explanation
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("server error %s: %s", e.Code, e.Message)
}

// Readable says what went wrong in words for the person at the keyboard.
func (e *ServerError) Readable() string {
	label, hint := "The server reported an error", "Try again."
	switch e.Code {
	case protocol.CodeRateLimited:
		label, hint = "Too many questions", "Wait a little and ask again."
	case protocol.CodeBusy:
		label, hint = "Still answering", "Wait for the current answer to finish."
	case protocol.CodeTooLarge:
		label, hint = "Message too large", "Ask a shorter question."
	case protocol.CodeBadRequest:
		label, hint = "Question not accepted", "Rephrase it and ask again."
	case protocol.CodeUpstream:
		label, hint = "The language model is unavailable", "Try again in a moment."
	case protocol.CodeInternal:
		label, hint = "The server hit an internal error", "Try again."
	}
	if msg := strings.TrimSpace(e.Message); msg != "" {
		return label + ": " + msg
	}
	return label + ". " + hint
}

var (
	// ErrCanceled is returned (wrapped with the context's error) by Ask when
	// its context ends before the answer is done; the server was told to stop.
	ErrCanceled = errors.New("answer cancelled")
	// ErrClosed is returned by calls made after Close.
	ErrClosed = errors.New("client: connection closed")
)

// DisconnectedError means the connection to the server was lost and could
// not be re-established (Reconnect is set), or was lost again right after
// reconnecting.
type DisconnectedError struct {
	Cause     error // why the connection ended
	Reconnect error // why reconnecting failed; nil if it was lost again after reconnecting
}

func (e *DisconnectedError) Error() string {
	msg := "lost the connection to the server (" + describeCause(e.Cause) + ")"
	if e.Reconnect != nil {
		return msg + " and could not reconnect: " + e.Reconnect.Error()
	}
	return msg + " twice in a row"
}

func (e *DisconnectedError) Unwrap() []error { return []error{e.Cause, e.Reconnect} }

// describeCause turns the error that ended a connection into words.
func describeCause(err error) string {
	var ce *websocket.CloseError
	switch {
	case errors.As(err, &ce):
		what := map[int]string{
			websocket.CloseNormalClosure:     "closed by the server",
			websocket.CloseGoingAway:         "the server is shutting down",
			websocket.CloseMessageTooBig:     "a message was too large",
			websocket.ClosePolicyViolation:   "refused by the server",
			websocket.CloseInternalServerErr: "server error",
			websocket.CloseTryAgainLater:     "the server is overloaded",
			websocket.CloseAbnormalClosure:   "the connection dropped",
		}[ce.Code]
		if what == "" {
			what = "closed"
		}
		if ce.Text != "" {
			what += ": " + ce.Text
		}
		return fmt.Sprintf("%s, code %d", what, ce.Code)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return "the connection dropped"
	case err == nil:
		return "unknown reason"
	}
	return err.Error()
}

// Options adjust a Conn. The zero value is ready to use.
type Options struct {
	// OnFrame, when set, sees every frame the server sends, in order, before
	// the Conn acts on it. It runs on the Conn's reading goroutine and must
	// not call the Conn. `bot chat --json` prints Raw from here.
	OnFrame func(Frame)
	// OnReconnect, when set, is called after a lost connection was
	// re-established; resumed says whether the server kept the conversation
	// (false: the session had expired and a new one started).
	OnReconnect func(resumed bool)
	// Header is sent with the websocket handshake (e.g. an Origin).
	Header http.Header
	// HandshakeTimeout bounds connecting and waiting for the ready frame
	// (default 10s).
	HandshakeTimeout time.Duration
	// CancelGrace is how long Ask waits, after telling the server to cancel,
	// for the server to finish the answer (default 3s), so that the next
	// question is not refused as busy.
	CancelGrace time.Duration
	// KeepAlive is the interval of the client's pings; a connection that
	// shows no sign of life (frames, pings or pongs) for twice as long is
	// considered dropped (default 30s).
	KeepAlive time.Duration
}

// maxFrame bounds a frame from the server; a sources frame of a few guide
// sections is far smaller.
const maxFrame = 4 << 20

const writeWait = 10 * time.Second

// notReadyPoll is how often Dial retries a server that answers 503 with
// Retry-After (it says 5s; an index usually loads sooner).
const notReadyPoll = 500 * time.Millisecond

// Conn is a conversation with the chat server. Its methods may be called from
// several goroutines, but questions are asked one at a time, as the protocol
// has one answer in flight per connection.
type Conn struct {
	url  string
	opts Options

	exchange sync.Mutex // held for one ask or reset

	mu       sync.Mutex // guards the fields below
	link     *link
	ready    Ready
	seq      int
	answered bool // an answer was completed in the current conversation
	closed   bool
}

// WebsocketURL accepts ws://, wss://, http://, https:// or a bare host:port
// and returns the websocket URL, adding the /ws path when there is none.
func WebsocketURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "://") {
		raw = "ws://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("bad server URL %q: %w", raw, err)
	}
	switch u.Scheme {
	case "ws", "wss":
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("bad server URL %q: want ws://host:port/ws", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("bad server URL %q: no host", raw)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/ws"
	}
	return u.String(), nil
}

// Dial connects to the chat server at rawURL (see WebsocketURL) and waits
// for the ready frame. To resume an earlier conversation, pass its session id
// as ?session=<id> in the URL, or (kept out of URLs) in Options.Header as
// protocol.SessionHeader.
func Dial(ctx context.Context, rawURL string, opts Options) (*Conn, error) {
	u, err := WebsocketURL(rawURL)
	if err != nil {
		return nil, err
	}
	if opts.HandshakeTimeout <= 0 {
		opts.HandshakeTimeout = 10 * time.Second
	}
	if opts.CancelGrace <= 0 {
		opts.CancelGrace = 3 * time.Second
	}
	if opts.KeepAlive <= 0 {
		opts.KeepAlive = 30 * time.Second
	}
	c := &Conn{url: u, opts: opts}
	l, ready, err := c.connect(ctx, "")
	if err != nil {
		return nil, err
	}
	c.link, c.ready = l, ready
	return c, nil
}

// Ready returns what the server said when the current conversation started.
func (c *Conn) Ready() Ready {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ready
}

// Session returns the current conversation's id.
func (c *Conn) Session() string { return c.Ready().Session }

// URL returns the websocket URL the Conn talks to.
func (c *Conn) URL() string { return c.url }

// Ask sends question and waits for its answer, calling onToken (when not
// nil) with each piece of the answer as it streams in. When ctx ends first,
// Ask tells the server to cancel and returns what had arrived with an error
// wrapping ErrCanceled. An error frame is returned as *ServerError. If the
// connection drops, Ask reconnects once, resuming the session, and asks again
// (OnReconnect is told first, so a caller streaming tokens can say so); if
// that fails it returns *DisconnectedError.
func (c *Conn) Ask(ctx context.Context, question string, onToken func(delta string)) (*Answer, error) {
	c.exchange.Lock()
	defer c.exchange.Unlock()
	c.mu.Lock()
	c.seq++
	id := "q" + strconv.Itoa(c.seq)
	c.mu.Unlock()

	reconnects := 1
	for {
		l, err := c.liveLink(ctx, &reconnects, true)
		if err != nil {
			return nil, err
		}
		ans := &Answer{ID: id, Question: question}
		err = l.send(protocol.Ask{Type: protocol.TypeAsk, ID: id, Text: question})
		if err == nil {
			err = c.await(ctx, l, ans, onToken)
		}
		if lost := (*lostError)(nil); errors.As(err, &lost) {
			l.close()
			if reconnects > 0 {
				continue
			}
			return ans, &DisconnectedError{Cause: lost.err}
		}
		return ans, err
	}
}

// Reset starts a new conversation and returns the server's fresh ready.
func (c *Conn) Reset(ctx context.Context) (Ready, error) {
	c.exchange.Lock()
	defer c.exchange.Unlock()
	reconnects := 1
	// A dropped connection is replaced by a fresh one, which is a reset too.
	l, err := c.liveLink(ctx, &reconnects, false)
	if err != nil {
		return Ready{}, err
	}
	if reconnects == 0 {
		return c.Ready(), nil
	}
	err = l.send(protocol.Reset{Type: protocol.TypeReset})
	waitCtx, cancel := context.WithTimeout(ctx, c.opts.HandshakeTimeout)
	defer cancel()
	for err == nil {
		var f Frame
		if f, err = l.next(waitCtx); err == nil && f.Type == protocol.TypeReady {
			ready := readyOf(f)
			c.mu.Lock()
			c.ready, c.answered = ready, false
			c.mu.Unlock()
			return ready, nil
		}
	}
	if waitCtx.Err() != nil {
		return Ready{}, fmt.Errorf("reset: no fresh ready from the server: %w", waitCtx.Err())
	}
	l.close()
	if _, err := c.liveLink(ctx, &reconnects, false); err != nil {
		return Ready{}, err
	}
	return c.Ready(), nil
}

// Feedback rates the answer to the ask with the given id: rating is
// protocol.RatingUp or protocol.RatingDown, comment is optional. The server stores it for the operator.
func (c *Conn) Feedback(ctx context.Context, id, rating, comment string) error {
	reconnects := 1
	l, err := c.liveLink(ctx, &reconnects, true)
	if err != nil {
		return err
	}
	if err := l.send(protocol.Feedback{Type: protocol.TypeFeedback, ID: id, Rating: rating, Comment: comment}); err != nil {
		return &DisconnectedError{Cause: err}
	}
	return nil
}

// Close ends the conversation's connection. It is safe to call more than once.
func (c *Conn) Close() error {
	c.mu.Lock()
	c.closed = true
	l := c.link
	c.mu.Unlock()
	if l != nil {
		l.close()
	}
	return nil
}

// connect opens a websocket (resuming session when not empty), starts its
// reader and waits for the ready frame.
func (c *Conn) connect(ctx context.Context, session string) (*link, Ready, error) {
	target := c.url
	header := c.opts.Header
	if session != "" {
		// In a header rather than the URL's ?session=: the id is a bearer
		// secret, and URLs end up in proxies' access logs.
		header = header.Clone()
		if header == nil {
			header = http.Header{}
		}
		header.Set(protocol.SessionHeader, session)
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.HandshakeTimeout)
	defer cancel()
	dialer := websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: c.opts.HandshakeTimeout}
	var ws *websocket.Conn
	for {
		var resp *http.Response
		var err error
		ws, resp, err = dialer.DialContext(ctx, target, header)
		if err == nil {
			break
		}
		if resp == nil || !errors.Is(err, websocket.ErrBadHandshake) {
			return nil, Ready{}, fmt.Errorf("connect to %s: %w", c.url, err)
		}
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			return nil, Ready{}, fmt.Errorf("connect to %s: the server answered HTTP %s instead of opening a websocket", c.url, resp.Status)
		}
		// A server that has just started answers 503 with Retry-After until
		// its index is loaded (or while it drains for a restart): wait for it,
		// within the handshake timeout.
		select {
		case <-time.After(notReadyPoll):
		case <-ctx.Done():
			return nil, Ready{}, fmt.Errorf("connect to %s: the server is not ready (HTTP %s) and did not become ready within %s", c.url, resp.Status, c.opts.HandshakeTimeout)
		}
	}
	l := startLink(ws, c.opts)
	for {
		f, err := l.next(ctx)
		if err != nil {
			l.close()
			if ctx.Err() != nil {
				return nil, Ready{}, fmt.Errorf("connect to %s: no ready frame: %w", c.url, ctx.Err())
			}
			return nil, Ready{}, fmt.Errorf("connect to %s: closed before ready (%s)", c.url, describeCause(errors.Unwrap(err)))
		}
		switch f.Type {
		case protocol.TypeReady:
			return l, readyOf(f), nil
		case protocol.TypeError:
			l.close()
			return nil, Ready{}, fmt.Errorf("connect to %s: %w", c.url, &ServerError{ID: f.ID, Code: f.Code, Message: f.Message})
		}
	}
}

// liveLink returns the current connection, or, when it has dropped and
// *reconnects allows, a new one that resumes the session (or starts a new
// one when resume is false).
func (c *Conn) liveLink(ctx context.Context, reconnects *int, resume bool) (*link, error) {
	c.mu.Lock()
	l, ready, closed, answered := c.link, c.ready, c.closed, c.answered
	c.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	if !l.dead() {
		return l, nil
	}
	cause := l.cause()
	if *reconnects <= 0 {
		return nil, &DisconnectedError{Cause: cause}
	}
	*reconnects--
	session := ""
	if resume {
		session = ready.Session
	}
	nl, nready, err := c.connect(ctx, session)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &DisconnectedError{Cause: cause, Reconnect: err}
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		nl.close()
		return nil, ErrClosed
	}
	resumed := nready.Session == ready.Session
	c.link, c.ready = nl, nready
	c.answered = c.answered && resume && resumed
	c.mu.Unlock()
	if resume && c.opts.OnReconnect != nil {
		// A conversation with nothing answered yet has nothing to lose (the
		// server only keeps sessions from their first answer on).
		c.opts.OnReconnect(resumed || !answered)
	}
	return nl, nil
}

// await reads the frames of the ask in ans until its done or error frame.
// Frames of other asks (e.g. the tail of a cancelled one) are skipped.
func (c *Conn) await(ctx context.Context, l *link, ans *Answer, onToken func(string)) error {
	var text strings.Builder
	for {
		f, err := l.next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				ans.Text = text.String()
				return c.cancel(l, ans, ctx.Err())
			}
			return err
		}
		if f.ID != ans.ID {
			continue
		}
		switch f.Type {
		case protocol.TypeSources:
			ans.Sources = f.Sources
		case protocol.TypeToken:
			text.WriteString(f.Text)
			if onToken != nil {
				onToken(f.Text)
			}
		case protocol.TypeDone:
			ans.Text = f.Text
			if ans.Text == "" {
				ans.Text = text.String()
			}
			ans.Grounded, ans.Suggestions, ans.Notice = f.Grounded, f.Suggestions, f.Notice
			ans.Cited, ans.Kind = f.Cited, f.Kind
			if !f.Cancelled {
				c.mu.Lock()
				c.answered = true
				c.mu.Unlock()
			}
			return nil
		case protocol.TypeError:
			ans.Text = text.String()
			return &ServerError{ID: f.ID, Code: f.Code, Message: f.Message}
		}
	}
}

// cancel tells the server to stop the answer and waits a little for it to
// wrap up, so that the connection is idle again for the next question.
func (c *Conn) cancel(l *link, ans *Answer, cause error) error {
	canceled := fmt.Errorf("%w: %w", ErrCanceled, cause)
	if l.send(protocol.Cancel{Type: protocol.TypeCancel, ID: ans.ID}) != nil {
		return canceled
	}
	ctx, stop := context.WithTimeout(context.Background(), c.opts.CancelGrace)
	defer stop()
	for {
		f, err := l.next(ctx)
		if err != nil || (f.ID == ans.ID && (f.Type == protocol.TypeDone || f.Type == protocol.TypeError)) {
			if err == nil && f.Type == protocol.TypeDone {
				ans.Text, ans.Grounded, ans.Suggestions, ans.Notice = f.Text, f.Grounded, f.Suggestions, f.Notice
			}
			return canceled
		}
	}
}

func readyOf(f Frame) Ready {
	r := Ready{Session: f.Session, Greeting: f.Greeting, Suggestions: f.Suggestions, Mode: f.Mode, Resumed: f.Resumed, History: f.History}
	if f.Limits != nil {
		r.MaxQuestion = f.Limits.MaxQuestion
	}
	return r
}

// lostError marks a read or write failure of a link: the connection is gone.
type lostError struct{ err error }

func (e *lostError) Error() string { return "connection lost: " + describeCause(e.err) }
func (e *lostError) Unwrap() error { return e.err }

// link is one websocket connection: a goroutine reads frames into a queue
// (it never blocks on the consumer, so pings are answered while the user
// types), another pings, and writers take turns under writeMu.
type link struct {
	ws      *websocket.Conn
	writeMu sync.Mutex

	mu      sync.Mutex
	queue   []Frame
	err     error         // why reading stopped; set before done is closed
	arrived chan struct{} // 1-buffered nudge: a frame was queued
	done    chan struct{} // closed when the reader has stopped

	closeOnce sync.Once
	pingDone  chan struct{}
}

func startLink(ws *websocket.Conn, opts Options) *link {
	l := &link{ws: ws, arrived: make(chan struct{}, 1), done: make(chan struct{}), pingDone: make(chan struct{})}
	ws.SetReadLimit(maxFrame)
	alive := 2 * opts.KeepAlive
	stillAlive := func() { _ = ws.SetReadDeadline(time.Now().Add(alive)) }
	stillAlive()
	ws.SetPongHandler(func(string) error { stillAlive(); return nil })
	ws.SetPingHandler(func(data string) error {
		stillAlive()
		// Like gorilla's default handler: a failed pong shows up as a read error soon enough.
		_ = ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeWait))
		return nil
	})
	go l.read(opts.OnFrame, stillAlive)
	go l.ping(opts.KeepAlive)
	return l
}

func (l *link) read(onFrame func(Frame), stillAlive func()) {
	defer close(l.done)
	for {
		kind, data, err := l.ws.ReadMessage()
		if err != nil {
			l.mu.Lock()
			l.err = err
			l.mu.Unlock()
			return
		}
		stillAlive()
		if kind != websocket.TextMessage {
			continue
		}
		var f Frame
		if json.Unmarshal(data, &f) != nil || f.Type == "" {
			continue // not a protocol frame; a newer server may send more kinds
		}
		var compact bytes.Buffer
		if json.Compact(&compact, data) == nil {
			f.Raw = compact.Bytes()
		}
		if onFrame != nil {
			onFrame(f)
		}
		l.mu.Lock()
		l.queue = append(l.queue, f)
		l.mu.Unlock()
		select {
		case l.arrived <- struct{}{}:
		default:
		}
	}
}

func (l *link) ping(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if l.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)) != nil {
				return
			}
		case <-l.done:
			return
		case <-l.pingDone:
			return
		}
	}
}

// next returns the next queued frame, waiting for one. It fails with a
// *lostError once the queue is empty and the connection has ended, or with
// ctx's error.
func (l *link) next(ctx context.Context) (Frame, error) {
	for {
		l.mu.Lock()
		if len(l.queue) > 0 {
			f := l.queue[0]
			l.queue = l.queue[1:]
			l.mu.Unlock()
			return f, nil
		}
		l.mu.Unlock()
		select {
		case <-l.arrived:
		case <-l.done:
			l.mu.Lock()
			empty := len(l.queue) == 0
			l.mu.Unlock()
			if empty {
				return Frame{}, &lostError{l.cause()}
			}
		case <-ctx.Done():
			return Frame{}, ctx.Err()
		}
	}
}

func (l *link) send(v any) error {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	_ = l.ws.SetWriteDeadline(time.Now().Add(writeWait))
	if err := l.ws.WriteJSON(v); err != nil {
		return &lostError{err}
	}
	return nil
}

func (l *link) dead() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

func (l *link) cause() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// close says goodbye to the server, closes the socket and waits for the
// link's goroutines to stop.
func (l *link) close() {
	l.closeOnce.Do(func() {
		close(l.pingDone)
		_ = l.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		_ = l.ws.Close()
	})
	<-l.done
}
