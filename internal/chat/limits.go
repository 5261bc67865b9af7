package chat

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
)

// Connection limit errors.
var (
	ErrTooManyConnsFromIP = errors.New("too many connections from this address")
	ErrTooManyConns       = errors.New("server is at its connection limit")
)

// connLimiter counts open websocket connections per IP and in total; 0 =
// no limit.
type connLimiter struct {
	perIP, total int

	mu    sync.Mutex
	byIP  map[string]int
	count int
}

func newConnLimiter(perIP, total int) *connLimiter {
	return &connLimiter{perIP: perIP, total: total, byIP: map[string]int{}}
}

// acquire claims a slot for a connection from ip, or returns
// ErrTooManyConnsFromIP / ErrTooManyConns. release frees the slot (once,
// however often it is called).
func (l *connLimiter) acquire(ip string) (release func(), err error) {
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
