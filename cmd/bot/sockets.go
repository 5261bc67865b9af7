package main

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
)

// socketLimits are the caps on raw TCP connections, applied as they are
// accepted, before a byte is read: websockets, keep-alive requests and
// half-open handshakes alike each hold a file descriptor.
type socketLimits struct {
	// perIP caps one client's connections: a client is chat.ClientKey of
	// the peer address (an IPv4 address or an IPv6 prefix of v6Bits bits),
	// the same identity every other per-client limit counts. Trusted
	// proxies are exempt, since every client behind them shares their
	// address; the websocket caps still count those clients one by one
	// from X-Forwarded-For. 0 = off.
	perIP   int
	v6Bits  int
	trusted []netip.Prefix
	// total caps all connections, proxies' included, below the open-file
	// limit, so that the bot keeps descriptors for its own files, Redis
	// and the LLM however many clients come. 0 = off.
	total int
	// onRefused counts a connection closed at accept, by reason
	// (sockets_per_ip or sockets_total).
	onRefused func(reason string)
}

// Reasons a connection is closed at accept (metrics label and log sampling).
const (
	refusedSocketsPerIP = "sockets_per_ip"
	refusedSocketsTotal = "sockets_total"
)

// limitSockets wraps the chat listener with lim. It also retries accept
// errors that say the process is out of descriptors or buffers (EMFILE,
// ENFILE, ENOBUFS, ENOMEM) itself, backing off from 5 ms to 1 s and
// logging one line a second at most, instead of handing each one to
// net/http, which logs every retry.
func limitSockets(ln net.Listener, lim socketLimits, logger *slog.Logger) *socketLimiter {
	if lim.onRefused == nil {
		lim.onRefused = func(string) {}
	}
	l := &socketLimiter{
		Listener: ln, lim: lim, log: logger,
		sampler: chat.NewLogSampler(time.Second),
		now:     time.Now,
		open:    map[string]int{},
		closed:  make(chan struct{}),
	}
	l.pause = l.wait
	return l
}

type socketLimiter struct {
	net.Listener
	lim     socketLimits
	log     *slog.Logger
	sampler *chat.LogSampler
	// now and pause are the clock and the back-off sleep (tests replace
	// them; pause returns early once the listener is closed).
	now   func() time.Time
	pause func(time.Duration)

	mu    sync.Mutex
	open  map[string]int // by client, for perIP
	count int            // all open, for total

	closeOnce sync.Once
	closed    chan struct{}
}

// maxAcceptDelay is the longest back-off between accept retries, as
// net/http's own.
const maxAcceptDelay = time.Second

// Accept returns the next connection within the caps; connections past
// them are closed here and never reach the HTTP server.
func (l *socketLimiter) Accept() (net.Conn, error) {
	var delay time.Duration
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			if !retryableAccept(err) {
				return nil, err
			}
			delay = min(max(2*delay, 5*time.Millisecond), maxAcceptDelay)
			l.warn("accept", "accepting a connection failed; retrying", "err", err, "retry_in", delay)
			l.pause(delay)
			continue // a closed listener's Accept now fails for good
		}
		delay = 0
		key, reason := l.admit(c.RemoteAddr())
		if reason != "" {
			c.Close()
			l.lim.onRefused(reason)
			continue
		}
		return &countedConn{Conn: c, release: func() { l.release(key) }}, nil
	}
}

// admit claims a slot for a connection from addr and returns its client
// key ("" when it counts only towards the total), or the reason it is
// refused.
func (l *socketLimiter) admit(addr net.Addr) (key, reason string) {
	if l.lim.perIP > 0 {
		if peer, ok := peerAddr(addr); ok && !chat.IsTrusted(peer, l.lim.trusted) {
			key = chat.ClientKey(peer.String(), l.lim.v6Bits)
		}
	}
	l.mu.Lock()
	switch {
	case l.lim.total > 0 && l.count >= l.lim.total:
		reason = refusedSocketsTotal
	case key != "" && l.open[key] >= l.lim.perIP:
		reason = refusedSocketsPerIP
	default:
		l.count++
		if key != "" {
			l.open[key]++
		}
	}
	l.mu.Unlock()
	switch reason {
	case refusedSocketsTotal:
		l.warn(reason, "connection refused at accept: the server holds as many connections as it may (BOT_MAX_SOCKETS)", "limit", l.lim.total)
	case refusedSocketsPerIP:
		l.warn(reason, "connection refused at accept: too many open connections from this client (BOT_MAX_SOCKETS_PER_IP)", "client", key, "limit", l.lim.perIP)
	}
	return key, reason
}

func (l *socketLimiter) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.count--
	if key == "" {
		return
	}
	if l.open[key]--; l.open[key] <= 0 {
		delete(l.open, key)
	}
}

// warn logs a warning an outsider can cause, sampled per reason.
func (l *socketLimiter) warn(reason, msg string, args ...any) {
	l.sampler.Warn(l.log, l.now(), reason, msg, args...)
}

// Close closes the listener and ends a back-off in progress.
func (l *socketLimiter) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// wait is pause in production: a timer, cut short by Close.
func (l *socketLimiter) wait(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-l.closed:
	}
}

// retryableAccept reports whether an accept error is the process running
// out of something that comes back (descriptors, kernel buffers), rather
// than the listener being closed or broken.
func retryableAccept(err error) bool {
	for _, e := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// countedConn gives its slot back once, on the first Close (net/http and a
// hijacking websocket may both close it).
type countedConn struct {
	net.Conn
	released atomic.Bool
	release  func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	if c.released.CompareAndSwap(false, true) {
		c.release()
	}
	return err
}

func peerAddr(a net.Addr) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap().WithZone(""), true
}

// openFileLimit is the process's limit on open files (RLIMIT_NOFILE; Go
// raises the soft limit to the hard one at start), or 0 when unknown or
// unlimited.
func openFileLimit() uint64 {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur > 1<<31 {
		return 0
	}
	return lim.Cur
}

// autoSocketCap is the total socket cap when BOT_MAX_SOCKETS is 0: three
// quarters of the open-file limit nofile, the last quarter kept for the
// bot's own files, Redis, the LLM's connections (up to 256 kept idle) and
// the other listeners. 0 (off) when the limit is unknown.
func autoSocketCap(nofile uint64) int {
	return int(nofile / 4 * 3)
}

// capIdle is an http.Server ConnState hook that keeps at most max plain
// HTTP connections idle between requests: one that goes idle past the cap
// is closed (its client opens a new one when it needs it). Together with
// the short IdleTimeout this keeps keep-alive connections from piling up.
func capIdle(max int) func(net.Conn, http.ConnState) {
	var mu sync.Mutex
	idle := map[net.Conn]struct{}{}
	return func(c net.Conn, state http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch state {
		case http.StateIdle:
			if len(idle) >= max {
				c.Close()
				return
			}
			idle[c] = struct{}{}
		default: // active, hijacked or closed: no longer idle
			delete(idle, c)
		}
	}
}
