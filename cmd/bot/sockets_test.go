package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/testutil"
)

// fakeConn is an accepted connection from a chosen address.
type fakeConn struct {
	net.Conn
	from   net.Addr
	mu     sync.Mutex
	closed bool
}

func (c *fakeConn) RemoteAddr() net.Addr { return c.from }
func (c *fakeConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}
func (c *fakeConn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// fakeListener hands out, in order, what accepts returns: a *fakeConn or
// an error; then it is closed.
type fakeListener struct {
	mu      sync.Mutex
	accepts []any
}

func (l *fakeListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.accepts) == 0 {
		return nil, net.ErrClosed
	}
	next := l.accepts[0]
	l.accepts = l.accepts[1:]
	if err, ok := next.(error); ok {
		return nil, err
	}
	return next.(*fakeConn), nil
}
func (l *fakeListener) Close() error   { return nil }
func (l *fakeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080} }

func fakeFrom(ip string) *fakeConn {
	return &fakeConn{from: &net.TCPAddr{IP: net.ParseIP(ip), Port: 40000}}
}

// acceptAll accepts until the listener is exhausted and returns what was
// let through.
func acceptAll(t *testing.T, ln net.Listener) []net.Conn {
	t.Helper()
	var got []net.Conn
	for {
		c, err := ln.Accept()
		if err != nil {
			return got
		}
		got = append(got, c)
	}
}

// The socket cap counts the clients every other limit counts: the 50
// addresses of one IPv6 /64 are one client (the peers here are direct, so
// each address is its own TCP peer), another /64 is another client; with
// BOT_IPV6_PREFIX=128 each address is one.
func TestSocketCapCountsAnIPv6PrefixAsOneClient(t *testing.T) {
	for _, tt := range []struct {
		v6Bits, want int
	}{{64, 3 + 1}, {128, 50 + 1}} {
		var accepts []any
		var sameNet []*fakeConn
		for i := range 50 {
			c := fakeFrom(fmt.Sprintf("2001:db8:1:2::%x", i+1))
			sameNet = append(sameNet, c)
			accepts = append(accepts, c)
		}
		otherNet := fakeFrom("2001:db8:1:3::1")
		accepts = append(accepts, otherNet)
		ln := limitSockets(&fakeListener{accepts: accepts}, socketLimits{perIP: 3, v6Bits: tt.v6Bits}, slog.New(slog.DiscardHandler))
		got := acceptAll(t, ln)
		if len(got) != tt.want {
			t.Errorf("/%d: %d connections let through, want %d", tt.v6Bits, len(got), tt.want)
		}
		if otherNet.isClosed() {
			t.Errorf("/%d: the client of another /64 was refused", tt.v6Bits)
		}
		refused := 0
		for _, c := range sameNet {
			if c.isClosed() {
				refused++
			}
		}
		if refused != 50+1-tt.want {
			t.Errorf("/%d: %d connections closed at accept, want %d", tt.v6Bits, refused, 50+1-tt.want)
		}
	}
}

// Past the total cap every new connection is closed at accept, whoever it
// comes from (trusted proxies too); a closed one gives its slot back.
func TestSocketTotalCapHoldsForEveryone(t *testing.T) {
	proxy := "10.0.0.1"
	var accepts []any
	var all []*fakeConn
	for _, ip := range []string{"203.0.113.1", "203.0.113.2", proxy, proxy, "203.0.113.3", proxy} {
		c := fakeFrom(ip)
		all = append(all, c)
		accepts = append(accepts, c)
	}
	trusted, err := chat.ParseTrustedProxies([]string{proxy})
	if err != nil {
		t.Fatal(err)
	}
	fl := &fakeListener{accepts: accepts}
	var refusals []string
	ln := limitSockets(fl, socketLimits{perIP: 1, total: 4, trusted: trusted, onRefused: func(r string) { refusals = append(refusals, r) }}, slog.New(slog.DiscardHandler))
	got := acceptAll(t, ln)
	if len(got) != 4 {
		t.Fatalf("%d connections let through, want 4 (the proxy exempt from the cap of 1 per client)", len(got))
	}
	if !all[4].isClosed() || !all[5].isClosed() {
		t.Error("connections past the total cap were let through")
	}
	if strings.Join(refusals, ",") != "sockets_total,sockets_total" {
		t.Errorf("refusals counted as %v", refusals)
	}
	got[0].Close()
	got[0].Close() // a second Close gives nothing back
	late1, late2 := fakeFrom("203.0.113.9"), fakeFrom("203.0.113.10")
	fl.accepts = []any{late1, late2}
	if n := len(acceptAll(t, ln)); n != 1 || late1.isClosed() || !late2.isClosed() {
		t.Errorf("after one connection closed: %d let through (want 1, the first)", n)
	}
}

// Accept errors that say the process is out of descriptors are retried
// with a growing back-off (up to a second), not handed to net/http, and
// logged about once a second, not once per failure; the next connection
// is served.
func TestAcceptErrorsBackOffWithoutFloodingTheLog(t *testing.T) {
	emfile := &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	const failures = 300
	var accepts []any
	for range failures {
		accepts = append(accepts, emfile)
	}
	client := fakeFrom("203.0.113.1")
	accepts = append(accepts, client)
	var logs bytes.Buffer
	ln := limitSockets(&fakeListener{accepts: accepts}, socketLimits{perIP: 5}, slog.New(slog.NewTextHandler(&logs, nil)))
	clock := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
	var pauses []time.Duration
	ln.now = func() time.Time { return clock }
	ln.pause = func(d time.Duration) { pauses = append(pauses, d); clock = clock.Add(d) }

	c, err := ln.Accept()
	if err != nil || c.RemoteAddr().String() != client.from.String() {
		t.Fatalf("Accept after %d EMFILE errors: %v, %v; want the next connection", failures, c, err)
	}
	if len(pauses) != failures {
		t.Fatalf("%d pauses for %d failures", len(pauses), failures)
	}
	var waited time.Duration
	for i, d := range pauses {
		waited += d
		if d > time.Second || (i > 0 && d < pauses[i-1]) {
			t.Fatalf("pause %d is %v after %v: want growing, at most 1s", i, d, pauses[i-1])
		}
	}
	if pauses[len(pauses)-1] != time.Second {
		t.Errorf("the back-off never reached 1s: %v", pauses[len(pauses)-1])
	}
	lines := strings.Count(logs.String(), "\n")
	if maxLines := int(waited/time.Second) + 1; lines > maxLines || lines == 0 {
		t.Errorf("%d log lines for %d failures over %v, want 1 to %d", lines, failures, waited, maxLines)
	}
	if !strings.Contains(logs.String(), "suppressed=") || !strings.Contains(logs.String(), "too many open files") {
		t.Errorf("the log does not say what failed and how often:\n%s", logs.String())
	}

	// A listener that is closed, not short of descriptors, ends Accept.
	if _, err := ln.Accept(); err == nil {
		t.Error("Accept on an exhausted listener returned no error")
	}
}

// Through bot serve: with a total cap of 3, clients from three addresses
// holding idle keep-alive connections leave a fourth address unserved
// until one of them leaves.
func TestServeCapsSocketsInTotal(t *testing.T) {
	addr, _, _ := startServeWith(t, serveOptions{maxSockets: 3, httpIdleTimeout: time.Hour}, chat.Config{}, oneSection{})
	var held []net.Conn
	for _, src := range []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"} {
		c, err := dialFrom(src, addr)
		if err != nil {
			t.Skipf("no loopback address %s: %v", src, err)
		}
		defer c.Close()
		if err := healthOver(c); err != nil {
			t.Fatalf("%s within the cap: %v", src, err)
		}
		held = append(held, c)
	}
	if c, err := dialFrom("127.0.0.4", addr); err == nil {
		if healthOver(c) == nil {
			t.Error("a fourth connection past the total cap of 3 was served")
		}
		c.Close()
	}
	held[0].Close()
	waitServedFrom(t, "127.0.0.4", addr, 20*time.Millisecond, "a slot given back was never reused")
}

// BOT_MAX_SOCKETS=0 (the default) is three quarters of the open-file
// limit; a number is taken as it is.
func TestMaxSocketsDefaultsToThreeQuartersOfTheFileLimit(t *testing.T) {
	cfgWith := func(v string) *config {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		resolve := bindSettings(fs, func(k string) string {
			if k == "BOT_MAX_SOCKETS" {
				return v
			}
			return ""
		})
		if err := fs.Parse(nil); err != nil {
			t.Fatal(err)
		}
		return resolve()
	}
	if got := maxSockets(cfgWith("100")); got != 100 {
		t.Errorf("BOT_MAX_SOCKETS=100: cap %d", got)
	}
	nofile := openFileLimit()
	if nofile == 0 {
		t.Skip("no open-file limit to derive the cap from")
	}
	if got := maxSockets(cfgWith("")); got != int(nofile)/4*3 || got <= 0 {
		t.Errorf("default cap %d with an open-file limit of %d, want %d", got, nofile, int(nofile)/4*3)
	}
}

// runBotEnv makes the test binary run `bot` (os.Args) with its open-file
// limit lowered to the variable's value, as under `ulimit -n`.
const runBotEnv = "CAREERBOT_TEST_BOT_NOFILE"

func runBotChild() {
	n, err := strconv.ParseUint(os.Getenv(runBotEnv), 10, 64)
	if err == nil {
		err = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: n, Max: n})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lowering the open-file limit:", err)
		os.Exit(2)
	}
	main()
}

// Issue 14's scenario: under `ulimit -n 256`, clients flood the bot with
// idle connections (one address with 300, then eight addresses with 64
// each). One address never holds more than 64, another address is served
// meanwhile, the total stays within three quarters of the limit, an open
// websocket keeps being answered, the log never says "too many open files"
// and stays short, and once the flood leaves everyone is served again.
func TestALowFileLimitOutlastsAConnectionFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a bot process")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := free.Addr().String()
	free.Close()
	var logs testutil.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "serve")
	cmd.Env = append(os.Environ(), runBotEnv+"=256", "BOT_ADDR="+addr, "BOT_CORPUS_DIR=../../corpus",
		"BOT_DATA_DIR="+t.TempDir(), "BOT_METRICS_ADDR=", "BOT_REDIS_URL=", "OPENAI_API_KEY=", "OPENAI_BASE_URL=", "BOT_DEBUG_ADDR=")
	cmd.Stderr, cmd.Stdout = &logs, &logs
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = abuseGuard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the bot never got ready:\n%s", logs.String())
		}
	}
	ws := testutil.Dial(t, "ws://"+addr+"/ws", nil)

	// flood opens n connections from src and reports how many the bot
	// kept open (a refused one is closed at once: a read sees EOF).
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	flood := func(src string, n int) (kept int) {
		var mine []net.Conn
		for range n {
			c, err := dialFrom(src, addr)
			if err != nil {
				continue
			}
			mine = append(mine, c)
		}
		closed := make([]bool, len(mine))
		var wg sync.WaitGroup
		for i, c := range mine {
			wg.Go(func() { closed[i] = closedByServer(c, 500*time.Millisecond) })
		}
		wg.Wait()
		for i, c := range mine {
			if closed[i] {
				c.Close()
				continue
			}
			kept++
			held = append(held, c)
		}
		return kept
	}
	if kept := flood("127.0.0.2", 300); kept != 64 {
		t.Errorf("one address kept %d connections open, want 64 (BOT_MAX_SOCKETS_PER_IP)", kept)
	}
	other, err := dialFrom("127.0.0.3", addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := healthOver(other); err != nil {
		t.Errorf("another address while one floods: %v", err)
	}
	other.Close()
	total := 64
	for i := range 8 {
		total += flood(fmt.Sprintf("127.0.1.%d", i+1), 64)
	}
	if total > 192 {
		t.Errorf("%d connections open under a limit of 256 files, want at most 192", total)
	}
	if r := ws.Answer("1", "What does a media specialist earn?"); r.Done.Type == "" {
		t.Errorf("the open websocket got no answer during the flood: %+v", r.Err)
	}
	for _, c := range held {
		c.Close()
	}
	held = nil
	waitServedFrom(t, "127.0.0.4", addr, 50*time.Millisecond, "not served after the flood left")
	cancel()
	_ = cmd.Wait()
	if t.Failed() {
		t.Logf("the bot's log:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "too many open files") {
		t.Errorf("the bot ran out of descriptors:\n%s", logs.String())
	}
	if lines := strings.Count(logs.String(), "\n"); lines > 40 {
		t.Errorf("%d log lines for the flood, want a few:\n%s", lines, logs.String())
	}
}

// waitServedFrom polls a health check from the client address from until
// it is served, failing with what after abuseGuard.
func waitServedFrom(t *testing.T, from, addr string, every time.Duration, what string) {
	t.Helper()
	for deadline := time.Now().Add(abuseGuard); ; time.Sleep(every) {
		c, err := dialFrom(from, addr)
		if err == nil {
			err = healthOver(c)
			c.Close()
		}
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
	}
}
