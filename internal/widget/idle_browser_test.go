package widget_test

import (
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
)

// The server closes a websocket that asked nothing for BOT_WS_IDLE_TIMEOUT
// (1000 "idle"). The widget does not reconnect at once (that would hold the
// slot the timeout frees), shows no banner, and connects again, resuming the
// session, when the visitor next asks: the question is answered as if the
// connection had never closed.
func TestBrowserRealIdleCloseReconnectsOnTheNextAsk(t *testing.T) {
	// Long enough for the first answer on a loaded machine; the rest of
	// the test waits for the close itself.
	bot := startRealBot(t, func(c *chat.Config, _ *conversation.Deps) { c.IdleTimeout = 2 * time.Second })
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, bot.URL)
	tb.ask("How much does a media specialist earn?")
	waitAnswered(tb, 1)
	before := sessionID(tb)
	for deadline := time.Now().Add(20 * time.Second); bot.chat.Stats().OpenConns != 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the idle websocket was never closed")
		}
	}
	time.Sleep(1500 * time.Millisecond) // a reconnecting widget would be back by now
	if n := bot.chat.Stats().OpenConns; n != 0 {
		t.Errorf("%d websockets open after the idle close: the widget reconnected without an ask", n)
	}
	if hidden := tb.evalString(`String(W().querySelector('.banner').hidden)`); hidden != "true" {
		t.Errorf("a banner shows while the connection sleeps: %q", tb.evalString(`W().querySelector('.banner').textContent`))
	}
	tb.ask("Which tools do they use?")
	waitAnswered(tb, 2)
	if after := sessionID(tb); after != before {
		t.Errorf("the session changed across the idle close: %q, want %q", after, before)
	}
	if text := tb.logText(); strings.Contains(text, "expired") || strings.Contains(text, "dropped") {
		t.Errorf("the visitor was told about the idle close:\n%s", text)
	}
}
