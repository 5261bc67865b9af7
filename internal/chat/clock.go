package chat

import "time"

// clock is the time a connection's keep-alive, idle and read-deadline logic
// runs on: the wall clock in production (wallClock, which only forwards to
// package time and to the socket). Tests put a fake one in Config.clock to
// drive the ping and idle timers and the read deadlines step by step, so
// that what they assert (an idle connection is closed, an active one is
// not; a client that answers pings stays, a silent one is cut) does not
// depend on how fast a loaded machine schedules them (clock_test.go).
type clock interface {
	Now() time.Time
	// AfterFunc calls f on its own goroutine once d has passed, as
	// time.AfterFunc does.
	AfterFunc(d time.Duration, f func()) timer
	// SetReadDeadline makes reads from ws fail from t on, t being a time
	// of this clock.
	SetReadDeadline(ws readDeadliner, t time.Time) error
}

// timer is the part of *time.Timer a connection uses.
type timer interface {
	Stop() bool
	Reset(d time.Duration) bool
}

// readDeadliner is a connection with a read deadline (*websocket.Conn).
type readDeadliner interface {
	SetReadDeadline(t time.Time) error
}

// wallClock is the real time.
type wallClock struct{}

func (wallClock) Now() time.Time                                      { return time.Now() }
func (wallClock) AfterFunc(d time.Duration, f func()) timer           { return time.AfterFunc(d, f) }
func (wallClock) SetReadDeadline(ws readDeadliner, t time.Time) error { return ws.SetReadDeadline(t) }
