package widget_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// openWidget loads the page and opens the chat by its accessible name.
func openWidget(t *testing.T, tb *tab, url string) {
	t.Helper()
	tb.navigate(url)
	tb.click("button", "Open chat")
	tb.waitFor("the greeting in the open panel", `!W().querySelector('.panel').hidden && W().querySelector('.msg.bot') && W().querySelector('.banner').hidden`)
}

func TestBrowserStreamsAnswerWithCitation(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	fs.tokenDelay.Store(int64(120 * time.Millisecond))
	// Each transient state below is held until the test has seen it.
	showTyping := fs.holdAfter(t, 0)
	showPart := fs.holdAfter(t, 3)
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
	showTyping()
	// Token by token: part of the answer shows while the stream is still open.
	tb.waitFor("a partly streamed answer", `(() => {
		const b = LB();
		const t = b.querySelector('.body').innerText;
		return t.length > 0 && !t.includes('85,000') && !b.querySelector('.sources');
	})()`)
	showPart()
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

func TestBrowserErrorFramesAreFriendly(t *testing.T) {
	codes := []string{"rate_limited", "busy", "upstream"}
	scripted := []string{"rate_limited", "busy", "upstream", "bad_request"}
	fs := newFakeServer(t, func(q string) fakeAnswer {
		for _, c := range scripted {
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
		"busy":         "coach is busy",
		"upstream":     "having trouble",
	}
	for i, c := range codes {
		tb.eval(`W().querySelector('textarea').value = ''`, nil)
		tb.ask("trigger " + c)
		tb.waitFor("the "+c+" message", fmt.Sprintf(`W().querySelectorAll('.error').length === %d`, i+1))
		if text := tb.logText(); !strings.Contains(text, want[c]) || strings.Contains(text, "scripted error") {
			t.Errorf("%s: want a friendly message containing %q, not the raw server message:\n%s", c, want[c], text)
		}
		tb.find("button", "Send") // usable again
	}
	// bad_request carries the server's explanation, which is shown as text.
	tb.eval(`W().querySelector('textarea').value = ''`, nil)
	tb.ask("trigger bad_request")
	tb.waitFor("the bad_request message", `W().querySelectorAll('.error').length === 4`)
	if last := tb.evalString(`[...W().querySelectorAll('.error')].pop().textContent`); last != "scripted error" {
		t.Errorf("bad_request shows %q, want the server's message", last)
	}
	// Transient errors are not kept: a reload shows the conversation without them.
	tb.reload()
	tb.waitFor("the restored conversation", `W().querySelector('.msg.bot') && W().querySelector('.banner').hidden`)
	if n := tb.evalString(`String(W().querySelectorAll('.error, .msg.user').length)`); n != "0" {
		t.Errorf("after a reload %s error lines or unanswered questions came back:\n%s", n, tb.logText())
	}
	tb.eval(`W().querySelector('textarea').value = ''`, nil)
	tb.ask("How much do media specialists earn?")
	tb.waitFor("an answer after the errors", `W().querySelector('.sources')`)
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
	// The paste did not fit: the visitor is told it was cut.
	tb.waitFor("the cut notice", `W().querySelector('.counter').innerText.includes('Your paste was cut to 1000 characters.')`)
	var length int
	tb.eval(`W().querySelector('textarea').value.length`, &length)
	if length != 1000 {
		t.Errorf("textbox accepted %d characters, cap is 1000", length)
	}
}

// xssPayloads are classic injections; each would set window.__xss if it ran.
const xssPayloads = `<img src=x onerror="window.__xss='img'"> <script>window.__xss='script'</script> ` +
	`[click me](javascript:window.__xss='link') <a href="javascript:window.__xss='a'">a</a> ` +
	`<svg onload="window.__xss='svg'"></svg> [data](data:text/html,<script>window.__xss='data'</script>)`

// assertInert fails if any payload ran or became markup in the widget.
func assertInert(t *testing.T, tb *tab) {
	t.Helper()
	var report struct {
		XSS      any      `json:"xss"`
		Bad      []string `json:"bad"`
		Links    []string `json:"links"`
		Literal  bool     `json:"literal"`
		LinkAttr bool     `json:"linkAttr"`
	}
	tb.eval(`(() => {
		const all = [...W().querySelectorAll('*')];
		const allowed = new Set(['DIV','SPAN','P','UL','OL','LI','STRONG','EM','CODE','A','BR','DETAILS','SUMMARY','BUTTON','I','H2','FORM','LABEL','TEXTAREA','STYLE','TIME','TABLE','THEAD','TBODY','TR','TH','TD','BLOCKQUOTE','svg','path']);
		const bad = all.filter(e => !allowed.has(e.tagName) || [...e.attributes].some(a => a.name.startsWith('on')))
			.map(e => e.outerHTML.slice(0, 80));
		const links = [...W().querySelectorAll('a')];
		return {
			xss: window.__xss === undefined ? null : window.__xss,
			bad,
			links: links.map(a => a.href),
			literal: W().querySelector('[role=log]').innerText.includes('<img src=x onerror='),
			linkAttr: links.every(a => a.rel === 'noopener noreferrer' && a.target === '_blank'),
		};
	})()`, &report)
	if report.XSS != nil {
		t.Errorf("a payload ran: window.__xss = %v", report.XSS)
	}
	if len(report.Bad) > 0 {
		t.Errorf("payload markup became elements in the widget: %q", report.Bad)
	}
	for _, href := range report.Links {
		if !strings.HasPrefix(href, "https://") && !strings.HasPrefix(href, "http://") {
			t.Errorf("link to %q: only http(s) links may be rendered", href)
		}
	}
	if !report.LinkAttr {
		t.Error(`a link lacks rel="noopener noreferrer" target="_blank"`)
	}
	if !report.Literal {
		t.Errorf("the payload is not shown as plain text:\n%s", tb.logText())
	}
}

func TestBrowserXSSInQuestionAndAnswerStaysInert(t *testing.T) {
	// A fake LLM echoes attack payloads in the answer, the sources and the
	// follow-up chips, next to one legitimate link.
	fs := newFakeServer(t, func(q string) fakeAnswer {
		return fakeAnswer{
			text:        "Here you go: " + xssPayloads + "\n\n- **<b>bold</b>** and https://example.com/guide?a=1&b=<i>2</i>",
			sources:     []map[string]any{{"guide": "<img src=x onerror=\"window.__xss='guide'\">", "section": "<script>window.__xss='section'</script>", "text": xssPayloads, "score": 0.9}},
			suggestions: []string{"<img src=x onerror=\"window.__xss='chip'\">"},
			notice:      "<img src=x onerror=\"window.__xss='notice'\">",
		}
	})
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	tb.focus("textbox", "Your question")
	tb.paste(xssPayloads)
	tb.enter(false)
	tb.waitFor("the answer", `LB().querySelector('.sources')`)
	tb.click("DisclosureTriangle", "Sources (1)")
	tb.click("DisclosureTriangle", "<script>window.__xss='section'</script>")
	// Give an injected <img> time to fail loading and fire onerror, if one existed.
	tb.waitFor("the page to settle", `new Promise(r => setTimeout(() => r(true), 300))`)
	assertInert(t, tb)

	var safeLink string
	tb.eval(`[...W().querySelectorAll('.body a')].map(a => a.href).join(' ')`, &safeLink)
	if safeLink != "https://example.com/guide?a=1&b=" { // a bare link ends at "<"
		t.Errorf("rendered links %q, want only the https one", safeLink)
	}
	// The user's own question must be shown exactly as typed.
	var shown string
	tb.eval(`W().querySelector('.msg.user .qt').textContent`, &shown)
	if !strings.Contains(shown, xssPayloads) {
		t.Errorf("the question is not shown verbatim: %q", shown)
	}
}

func TestBrowserLongWordsFitSmallScreen(t *testing.T) {
	fs := newFakeServer(t, func(q string) fakeAnswer {
		a := mediaAnswer(q)
		a.text += "\n\nA long unbroken token: " + strings.Repeat("x", 120) + " and a link https://example.com/" + strings.Repeat("very-long-path-", 8)
		return a
	})
	tb := newTab(t, 360, 640)
	openWidget(t, tb, fs.URL)
	tb.ask(strings.Repeat("y", 150))
	tb.waitFor("the answer", `LB().querySelector('.sources')`)
	assertFits(t, tb)
}

// hostPageHandler serves a page that embeds a bot's widget with scriptTag.
func hostPageHandler(scriptTag string) http.Handler {
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Some site</title></head>` +
		`<body><h1>Another site</h1>` + scriptTag + `</body></html>`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, page)
	})
}

// hostPage serves, on its own origin, a page that embeds a bot's widget.
func hostPage(t *testing.T, scriptTag string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(hostPageHandler(scriptTag))
	t.Cleanup(srv.Close)
	return srv
}

func TestBrowserDataAttributes(t *testing.T) {
	scripted := newFakeServer(t, mediaAnswer) // serves widget.js
	other := newFakeServer(t, mediaAnswer)    // data-server points here
	site := hostPage(t, fmt.Sprintf(`<script src="%s/widget.js" data-title="Jobs helper" data-greeting="Hello from the site!" `+
		`data-position="left" data-color="#ffcc00" data-open="true" data-server="%s" async></script>`, scripted.URL, other.URL))
	tb := newTab(t, 1280, 800)
	tb.navigate(site.URL)

	// data-open: the panel is open without a click, and connected to data-server.
	tb.find("dialog", "Jobs helper")
	tb.waitFor("the site's greeting", `W().querySelector('[role=log]').innerText.includes('Hello from the site!')`)
	if _, _, _, urls := scripted.counts(); len(urls) != 0 {
		t.Errorf("connected to the script's server %v despite data-server", urls)
	}
	if _, _, _, urls := other.counts(); len(urls) != 1 {
		t.Errorf("data-server got %d connections, want 1", len(urls))
	}
	var look struct {
		Left     float64 `json:"left"`
		HeadText string  `json:"headText"`
		HeadBg   string  `json:"headBg"`
	}
	tb.eval(`(() => { const h = getComputedStyle(W().querySelector('.head'));
		return { left: W().querySelector('.panel').getBoundingClientRect().left, headText: h.color, headBg: h.backgroundColor }; })()`, &look)
	if look.Left > 40 {
		t.Errorf("data-position=left: panel starts at x=%v", look.Left)
	}
	if look.HeadBg != "rgb(255, 204, 0)" || look.HeadText != "rgb(17, 17, 17)" {
		t.Errorf("data-color=#ffcc00: header %s on %s, want dark text rgb(17, 17, 17) on rgb(255, 204, 0) for contrast", look.HeadText, look.HeadBg)
	}
	tb.ask("How much do media specialists earn?")
	tb.waitFor("the answer", `LB().querySelector('.sources')`)

	// Without data-server the websocket URL comes from the script's own src.
	derived := hostPage(t, fmt.Sprintf(`<script src="%s/widget.js" async></script>`, scripted.URL))
	tb2 := newTab(t, 1280, 800)
	openWidget(t, tb2, derived.URL)
	if _, _, _, urls := scripted.counts(); len(urls) != 1 {
		t.Errorf("the script's own server got %d connections, want 1", len(urls))
	}
	if title := tb2.evalString(`W().querySelector('h2').textContent`); title != "Career coach" {
		t.Errorf("default title %q", title)
	}
}

// A site with a strict Content-Security-Policy (no inline styles, scripts
// only from the bot, websocket only to the bot) can embed the widget.
func TestBrowserStrictCSPHostPage(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	wsOrigin := "ws://" + strings.TrimPrefix(fs.URL, "http://")
	page := hostPageHandler(fmt.Sprintf(`<script src="%s/widget.js" async></script>`, fs.URL))
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", fmt.Sprintf("default-src 'none'; script-src %s; connect-src %s; style-src 'none'; img-src 'none'", fs.URL, wsOrigin))
		page.ServeHTTP(w, r)
	}))
	t.Cleanup(site.Close)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, site.URL)
	var look string
	tb.eval(`[getComputedStyle(W().querySelector('.launcher, .panel')).position, getComputedStyle(W().querySelector('.panel')).width].join(' ')`, &look)
	if look != "fixed 380px" {
		t.Errorf("under a strict CSP the widget is unstyled: position/width %q, want \"fixed 380px\"", look)
	}
	tb.ask("How much do media specialists earn?")
	tb.waitFor("the answer", `LB().querySelector('.sources')`)
}

func TestBrowserReducedMotion(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	fs.holdAfter(t, 0) // keep the typing indicator up while we look
	for _, reduce := range []bool{false, true} {
		tb := newTab(t, 1280, 800)
		if reduce {
			tb.emulateMedia("prefers-reduced-motion", "reduce")
		}
		openWidget(t, tb, fs.URL)
		tb.ask("How much do media specialists earn?")
		tb.waitFor("the typing indicator", `LB().querySelector('.typing')`)
		got := tb.evalString(`[getComputedStyle(W().querySelector('.panel')).animationName, getComputedStyle(LB().querySelector('.typing i')).animationName].join(' ')`)
		want := "cb-in cb-dot"
		if reduce {
			want = "none none"
		}
		if got != want {
			t.Errorf("prefers-reduced-motion %v: animations %q, want %q", reduce, got, want)
		}
	}
}

// Every text the widget draws reaches WCAG AA contrast (4.5:1) against the
// background it sits on, with the default colour and with a light data-color.
func TestBrowserTextContrastAA(t *testing.T) {
	fs := newFakeServer(t, func(q string) fakeAnswer {
		a := mediaAnswer(q)
		a.text += "\n\nSee https://example.com/pay and `Premiere Pro`."
		return a
	})
	for _, color := range []string{"", "#ffcc00", "#7fdbff"} {
		attr := ""
		if color != "" {
			attr = ` data-color="` + color + `"`
		}
		site := hostPage(t, fmt.Sprintf(`<script src="%s/widget.js"%s async></script>`, fs.URL, attr))
		tb := newTab(t, 1280, 800)
		openWidget(t, tb, site.URL)
		tb.ask("How much do media specialists earn?")
		tb.waitFor("the answer", `LB().querySelector('.sources')`)
		tb.click("DisclosureTriangle", "Sources (1)")
		tb.click("DisclosureTriangle", "Annual Salary (US, USD)")
		tb.focus("textbox", "Your question")
		tb.paste(strings.Repeat("a", 960)) // show the counter
		failures := contrastFailures(tb)
		for _, f := range failures {
			t.Errorf("data-color %q: contrast below 4.5:1: %s", color, f)
		}
	}
}

// The markdown subset, rendered as DOM nodes, checked through the finished
// bubble's HTML serialisation.
func TestBrowserMarkdownSubset(t *testing.T) {
	link := func(href, text string) string {
		return `<a href="` + href + `" target="_blank" rel="noopener noreferrer">` + text + `</a>`
	}
	cases := []struct{ markdown, want string }{
		{"Hello **world**", `<p>Hello <strong>world</strong></p>`},
		{"a *b* _c_ `d` __e__", `<p>a <em>b</em> <em>c</em> <code>d</code> <strong>e</strong></p>`},
		{"snake_case_name and 2 * 3 * 4", `<p>snake_case_name and 2 * 3 * 4</p>`},
		{"**unclosed bold and `tick", `<p>**unclosed bold and ` + "`" + `tick</p>`},
		{"para one\nline two\n\npara two", `<p>para one<br>line two</p><p>para two</p>`},
		{"- one\n- two\n\n1. first\n2. second", `<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>`},
		{"3. third\n4. fourth", `<ol start="3"><li>third</li><li>fourth</li></ol>`},
		{"Intro:\n* a\n• b\nAfter", `<p>Intro:</p><ul><li>a</li><li>b</li></ul><p>After</p>`},
		{"- item\n  continued", `<ul><li>item continued</li></ul>`},
		{"## Pay", `<p><strong>Pay</strong></p>`},
		{"See [the guide](https://example.com/a?b=1).", `<p>See ` + link("https://example.com/a?b=1", "the guide") + `.</p>`},
		{"Visit https://example.com/path, or http://x.org.", `<p>Visit ` + link("https://example.com/path", "https://example.com/path") + `, or ` + link("http://x.org/", "http://x.org") + `.</p>`},
		{"- **Tools:** [Canva](https://canva.com)", `<ul><li><strong>Tools:</strong> ` + link("https://canva.com/", "Canva") + `</li></ul>`},
		{"[x](javascript:alert%281%29) [y](/relative) [z](data:text/html,hi)", `<p>x y z</p>`},
		{"<b>not bold</b> & <i>", `<p>&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;i&gt;</p>`},
		{"Set my__var__name, a__b and x_y_z but __bold__.", `<p>Set my__var__name, a__b and x_y_z but <strong>bold</strong>.</p>`},
		{"> quoted\n> more\n\nafter", `<blockquote>quoted<br>more</blockquote><p>after</p>`},
		{"| Level | Pay |\n|---|:--:|\n| Entry | **$51k** |\n\nDone", `<div class="tw"><table><thead><tr><th>Level</th><th>Pay</th></tr></thead><tbody><tr><td>Entry</td><td><strong>$51k</strong></td></tr></tbody></table></div><p>Done</p>`},
		{"a | b without a separator", `<p>a | b without a separator</p>`},
	}
	fs := newFakeServer(t, func(q string) fakeAnswer {
		var i int
		fmt.Sscanf(q, "case %d", &i)
		return fakeAnswer{text: cases[i].markdown}
	})
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, fs.URL)
	for i, tc := range cases {
		tb.focus("textbox", "Your question")
		tb.paste(fmt.Sprintf("case %d", i))
		tb.enter(false)
		waitAnswered(tb, i+1)
		if got := tb.evalString(`LB().querySelector('.body').innerHTML`); got != tc.want {
			t.Errorf("%q\n rendered %s\n want     %s", tc.markdown, got, tc.want)
		}
	}
}

// Whatever is in localStorage or sessionStorage (another script, an older widget version),
// the widget loads without an exception and starts a usable conversation.
func TestBrowserSurvivesCorruptStorage(t *testing.T) {
	fs := newFakeServer(t, mediaAnswer)
	for _, stored := range []string{
		`not json`,
		`[1,2,3]`,
		`{"session":5,"open":"yes","messages":"none"}`,
		`{"session":"x","open":true,"messages":[{"r":"u","t":{"a":1}},{"r":"b","t":null,"s":"bad","f":7,"n":3},{"r":"zz"},null,7]}`,
	} {
		tb := newTab(t, 1280, 800)
		tb.navigate(fs.URL)
		tb.eval(`(() => { const k = 'careerbot:'+ new URL('ws', document.querySelector('script[src$="widget.js"]').src).href.replace(/^http/, 'ws');
			sessionStorage.setItem(k, `+jsString(stored)+`); localStorage.setItem(k, `+jsString(stored)+`); return true; })()`, nil)
		tb.reload()
		tb.waitFor("the widget", `W() && W().querySelector('.launcher')`)
		var closed bool
		tb.eval(`W().querySelector('.panel').hidden`, &closed)
		if closed {
			tb.click("button", "Open chat")
		}
		tb.waitFor("the connected panel", `!W().querySelector('.panel').hidden && W().querySelector('.banner').hidden`)
		tb.ask("How much do media specialists earn?")
		tb.waitFor("an answer", `LB().querySelector('.sources')`)
	}
}

// contrastFailures lists every visible text in the widget below 4.5:1
// against the background it sits on.
func contrastFailures(tb *tab) []string {
	tb.t.Helper()
	var failures []string
	tb.eval(`(() => {
		const lum = (c) => { const v = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(x => x / 255).map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4)); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
		const bg = (el) => { for (let e = el; e; e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) { const c = getComputedStyle(e).backgroundColor; if (!/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
		const out = [];
		for (const el of W().querySelectorAll('*')) {
			const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
			if (!own || el.closest('.sr') || el.offsetParent === null) continue;
			const fg = getComputedStyle(el).color, b = bg(el);
			const a = lum(fg), c = lum(b), ratio = (Math.max(a, c) + 0.05) / (Math.min(a, c) + 0.05);
			if (ratio < 4.5) out.push(el.className + ' "' + el.textContent.trim().slice(0, 30) + '" ' + fg + ' on ' + b + ' = ' + ratio.toFixed(2));
		}
		return out;
	})()`, &failures)
	return failures
}
