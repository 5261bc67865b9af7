package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/testutil"
)

// startServeWith runs serve() with o (addr and onListen filled in) and the
// given retriever until the test ends; it returns the chat address.
func startServeWith(t *testing.T, o serveOptions, cfg chat.Config, idx conversation.Retriever) (addr string, srv *chat.Server, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logger := slog.New(slog.DiscardHandler)
	answers := conversation.New(conversation.Config{}, conversation.Deps{Logger: logger})
	srv = chat.NewServer(cfg, chat.Deps{Answers: answers, Logger: logger})
	addrs := make(chan net.Addr, 1)
	o.addr = "127.0.0.1:0"
	if o.shutdownTimeout == 0 {
		o.shutdownTimeout = 5 * time.Second
	}
	o.onListen = func(l listening) { addrs <- l.chat }
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, logger, o, srv, answers, func(context.Context) (conversation.Retriever, error) { return idx, nil })
	}()
	addr = (<-addrs).String()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case <-done:
		case <-time.After(abuseGuard):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(stop)
	for deadline := time.Now().Add(abuseGuard); !srv.Ready(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
	}
	return addr, srv, stop
}

// dialFrom opens a TCP connection to addr from the loopback address src.
func dialFrom(src, addr string) (net.Conn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: abuseGuard}
	return d.Dial("tcp", addr)
}

// healthOver sends GET /healthz on an open connection and reports whether
// it was answered (the connection stays open for more).
func healthOver(c net.Conn) error {
	_ = c.SetDeadline(time.Now().Add(abuseGuard))
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n"); err != nil {
		return err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// One address cannot hold more TCP connections than the cap, of whatever
// kind (here idle keep-alive requests): the next is closed at accept, while
// another address is served.
func TestOneAddressCannotTakeEverySocket(t *testing.T) {
	addr, _, _ := startServeWith(t, serveOptions{socketsPerIP: 5}, chat.Config{}, oneSection{})
	for i := range 5 {
		c, err := dialFrom("127.0.0.1", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := healthOver(c); err != nil {
			t.Fatalf("connection %d within the cap: %v", i+1, err)
		}
	}
	for i := range 20 {
		c, err := dialFrom("127.0.0.1", addr)
		if err != nil {
			continue // refused outright is fine too
		}
		if err := healthOver(c); err == nil {
			t.Fatalf("connection %d past the cap was served", 6+i)
		}
		c.Close()
	}
	other, err := dialFrom("127.0.0.2", addr)
	if err != nil {
		t.Skipf("no second loopback address: %v", err)
	}
	defer other.Close()
	if err := healthOver(other); err != nil {
		t.Errorf("another address while the first is at its cap: %v", err)
	}
}

// keepAliveConns opens n connections from 127.0.0.1, each left idle after
// one answered request.
func keepAliveConns(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var conns []net.Conn
	for range n {
		c, err := dialFrom("127.0.0.1", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if err := healthOver(c); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	return conns
}

// closedByServer reports whether the server has closed c (EOF), waiting at
// most wait for it.
func closedByServer(c net.Conn, wait time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(wait))
	_, err := c.Read(make([]byte, 1))
	return errors.Is(err, io.EOF)
}

// No more than the cap of plain keep-alive connections stay idle at once:
// with an idle timeout far beyond the test, 6 idle connections and a cap of
// 3 leave 3 open.
func TestKeepAliveConnectionsAreCapped(t *testing.T) {
	addr, _, _ := startServeWith(t, serveOptions{maxIdleHTTP: 3, httpIdleTimeout: time.Hour}, chat.Config{}, oneSection{})
	conns := keepAliveConns(t, addr, 6)
	closed := make(chan bool, len(conns))
	for _, c := range conns {
		// Concurrently: each open one waits out the whole second.
		go func() { closed <- closedByServer(c, time.Second) }()
	}
	n := 0
	for range conns {
		if <-closed {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d of 6 idle keep-alive connections closed, want 3 (a cap of 3 idle)", n)
	}
}

// Plain keep-alive connections are closed once idle past the timeout.
func TestKeepAliveConnectionsAreTimedOut(t *testing.T) {
	addr, _, _ := startServeWith(t, serveOptions{httpIdleTimeout: 300 * time.Millisecond}, chat.Config{}, oneSection{})
	for i, c := range keepAliveConns(t, addr, 3) {
		if !closedByServer(c, abuseGuard) {
			t.Errorf("keep-alive connection %d still open after the idle timeout", i)
		}
	}
}

// blockingIndex answers once released: an answer stays in flight meanwhile.
type blockingIndex struct {
	oneSection
	release chan struct{}
}

func (b blockingIndex) Search(ctx context.Context, q string) ([]rag.Hit, error) {
	select {
	case <-b.release:
	case <-ctx.Done():
	}
	return b.oneSection.Search(ctx, q)
}

// While SIGTERM drains an answer in flight, /readyz answers 503 (a load
// balancer sees "not ready", not a refused connection).
func TestReadyzAnswers503WhileDraining(t *testing.T) {
	idx := blockingIndex{release: make(chan struct{})}
	addr, srv, stop := startServeWith(t, serveOptions{}, chat.Config{}, idx)
	rs := &realServer{addr: addr, srv: srv}
	ws, _, _, err := rs.dial(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.WriteJSON(map[string]string{"type": "ask", "id": "1", "text": "What is the salary?"}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(abuseGuard); srv.Stats().InFlightAnswers == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the answer never started")
		}
	}
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	for deadline := time.Now().Add(abuseGuard); !srv.Stats().Draining; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("never draining")
		}
	}
	code, body := get(t, "http://"+addr+"/readyz")
	close(idx.release)
	<-stopped
	if code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while draining: %d %q, want 503", code, body)
	}
}

// Keys and passwords never appear in -h, in a config error or at
// /debug/pprof/cmdline.
func TestSecretsAreRedacted(t *testing.T) {
	env := map[string]string{
		"OPENAI_API_KEY":  "sk-topsecret-1234",
		"OPENAI_BASE_URL": "https://proxyuser:basicpw99@llm.example/v1?api-key=querysecret42",
		"BOT_REDIS_URL":   "redis://default:hunter22@10.0.0.5:6379/0",
	}
	secrets := []string{"sk-topsecret-1234", "basicpw99", "querysecret42", "hunter22"}
	getenv := func(k string) string { return env[k] }
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve", "-h"}, getenv, strings.NewReader(""), &out, &errOut)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("serve -h: %v", err)
	}
	help := out.String() + errOut.String()
	if !strings.Contains(help, "redis://default:") || !strings.Contains(help, "llm.example") {
		t.Fatalf("-h does not show the settings at all:\n%s", help)
	}
	for _, s := range secrets {
		if strings.Contains(help, s) {
			t.Errorf("-h shows %q", s)
		}
	}

	// A Redis URL that does not parse is quoted whole by the parser.
	env["BOT_REDIS_URL"] = "redis://default:hunter22@10.0.0.5:port/0"
	err = run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-corpus-dir", t.TempDir()}, getenv, strings.NewReader(""), &out, &errOut)
	if err == nil {
		t.Fatal("a malformed BOT_REDIS_URL was accepted")
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("config error shows %q: %v", s, err)
		}
	}

	args := []string{"/usr/bin/bot", "serve", "-openai-api-key", "sk-topsecret-1234", "--redis-url=redis://u:hunter22@h:6379/0", "-openai-api-key=sk-topsecret-1234", "-openai-base-url", "https://proxyuser:basicpw99@llm.example/v1"}
	w := httptest.NewRecorder()
	debugHandler(func() chat.Stats { return chat.Stats{} }, time.Now(), args).ServeHTTP(w, httptest.NewRequest("GET", "/debug/pprof/cmdline", nil))
	if !strings.Contains(w.Body.String(), "redis-url") {
		t.Fatalf("cmdline %q", w.Body.String())
	}
	for _, s := range secrets {
		if strings.Contains(w.Body.String(), s) {
			t.Errorf("/debug/pprof/cmdline shows %q: %q", s, w.Body.String())
		}
	}
}

// metricsStatus is the status of GET /metrics on hostport for the visitor
// xff, forwarded by the (trusted) loopback proxy; "" = the proxy itself.
func metricsStatus(t *testing.T, hostport, xff string) int {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+hostport+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// `bot serve` as configured by its settings: /metrics on BOT_ADDR answers
// loopback and private-range clients, not public visitors (IPv4 or IPv6)
// forwarded by a trusted proxy, unless BOT_METRICS_ALLOW lists them.
func TestServeKeepsMetricsOnTheChatAddressPrivate(t *testing.T) {
	r := startReplica(t, map[string]string{"BOT_METRICS_ALLOW": "198.51.100.0/24"})
	for _, tt := range []struct {
		xff  string
		want int
	}{
		{"", 200},                      // the loopback peer itself
		{"10.20.30.40", 200},           // a private-range client
		{"fd00::7", 200},               // a unique-local IPv6 client
		{"203.0.113.9", 404},           // a public IPv4 visitor
		{"2001:db8:1:2::9", 404},       // a public IPv6 visitor
		{"198.51.100.7", 200},          // in BOT_METRICS_ALLOW
		{"10.0.0.1, 203.0.113.9", 404}, // a public visitor who wrote a private address first
	} {
		if got := metricsStatus(t, r.addr, tt.xff); got != tt.want {
			t.Errorf("GET /metrics for X-Forwarded-For %q: %d, want %d", tt.xff, got, tt.want)
		}
	}
}

// Credentials in OPENAI_BASE_URL (a token as user info, a basic-auth
// password) never reach the log, even in the errors of a failing endpoint,
// which quote the URL they tried.
func TestBaseURLCredentialsNeverReachTheLog(t *testing.T) {
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	dead.Close() // connection refused from now on
	for _, base := range []string{
		"http://tok3nSecret77@" + deadAddr + "/v1",
		"http://proxyuser:basicPw88@" + deadAddr + "/v1",
	} {
		secret := "tok3nSecret77"
		if strings.Contains(base, "basicPw88") {
			secret = "basicPw88"
		}
		env := map[string]string{
			"OPENAI_BASE_URL": base,
			"BOT_ADDR":        "127.0.0.1:0",
			"BOT_LOG_LEVEL":   "debug",
			"BOT_CORPUS_DIR":  "../../corpus",
			"BOT_DATA_DIR":    t.TempDir(),
		}
		ctx, stop := context.WithCancel(context.Background())
		stderr := &testutil.Buffer{}
		at, done := startServeCmd(t, ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard, stderr)
		waitReady(t, at.chat.String(), done, 60*time.Second)
		c := testutil.Dial(t, "ws://"+at.chat.String()+"/ws", nil)
		r := c.Answer("1", "What salary does a media specialist earn?")
		stop()
		<-done.exited
		if r.Done.Type == "" {
			t.Errorf("%s: no answer: %+v", base, r.Err)
		}
		if !strings.Contains(stderr.String(), deadAddr) {
			t.Errorf("%s: the failing endpoint was not logged:\n%s", base, stderr.String())
		}
		if strings.Contains(stderr.String(), secret) {
			t.Errorf("%s: the log shows %q:\n%s", base, secret, stderr.String())
		}
	}
}
