package chat

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestClientIP(t *testing.T) {
	trusted, err := ParseTrustedProxies([]string{"10.0.0.1", "192.168.0.0/16", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, remote, xff, want string
	}{
		{"direct client", "203.0.113.7:5000", "", "203.0.113.7"},
		{"untrusted peer's XFF is ignored", "203.0.113.7:5000", "1.2.3.4", "203.0.113.7"},
		{"trusted proxy", "10.0.0.1:443", "198.51.100.2", "198.51.100.2"},
		{"spoofed left entries are skipped", "10.0.0.1:443", "6.6.6.6, 198.51.100.2", "198.51.100.2"},
		{"chain of trusted proxies", "10.0.0.1:443", "198.51.100.2, 192.168.1.9", "198.51.100.2"},
		{"trusted proxy without XFF", "10.0.0.1:443", "", "10.0.0.1"},
		{"garbage in XFF stops the walk", "10.0.0.1:443", "198.51.100.2, nonsense", "10.0.0.1"},
		{"IPv6 loopback proxy", "[::1]:8080", "2001:db8::5", "2001:db8::5"},
		{"IPv4-mapped peer", "[::ffff:203.0.113.7]:5000", "", "203.0.113.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/ws", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := ClientIP(r, trusted); got != tt.want {
				t.Errorf("clientIP = %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := ParseTrustedProxies([]string{"proxy.example.com"}); err == nil {
		t.Error("a host name is not a proxy address")
	}
}

func TestMemoryRateLimiter(t *testing.T) {
	var now atomic.Int64
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	l := NewMemoryRateLimiter(30, clock) // 1 every 2s, bursts of 5
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if !l.Allow(ctx, "a") {
			t.Fatalf("ask %d of the burst refused", i+1)
		}
	}
	if l.Allow(ctx, "a") {
		t.Error("sixth ask in a burst allowed")
	}
	if !l.Allow(ctx, "b") {
		t.Error("another client is limited too")
	}
	now.Add(int64(2 * time.Second))
	if !l.Allow(ctx, "a") || l.Allow(ctx, "a") {
		t.Error("after 2s exactly one more ask should be allowed")
	}
	if off := NewMemoryRateLimiter(0, clock); !off.Allow(ctx, "a") {
		t.Error("0 = off")
	}
}

func TestMemorySessionsCapAndExpiry(t *testing.T) {
	var now atomic.Int64
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	m := NewMemorySessions(time.Hour, 3, clock)
	ctx := context.Background()
	for _, q := range []string{"1", "2", "3", "4"} {
		if err := m.Append(ctx, "s", Turn{Question: q}); err != nil {
			t.Fatal(err)
		}
	}
	turns, ok, _ := m.Load(ctx, "s")
	if !ok || len(turns) != 3 || turns[0].Question != "2" || turns[2].Question != "4" {
		t.Fatalf("capped turns %+v", turns)
	}
	now.Add(int64(59 * time.Minute))
	if _, ok, _ := m.Load(ctx, "s"); !ok {
		t.Fatal("expired before the TTL")
	}
	now.Add(int64(59 * time.Minute)) // the Load above restarted the idle clock
	if _, ok, _ := m.Load(ctx, "s"); !ok {
		t.Fatal("activity should keep a session alive")
	}
	now.Add(int64(61 * time.Minute))
	if _, ok, _ := m.Load(ctx, "s"); ok {
		t.Fatal("idle session not expired")
	}
	if m.Len() != 0 {
		t.Errorf("%d sessions kept after expiry", m.Len())
	}
}

func TestSplitDeltas(t *testing.T) {
	for _, text := range []string{"", "word", "a few words here", strings.Repeat("lorem ipsum dolor ", 40), "line one\n- item\n- item two\n"} {
		parts := splitDeltas(text, offlineDeltas)
		if strings.Join(parts, "") != text || len(parts) > offlineDeltas {
			t.Errorf("splitDeltas(%q) = %q", text, parts)
		}
	}
}
