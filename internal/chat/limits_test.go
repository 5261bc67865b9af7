package chat

import (
	"net/http/httptest"
	"testing"
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
