package chat

import (
	"sync"
	"time"
)

// fakeClock is a clock that moves only when a test calls advance. Timers
// due by then fire in order, on the caller's goroutine, so that when advance
// returns their callbacks have run (a ping has been written, an idle
// connection's close frame queued). Read deadlines are timers too: when one
// passes, the socket's real deadline is set in the past and the reader's
// next read fails, as a real deadline would make it; until then the socket
// has no real deadline, so a slow machine never cuts a connection the test
// is still using.
type fakeClock struct {
	mu        sync.Mutex
	now       time.Time
	timers    []*fakeTimer
	deadlines map[readDeadliner]*fakeTimer
	readAt    map[readDeadliner]time.Time // the read deadline last set on each socket
	seq       int                         // timers armed so far
}

func newFakeClock() *fakeClock {
	return &fakeClock{
		now:       time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC),
		deadlines: map[readDeadliner]*fakeTimer{},
		readAt:    map[readDeadliner]time.Time{},
	}
}

type fakeTimer struct {
	c      *fakeClock
	at     time.Time
	seq    int // order of arming: timers due at the same time fire in it
	f      func()
	active bool
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, f: f}
	t.arm(d)
	c.timers = append(c.timers, t)
	return t
}

// arm sets t to fire d from now; c.mu held.
func (t *fakeTimer) arm(d time.Duration) {
	t.c.seq++
	t.at, t.seq, t.active = t.c.now.Add(d), t.c.seq, true
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.active
	t.active = false
	return was
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.active
	t.arm(d)
	return was
}

func (c *fakeClock) SetReadDeadline(ws readDeadliner, at time.Time) error {
	c.mu.Lock()
	t := c.deadlines[ws]
	if t == nil {
		t = &fakeTimer{c: c, f: func() { _ = ws.SetReadDeadline(time.Unix(1, 0)) }}
		c.deadlines[ws] = t
		c.timers = append(c.timers, t)
	}
	t.arm(at.Sub(c.now))
	c.readAt[ws] = at
	c.mu.Unlock()
	// No real deadline until the fake one passes (it may already have:
	// then the timer fires at the next advance).
	return ws.SetReadDeadline(time.Time{})
}

// advance moves the clock d on, firing the timers due on the way, in
// order, each at its own time (a callback that re-arms its timer within the
// step fires again).
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	for {
		var next *fakeTimer
		for _, t := range c.timers {
			if t.active && !t.at.After(end) && (next == nil || t.at.Before(next.at) || t.at.Equal(next.at) && t.seq < next.seq) {
				next = t
			}
		}
		if next == nil {
			break
		}
		if next.at.After(c.now) {
			c.now = next.at
		}
		next.active = false
		c.mu.Unlock()
		next.f()
		c.mu.Lock()
	}
	c.now = end
	c.mu.Unlock()
}

// readDeadline is the read deadline last set on ws, on this clock.
func (c *fakeClock) readDeadline(ws readDeadliner) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readAt[ws]
}
