package conversation

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/careerbot/careerbot/internal/openai"
)

// Defaults of the model's circuit breaker.
const (
	DefaultBreakerFailures = 5                // consecutive model failures that open it
	DefaultBreakerCooldown = 30 * time.Second // how long it stays open before a probe
)

// States of the circuit breaker, for Metrics.LLMCircuit and logs.
const (
	CircuitClosed   = "closed"    // the model is asked
	CircuitOpen     = "open"      // answers come from the guides at once, with the fallback notice
	CircuitHalfOpen = "half_open" // one probe asks the model; the rest come from the guides
)

// breaker is the model's circuit breaker. Without it a black-holed model
// cost every question the whole LLM timeout before the fallback, for as
// long as the outage lasted. After failures consecutive failures before a
// first token it opens: for cooldown every answer is the guide's own, at
// once, with the fallback notice. Then one question probes the model
// (half-open) while the others keep getting the guide's answer; a probe
// that brings tokens closes the breaker, one that fails opens it again.
// Cancelled answers tell nothing either way.
type breaker struct {
	failures int // ≤ 0: no breaker
	cooldown time.Duration
	now      func() time.Time
	log      *slog.Logger
	metrics  Metrics

	mu      sync.Mutex
	state   string
	streak  int       // consecutive failures while closed
	until   time.Time // when an open breaker lets a probe through
	probing bool      // a probe is in flight (half-open)
}

func newBreaker(failures int, cooldown time.Duration, now func() time.Time, log *slog.Logger, m Metrics) *breaker {
	b := &breaker{failures: failures, cooldown: cooldown, now: now, log: log, metrics: m, state: CircuitClosed}
	m.LLMCircuit(CircuitClosed)
	return b
}

// allow reports whether this answer may ask the model. When it returns
// true, exactly one of success, failure or release must follow.
func (b *breaker) allow() bool {
	if b.failures <= 0 {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case CircuitOpen:
		if b.now().Before(b.until) {
			return false
		}
		b.setState(CircuitHalfOpen)
		b.probing = true
		return true
	case CircuitHalfOpen:
		if b.probing {
			return false
		}
		b.probing = true
		return true
	}
	return true
}

// success: the model answered (tokens arrived, even if the answer was cut).
func (b *breaker) success() {
	if b.failures <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.streak, b.probing = 0, false
	if b.state != CircuitClosed {
		b.setState(CircuitClosed)
		b.log.Info("LLM answers again: the circuit breaker is closed")
	}
}

// failure: the model failed before its first token.
func (b *breaker) failure() {
	if b.failures <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
	b.streak++
	if b.state == CircuitHalfOpen || b.streak >= b.failures {
		b.until = b.now().Add(b.cooldown)
		if b.state != CircuitOpen {
			b.log.Warn("LLM circuit breaker open: answering from the guides at once, then probing the model again",
				"consecutive_failures", b.streak, "cooldown", b.cooldown)
		}
		b.setState(CircuitOpen)
	}
}

// release: the answer allowed ended without telling whether the model
// works (cancelled by the client or a shutdown).
func (b *breaker) release() {
	if b.failures <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
}

// observe ends an answer allow let through with what the model did: err
// from Streamer.Stream, in ctx.
func (b *breaker) observe(ctx context.Context, err error) {
	switch {
	case ctx.Err() != nil:
		b.release()
	case err == nil || errors.Is(err, openai.ErrTruncated):
		b.success() // tokens came
	default:
		b.failure()
	}
}

// setState records a state change; the lock is held.
func (b *breaker) setState(state string) {
	if b.state == state {
		return
	}
	b.state = state
	b.metrics.LLMCircuit(state)
}
