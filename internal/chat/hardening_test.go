package chat

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/protocol"
)

// One client behind a /64 is one client to every limit, however many of its
// 2^64 addresses it uses; zones do not split a client either.
func TestClientKeyGroupsAnIPv6PrefixAndDropsZones(t *testing.T) {
	tests := []struct {
		addr string
		bits int
		want string
	}{
		{"203.0.113.7", 0, "203.0.113.7"},
		{"::ffff:203.0.113.7", 0, "203.0.113.7"},
		{"2001:db8:1:2::5", 0, "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff:ffff:ffff:ffff", 64, "2001:db8:1:2::/64"},
		{"2001:db8:1:2::5", 48, "2001:db8:1::/48"},
		{"2001:db8:1:2::5", 128, "2001:db8:1:2::5"},
		{"fe80::1%eth0", 0, "fe80::/64"},
		{"fe80::1%eth0", 128, "fe80::1"},
		{"not an address", 0, "not an address"},
	}
	for _, tt := range tests {
		if got := ClientKey(tt.addr, tt.bits); got != tt.want {
			t.Errorf("ClientKey(%q, %d) = %q, want %q", tt.addr, tt.bits, got, tt.want)
		}
	}
	r := httptest.NewRequest("GET", "/ws", nil)
	r.RemoteAddr = "[fe80::1%2]:5000"
	if got := ClientIP(r, nil); got != "fe80::1" {
		t.Errorf("zoned peer: clientIP = %q, want fe80::1", got)
	}
}

// Behind a trusted proxy, fifty addresses of one /64 share one connection
// cap: the third connection from the prefix is refused, another prefix is
// served.
func TestConnCapCountsAnIPv6PrefixAsOneClient(t *testing.T) {
	ts := startServer(t, Config{MaxConnsPerIP: 2, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}, conversation.Config{}, conversation.Deps{})
	dial := func(xff string) (*websocket.Conn, *http.Response, error) {
		return websocket.DefaultDialer.Dial(ts.wsURL, http.Header{"X-Forwarded-For": {xff}})
	}
	for _, a := range []string{"2001:db8:1:2::1", "2001:db8:1:2::2"} {
		ws, _, err := dial(a)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		defer ws.Close()
	}
	for i := range 50 {
		a := fmt.Sprintf("2001:db8:1:2:%x::%x", i, i+7)
		ws, resp, err := dial(a)
		if err == nil {
			ws.Close()
			t.Fatalf("%s from the same /64 passed the cap", a)
		}
		if resp == nil || resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("%s: %v %v, want 429", a, resp, err)
		}
	}
	ws, _, err := dial("2001:db8:1:3::1")
	if err != nil {
		t.Fatalf("another /64: %v", err)
	}
	ws.Close()
}

// The ask budget is per prefix too: asks from rotating addresses of one /64
// run out together.
func TestAskLimitCountsAnIPv6PrefixAsOneClient(t *testing.T) {
	ts := startServer(t, Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}, conversation.Config{RateLimit: 6}, conversation.Deps{})
	answered := 0
	for i := range 10 {
		ws, _, err := websocket.DefaultDialer.Dial(ts.wsURL, http.Header{"X-Forwarded-For": {fmt.Sprintf("2001:db8:7:7::%x", i+1)}})
		if err != nil {
			t.Fatal(err)
		}
		c := &client{t: t, ws: ws}
		c.ready = c.read()
		if r := c.answer("q", "What salary does a media specialist earn?"); r.err.Type == "" {
			answered++
		} else if r.err.Code != protocol.CodeRateLimited {
			t.Fatalf("ask %d: %+v", i, r.err)
		}
		ws.Close()
	}
	if answered != conversation.RateBurst(6) {
		t.Errorf("%d answers from one /64, want the burst of %d", answered, conversation.RateBurst(6))
	}
}

// A connection that asks nothing is closed with 1000 "idle" once
// IdleTimeout has passed since it opened, not a moment before; one that asks
// every half timeout stays open through several timeouts, and is closed a
// timeout after its last answer. The clock is fake (clock_test.go): the
// test moves it, so how long the machine takes to answer does not count.
func TestIdleWebsocketIsClosed(t *testing.T) {
	const idle = 300 * time.Millisecond
	fc := newFakeClock()
	ts := startServer(t, Config{IdleTimeout: idle, clock: fc}, conversation.Config{}, conversation.Deps{})
	wantIdleClose := func(c *client, sc *conn, after string) {
		t.Helper()
		fc.advance(idle - time.Millisecond)
		if sc.closing.Load() {
			t.Fatalf("closed %v after %s, before the idle timeout", idle-time.Millisecond, after)
		}
		fc.advance(time.Millisecond)
		_, err := c.tryRead()
		var ce *websocket.CloseError
		if !errorsAs(err, &ce) || ce.Code != websocket.CloseNormalClosure || ce.Text != idleCloseReason {
			t.Fatalf("idle for %v after %s: %v, want close 1000 %q", idle, after, err, idleCloseReason)
		}
	}
	c := ts.dial(t, "")
	sc := ts.onlyConn(t, nil)
	wantIdleClose(c, sc, "opening")

	busy := ts.dial(t, "")
	bsc := ts.onlyConn(t, sc)
	for i := range 4 {
		fc.advance(idle / 2)
		if r := busy.answer("q", "What salary does a media specialist earn?"); r.err.Type != "" {
			t.Fatalf("ask %d on an active connection (%v after it opened): %+v", i, time.Duration(i+1)*idle/2, r.err)
		}
	}
	wantIdleClose(busy, bsc, "the last answer")
}

// onlyConn is the server's one live connection other than except.
func (ts *testServer) onlyConn(t *testing.T, except *conn) *conn {
	t.Helper()
	var found []*conn
	for _, c := range ts.liveConns() {
		if c != except {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d live connections, want 1", len(found))
	}
	return found[0]
}

// Every message type counts against the connection's budget: past it the
// client gets rate_limited (with the message's id), and after
// MaxRefusedFrames of those the connection is closed with 1008.
func TestFrameBudgetCoversEveryMessageType(t *testing.T) {
	for _, msg := range []string{`{"type":"reset","id":"r"}`, `{"type":"nonsense","id":"x"}`, `{"type":"cancel","id":"c"}`} {
		t.Run(msg, func(t *testing.T) {
			ts := startServer(t, Config{FrameBurst: 5, FrameRate: 0.001, MaxRefusedFrames: 3}, conversation.Config{}, conversation.Deps{})
			c := ts.dial(t, "")
			limited := 0
			for range 5 + 3 + 1 + 10 {
				if err := c.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
					break // closed: the rest is not sent
				}
			}
			for {
				f, err := c.tryRead()
				if err != nil {
					var ce *websocket.CloseError
					if !errorsAs(err, &ce) || ce.Code != websocket.ClosePolicyViolation {
						t.Fatalf("after %d rate_limited: %v, want close 1008", limited, err)
					}
					break
				}
				if f.Type == protocol.TypeError && f.Code == protocol.CodeRateLimited {
					if f.ID == "" {
						t.Errorf("rate_limited without the message's id: %s", f.raw)
					}
					limited++
				}
			}
			if limited != 4 {
				t.Errorf("%d rate_limited frames before the close, want 4", limited)
			}
		})
	}
}

// A text frame that is not UTF-8 closes the connection with 1007.
func TestInvalidUTF8ClosesWith1007(t *testing.T) {
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{})
	c := ts.dial(t, "")
	c.write("{\"type\":\"ask\",\"id\":\"1\",\"text\":\"salary \xff\xfe\"}")
	if code := c.closeCode(); code != websocket.CloseInvalidFramePayloadData {
		t.Errorf("close code %d, want 1007", code)
	}
}

func TestSameOriginComparesTheScheme(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")}
	tests := []struct {
		name, origin, remote, proto string
		tls, want                   bool
	}{
		{"same scheme and host", "http://bot.example", "203.0.113.1:1", "", false, true},
		{"http page, https server", "http://bot.example", "203.0.113.1:1", "", true, false},
		{"https page, plain server", "https://bot.example", "203.0.113.1:1", "", false, false},
		{"https page behind a trusted TLS proxy", "https://bot.example", "10.0.0.1:1", "https", false, true},
		{"http page behind a trusted TLS proxy", "http://bot.example", "10.0.0.1:1", "https", false, false},
		{"X-Forwarded-Proto from an untrusted peer", "https://bot.example", "203.0.113.1:1", "https", false, false},
		{"foreign host", "http://evil.example", "203.0.113.1:1", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://bot.example/ws", nil)
			r.RemoteAddr = tt.remote
			r.Header.Set("Origin", tt.origin)
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := originAllowed(r, nil, proxy); got != tt.want {
				t.Errorf("originAllowed = %v, want %v", got, tt.want)
			}
		})
	}
}

// With BOT_PUBLIC_HOSTS set, a DNS-rebinding page (its own name, our
// address) gets 421 at the upgrade; the health checks answer any Host.
func TestPublicHostsPinTheHost(t *testing.T) {
	ts := startServer(t, Config{PublicHosts: []string{"careers.example.com"}}, conversation.Config{}, conversation.Deps{})
	h := http.Header{"Origin": {"http://rebind.attacker.example"}}
	req := func(path, host string) int {
		r, _ := http.NewRequest("GET", ts.http.URL+path, nil)
		r.Host = host
		for k, v := range h {
			r.Header[k] = v
		}
		resp, err := httpClient(t).Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := req("/ws", "rebind.attacker.example"); got != http.StatusMisdirectedRequest {
		t.Errorf("/ws with a foreign Host: %d, want 421", got)
	}
	if got := req("/healthz", "10.0.0.5:8080"); got != http.StatusOK {
		t.Errorf("/healthz with the replica's address as Host: %d, want 200", got)
	}
	if !hostAllowed("careers.example.com:443", []string{"careers.example.com"}) || !hostAllowed("CAREERS.example.com", []string{"careers.example.com"}) {
		t.Error("the pinned host on another port or in capitals is refused")
	}
}

// A flood of refused connections logs a handful of lines, each Origin
// clipped, while the metrics count every refusal.
func TestRefusedClientWarningsAreSampledAndClipped(t *testing.T) {
	var logs bytes.Buffer
	ts := startServer(t, Config{AllowedOrigins: []string{"https://careers.example.com"}}, conversation.Config{}, conversation.Deps{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	origin := "https://" + strings.Repeat("a", 15000) + ".example"
	for range 200 {
		_, resp, err := websocket.DefaultDialer.Dial(ts.wsURL, http.Header{"Origin": {origin}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("foreign origin: %v %v", resp, err)
		}
	}
	lines := strings.Count(logs.String(), "\n")
	if lines == 0 || lines > 10 {
		t.Errorf("%d log lines for 200 refusals, want a few", lines)
	}
	if logs.Len() > 2000 {
		t.Errorf("%d bytes of log for 200 refusals", logs.Len())
	}
}

// /metrics on the chat address answers loopback and private clients, not a
// public visitor forwarded by a trusted proxy, unless allowed.
func TestMetricsOnThePublicAddressArePrivate(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "careerbot_open_connections 0\n")
	})
	for _, tt := range []struct {
		name   string
		xff    string
		allow  []netip.Prefix
		anyone bool
		want   int
	}{
		{"loopback", "", nil, false, 200},
		{"private client behind the proxy", "10.1.2.3", nil, false, 200},
		{"public client behind the proxy", "203.0.113.9", nil, false, 404},
		{"public IPv6 client", "2001:db8::9", nil, false, 404},
		{"public client in the allow list", "203.0.113.9", []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}, false, 200},
		{"anyone", "203.0.113.9", nil, true, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := privateOnly(metrics, proxy, tt.allow, tt.anyone)
			r := httptest.NewRequest("GET", "/metrics", nil)
			r.RemoteAddr = "127.0.0.1:5000"
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Errorf("status %d, want %d", w.Code, tt.want)
			}
		})
	}
}

// A client past its connection cap that sends 15 KB of X-Forwarded-For and
// User-Agent gets a few short log lines naming it by its /64, whatever it
// sends.
func TestRefusedClientLogsNoHeaderAsSent(t *testing.T) {
	var logs bytes.Buffer
	ts := startServer(t, Config{MaxConnsPerIP: 1, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}},
		conversation.Config{}, conversation.Deps{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ws, _, err := websocket.DefaultDialer.Dial(ts.wsURL, http.Header{"X-Forwarded-For": {"2001:db8:7:7::1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	junk := strings.Repeat("x", 15000)
	for i := range 200 {
		h := http.Header{
			"X-Forwarded-For": {junk + ", " + fmt.Sprintf("2001:db8:7:7::%x", i+2)},
			"User-Agent":      {junk},
		}
		_, resp, err := websocket.DefaultDialer.Dial(ts.wsURL, h)
		if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("past the cap: %v %v, want 429", resp, err)
		}
	}
	if lines := strings.Count(logs.String(), "\n"); lines == 0 || lines > 10 {
		t.Errorf("%d log lines for 200 refusals, want a few", lines)
	}
	if logs.Len() > 2000 || strings.Contains(logs.String(), "xxxxxxxxxx") {
		t.Errorf("%d bytes of log for 200 refusals, or a header as sent:\n%.500s", logs.Len(), logs.String())
	}
	if !strings.Contains(logs.String(), "client=2001:db8:7:7::/64") {
		t.Errorf("the refusal does not name the client's /64:\n%s", logs.String())
	}
}
