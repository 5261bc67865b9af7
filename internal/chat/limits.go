package chat

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Connection limit errors.
var (
	ErrTooManyConnsFromIP = errors.New("too many connections from this address")
	ErrTooManyConns       = errors.New("server is at its connection limit")
)

// MemoryRateLimiter is a token bucket per key (golang.org/x/time/rate): perMinute
// asks a minute on average, with bursts of up to a sixth of a minute's worth
// (at least 1, at most 10) so that a flood is cut off quickly while a person
// asking a few quick follow-ups is not.
type MemoryRateLimiter struct {
	perMinute int
	burst     int
	now       func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewMemoryRateLimiter returns a limiter; perMinute 0 allows everything.
func NewMemoryRateLimiter(perMinute int, now func() time.Time) *MemoryRateLimiter {
	if now == nil {
		now = time.Now
	}
	return &MemoryRateLimiter{perMinute: perMinute, burst: RateBurst(perMinute), now: now, buckets: map[string]*bucket{}}
}

// RateBurst is how many asks a client may make at once under a limit of
// perMinute: a sixth of a minute's worth, at least 1, at most 10. Shared
// limiters (Redis) use the same figure so that limits do not change when a
// deployment grows from one replica to several.
func RateBurst(perMinute int) int { return min(max(perMinute/6, 1), 10) }

// Allow implements RateLimiter.
func (l *MemoryRateLimiter) Allow(_ context.Context, key string) bool {
	if l.perMinute <= 0 {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	// Buckets idle for long enough to be full again carry no information:
	// drop them now and then so the map does not grow without bound.
	idle := time.Duration(l.burst) * time.Minute / time.Duration(l.perMinute)
	if now.Sub(l.lastSweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > idle {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// MemoryConnLimiter counts connections per IP and in total; 0 = no limit.
type MemoryConnLimiter struct {
	perIP, total int

	mu    sync.Mutex
	byIP  map[string]int
	count int
}

// NewMemoryConnLimiter returns a counter with the given caps.
func NewMemoryConnLimiter(perIP, total int) *MemoryConnLimiter {
	return &MemoryConnLimiter{perIP: perIP, total: total, byIP: map[string]int{}}
}

// Acquire implements ConnLimiter.
func (l *MemoryConnLimiter) Acquire(ip string) (func(), error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.total > 0 && l.count >= l.total {
		return nil, ErrTooManyConns
	}
	if l.perIP > 0 && l.byIP[ip] >= l.perIP {
		return nil, ErrTooManyConnsFromIP
	}
	l.count++
	l.byIP[ip]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.count--
			if l.byIP[ip]--; l.byIP[ip] <= 0 {
				delete(l.byIP, ip)
			}
		})
	}, nil
}

// Open implements ConnLimiter.
func (l *MemoryConnLimiter) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count
}

// clientIP is the address limits apply to: the TCP peer, or — when the peer
// is a trusted proxy — the nearest untrusted address in X-Forwarded-For,
// read from the right (entries further left are whatever the client wrote).
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		a, err := netip.ParseAddr(hop)
		if err != nil {
			break // garbage: stop at the last address we could trust
		}
		client = a.Unmap()
		if !isTrusted(client, trusted) {
			break
		}
	}
	return client.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// originAllowed: requests without Origin (non-browser clients) and
// same-origin pages are allowed; cross-origin pages only when listed exactly
// (scheme://host[:port], case-insensitive) or when the list holds "*".
func originAllowed(r *http.Request, allowed []string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, a := range allowed {
		if a == "*" || strings.EqualFold(strings.TrimRight(a, "/"), origin) {
			return true
		}
	}
	return false
}
