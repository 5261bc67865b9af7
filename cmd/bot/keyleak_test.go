package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/openai/openaitest"
	"github.com/careerbot/careerbot/internal/testutil"
	"github.com/careerbot/careerbot/protocol"
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
	stderr := &testutil.Buffer{}
	at, done := startServeCmd(t, ctx, []string{"serve"}, getenv, io.Discard, stderr)
	addr, debugAddr := at.chat.String(), at.debug.String()
	waitReady(t, addr, done, 60*time.Second)

	c := testutil.Dial(t, "ws://"+addr+"/ws", nil)
	seen := []string{c.Ready.Raw}
	for i, q := range []string{"What salary does a media specialist earn?", "What is the starting salary?", "And the senior salary?"} {
		c.Ask(string(rune('a'+i)), q)
		for {
			f := c.Read()
			seen = append(seen, f.Raw)
			if f.Type == protocol.TypeDone || f.Type == protocol.TypeError {
				break
			}
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
	help := &testutil.Buffer{}
	_ = run(context.Background(), []string{"serve", "-h"}, getenv, strings.NewReader(""), help, help)
	seen = append(seen, help.String())

	stop()
	select {
	case <-done.exited:
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
