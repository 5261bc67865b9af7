package chat

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
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

// peerAddr is the IP of a RemoteAddr ("ip:port", "[ip%zone]:port" or a bare
// IP).
func peerAddr(remote string) (netip.Addr, error) {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr(), nil
	}
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	return netip.ParseAddr(host)
}

// ClientIP is the client's address: the TCP peer, or — when the peer is a
// trusted proxy — the nearest untrusted address in X-Forwarded-For, read
// from the right (entries further left are whatever the client wrote). IPv6
// zones are dropped (fe80::1%eth0 and fe80::1%2 are one machine); limits
// apply to ClientKey of it, not to the address itself.
func ClientIP(r *http.Request, trusted []netip.Prefix) string {
	// netip first: net.SplitHostPort refuses a zone holding a "]"
	// ("[::%]]:0", found by FuzzClientIP), which then passed through as a
	// client key of its own instead of the address.
	peer, err := peerAddr(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	peer = peer.Unmap().WithZone("")
	if !IsTrusted(peer, trusted) {
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
		client = a.Unmap().WithZone("")
		if !IsTrusted(client, trusted) {
			break
		}
	}
	return client.String()
}

// DefaultIPv6Prefix is the IPv6 prefix length one client is assumed to hold:
// a /64 is what every home line and most cloud machines get, so counting
// single addresses would give each of them 2^64 identities.
const DefaultIPv6Prefix = 64

// ClientKey is the identity every per-client limit counts against (asks,
// connections, feedback, raw sockets): an IPv4 address as it is, an IPv6
// address cut to its first v6Bits bits, written as a prefix
// ("2001:db8:1:2::/64"). v6Bits ≤ 0 means DefaultIPv6Prefix; 128 counts
// single addresses. A string that is no address is returned as it is.
func ClientKey(addr string, v6Bits int) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	if v6Bits <= 0 {
		v6Bits = DefaultIPv6Prefix
	}
	if v6Bits >= 128 {
		return a.String()
	}
	p, err := a.Prefix(v6Bits)
	if err != nil {
		return a.String()
	}
	return p.String()
}

// IsTrusted reports whether a is in one of the trusted prefixes.
func IsTrusted(a netip.Addr, trusted []netip.Prefix) bool {
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
// Same origin means the same scheme and host: a page served over plain http
// (which anyone on the path can rewrite) is not the https site, and the
// scheme of the request is https only over TLS or when a trusted proxy says
// so in X-Forwarded-Proto.
func originAllowed(r *http.Request, allowed []string, trusted []netip.Prefix) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) && strings.EqualFold(u.Scheme, requestScheme(r, trusted)) {
		return true
	}
	for _, a := range allowed {
		if a == "*" || strings.EqualFold(strings.TrimRight(a, "/"), origin) {
			return true
		}
	}
	return false
}

// requestScheme is "https" for a TLS request or one a trusted proxy
// forwarded from https (its X-Forwarded-Proto, the right-most value), else
// "http".
func requestScheme(r *http.Request, trusted []netip.Prefix) string {
	if r.TLS != nil {
		return "https"
	}
	proto := r.Header.Values("X-Forwarded-Proto")
	if len(proto) == 0 {
		return "http"
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !IsTrusted(peer.Unmap().WithZone(""), trusted) {
		return "http"
	}
	last := proto[len(proto)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	if strings.EqualFold(strings.TrimSpace(last), "https") {
		return "https"
	}
	return "http"
}

// hostAllowed: with no public hosts configured every Host is accepted;
// otherwise the request's Host must be one of them (case-insensitive; an
// entry without a port matches the host on any port). Pinning the Host
// defeats DNS rebinding: a page on attacker.example whose name now points
// at the bot sends Host: attacker.example.
func hostAllowed(host string, public []string) bool {
	if len(public) == 0 {
		return true
	}
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	for _, p := range public {
		if strings.EqualFold(p, host) || strings.EqualFold(p, name) {
			return true
		}
	}
	return false
}

// LogSampler keeps warnings about refused clients (and other floods an
// outsider can cause) from flooding the log: at most one line per reason
// and interval, the next one telling how many were left out meanwhile. The
// counts in the metrics stay exact. Reasons are a fixed set chosen by the
// code, never a client's value, so its maps stay a few entries small.
type LogSampler struct {
	every time.Duration
	mu    sync.Mutex
	last  map[string]time.Time
	quiet map[string]int
}

// NewLogSampler lets one line per reason through every interval.
func NewLogSampler(every time.Duration) *LogSampler {
	return &LogSampler{every: every, last: map[string]time.Time{}, quiet: map[string]int{}}
}

// Allow reports whether a line for reason may be logged now, and how many
// lines for it were suppressed since the last one.
func (l *LogSampler) Allow(reason string, now time.Time) (ok bool, suppressed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if last, seen := l.last[reason]; seen && now.Sub(last) < l.every {
		l.quiet[reason]++
		return false, 0
	}
	l.last[reason] = now
	suppressed = l.quiet[reason]
	delete(l.quiet, reason)
	return true, suppressed
}

// Warn logs msg at warn level when Allow lets reason through now, adding
// how many lines were suppressed since the last one.
func (l *LogSampler) Warn(log *slog.Logger, now time.Time, reason, msg string, args ...any) {
	ok, suppressed := l.Allow(reason, now)
	if !ok {
		return
	}
	if suppressed > 0 {
		args = append(args, "suppressed", suppressed)
	}
	log.Warn(msg, args...)
}

// maxLoggedHeader is how much of a client-chosen header value a log line
// keeps: enough to recognise it, not enough to fill the disk (an Origin
// may be 15 KB).
const maxLoggedHeader = 120

// clipHeader shortens an untrusted header value for a log line.
func clipHeader(v string) string {
	if len(v) <= maxLoggedHeader {
		return v
	}
	return strings.ToValidUTF8(v[:maxLoggedHeader], "") + fmt.Sprintf("…(%d bytes)", len(v))
}

// privateOnly serves h only to clients on loopback or a private network
// (RFC 1918, fc00::/7, link-local), to those in allow, or to anyone when
// anyone is set; others get 404, as if there were no metrics. The client is
// ClientIP: behind a trusted proxy, the visitor it forwards, not the
// proxy.
func privateOnly(h http.Handler, trusted, allow []netip.Prefix, anyone bool) http.Handler {
	if anyone {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := netip.ParseAddr(ClientIP(r, trusted))
		if err != nil || !(a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || IsTrusted(a, allow)) {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}
