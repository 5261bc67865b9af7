package chat

import (
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/careerbot/careerbot/internal/conversation"
)

// Defaults for settings whose zero value means nothing; cmd/bot's settings
// table uses them.
const (
	DefaultMaxQuestion = 1000     // longest question in characters
	DefaultReadLimit   = 16 << 10 // largest websocket frame in bytes
	DefaultIdleTimeout = 5 * time.Minute
)

// Config holds the transport's limits. Zero values take the defaults
// documented on each field.
type Config struct {
	AllowedOrigins []string       // cross-origin browser origins allowed; "*" = any
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed
	IPv6Prefix     int            // bits of an IPv6 address that name one client (DefaultIPv6Prefix)
	PublicHosts    []string       // Host values served (host or host:port); empty = any
	MaxQuestion    int            // longest question in characters (DefaultMaxQuestion)
	ReadLimit      int64          // largest frame in bytes (DefaultReadLimit)
	MaxConnsPerIP  int            // open connections per client IP (0 = off)
	MaxConns       int            // open connections in total (0 = off)
	IdleTimeout    time.Duration  // a websocket that asks nothing this long is closed (DefaultIdleTimeout)

	// Tuning that has no setting; tests shorten them.
	SendBuffer   int           // frames queued per connection before it counts as not reading (64)
	WriteTimeout time.Duration // per frame (10s)
	PongTimeout  time.Duration // a connection silent this long is dead (60s); pings go at 9/10 of it
	// The per-connection message budget, for every message type: FrameRate
	// a second on average (2; none when negative, or when zero and the
	// answer service has no ask limit: limits off for a load test means all
	// of them), bursts of FrameBurst (60); past it messages get
	// rate_limited, and after MaxRefusedFrames of those (20) the connection
	// is closed with 1008.
	FrameRate        float64
	FrameBurst       int
	MaxRefusedFrames int

	// clock drives the connections' timers and read deadlines (wallClock
	// when nil); tests set a fake one.
	clock clock
}

func (c Config) withDefaults() Config {
	if c.MaxQuestion <= 0 {
		c.MaxQuestion = DefaultMaxQuestion
	}
	if c.IPv6Prefix <= 0 {
		c.IPv6Prefix = DefaultIPv6Prefix
	}
	if c.ReadLimit <= 0 {
		c.ReadLimit = DefaultReadLimit
	}
	if c.SendBuffer <= 0 {
		c.SendBuffer = 64
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = 10 * time.Second
	}
	if c.PongTimeout <= 0 {
		c.PongTimeout = 60 * time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	switch {
	case c.FrameRate < 0:
		c.FrameRate = float64(rate.Inf)
	case c.FrameRate == 0:
		c.FrameRate = 2
	}
	if c.FrameBurst <= 0 {
		c.FrameBurst = 60
	}
	if c.MaxRefusedFrames <= 0 {
		c.MaxRefusedFrames = 20
	}
	if c.clock == nil {
		c.clock = wallClock{}
	}
	return c
}

// ParseTrustedProxies parses trusted proxy entries: IPs or CIDRs.
func ParseTrustedProxies(entries []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want an IP or a CIDR", e)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Metrics receives the transport's countable events, each from exactly one
// place in the code (the answers' own are conversation.Metrics). The default
// does nothing; a metrics exporter can implement it.
type Metrics interface {
	ConnOpened()
	ConnClosed()
	// ConnRejected: reason is origin, host, per_ip, total, not_ready or
	// draining (cmd/bot adds sockets_per_ip and sockets_total, for TCP
	// connections it cuts at accept).
	ConnRejected(reason string)
	// AskRejected: code is bad_request, too_large, rate_limited or busy.
	AskRejected(code string)
}

type noMetrics struct{}

func (noMetrics) ConnOpened()         {}
func (noMetrics) ConnClosed()         {}
func (noMetrics) ConnRejected(string) {}
func (noMetrics) AskRejected(string)  {}

// Deps are the server's collaborators. Answers is required.
type Deps struct {
	Answers *conversation.Service // answers the questions; its readiness is the server's
	Metrics Metrics
	Logger  *slog.Logger
}
