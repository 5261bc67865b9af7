package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/testutil"
	"github.com/careerbot/careerbot/protocol"
)

// TestServeEndToEnd runs `bot serve` on the real corpus, asks over a real
// websocket, and stops it as SIGTERM would.
func TestServeEndToEnd(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var stdout, stderr testutil.Buffer
	env := map[string]string{"BOT_CORPUS_DIR": "../../corpus", "BOT_DATA_DIR": t.TempDir()}
	at, done := startServeCmd(t, ctx, []string{"serve", "-addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, &stdout, &stderr)
	waitReady(t, at.chat.String(), done, 30*time.Second)
	c := testutil.Dial(t, "ws://"+at.chat.String()+"/ws", nil)
	if c.Ready.Mode != protocol.ModeOffline {
		t.Fatalf("ready: %s, want offline mode", c.Ready.Raw)
	}
	r := c.Answer("1", "What does a media specialist earn?")
	if !r.Done.Grounded || !strings.Contains(r.Done.Text, "65,000") {
		t.Errorf("answer %+v", r)
	}
	stop()
	select {
	case <-done.exited:
		if done.err != nil {
			t.Errorf("serve: %v (want a clean exit)", done.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if logs := stderr.String(); !strings.Contains(logs, "msg=answer") || !strings.Contains(logs, "grounded=true") || strings.Contains(logs, "earn?") {
		t.Errorf("logs should have one answer line without the question (info level):\n%s", logs)
	}
}
