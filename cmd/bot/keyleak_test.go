package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/openai/openaitest"
)

// The API key never leaves the process: `bot serve` at debug log level, with
// an upstream that refuses the key, fails, and finally answers — all echoing
// the key back — is scanned everywhere it writes: its log, every frame,
// /healthz, /readyz, /metrics, /debug/vars and the -h text.
func TestAPIKeyNeverLeavesTheProcess(t *testing.T) {
	const key = "sk-proj-NEVER-LEAK-0000aaaa1111"
	upstream := openaitest.New(t)
	upstream.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			openaitest.Fail(w, http.StatusUnauthorized, "Incorrect API key provided: "+r.Header.Get("Authorization"))
		case 2, 3:
			openaitest.Fail(w, http.StatusInternalServerError, "backend error for "+r.Header.Get("Authorization"))
		default:
			openaitest.Stream(w, []string{"The median salary", " is $65,000 [Annual Salary]."}, "stop")
		}
	})
	env := map[string]string{
		"OPENAI_API_KEY":  key,
		"OPENAI_BASE_URL": upstream.BaseURL(),
		"BOT_ADDR":        "127.0.0.1:0",
		"BOT_DEBUG_ADDR":  "127.0.0.1:0",
		"BOT_LOG_LEVEL":   "debug",
		"BOT_CORPUS_DIR":  "../../corpus",
		"BOT_DATA_DIR":    t.TempDir(),
	}
	getenv := func(k string) string { return env[k] }
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, getenv, strings.NewReader(""), io.Discard, stderr) }()

	// The listeners' addresses and readiness come from the log.
	addrRe := regexp.MustCompile(`msg=listening addr=(\S+)`)
	debugRe := regexp.MustCompile(`msg="debug listener[^"]*" addr=(\S+)`)
	var addr, debugAddr string
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		log := stderr.String()
		if m := addrRe.FindStringSubmatch(log); m != nil {
			addr = m[1]
		}
		if m := debugRe.FindStringSubmatch(log); m != nil {
			debugAddr = m[1]
		}
		if addr != "" && debugAddr != "" && strings.Contains(log, "msg=ready") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not get ready:\n%s", log)
		}
	}

	var seen []string
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	read := func() map[string]any {
		t.Helper()
		_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, data, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		seen = append(seen, string(data))
		var f map[string]any
		_ = json.Unmarshal(data, &f)
		return f
	}
	read() // ready
	for i, q := range []string{"What salary does a media specialist earn?", "What is the starting salary?", "And the senior salary?"} {
		_ = ws.WriteJSON(map[string]string{"type": "ask", "id": string(rune('a' + i)), "text": q})
		for f := read(); f["type"] != "done" && f["type"] != "error"; f = read() {
		}
	}

	for _, u := range []string{"http://" + addr + "/healthz", "http://" + addr + "/readyz", "http://" + addr + "/metrics",
		"http://" + debugAddr + "/debug/vars"} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		seen = append(seen, u+" "+string(body))
	}
	help := &lockedBuffer{}
	_ = run(context.Background(), []string{"serve", "-h"}, getenv, strings.NewReader(""), help, help)
	seen = append(seen, help.String())

	stop()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	seen = append(seen, stderr.String())
	if !strings.Contains(stderr.String(), "refused the API key") || !strings.Contains(seen[len(seen)-4], "http_") && !strings.Contains(seen[len(seen)-4], "# HELP") {
		t.Errorf("the 401 was not logged, or /metrics not served:\n%s\n%s", stderr.String(), seen[len(seen)-4])
	}
	if len(upstream.Requests()) < 3 {
		t.Errorf("only %d upstream requests: the failure paths were not exercised", len(upstream.Requests()))
	}
	for _, s := range seen {
		if strings.Contains(s, key) {
			t.Errorf("the API key appears in:\n%s", s)
		}
	}
}
