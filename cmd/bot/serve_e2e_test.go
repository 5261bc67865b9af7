package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/internal/testutil"
)

// TestServeEndToEnd runs `bot serve` on the real corpus, asks over a real
// websocket, and stops it as SIGTERM would.
func TestServeEndToEnd(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var stdout, stderr testutil.Buffer
	env := map[string]string{"BOT_CORPUS_DIR": "../../corpus", "BOT_DATA_DIR": t.TempDir()}
	at, done := startServeCmd(t, ctx, []string{"serve", "-addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, &stdout, &stderr)
	addr := at.chat.String()
	var ws *websocket.Conn
	for deadline := time.Now().Add(30 * time.Second); ws == nil; time.Sleep(5 * time.Millisecond) {
		ws, _, _ = websocket.DefaultDialer.Dial("ws://"+addr+"/ws", nil) // 503 until the index is in
		if time.Now().After(deadline) {
			t.Fatalf("never ready; stderr:\n%s", stderr.String())
		}
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	type frame struct {
		Type, Text, Mode string
		Grounded         bool
	}
	var f frame
	if err := ws.ReadJSON(&f); err != nil || f.Type != "ready" || f.Mode != "offline" {
		t.Fatalf("ready: %+v %v", f, err)
	}
	if err := ws.WriteJSON(map[string]string{"type": "ask", "id": "1", "text": "What does a media specialist earn?"}); err != nil {
		t.Fatal(err)
	}
	for f.Type != "done" {
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatal(err)
		}
	}
	if !f.Grounded || !strings.Contains(f.Text, "65,000") {
		t.Errorf("answer %+v", f)
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
