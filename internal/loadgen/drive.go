package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/protocol"
)

// Load is one step of the benchmark: Clients connections asking back to back
// for Duration.
type Load struct {
	Clients   int
	Duration  time.Duration
	Questions []string
	// AskTimeout bounds one answer (default 30s); an answer that takes
	// longer counts as an error and ends that client.
	AskTimeout time.Duration
	// MaxAsks bounds the asks of one client (0 = 1,000,000), so a run stops
	// by itself even against an impossibly fast server.
	MaxAsks int
	// Tag appends a unique invisible tag to every question (see tagText)
	// and records when each was sent and when its first token came, so that
	// a FakeLLM that sees the tag can tell its own time from the server's.
	Tag bool
	// Ramp spreads the clients' first asks evenly over this time (client i
	// starts at i×Ramp/Clients) and leaves the ramp out of the figures:
	// only asks sent after it count, for Duration. Without it (0) every
	// client asks at the same instant and keeps in step with the others
	// when answers all take as long (LLM mode: 100 tokens at a fixed pace),
	// so every ask would land in a burst of Clients asks at once.
	Ramp time.Duration
}

// AskTiming is when one tagged ask was sent and when its first token arrived
// (zero when none did).
type AskTiming struct {
	Tag              string
	Sent, FirstToken time.Time
}

// Result is what one step measured.
type Result struct {
	Target    string
	Clients   int
	Connected int
	Elapsed   time.Duration // from the first ask to the last done
	Answers   int
	Errors    map[string]int // by kind: error codes from the server, dial, read, timeout, closed
	// TTFT is from sending ask to the first token frame (answers that had
	// one); Done is from sending ask to its done frame.
	TTFT, Done Latencies
	Timings    []AskTiming // with Load.Tag
	// Server figures (zero when unknown): peaks while the step ran, and the
	// server's CPU time per answer.
	Server       ServerStats
	ServerKnown  bool
	CPUPerAnswer time.Duration
	// The server's read and write system calls per answer (/proc/<pid>/io;
	// 0 when the server is not our child).
	ReadsPerAnswer, WritesPerAnswer float64
}

// ErrorCount is the total of Errors.
func (r Result) ErrorCount() int {
	n := 0
	for _, v := range r.Errors {
		n += v
	}
	return n
}

// AnswersPerSec is the throughput of the step.
func (r Result) AnswersPerSec() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Answers) / r.Elapsed.Seconds()
}

// dialer is shared by every client: loopback only, bounded handshakes.
var dialer = websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 1024}

// maxParallelDials bounds connection attempts in flight, so that opening a
// thousand clients does not overflow the server's accept backlog.
const maxParallelDials = 32

// Drive runs one step against t: it connects l.Clients clients (each waits
// for ready), then every client asks the questions in turn, each time
// waiting for done, until l.Duration has passed.
func Drive(ctx context.Context, t Target, l Load) (Result, error) {
	if err := CheckLoopback(t.WSURL); err != nil {
		return Result{}, err
	}
	if len(l.Questions) == 0 {
		return Result{}, errors.New("no questions to ask")
	}
	if l.AskTimeout <= 0 {
		l.AskTimeout = 30 * time.Second
	}
	if l.MaxAsks <= 0 {
		l.MaxAsks = 1_000_000
	}
	res := Result{Target: t.Name, Clients: l.Clients, Errors: map[string]int{}}
	conns, dialErrs := dialAll(ctx, t.WSURL, l.Clients)
	for k, v := range dialErrs {
		res.Errors[k] += v
	}
	res.Connected = len(conns)
	defer closeAll(conns)
	if len(conns) == 0 {
		return res, fmt.Errorf("%s: no client could connect (%v)", t.Name, dialErrs)
	}

	sampler := samplePeaks(t.DebugURL, 250*time.Millisecond)
	start := time.Now()
	from := start.Add(l.Ramp) // asks sent from here on count
	stopAt := from.Add(l.Duration)
	outs := make([]clientResult, len(conns))
	var wg sync.WaitGroup
	for i, ws := range conns {
		wg.Go(func() {
			first := start.Add(l.Ramp * time.Duration(i) / time.Duration(len(conns)))
			outs[i] = askLoop(ctx, ws, i, l, first, from, stopAt)
		})
	}
	if wait := time.Until(from); wait > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	cpu0, cpuErr := cpuOf(ctx, t)
	r0, w0, ioErr := syscallsOf(t)
	wg.Wait()
	res.Elapsed = time.Since(from)
	res.Server, res.ServerKnown = sampler.finish()
	cpu1, cpuErr1 := cpuOf(ctx, t)
	r1, w1, ioErr1 := syscallsOf(t)

	var ttft, done []time.Duration
	for _, o := range outs {
		res.Answers += len(o.done)
		ttft = append(ttft, o.ttft...)
		res.Timings = append(res.Timings, o.timings...)
		done = append(done, o.done...)
		for k, v := range o.errors {
			res.Errors[k] += v
		}
	}
	res.TTFT, res.Done = summarize(ttft), summarize(done)
	if cpuErr == nil && cpuErr1 == nil && res.Answers > 0 {
		res.CPUPerAnswer = (cpu1 - cpu0) / time.Duration(res.Answers)
	}
	if ioErr == nil && ioErr1 == nil && res.Answers > 0 {
		res.ReadsPerAnswer = float64(r1-r0) / float64(res.Answers)
		res.WritesPerAnswer = float64(w1-w0) / float64(res.Answers)
	}
	return res, ctx.Err()
}

// syscallsOf is the server's system calls so far, when it is our child.
func syscallsOf(t Target) (reads, writes int64, err error) {
	if t.PID == 0 {
		return 0, 0, errors.New("not our child")
	}
	return Syscalls(t.PID)
}

// cpuOf is the server's CPU time so far: from /proc when it is our child,
// else from its debug listener.
func cpuOf(ctx context.Context, t Target) (time.Duration, error) {
	if t.PID != 0 {
		return CPUTime(t.PID)
	}
	if t.DebugURL == "" {
		return 0, errors.New("server CPU time unknown")
	}
	st, err := FetchStats(ctx, t.DebugURL)
	if err != nil || st.CPUSeconds == 0 {
		return 0, errors.New("server CPU time unknown")
	}
	return time.Duration(st.CPUSeconds * float64(time.Second)), nil
}

// dialAll opens n clients, each past its ready frame, with a bounded number
// of dials in flight. Failures are counted by kind.
func dialAll(ctx context.Context, wsURL string, n int) ([]*websocket.Conn, map[string]int) {
	var mu sync.Mutex
	conns := make([]*websocket.Conn, 0, n)
	errs := map[string]int{}
	sem := make(chan struct{}, maxParallelDials)
	var wg sync.WaitGroup
	for range n {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			ws, err := dialReady(ctx, wsURL)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[dialErrorKind(err)]++
				return
			}
			conns = append(conns, ws)
		})
	}
	wg.Wait()
	return conns, errs
}

// dialReady connects and reads the ready frame.
func dialReady(ctx context.Context, wsURL string) (*websocket.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ws, resp, err := dialer.DialContext(dctx, wsURL, nil)
	if err != nil {
		if resp != nil {
			return nil, &httpStatusError{status: resp.StatusCode}
		}
		return nil, err
	}
	_ = ws.SetReadDeadline(time.Now().Add(15 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		ws.Close()
		return nil, fmt.Errorf("reading ready: %w", err)
	}
	if protocol.PeekType(data) != protocol.TypeReady {
		ws.Close()
		return nil, fmt.Errorf("first frame is not ready: %.100s", data)
	}
	return ws, nil
}

type httpStatusError struct{ status int }

func (e *httpStatusError) Error() string { return "HTTP " + strconv.Itoa(e.status) }

func dialErrorKind(err error) string {
	var he *httpStatusError
	if errors.As(err, &he) {
		return "dial_http_" + strconv.Itoa(he.status)
	}
	return "dial"
}

func closeAll(conns []*websocket.Conn) {
	for _, ws := range conns {
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		ws.Close()
	}
}

type clientResult struct {
	ttft, done []time.Duration
	timings    []AskTiming
	errors     map[string]int
}

// askLoop is one client: from begin on, ask, read until done (or error),
// repeat until stopAt, MaxAsks or the first failure. Only asks sent from
// `from` on are counted.
func askLoop(ctx context.Context, ws *websocket.Conn, client int, l Load, begin, from, stopAt time.Time) clientResult {
	out := clientResult{errors: map[string]int{}}
	if wait := time.Until(begin); wait > 0 {
		select {
		case <-ctx.Done():
			return out
		case <-time.After(wait):
		}
	}
	for n := 0; n < l.MaxAsks && time.Now().Before(stopAt) && ctx.Err() == nil; n++ {
		q := l.Questions[(client+n)%len(l.Questions)]
		id := strconv.Itoa(n)
		var timing AskTiming
		if l.Tag {
			timing.Tag = strconv.Itoa(client) + "-" + id
			q += tagText(timing.Tag)
		}
		sent := time.Now()
		counted := !sent.Before(from)
		timing.Sent = sent
		_ = ws.SetWriteDeadline(sent.Add(l.AskTimeout))
		if err := ws.WriteJSON(protocol.Ask{Type: protocol.TypeAsk, ID: id, Text: q}); err != nil {
			out.errors["write"]++
			return out
		}
		_ = ws.SetReadDeadline(sent.Add(l.AskTimeout))
		first := time.Duration(-1)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				out.errors[readErrorKind(err)]++
				return out
			}
			switch protocol.PeekType(data) {
			case protocol.TypeToken:
				if first < 0 {
					first = time.Since(sent)
					timing.FirstToken = sent.Add(first)
				}
				continue
			case protocol.TypeDone:
				if !counted {
					break
				}
				out.done = append(out.done, time.Since(sent))
				if first >= 0 {
					out.ttft = append(out.ttft, first)
				}
				if l.Tag {
					out.timings = append(out.timings, timing)
				}
			case protocol.TypeError:
				if counted {
					out.errors[errorCode(data)]++
				}
				if errorCode(data) == protocol.CodeRateLimited {
					// Asking again at once would only spin: give up
					// this client, the report says limits are on.
					return out
				}
			default: // sources, ready, …
				continue
			}
			break
		}
	}
	return out
}

// tagText writes a tag such as "12-3" in zero-width characters between two
// word joiners. Retrieval splits words at anything that is not a letter or
// a digit, so the tag changes nothing about the answer (a visible tag would:
// rare words weigh most, and the question would be declined), while the
// fake LLM finds it in the prompt.
func tagText(tag string) string {
	var b strings.Builder
	b.WriteString(tagEdge)
	for _, r := range tag {
		switch {
		case r == '-':
			b.WriteString(tagSep)
		case r >= '0' && r <= '9':
			for bit := 3; bit >= 0; bit-- { // four bits per digit
				if (r-'0')>>bit&1 == 1 {
					b.WriteString(tagOne)
				} else {
					b.WriteString(tagZero)
				}
			}
		}
	}
	b.WriteString(tagEdge)
	return b.String()
}

const (
	tagEdge = "\u2060" // word joiner
	tagZero = "\u200b" // zero width space
	tagOne  = "\u200c" // zero width non-joiner
	tagSep  = "\u200d" // zero width joiner
)

// parseTag finds the last tag in text and decodes it.
func parseTag(text string) (string, bool) {
	end := strings.LastIndex(text, tagEdge)
	if end < 0 {
		return "", false
	}
	start := strings.LastIndex(text[:end], tagEdge)
	if start < 0 {
		return "", false
	}
	var out strings.Builder
	digit, bits := 0, 0
	for _, r := range text[start+len(tagEdge) : end] {
		switch string(r) {
		case tagZero, tagOne:
			digit <<= 1
			if string(r) == tagOne {
				digit |= 1
			}
			if bits++; bits == 4 {
				out.WriteByte(byte('0' + digit))
				digit, bits = 0, 0
			}
		case tagSep:
			out.WriteByte('-')
		default:
			return "", false
		}
	}
	return out.String(), out.Len() > 0 && bits == 0
}

func readErrorKind(err error) string {
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	if websocket.IsCloseError(err, websocket.CloseGoingAway, websocket.CloseMessageTooBig, websocket.CloseNormalClosure) {
		return "closed"
	}
	return "read"
}

func errorCode(data []byte) string {
	var f protocol.Error
	if json.Unmarshal(data, &f) != nil || f.Code == "" {
		return "error"
	}
	return f.Code
}

// AskOnce connects a new client, asks question and returns the text of its
// done frame (for checking what an answer says, not for timing it).
func AskOnce(ctx context.Context, wsURL, question string) (string, error) {
	if err := CheckLoopback(wsURL); err != nil {
		return "", err
	}
	ws, err := dialReady(ctx, wsURL)
	if err != nil {
		return "", err
	}
	defer closeAll([]*websocket.Conn{ws})
	deadline := time.Now().Add(30 * time.Second)
	_ = ws.SetWriteDeadline(deadline)
	if err := ws.WriteJSON(protocol.Ask{Type: protocol.TypeAsk, ID: "1", Text: question}); err != nil {
		return "", fmt.Errorf("asking: %w", err)
	}
	_ = ws.SetReadDeadline(deadline)
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return "", fmt.Errorf("reading the answer: %w", err)
		}
		switch protocol.PeekType(data) {
		case protocol.TypeDone:
			var d protocol.Done
			if err := json.Unmarshal(data, &d); err != nil {
				return "", fmt.Errorf("reading the answer: %w", err)
			}
			return d.Text, nil
		case protocol.TypeError:
			return "", fmt.Errorf("answer: error %s", errorCode(data))
		}
	}
}
