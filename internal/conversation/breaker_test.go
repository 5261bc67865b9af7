package conversation

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/conversation/conversationtest"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/openai/openaitest"
)

// circuitLog records the breaker's metrics.
type circuitLog struct {
	noMetrics
	mu             sync.Mutex
	states         []string
	shortCircuited int
}

func (c *circuitLog) LLMCircuit(state string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.states = append(c.states, state)
}

func (c *circuitLog) LLMShortCircuited() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shortCircuited++
}

// A black-holed model (issue 14, defect 9) cost every question the whole
// LLM timeout. After BreakerFailures consecutive failures the breaker opens
// and questions get the guide's answer with the fallback notice at once,
// without a request upstream; after the cool-down one question probes the
// model, and when it answers again the breaker closes.
func TestCircuitBreakerOpensProbesAndRecovers(t *testing.T) {
	upstream := openaitest.New(t)
	var healthy atomic.Bool
	upstream.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		if healthy.Load() {
			openaitest.Stream(w, []string{"A media specialist", " earns $65,000."}, "stop")
			return
		}
		<-r.Context().Done() // black-holed: headers never come
	})
	var now atomic.Int64
	now.Store(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	metrics := &circuitLog{}
	logs := &syncBuffer{}
	client := openai.NewChatClient(openai.ChatOptions{BaseURL: upstream.BaseURL(), Model: "m", Timeout: 50 * time.Millisecond, RetryBackoff: time.Millisecond, HTTPClient: httpClient(t)})
	svc := New(Config{BreakerFailures: 3, BreakerCooldown: time.Minute}, Deps{
		Index: &conversationtest.Index{}, LLM: client, Metrics: metrics, Now: clock,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	sess := newSession(svc)
	const q = "What salary does a media specialist earn?"
	fallback := func(step string) {
		t.Helper()
		if r := ask(t, sess, step, q); r.done.Notice != noticeFallback || !r.done.Grounded || r.done.Text == "" {
			t.Fatalf("%s: done %+v, want the guide's answer with the fallback notice", step, r.done)
		}
	}
	// Request counts are compared as "at most" while the upstream is
	// black-holed: on a loaded machine a request may time out before it
	// reaches the fake server, which then never sees it.
	for i := range 3 { // three timeouts: the breaker opens
		fallback("timeout " + string(rune('1'+i)))
	}
	opened := len(upstream.Requests())
	if opened > 3 {
		t.Fatalf("%d upstream requests for 3 questions, want at most 3 (no retry once the timeout is spent)", opened)
	}
	for range 5 { // open: no request at all
		fallback("open")
	}
	if n := len(upstream.Requests()); n != opened {
		t.Fatalf("%d upstream requests, want none while the breaker is open", n-opened)
	}
	now.Add(int64(time.Minute + time.Second)) // cool-down over: one probe, still failing
	fallback("failed probe")
	probed := len(upstream.Requests())
	fallback("open again")
	if n := len(upstream.Requests()); probed > opened+1 || n != probed {
		t.Fatalf("%d upstream requests after the cool-down, want at most one probe and then none", n-opened)
	}
	healthy.Store(true)
	now.Add(int64(time.Minute + time.Second))
	if r := ask(t, sess, "probe", q); r.done.Notice != "" || r.done.Text != "A media specialist earns $65,000." {
		t.Fatalf("successful probe: %+v", r.done)
	}
	if r := ask(t, sess, "closed", q); r.done.Notice != "" || len(upstream.Requests()) != probed+2 {
		t.Fatalf("after recovery: %+v, %d requests, want %d", r.done, len(upstream.Requests()), probed+2)
	}
	metrics.mu.Lock()
	defer metrics.mu.Unlock()
	want := []string{CircuitClosed, CircuitOpen, CircuitHalfOpen, CircuitOpen, CircuitHalfOpen, CircuitClosed}
	if len(metrics.states) != len(want) {
		t.Fatalf("states %v, want %v", metrics.states, want)
	}
	for i := range want {
		if metrics.states[i] != want[i] {
			t.Fatalf("states %v, want %v", metrics.states, want)
		}
	}
	if metrics.shortCircuited != 6 {
		t.Errorf("%d answers short-circuited, want 6", metrics.shortCircuited)
	}
	if !contains(logs.String(), "circuit breaker open") || !contains(logs.String(), "circuit breaker is closed") {
		t.Errorf("breaker changes not logged:\n%s", logs.String())
	}
}

// While the probe is out, the other questions do not wait for it.
func TestCircuitBreakerLetsOneProbeThrough(t *testing.T) {
	var now atomic.Int64
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	b := newBreaker(2, time.Minute, clock, slog.New(slog.DiscardHandler), noMetrics{})
	ctx := context.Background()
	for range 2 {
		if !b.allow() {
			t.Fatal("closed breaker refused")
		}
		b.observe(ctx, openai.ErrTimeout)
	}
	if b.allow() {
		t.Fatal("open breaker allowed a request")
	}
	now.Add(int64(2 * time.Minute))
	if probe, second, third := b.allow(), b.allow(), b.allow(); !probe || second || third {
		t.Fatalf("half-open: allowed %v, %v, %v; want exactly one probe", probe, second, third)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	b.observe(cancelled, context.Canceled) // the probe's client left: another may probe
	if !b.allow() {
		t.Fatal("a cancelled probe blocked the next")
	}
	b.observe(ctx, nil)
	if one, two := b.allow(), b.allow(); !one || !two {
		t.Fatal("closed again after a good probe: want every request allowed")
	}
	off := newBreaker(-1, time.Minute, clock, slog.New(slog.DiscardHandler), noMetrics{})
	for range 10 {
		off.observe(ctx, openai.ErrTimeout)
	}
	if !off.allow() {
		t.Error("a disabled breaker opened")
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
