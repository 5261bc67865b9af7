package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
)

// limitSockets wraps the chat listener so that one client can never hold
// more than perIP TCP connections (websockets, keep-alive requests and
// half-open handshakes alike): the next one is closed as soon as it is
// accepted. A client is chat.ClientKey of the peer address (an IPv4 address
// or an IPv6 prefix). Trusted proxies are exempt, since every client behind
// them shares their address; the websocket caps still count those clients
// one by one from X-Forwarded-For. perIP ≤ 0 returns ln unchanged.
func limitSockets(ln net.Listener, perIP, v6Bits int, trusted []netip.Prefix, logger *slog.Logger, onRefused func()) net.Listener {
	if perIP <= 0 {
		return ln
	}
	if onRefused == nil {
		onRefused = func() {}
	}
	return &socketLimiter{Listener: ln, perIP: perIP, v6Bits: v6Bits, trusted: trusted, log: logger, onRefused: onRefused, open: map[string]int{}}
}

type socketLimiter struct {
	net.Listener
	perIP     int
	v6Bits    int
	trusted   []netip.Prefix
	log       *slog.Logger
	onRefused func()

	mu      sync.Mutex
	open    map[string]int
	lastLog time.Time
	quiet   int
}

// Accept returns the next connection within the cap; connections past it
// are closed here and never reach the HTTP server.
func (l *socketLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		peer, ok := peerAddr(c.RemoteAddr())
		if !ok || chat.IsTrusted(peer, l.trusted) {
			return c, nil
		}
		key := chat.ClientKey(peer.String(), l.v6Bits)
		l.mu.Lock()
		if l.open[key] >= l.perIP {
			l.refusedLocked(key)
			l.mu.Unlock()
			c.Close()
			l.onRefused()
			continue
		}
		l.open[key]++
		l.mu.Unlock()
		return &countedConn{Conn: c, release: func() { l.release(key) }}, nil
	}
}

// refusedLocked logs a refusal, one line a second at most.
func (l *socketLimiter) refusedLocked(key string) {
	if now := time.Now(); now.Sub(l.lastLog) >= time.Second {
		l.log.Warn("connection refused: too many open connections from this address", "client", key, "limit", l.perIP, "suppressed", l.quiet)
		l.lastLog, l.quiet = now, 0
		return
	}
	l.quiet++
}

func (l *socketLimiter) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key]--; l.open[key] <= 0 {
		delete(l.open, key)
	}
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
