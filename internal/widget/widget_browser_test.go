package widget_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
)

// openWidget loads the page and opens the chat by its accessible name.
func openWidget(t *testing.T, tb *tab, url string) {
	t.Helper()
	tb.navigate(url)
	tb.click("button", "Open chat")
	tb.find("dialog", "Career coach")
	tb.waitFor("the greeting", `W().querySelector('.msg.bot') && !W().querySelector('.banner:not([hidden])')`)
}

func TestBrowserStreamsAnswerWithCitation(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	fs.tokenDelay = 120 * time.Millisecond
	tb := newTab(t, 1280, 800)
	tb.navigate(fs.URL)

	tb.find("button", "Open chat")
	if _, _, _, urls := fs.counts(); len(urls) != 0 {
		t.Fatalf("the widget opened a websocket before the panel was opened: %v", urls)
	}
	tb.click("button", "Open chat")
	tb.find("dialog", "Career coach")
	tb.find("log", "Conversation")
	tb.waitFor("the greeting", `W().querySelector('[role=log]').innerText.includes('Hi! I answer questions about careers')`)
	tb.find("button", "What does a media specialist earn?") // starter chip from ready

	var focused string
	tb.eval(`W().activeElement && W().activeElement.getAttribute('aria-describedby') === 'cb-counter' ? 'textbox' : String(W().activeElement)`, &focused)
	if focused != "textbox" {
		t.Errorf("opening the panel put focus on %s, want the question textbox", focused)
	}

	tb.ask("How much do media specialists earn?")
	tb.find("button", "Stop")
	tb.waitFor("the typing indicator", `LB().querySelector('.typing')`)
	// Token by token: part of the answer shows while the stream is still open.
	tb.waitFor("a partly streamed answer", `(() => {
		const b = LB();
		const t = b.querySelector('.body').innerText;
		return t.length > 0 && !t.includes('85,000') && !b.querySelector('.sources');
	})()`)
	tb.waitFor("the finished answer with its sources", `LB().querySelector('.sources')`)
	tb.find("button", "Send")

	text := tb.logText()
	for _, want := range []string{"How much do media specialists earn?", "$65,000", "Entry level: $51,000", "Answered from the career guides without an AI model."} {
		if !strings.Contains(text, want) {
			t.Errorf("conversation lacks %q:\n%s", want, text)
		}
	}
	var bold, items int
	tb.eval(`[...W().querySelectorAll('.msg.bot strong')].filter(e => e.textContent.includes('$65,000')).length`, &bold)
	tb.eval(`W().querySelectorAll('.msg.bot .body li').length`, &items)
	if bold != 1 || items != 2 {
		t.Errorf("markdown rendering: %d bold runs with the salary (want 1), %d list items (want 2)", bold, items)
	}

	// The citation: collapsed "Sources" list, section names, snippet on expand.
	if tb.present("DisclosureTriangle", "Annual Salary (US, USD)") {
		t.Error("the source list is expanded before the user asks for it")
	}
	tb.click("DisclosureTriangle", "Sources (1)")
	tb.click("DisclosureTriangle", "Annual Salary (US, USD)")
	tb.waitFor("the source snippet", `[...W().querySelectorAll('.snippet')].some(p => p.offsetHeight > 0 && p.innerText.includes('Median: $65,000'))`)

	// Follow-up suggestions from done replace the starters.
	tb.find("button", "What skills does a media specialist need?")
	if tb.present("button", "What does a media specialist earn?") {
		t.Error("starter chips still offered after the first answer")
	}
	tb.maybeScreenshot("desktop-answer")
}

func TestBrowserSuggestionChipAsks(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)

	tb.click("button", "What does a media specialist earn?")
	tb.waitFor("the answer to the chip's question", `LB().querySelector('.sources')`)
	asks, _, _, _ := fs.counts()
	if len(asks) != 1 || asks[0] != "What does a media specialist earn?" {
		t.Fatalf("server got questions %q, want the chip's text", asks)
	}
	if !strings.Contains(tb.logText(), "What does a media specialist earn?") {
		t.Error("the chip's question is not shown as the user's message")
	}
	tb.click("button", "How do I become a media specialist?") // a follow-up chip
	tb.waitFor("the second answer", `W().querySelectorAll('.msg.user').length === 2 && W().querySelectorAll('.sources').length === 2`)
}

func TestBrowserNewChatClearsTheLog(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	var before string
	tb.eval(`sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.startsWith('careerbot:')))`, &before)

	tb.ask("How much do media specialists earn?")
	tb.waitFor("the answer", `W().querySelector('.sources')`)
	tb.click("button", "New chat")
	tb.waitFor("a fresh greeting", `W().querySelectorAll('.msg').length === 1 && W().querySelector('[role=log]').innerText.includes('Hi! I answer')`)
	if text := tb.logText(); strings.Contains(text, "$65,000") || strings.Contains(text, "How much") {
		t.Errorf("New chat left the old conversation in the log:\n%s", text)
	}
	tb.find("button", "What does a media specialist earn?") // starters again
	if _, _, resets, _ := fs.counts(); resets != 1 {
		t.Errorf("server saw %d reset frames, want 1", resets)
	}
	tb.reload()
	tb.waitFor("the reopened panel", `W().querySelector('.panel:not([hidden]) .msg.bot')`)
	if text := tb.logText(); strings.Contains(text, "$65,000") {
		t.Errorf("the old conversation came back after a reload:\n%s", text)
	}
}

func TestBrowserReloadResumesSession(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	tb.ask("How much do media specialists earn?")
	tb.waitFor("the answer", `W().querySelector('.sources')`)
	_, _, _, urls := fs.counts()
	if len(urls) != 1 || strings.Contains(urls[0], "session=") {
		t.Fatalf("first connection URLs %q, want one without a session", urls)
	}

	tb.reload()
	// The panel was open, so it reopens and resumes with the stored session.
	tb.waitFor("the restored conversation", `W().querySelector('.panel:not([hidden])') && W().querySelector('[role=log]').innerText.includes('$65,000')`)
	tb.waitFor("the resumed connection", `!W().querySelector('.banner:not([hidden])')`)
	_, _, _, urls = fs.counts()
	if len(urls) != 2 || !strings.Contains(urls[1], "session=") {
		t.Fatalf("after reload the widget connected with %q, want ?session=<id>", urls)
	}
	fs.mu.Lock()
	known := fs.sessions[strings.TrimPrefix(urls[1], "/ws?session=")]
	fs.mu.Unlock()
	if !known {
		t.Errorf("reconnected with session %q, which the server never issued", urls[1])
	}
	if text := tb.logText(); strings.Contains(text, "expired") {
		t.Errorf("a resumed session was reported as expired:\n%s", text)
	}
	tb.find("button", "What skills does a media specialist need?") // follow-ups survive the reload
	tb.ask("And how do I become one?")
	tb.waitFor("an answer in the resumed session", `W().querySelectorAll('.sources').length === 2`)
}

func TestBrowserReconnectsAfterDrop(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	tb.ask("How much do media specialists earn?")
	tb.waitFor("the answer", `W().querySelector('.sources')`)

	fs.dropConnections()
	tb.waitFor(`the visible "Reconnecting…" state`, `(() => { const b = W().querySelector('.banner'); return !b.hidden && b.innerText.includes('Reconnecting'); })()`)
	tb.waitFor("the reconnection", `W().querySelector('.banner').hidden`)
	_, _, _, urls := fs.counts()
	if len(urls) < 2 || !strings.Contains(urls[len(urls)-1], "session=") {
		t.Fatalf("reconnected with %q, want the stored session", urls)
	}
	tb.ask("How do I become a media specialist?")
	tb.waitFor("an answer after reconnecting", `W().querySelectorAll('.sources').length === 2`)
}

func TestBrowserStopCancelsTheStream(t *testing.T) {
	fs := newFakeServer(t, func(string) fakeAnswer {
		a := mediaAnswer("")
		a.text = strings.Repeat("This is a long answer that streams slowly. ", 40)
		return a
	})
	fs.tokenDelay = 100 * time.Millisecond
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	tb.ask("Tell me everything")
	tb.waitFor("the stream to start", `LB().querySelector('.body').innerText.length > 0`)
	tb.click("button", "Stop")
	tb.find("button", "Send")
	deadline := time.Now().Add(waitTimeout)
	for {
		if _, cancels, _, _ := fs.counts(); cancels == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server never received a cancel frame")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(tb.logText(), "Stopped.") {
		t.Errorf("no 'Stopped.' note after Stop:\n%s", tb.logText())
	}
}

func TestBrowserErrorFramesAreFriendly(t *testing.T) {
	codes := []string{"rate_limited", "busy", "upstream"}
	fs := newFakeServer(t, func(q string) fakeAnswer {
		for _, c := range codes {
			if strings.Contains(q, c) {
				return fakeAnswer{errCode: c}
			}
		}
		return mediaAnswer(q)
	})
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	want := map[string]string{
		"rate_limited": "a little fast",
		"busy":         "busy right now",
		"upstream":     "having trouble",
	}
	for i, c := range codes {
		tb.ask("trigger " + c)
		tb.waitFor("the "+c+" message", fmt.Sprintf(`W().querySelectorAll('.error').length === %d`, i+1))
		if text := tb.logText(); !strings.Contains(text, want[c]) || strings.Contains(text, "scripted error") {
			t.Errorf("%s: want a friendly message containing %q, not the raw server message:\n%s", c, want[c], text)
		}
		tb.find("button", "Send") // usable again
	}
	tb.ask("How much do media specialists earn?")
	tb.waitFor("an answer after the errors", `W().querySelector('.sources')`)
}

func TestBrowserKeyboardOnly(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	tb := newTab(t, 1280, 800)
	tb.navigate(fs.URL)
	tb.find("button", "Open chat")

	// Tab from the top of the page until the launcher has focus.
	launcherFocused := `document.activeElement && document.activeElement.tagName === 'CAREERBOT-CHAT' && W().activeElement && W().activeElement.getAttribute('aria-label') === 'Open chat'`
	for i := 0; ; i++ {
		var ok bool
		tb.eval(launcherFocused, &ok)
		if ok {
			break
		}
		if i > 30 {
			t.Fatal("Tab never reached the Open chat button")
		}
		tb.keys(kb.Tab)
	}
	var outline string
	tb.eval(`getComputedStyle(W().activeElement).outlineStyle`, &outline)
	if outline == "none" || outline == "" {
		t.Errorf("the focused launcher has no visible focus outline (outline-style %q)", outline)
	}
	tb.enter(false)
	tb.waitFor("the greeting", `W().querySelector('.msg.bot') && W().activeElement && W().activeElement.tagName === 'TEXTAREA'`)

	tb.keys("How much do")
	tb.enter(true)
	tb.keys("they earn?")
	var value string
	tb.eval(`W().activeElement.value`, &value)
	if value != "How much do\nthey earn?" {
		t.Errorf("Shift+Enter: textbox holds %q, want a newline between the lines", value)
	}
	tb.enter(false)
	tb.waitFor("the answer", `W().querySelector('.sources')`)
	if asks, _, _, _ := fs.counts(); len(asks) != 1 || asks[0] != "How much do\nthey earn?" {
		t.Errorf("server got %q", asks)
	}
	if v := tb.evalString(`W().querySelector('textarea').value`); v != "" {
		t.Errorf("after sending, the textbox holds %q, want it empty", v)
	}

	// Escape closes and gives focus back to the launcher.
	tb.keys(kb.Escape)
	tb.waitFor("the panel to close with focus on the launcher", `W().querySelector('.panel').hidden && (`+launcherFocused+`)`)
}

func TestBrowserLengthCap(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	tb.focus("textbox", "Your question")
	tb.paste(strings.Repeat("a", 800))
	var counterHidden bool
	tb.eval(`W().querySelector('.counter').hidden`, &counterHidden)
	if !counterHidden {
		t.Error("the counter shows while far from the limit")
	}
	tb.paste(strings.Repeat("b", 300))
	tb.waitFor("the counter at the limit", `(() => { const c = W().querySelector('.counter'); return !c.hidden && c.innerText.includes('1000 / 1000'); })()`)
	var length int
	tb.eval(`W().querySelector('textarea').value.length`, &length)
	if length != 1000 {
		t.Errorf("textbox accepted %d characters, cap is 1000", length)
	}
}
