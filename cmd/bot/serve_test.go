package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/rag"
)

// oneSection is a retriever that knows one thing.
type oneSection struct{}

func (oneSection) Search(ctx context.Context, q string) ([]rag.Hit, error) {
	if !strings.Contains(strings.ToLower(q), "salary") {
		return nil, rag.ErrNothingRelevant
	}
	return []rag.Hit{{Chunk: rag.Chunk{Guide: "Media Specialist Career Path Guide", Section: "Salary", Text: "The median salary is $65,000."}, Score: 0.8}}, nil
}
func (oneSection) Guides() []string { return []string{"Media Specialist Career Path Guide"} }

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeReadinessAndGracefulStop(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	addrs := make(chan [2]net.Addr, 1)
	release := make(chan struct{})
	load := func(ctx context.Context) (conversation.Retriever, error) {
		select {
		case <-release:
			return oneSection{}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	logger := slog.New(slog.DiscardHandler)
	answers := conversation.New(conversation.Config{}, conversation.Deps{Logger: logger})
	srv := chat.NewServer(chat.Config{}, chat.Deps{Answers: answers, Logger: logger})
	opts := serveOptions{addr: "127.0.0.1:0", debugAddr: "127.0.0.1:0", shutdownTimeout: 5 * time.Second,
		onListen: func(l listening) { addrs <- [2]net.Addr{l.chat, l.debug} }}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, logger, opts, srv, answers, load) }()
	a := <-addrs
	base, debug := "http://"+a[0].String(), "http://"+a[1].String()

	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("healthz %d while loading", code)
	}
	if code, _ := get(t, base+"/readyz"); code != 503 {
		t.Errorf("readyz %d while loading, want 503", code)
	}
	close(release)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if code, _ := get(t, base+"/readyz"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
	}

	ws, _, err := websocket.DefaultDialer.Dial("ws://"+a[0].String()+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(20 * time.Second))
	var f struct{ Type, Text string }
	if err := ws.ReadJSON(&f); err != nil || f.Type != "ready" {
		t.Fatalf("ready: %+v %v", f, err)
	}
	code, body := get(t, debug+"/debug/vars")
	var vars struct {
		Goroutines int    `json:"goroutines"`
		RSS        uint64 `json:"rss_bytes"`
		Chat       struct {
			Open int `json:"open_connections"`
		} `json:"chat"`
	}
	if err := json.Unmarshal([]byte(body), &vars); err != nil || code != 200 || vars.Goroutines == 0 || vars.RSS == 0 || vars.Chat.Open != 1 {
		t.Errorf("debug vars %d %s (%v)", code, body, err)
	}
	if code, _ := get(t, debug+"/debug/pprof/"); code != 200 {
		t.Errorf("pprof index %d", code)
	}

	stop() // as SIGTERM does
	var ce *websocket.CloseError
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
				t.Errorf("idle websocket ended with %v, want 1001", err)
			}
			break
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v, want nil (exit 0)", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not return")
	}
}

func TestServeFailsWhenTheIndexCannotLoad(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	answers := conversation.New(conversation.Config{}, conversation.Deps{Logger: logger})
	srv := chat.NewServer(chat.Config{}, chat.Deps{Answers: answers, Logger: logger})
	load := func(context.Context) (conversation.Retriever, error) { return nil, errors.New("no guides") }
	err := serve(context.Background(), logger, serveOptions{addr: "127.0.0.1:0", shutdownTimeout: time.Second}, srv, answers, load)
	if err == nil || !strings.Contains(err.Error(), "no guides") {
		t.Errorf("serve: %v", err)
	}
}

func TestServeConfigErrors(t *testing.T) {
	_, stderr, err := runBot(t, "", "serve", "-trusted-proxies", "not-an-ip", "-rate-limit", "lots")
	if err == nil || !strings.Contains(err.Error(), "BOT_TRUSTED_PROXIES") || !strings.Contains(err.Error(), "BOT_RATE_LIMIT") {
		t.Errorf("serve with bad settings: %v\n%s", err, stderr)
	}
}

// running is a `bot` command started by startServeCmd: exited is closed when
// it has returned, with err.
type running struct {
	exited chan struct{}
	err    error
}

// startServeCmd runs `bot <args>` (a serve) through runIn, as the binary
// would, in the background. It returns where the server listens, told by
// onListen (never read from the log). The server may still be loading its
// index: see waitReady.
func startServeCmd(t *testing.T, ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (listening, *running) {
	t.Helper()
	at := make(chan listening, 1)
	r := &running{exited: make(chan struct{})}
	env := &environment{getenv: getenv, stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, onListen: func(l listening) { at <- l }}
	go func() {
		defer close(r.exited)
		r.err = runIn(ctx, env, args)
	}()
	select {
	case l := <-at:
		return l, r
	case <-r.exited:
		t.Fatalf("bot %s ended before listening: %v", strings.Join(args, " "), r.err)
	case <-time.After(60 * time.Second): // a hang guard
		t.Fatalf("bot %s is not listening", strings.Join(args, " "))
	}
	return listening{}, nil
}

// waitReady polls GET /readyz on hostport until it answers 200 (the index is
// in), failing the test after timeout or when the command ends first.
func waitReady(t *testing.T, hostport string, r *running, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(10 * time.Millisecond) {
		if resp, err := http.Get("http://" + hostport + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-r.exited:
			t.Fatalf("serve ended before it was ready: %v", r.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready at %s within %s", hostport, timeout)
		}
	}
}
