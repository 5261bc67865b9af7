package widget_test

// Browser tests of what a visitor and a site owner see beyond asking and
// answering: answer controls, citations, connection states, rate limits,
// languages, themes, phones, tabs and the JavaScript API.

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// threeSources is an answer that used one of the three sections retrieved.
func threeSources(question string) fakeAnswer {
	a := mediaAnswer(question)
	a.sources = append(a.sources,
		map[string]any{"guide": "Media Specialist Career Path Guide", "section": "Pros & Cons › Cons", "text": "Deadlines can be tight.", "score": 0.4},
		map[string]any{"guide": "Media Specialist Career Path Guide", "section": "Overview", "text": "Media specialists plan content.", "score": 0.3})
	a.cited = []int{0}
	return a
}

func TestBrowserAnswerControlsAndCitations(t *testing.T) {
	fs := newFakeServer(t, threeSources)
	tb := newTab(t, 1280, 800)
	tb.navigate(fs.URL)
	tb.eval(`(() => { window.__events = [];
		for (const n of ['open', 'answer', 'feedback']) addEventListener('careerbot:' + n, e => __events.push(n + ' ' + JSON.stringify(e.detail)));
		navigator.clipboard.writeText = (t) => { window.__copied = t; return Promise.resolve(); };
		return true; })()`, nil)
	tb.click("button", "Open chat")
	tb.waitFor("the greeting", `W().querySelector('.msg.bot') && W().querySelector('.banner').hidden`)
	tb.ask("How much do media specialists earn?")
	tb.waitFor("the answer", `LB().querySelector('.sources')`)

	// Citations: only the cited section under Sources, the rest collapsed.
	tb.click("DisclosureTriangle", "Sources (1)")
	tb.find("DisclosureTriangle", "Annual Salary (US, USD)")
	if tb.present("DisclosureTriangle", "Overview") {
		t.Error("an uncited source is listed with the answer's own sources")
	}
	tb.click("DisclosureTriangle", "More from the guide (2)")
	tb.click("DisclosureTriangle", "Overview")
	tb.waitFor("the uncited snippet on expand", `[...W().querySelectorAll('.snippet')].some(p => p.offsetHeight > 0 && p.innerText.includes('plan content'))`)

	// A timestamp on the question and the answer.
	var times int
	tb.eval(`[...W().querySelectorAll('.msg time')].filter(t => !isNaN(Date.parse(t.dateTime)) && t.textContent.trim()).length`, &times)
	if times != 2 {
		t.Errorf("%d messages show a <time>, want the question and the answer", times)
	}

	// 👍 is a toggle button that sends feedback.
	tb.click("button", "Helpful")
	tb.waitFor("Helpful pressed", `LB().querySelector('[aria-label=Helpful]').getAttribute('aria-pressed') === 'true' && LB().querySelector('[aria-label="Not helpful"]').getAttribute('aria-pressed') === 'false'`)
	// 👎 asks what was wrong; the comment is sent too.
	tb.click("button", "Not helpful")
	tb.focus("textbox", "What was wrong? (optional)")
	tb.keys("The range is old")
	tb.click("button", "Send feedback")
	tb.waitFor("the thanks", `W().querySelector('[role=log]').innerText.includes('Thanks for your feedback.')`)
	var fb []map[string]any
	deadline := time.Now().Add(waitTimeout)
	for len(fb) < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		fb = fs.feedbackFrames()
	}
	if got := fmt.Sprint(fb); len(fb) != 3 || fb[0]["rating"] != "up" || fb[1]["rating"] != "down" || fb[2]["comment"] != "The range is old" || fb[0]["id"] == "" {
		t.Errorf("feedback frames %s, want up, down, then down with the comment, all with the answer's id", got)
	}

	tb.click("button", "Copy answer")
	tb.find("button", "Copied")
	if copied := tb.evalString(`window.__copied`); !strings.Contains(copied, "$65,000") {
		t.Errorf("Copy answer copied %q", copied)
	}
	var events []string
	tb.eval(`window.__events`, &events)
	joined := strings.Join(events, "\n")
	for _, want := range []string{"open {}", `answer {"id":"w`, `"question":"How much do media specialists earn?"`, `feedback {"id":"w`, `"rating":"down","comment":"The range is old"`} {
		if !strings.Contains(joined, want) {
			t.Errorf("events lack %s:\n%s", want, joined)
		}
	}
}

func TestBrowserRateLimitKeepsTheQuestion(t *testing.T) {
	var n int
	fs := newFakeServer(t, func(q string) fakeAnswer {
		n++
		if n == 1 {
			return fakeAnswer{errCode: "rate_limited", retryAfter: 1200}
		}
		return mediaAnswer(q)
	})
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	tb.ask("How much do media specialists earn?")
	tb.waitFor("the rate-limit message", `W().querySelector('.error')`)
	if msg := tb.evalString(`W().querySelector('.error').innerText`); !strings.Contains(msg, "a little fast") || !strings.Contains(msg, "send it in 2 s") {
		t.Errorf("rate-limit message %q: want it to say when to retry", msg)
	}
	if q := tb.evalString(`W().querySelector('textarea').value`); q != "How much do media specialists earn?" {
		t.Errorf("the textbox holds %q after rate_limited, want the question kept", q)
	}
	if tb.present("button", "Stop") || tb.evalString(`String(W().querySelectorAll('.msg.user').length)`) != "0" {
		t.Error("the refused question is still shown as asked")
	}
	tb.click("button", "Send it then")
	tb.waitFor("the question sent after the wait", `LB().querySelector('.sources')`)
	if asks, _, _, _ := fs.counts(); len(asks) != 2 || asks[1] != asks[0] {
		t.Errorf("asks %q, want the same question twice", asks)
	}
	tb.reload()
	tb.waitFor("the restored conversation", `LB() && LB().querySelector('.sources') && W().querySelector('.banner').hidden`)
	if tb.present("generic", "") && strings.Contains(tb.logText(), "a little fast") {
		t.Errorf("the rate-limit error was kept in the transcript:\n%s", tb.logText())
	}
}

func TestBrowserStopTidiesThePartialAnswer(t *testing.T) {
	fs := newFakeServer(t, func(q string) fakeAnswer {
		a := mediaAnswer(q)
		a.text = "Pay depends on level:\n\n- Entry: **$51,000** a year\n- " + strings.Repeat("more ", 60)
		return a
	})
	// Held right after the second "\n-": the stream has just opened an
	// empty bullet, as an LLM does, and stays there until Stop.
	fs.holdAfter(t, 11)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	tb.ask("How much do media specialists earn?")
	tb.waitFor("the list to start", `LB().querySelector('.body').innerText.includes('51,000')`)
	tb.click("button", "Stop")
	tb.waitFor("the stopped answer", `W().querySelector('[role=log]').innerText.includes('Stopped.')`)
	var empty int
	tb.eval(`[...LB().querySelectorAll('li')].filter(li => !li.textContent.trim()).length`, &empty)
	if empty != 0 || strings.Contains(tb.evalString(`LB().querySelector('.body').innerText`), "**") {
		t.Errorf("the stopped answer has %d empty bullets or raw markers:\n%s", empty, tb.logText())
	}
	tb.find("button", "What does a media specialist earn?") // chips offered again
}

func TestBrowserConnectionStates(t *testing.T) {
	// Starting up: the server refuses with 1013 until its index is in.
	fs := newFakeServer(t, mediaAnswer)
	fs.starting.Store(true)
	tb := newTab(t, 1280, 800)
	tb.navigate(fs.URL)
	tb.click("button", "Open chat")
	tb.waitFor(`"starting up"`, `W().querySelector('.banner').innerText.includes('The chat is starting up')`)
	fs.starting.Store(false)
	tb.waitFor("the greeting once ready", `W().querySelector('.msg.bot') && W().querySelector('.banner').hidden`)
	if lines := tb.consoleLines(); len(lines) != 0 {
		t.Errorf("starting up logged to the host page's console: %q", lines)
	}

	// Down: nothing listens. One attempt, one line in the console (the
	// browser's own), "can't reach" and Try again.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "ws://" + l.Addr().String() + "/ws"
	_ = l.Close()
	site := hostPage(t, fmt.Sprintf(`<script src="%s/widget.js" data-server="%s" async></script>`, fs.URL, dead))
	tb2 := newTab(t, 1280, 800)
	tb2.navigate(site.URL)
	tb2.click("button", "Open chat")
	tb2.waitFor(`"can't reach"`, `W().querySelector('.banner').innerText.includes("Can't reach the chat right now.")`)
	tb2.find("button", "Try again")
	tb2.waitFor("two seconds to pass", `new Promise(r => setTimeout(() => r(true), 2000))`)
	if lines := tb2.consoleLines(); len(lines) > 1 {
		t.Errorf("a server that stays down filled the console: %q", lines)
	}
	tb2.click("button", "Try again")
	tb2.waitFor(`"can't reach" again`, `W().querySelector('.banner').innerText.includes("Can't reach") && !W().querySelector('.banner button').hidden`)
}

func TestBrowserLanguagesAndDirection(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	// An RTL host page does not turn the English widget around.
	rtlHost := hostPage(t, fmt.Sprintf(`<div dir="rtl" lang="ar"><script src="%s/widget.js" data-text-send="Go" async></script></div>`, fs.URL))
	tb := newTab(t, 1280, 800)
	tb.eval(`true`, nil)
	tb.navigate(rtlHost.URL)
	tb.eval(`document.documentElement.dir = 'rtl'`, nil)
	openWidget(t, tb, rtlHost.URL)
	tb.find("button", "Go") // data-text-send overrides one string
	if d := tb.evalString(`getComputedStyle(W().querySelector('.log')).direction`); d != "ltr" {
		t.Errorf("English widget on an RTL page has direction %s", d)
	}
	for _, tc := range []struct{ lang, open, send, dir string }{
		{"es", "Abrir chat", "Enviar", "ltr"},
		{"fr", "Ouvrir le chat", "Envoyer", "ltr"},
		{"de", "Chat öffnen", "Senden", "ltr"},
		{"ar", "فتح الدردشة", "إرسال", "rtl"},
	} {
		site := hostPage(t, fmt.Sprintf(`<script src="%s/widget.js" data-lang="%s" async></script>`, fs.URL, tc.lang))
		tb := newTab(t, 1280, 800)
		tb.navigate(site.URL)
		tb.click("button", tc.open)
		tb.find("button", tc.send)
		if d := tb.evalString(`getComputedStyle(W().querySelector('.log')).direction + ' ' + W().querySelector('.root').lang`); d != tc.dir+" "+tc.lang {
			t.Errorf("data-lang=%s: direction and lang %q, want %s %s", tc.lang, d, tc.dir, tc.lang)
		}
	}
}

func TestBrowserThemes(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	for _, tc := range []struct {
		scheme, theme string
		dark          bool
	}{
		{"light", "", false}, {"dark", "", true}, {"dark", "light", false}, {"light", "dark", true},
	} {
		attr := ""
		if tc.theme != "" {
			attr = ` data-theme="` + tc.theme + `"`
		}
		site := hostPage(t, fmt.Sprintf(`<script src="%s/widget.js" data-color="#0f766e"%s async></script>`, fs.URL, attr))
		tb := newTab(t, 1280, 800)
		tb.emulateMedia("prefers-color-scheme", tc.scheme)
		openWidget(t, tb, site.URL)
		tb.ask("How much do media specialists earn?")
		tb.waitFor("the answer", `LB().querySelector('.sources')`)
		var look struct{ Panel, Head string }
		tb.eval(`({ panel: getComputedStyle(W().querySelector('.log')).backgroundColor, head: getComputedStyle(W().querySelector('.head')).backgroundColor })`, &look)
		isDark := look.Panel == "rgb(28, 33, 40)"
		if isDark != tc.dark || look.Head != "rgb(15, 118, 110)" {
			t.Errorf("scheme %s data-theme=%q: log %s (dark %v, want %v), header %s (want the accent)", tc.scheme, tc.theme, look.Panel, isDark, tc.dark, look.Head)
		}
		if tc.dark {
			for _, f := range contrastFailures(tb) {
				t.Errorf("dark theme: contrast below 4.5:1: %s", f)
			}
		}
	}
}

func TestBrowserPhoneLandscapeIsFullScreen(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	for _, size := range [][2]int64{{740, 360}, {360, 740}} {
		tb := newTab(t, size[0], size[1])
		if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(size[0], size[1], chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
			t.Fatal(err)
		}
		openWidget(t, tb, fs.URL)
		tb.waitFor("the panel's fade-in to end", `W().querySelector('.panel').getAnimations().length === 0`)
		var got struct {
			Modal        string
			W, H, Bottom float64
			VW, VH, Font float64
		}
		tb.eval(`(() => { const p = W().querySelector('.panel').getBoundingClientRect(), c = W().querySelector('form').getBoundingClientRect();
			return { modal: W().querySelector('[role=dialog]').getAttribute('aria-modal'), w: p.width, h: p.height, bottom: c.bottom,
				vw: visualViewport.width, vh: visualViewport.height, font: parseFloat(getComputedStyle(W().querySelector('textarea')).fontSize) }; })()`, &got)
		if got.Modal != "true" || got.W < got.VW-1 || got.H < got.VH-1 || got.Bottom > got.VH+1 {
			t.Errorf("%dx%d: panel %vx%v (aria-modal %q), composer bottom %v, viewport %vx%v: want a modal full-screen panel with the composer in view", size[0], size[1], got.W, got.H, got.Modal, got.Bottom, got.VW, got.VH)
		}
		if got.Font < 16 {
			t.Errorf("%dx%d touch: textbox font %vpx, want 16px so iOS does not zoom", size[0], size[1], got.Font)
		}
	}
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	if m := tb.evalString(`String(W().querySelector('[role=dialog]').getAttribute('aria-modal'))`); m != "null" {
		t.Errorf("the desktop corner panel has aria-modal=%s", m)
	}
}

func TestBrowserTabsAPIAndUnreadBadge(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	fs.tokenDelay.Store(int64(80 * time.Millisecond))
	// The host page's body has a transform, which traps position:fixed.
	site := hostPage(t, fmt.Sprintf(`<style>body{transform:translateZ(0);min-height:3000px}</style><script src="%s/widget.js" async></script>`, fs.URL))
	tb := newTab(t, 1280, 800)
	tb.navigate(site.URL)
	tb.eval(`(() => { window.scrollTo(0, 2000); return true; })()`, nil)
	var box struct{ Top, Bottom float64 }
	tb.waitFor("the launcher", `W() && W().querySelector('.launcher')`)
	tb.eval(`(() => { const r = W().querySelector('.launcher').getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; })()`, &box)
	if box.Top < 0 || box.Bottom > 800 {
		t.Errorf("with a transformed body the launcher is at %v–%v px, outside the 800 px viewport", box.Top, box.Bottom)
	}

	// CareerBot.ask opens the chat and asks once connected; closing the
	// panel while it streams leaves an unread badge on the launcher.
	// The answer is held mid-stream until the panel is closed: the badge is
	// for an answer that finishes while closed, not a race with the stream.
	release := fs.holdAfter(t, 3)
	tb.eval(`(CareerBot.ask('How much do media specialists earn?'), true)`, nil)
	tb.waitFor("the question asked through the API", `W().querySelector('.send').textContent === 'Stop'`)
	tb.eval(`(CareerBot.close(), true)`, nil)
	release()
	tb.waitFor("the unread badge", `(() => { const b = W().querySelector('.badge'); return !b.hidden && b.textContent === '1'; })()`)
	tb.find("button", "Open chat")
	if d := tb.evalString(`W().getElementById(W().querySelector('.launcher').getAttribute('aria-describedby')).textContent`); d != "1 new" {
		t.Errorf("launcher description %q, want \"1 new\"", d)
	}
	tb.click("button", "Open chat")
	tb.waitFor("the badge gone", `W().querySelector('.badge').hidden`)

	// A second tab of the site shows the same conversation.
	tb2 := &tab{t: t}
	ctx2, cancel := chromedp.NewContext(tb.ctx)
	t.Cleanup(cancel)
	tb2.ctx = ctx2
	tb2.navigate(site.URL)
	tb2.click("button", "Open chat")
	tb2.waitFor("the conversation from the first tab", `W().querySelector('[role=log]').innerText.includes('65,000')`)

	// CareerBot.reset clears it without asking.
	tb.eval(`(CareerBot.reset(), true)`, nil)
	tb.waitFor("the fresh greeting", `W().querySelectorAll('.msg').length === 1`)
	tb2.waitFor("the other tab cleared too", `!W().querySelector('[role=log]').innerText.includes('65,000')`)
}
