package widget_test

// Browser tests against the real chat server (internal/chat) with the real
// corpus: offline mode, and LLM mode against a loopback fake OpenAI server.

import (
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/openai/openaitest"
)

// sessionID is the session the widget keeps in localStorage.
func sessionID(tb *tab) string {
	return tb.evalString(`(() => { const k = Object.keys(localStorage).find(k => k.startsWith('careerbot:'));
		return k ? (JSON.parse(localStorage.getItem(k)).session || '') : ''; })()`)
}

// waitAnswered waits until n answers have finished (each ends with a bot
// message after the nth user message and the Send button is back).
func waitAnswered(tb *tab, n int) {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf("answer %d to finish", n), fmt.Sprintf(`W().querySelectorAll('.msg.user').length === %d && !W().querySelector('.typing') && W().querySelector('.send').textContent === 'Send' && LB().querySelector('.body').innerText.trim().length > 0`, n))
}

func TestBrowserRealServerAnswersWithCitation(t *testing.T) {
	bot := startRealBot(t)
	tb := newTab(t, 1280, 800)
	tb.navigate(bot.URL) // the demo page, served by the real server

	tb.find("button", "Open chat")
	if n := bot.chat.Stats().OpenConns; n != 0 {
		t.Fatalf("%d websocket(s) open before the panel was opened", n)
	}
	tb.click("button", "Open chat")
	tb.find("dialog", "Career coach")
	tb.find("log", "Conversation")
	if live := tb.evalString(`W().querySelector('[role=log]').getAttribute('aria-live')`); live != "polite" {
		t.Errorf("the message log has aria-live=%q, want polite", live)
	}
	tb.waitFor("the greeting and starter chips", `W().querySelector('.msg.bot') && W().querySelectorAll('.chip').length > 0`)
	if n := bot.chat.Stats().OpenConns; n != 1 {
		t.Errorf("%d websockets open after opening the panel, want 1", n)
	}

	tb.ask("How much does a media specialist earn?")
	waitAnswered(tb, 1)
	answer := tb.evalString(`LB().querySelector('.body').innerText`)
	if !strings.Contains(answer, "65,000") {
		t.Errorf("the answer lacks the median salary $65,000:\n%s", answer)
	}

	// The citation: a collapsed Sources list naming the guide's sections.
	summary := tb.evalString(`LB().querySelector('.sources > summary').textContent`)
	if !strings.HasPrefix(summary, "Sources (") {
		t.Fatalf("no Sources list under the answer (summary %q):\n%s", summary, tb.logText())
	}
	tb.click("DisclosureTriangle", summary)
	var sections []string
	tb.eval(`[...LB().querySelectorAll('.sources li > details > summary')].filter(s => s.offsetHeight > 0).map(s => s.textContent)`, &sections)
	cited := ""
	for _, s := range sections {
		if strings.Contains(strings.ToLower(s), "salary") {
			cited = s
		}
	}
	if cited == "" {
		t.Fatalf("no salary section among the visible sources %q", sections)
	}
	tb.click("DisclosureTriangle", cited)
	tb.waitFor("the cited snippet", `[...LB().querySelectorAll('.snippet')].some(p => p.offsetHeight > 0 && p.innerText.includes('65,000'))`)
	tb.waitFor("follow-up chips", `W().querySelectorAll('.chip').length >= 2`)
	tb.maybeScreenshot("real-desktop")
}

func TestBrowserRealSuggestionChip(t *testing.T) {
	bot := startRealBot(t)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, bot.URL)
	tb.waitFor("starter chips", `W().querySelectorAll('.chip').length > 0`)
	chip := tb.evalString(`W().querySelector('.chip').textContent`)
	tb.click("button", chip)
	waitAnswered(tb, 1)
	if asked := tb.evalString(`W().querySelector('.msg.user .qt').textContent`); !strings.HasSuffix(asked, chip) {
		t.Errorf("clicking the chip %q asked %q", chip, asked)
	}
	tb.waitFor("follow-up chips", `W().querySelectorAll('.chip').length > 0`)
	followUp := tb.evalString(`W().querySelector('.chip').textContent`)
	tb.click("button", followUp)
	waitAnswered(tb, 2)
}

func TestBrowserRealNewChatClearsTheLog(t *testing.T) {
	bot := startRealBot(t)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, bot.URL)
	greeting := tb.evalString(`W().querySelector('.msg.bot').innerText`)
	tb.ask("How much does a media specialist earn?")
	waitAnswered(tb, 1)

	tb.click("button", "New chat")
	// A conversation is not wiped on one click: the widget asks first, and
	// Cancel keeps it.
	tb.find("group", "New chat")
	tb.click("button", "Cancel")
	if !strings.Contains(tb.logText(), "65,000") {
		t.Fatalf("Cancel cleared the conversation:\n%s", tb.logText())
	}
	tb.click("button", "New chat")
	tb.click("button", "Clear chat")
	tb.waitFor("only the greeting", `W().querySelectorAll('.msg').length === 1 && W().querySelectorAll('.chip').length > 0`)
	if text := tb.logText(); tb.evalString(`String(W().querySelectorAll('.msg.user').length)`) != "0" || strings.Contains(text, "65,000") {
		t.Errorf("New chat left the old conversation in the log:\n%s", text)
	}
	if got := tb.evalString(`W().querySelector('.msg.bot').innerText`); got != greeting {
		t.Errorf("after New chat the log shows %q, want the greeting %q", got, greeting)
	}
	// The cleared conversation stays cleared across a reload.
	tb.reload()
	tb.waitFor("the reopened panel", `W().querySelector('.panel:not([hidden]) .msg.bot') && W().querySelector('.banner').hidden`)
	if text := tb.logText(); strings.Contains(text, "65,000") {
		t.Errorf("the old conversation came back after a reload:\n%s", text)
	}
}

func TestBrowserRealReloadResumesSession(t *testing.T) {
	bot := startRealBot(t)
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, bot.URL)
	tb.ask("How much does a media specialist earn?")
	waitAnswered(tb, 1)
	before := sessionID(tb)
	if before == "" {
		t.Fatal("no session id in localStorage after the first answer")
	}

	tb.reload()
	// The panel was open, so it reopens, shows the conversation and resumes.
	tb.waitFor("the restored conversation", `W().querySelector('.panel:not([hidden])') && W().querySelector('[role=log]').innerText.includes('65,000')`)
	tb.waitFor("the resumed connection", `W().querySelector('.banner').hidden`)
	if after := sessionID(tb); after != before {
		t.Errorf("after reload the session is %q, want the resumed %q", after, before)
	}
	if text := tb.logText(); strings.Contains(text, "expired") {
		t.Errorf("the server did not resume the session:\n%s", text)
	}
	tb.ask("Which tools do they use?")
	waitAnswered(tb, 2)
	if after := sessionID(tb); after != before {
		t.Errorf("asking after the reload changed the session to %q", after)
	}
}

func TestBrowserRealKeyboardOnly(t *testing.T) {
	bot := startRealBot(t)
	tb := newTab(t, 1280, 800)
	tb.navigate(bot.URL)
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
		tb.keys("\t")
	}
	var outline string
	tb.eval(`getComputedStyle(W().activeElement).outlineStyle`, &outline)
	if outline == "none" || outline == "" {
		t.Errorf("the focused launcher has no visible focus outline (outline-style %q)", outline)
	}
	tb.enter(false)
	tb.waitFor("the greeting, with focus in the textbox", `W().querySelector('.chip') && W().activeElement && W().activeElement.tagName === 'TEXTAREA'`)

	tb.keys("How much does a media specialist")
	tb.enter(true)
	tb.keys("earn?")
	if v := tb.evalString(`W().activeElement.value`); v != "How much does a media specialist\nearn?" {
		t.Errorf("Shift+Enter: textbox holds %q, want a newline between the lines", v)
	}
	tb.enter(false)
	waitAnswered(tb, 1)
	if v := tb.evalString(`W().querySelector('textarea').value`); v != "" {
		t.Errorf("after sending, the textbox holds %q, want it empty", v)
	}
	if !strings.Contains(tb.logText(), "65,000") {
		t.Errorf("no salary in the answer:\n%s", tb.logText())
	}

	// Tab order inside the panel: header buttons, log, chips/sources, textbox, Send.
	tb.focus("button", "New chat")
	var order []string
	for range 12 {
		tb.keys("\t")
		order = append(order, tb.evalString(`(() => { const a = W().activeElement; if (!a) return 'outside'; return a.getAttribute('aria-label') || a.textContent.slice(0, 20) || a.tagName; })()`))
		if ring := tb.evalString(`(() => { const a = W().activeElement; return a ? getComputedStyle(a).outlineStyle + ' ' + getComputedStyle(a).outlineWidth : 'outside'; })()`); strings.HasPrefix(ring, "none") || strings.HasSuffix(ring, " 0px") {
			t.Errorf("%q has focus but no visible focus ring (outline %s)", order[len(order)-1], ring)
		}
	}
	joined := strings.Join(order, " | ")
	for _, want := range []string{"Close chat", "Conversation", "Send"} {
		if !strings.Contains(joined, want) {
			t.Errorf("Tab order %q never reaches %q", joined, want)
		}
	}

	// Escape closes and gives focus back to the launcher.
	tb.focus("textbox", "Your question")
	tb.keys("\x1b")
	tb.waitFor("the panel to close with focus on the launcher", `W().querySelector('.panel').hidden && (`+launcherFocused+`)`)
}

func TestBrowserRealHostPageCSSDoesNotRestyleWidget(t *testing.T) {
	bot := startRealBot(t)
	measure := `(() => {
		const cs = (el) => getComputedStyle(el);
		const bot = W().querySelector('.msg.bot'), title = W().querySelector('h2'), ta = W().querySelector('textarea'), chip = W().querySelector('.chip');
		const panel = W().querySelector('.panel').getBoundingClientRect();
		return [cs(bot).color, cs(bot).fontSize, cs(bot).fontFamily, cs(bot).lineHeight, cs(title).fontSize, cs(title).color,
			cs(ta).fontSize, cs(chip).color, cs(chip).display, cs(W().querySelector('.send')).display,
			Math.round(panel.width), Math.round(panel.height)].join(' | ');
	})()`
	styles := map[bool]string{}
	for _, hostile := range []bool{false, true} {
		tb := newTab(t, 1280, 800)
		tb.navigate(bot.URL)
		if hostile {
			// The example, and worse.
			tb.eval(`(() => { const s = document.createElement('style');
				s.textContent = '* { color: red !important; font-size: 40px } ' +
					'html, body, div, button, textarea { font-family: serif !important; line-height: 3 !important; display: inline !important; width: 10px !important; background: lime !important } ' +
					'h2 { font-size: 80px !important } careerbot-chat { display: none !important }';
				document.head.appendChild(s); return true; })()`, nil)
		}
		tb.click("button", "Open chat")
		tb.waitFor("the greeting", `W().querySelector('.chip')`)
		tb.waitFor("the opening animation to end", `W().querySelector('.panel').getAnimations().length === 0`)
		styles[hostile] = tb.evalString(measure)
		if hostile {
			tb.maybeScreenshot("hostile-css")
		}
		// The widget's own CSS must not leak out onto the page.
		if box := tb.evalString(`getComputedStyle(document.querySelector('.card')).boxSizing`); box != "content-box" {
			t.Errorf("the widget changed the host page's box-sizing to %q", box)
		}
	}
	if styles[true] != styles[false] {
		t.Errorf("host page CSS restyled the widget:\n plain page:   %s\n hostile page: %s", styles[false], styles[true])
	}
	if !strings.HasPrefix(styles[false], "rgb(31, 35, 40) | 15px") {
		t.Errorf("unexpected widget text style %s", styles[false])
	}
}

func TestBrowserRealFitsSmallScreen(t *testing.T) {
	bot := startRealBot(t)
	tb := newTab(t, 360, 640)
	openWidget(t, tb, bot.URL)
	tb.ask("How much does a media specialist earn?")
	waitAnswered(tb, 1)
	assertFits(t, tb)
	tb.maybeScreenshot("mobile-360x640")

	// Full screen, the panel keeps Tab inside it: past Send comes New chat.
	active := func() string {
		return tb.evalString(`(() => { const a = W() && W().activeElement; return a ? (a.getAttribute('aria-label') || a.textContent) : 'outside the widget'; })()`)
	}
	tb.focus("button", "Send")
	tb.keys("\t")
	if got := active(); got != "New chat" {
		t.Errorf("Tab from Send on a small screen went to %q, want New chat", got)
	}
	tb.keys("\t", chromedp.KeyModifiers(chromedp.ModifierShift))
	if got := active(); got != "Send" {
		t.Errorf("Shift+Tab from New chat on a small screen went to %q, want Send", got)
	}
	tb.click("button", "Close chat")
	tb.find("button", "Open chat")
}

// assertFits checks that the open panel fills a small screen and that
// nothing sticks out sideways.
func assertFits(t *testing.T, tb *tab) {
	t.Helper()
	var fit struct {
		Panel    []float64 `json:"panel"`
		Visible  bool      `json:"visible"`
		Overflow bool      `json:"overflow"`
	}
	tb.eval(`(() => {
		const r = W().querySelector('.panel').getBoundingClientRect();
		const inView = (el) => { const b = el.getBoundingClientRect(); return b.width > 0 && b.left >= 0 && b.top >= 0 && b.right <= innerWidth && b.bottom <= innerHeight; };
		const log = W().querySelector('[role=log]');
		return {
			panel: [r.left, r.top, r.width, r.height],
			visible: ['textarea', '.send', 'h2', '.head button', '[aria-label="Close chat"]'].every(s => inView(W().querySelector(s))),
			overflow: log.scrollWidth > log.clientWidth || document.documentElement.scrollWidth > innerWidth,
		};
	})()`, &fit)
	if len(fit.Panel) != 4 || fit.Panel[0] != 0 || fit.Panel[1] != 0 || fit.Panel[2] != 360 || fit.Panel[3] != 640 {
		t.Errorf("panel at %v on a 360x640 screen, want full screen [0 0 360 640]", fit.Panel)
	}
	if !fit.Visible {
		t.Error("the textbox, Send, title or header buttons are not fully on screen at 360x640")
	}
	if fit.Overflow {
		t.Error("content overflows sideways at 360 px")
	}
}

// slowLLM streams tokens from a loopback OpenAI-compatible server, waiting
// between tokens, until the request is cancelled.
func slowLLM(t *testing.T, tokens []string, gap time.Duration, cancelled chan<- struct{}) *openaitest.Server {
	fake := openaitest.New(t)
	var once sync.Once
	fake.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i, tok := range tokens {
			fr := ""
			if i == len(tokens)-1 {
				fr = "stop"
			}
			openaitest.Chunk(w, tok, fr)
			select {
			case <-r.Context().Done():
				if cancelled != nil {
					once.Do(func() { close(cancelled) })
				}
				return
			case <-time.After(gap):
			}
		}
		openaitest.Done(w)
	})
	return fake
}

func TestBrowserRealLLMAnswerXSSStaysInert(t *testing.T) {
	fake := openaitest.New(t)
	fake.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		// The payloads split across tokens, as a model would stream them.
		tokens := strings.SplitAfter("The median salary is $65,000. "+xssPayloads+"\n\n- see https://example.com/pay", " ")
		openaitest.Stream(w, tokens, "stop")
	})
	bot := startRealBot(t, withLLM(fake.BaseURL()))
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, bot.URL)
	// The question carries payloads too; it still retrieves the salary section.
	tb.focus("textbox", "Your question")
	tb.paste(`How much does a media specialist earn? <img src=x onerror="window.__xss='q'"><script>window.__xss='qs'</script>`)
	tb.enter(false)
	waitAnswered(tb, 1)
	if len(fake.Requests()) == 0 {
		t.Fatal("the server never called the fake LLM")
	}
	tb.waitFor("the page to settle", `new Promise(r => setTimeout(() => r(true), 300))`)
	assertInert(t, tb)
	if links := tb.evalString(`[...LB().querySelectorAll('.body a')].map(a => a.href).join(' ')`); links != "https://example.com/pay" {
		t.Errorf("rendered links %q, want only https://example.com/pay", links)
	}
	if q := tb.evalString(`W().querySelector('.msg.user .qt').textContent`); !strings.Contains(q, `<script>window.__xss='qs'</script>`) {
		t.Errorf("the question is not shown verbatim: %q", q)
	}
}

func TestBrowserRealStopCancelsTheLLMStream(t *testing.T) {
	cancelled := make(chan struct{})
	tokens := strings.SplitAfter(strings.Repeat("Media specialists earn a median of $65,000 a year, and more. ", 30), " ")
	fake := slowLLM(t, tokens, 100*time.Millisecond, cancelled)
	bot := startRealBot(t, withLLM(fake.BaseURL()))
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, bot.URL)
	tb.ask("How much does a media specialist earn?")
	tb.waitFor("the typing indicator or first tokens", `LB().querySelector('.typing') || LB().innerText.includes('Media')`)
	tb.waitFor("streamed tokens", `LB().querySelector('.body').innerText.includes('Media specialists')`)
	tb.click("button", "Stop")
	tb.find("button", "Send")
	select {
	case <-cancelled:
	case <-time.After(waitTimeout):
		t.Fatal("Stop did not cancel the LLM request on the server")
	}
	if text := tb.logText(); !strings.Contains(text, "Stopped.") {
		t.Errorf("no 'Stopped.' note after Stop:\n%s", text)
	}
	// The connection stays usable.
	tb.ask("Which tools do media specialists use?")
	tb.waitFor("the next answer to start", `W().querySelectorAll('.msg.user').length === 2 && LB().querySelector('.body').innerText.includes('Media')`)
}

func TestBrowserRealCrossOriginNeedsAllowedOrigins(t *testing.T) {
	// The allowed site's origin must be known before the bot starts.
	allowed := httptest.NewUnstartedServer(nil)
	t.Cleanup(allowed.Close)
	bot := startRealBot(t, withAllowedOrigins("http://"+allowed.Listener.Addr().String()))
	allowed.Config.Handler = hostPageHandler(fmt.Sprintf(`<script src="%s/widget.js" data-title="Jobs helper" async></script>`, bot.URL))
	allowed.Start()

	tb := newTab(t, 1280, 800)
	openWidget(t, tb, allowed.URL)
	tb.ask("How much does a media specialist earn?")
	waitAnswered(tb, 1)

	refused := hostPage(t, fmt.Sprintf(`<script src="%s/widget.js" async></script>`, bot.URL))
	tb2 := newTab(t, 1280, 800)
	tb2.navigate(refused.URL)
	tb2.click("button", "Open chat")
	// The visitor is told the chat is unavailable here (no endless
	// "Reconnecting…"); the site owner gets one console warning naming the setting.
	tb2.waitFor("the refused connection to say so", `(() => { const b = W().querySelector('.banner'); return !b.hidden && b.innerText.includes('Chat is unavailable here.'); })()`)
	tb2.waitFor("a second to pass", `new Promise(r => setTimeout(() => r(true), 1000))`)
	if warnings := tb2.consoleLines(); len(warnings) != 1 || !strings.Contains(warnings[0], "BOT_ALLOWED_ORIGINS") {
		t.Errorf("console on the refused site: %q, want one warning naming BOT_ALLOWED_ORIGINS", warnings)
	}
	if n := tb2.evalString(`String(W().querySelectorAll('.msg').length)`); n != "0" {
		t.Errorf("a site not in BOT_ALLOWED_ORIGINS got %s messages", n)
	}
}

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/widget.png from the real server's demo page")

// TestDocsScreenshot makes docs/widget.png, the picture in the README: the
// demo page with the widget open mid-conversation, answered by the real
// server in offline mode. Run: go test ./internal/widget -run TestDocsScreenshot -update-docs
func TestDocsScreenshot(t *testing.T) {
	if !*updateDocs {
		t.Skip("run with -update-docs to rewrite docs/widget.png and docs/widget-dark.png")
	}
	bot := startRealBot(t)
	for _, theme := range []struct{ scheme, file string }{{"light", "widget.png"}, {"dark", "widget-dark.png"}} {
		tb := newTab(t, 1100, 760)
		tb.emulateMedia("prefers-color-scheme", theme.scheme)
		openWidget(t, tb, bot.URL)
		tb.ask("How much does a media specialist earn?")
		waitAnswered(tb, 1)
		tb.click("DisclosureTriangle", tb.evalString(`LB().querySelector('.sources > summary').textContent`))
		// Scroll so the question starts near the top of the log.
		tb.eval(`(() => { const log = W().querySelector('[role=log]'); const q = [...W().querySelectorAll('.msg.user')].pop();
			log.scrollTop = q.offsetTop - log.offsetTop - 12; document.activeElement.blur(); return true; })()`, nil)
		tb.waitFor("the opening animation to end", `W().querySelector('.panel').getAnimations().length === 0`)
		tb.screenshot("../../docs/" + theme.file)
	}
}

func withMaxQuestion(n int) botOption {
	return func(c *chat.Config, _ *conversation.Deps) { c.MaxQuestion = n }
}

// The widget learns the server's question limit (BOT_MAX_QUESTION) from
// ready: the textbox takes no more, the counter shows it, and a page's
// data-max-length can lower the limit but not raise it.
func TestBrowserRealServerQuestionLimit(t *testing.T) {
	bot := startRealBot(t, withMaxQuestion(40), withAllowedOrigins("*"))
	for _, tt := range []struct {
		name, page string
		want       int
	}{
		{"demo page, no data-max-length", bot.URL, 40},
		{"data-max-length above the server's", hostPage(t, fmt.Sprintf(`<script src="%s/widget.js" data-max-length="500" async></script>`, bot.URL)).URL, 40},
		{"data-max-length below the server's", hostPage(t, fmt.Sprintf(`<script src="%s/widget.js" data-max-length="25" async></script>`, bot.URL)).URL, 25},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tb := newTab(t, 1280, 800)
			openWidget(t, tb, tt.page)
			tb.waitFor("the textbox to take the limit", fmt.Sprintf(`W().querySelector('textarea').maxLength === %d`, tt.want))
			tb.focus("textbox", "Your question")
			tb.paste(strings.Repeat("a", 100))
			tb.waitFor("the counter at the limit", fmt.Sprintf(`(() => { const c = W().querySelector('.counter'); return !c.hidden && c.innerText.includes('%[1]d / %[1]d'); })()`, tt.want))
			var length int
			tb.eval(`W().querySelector('textarea').value.length`, &length)
			if length != tt.want {
				t.Errorf("the textbox took %d characters, limit %d", length, tt.want)
			}
		})
	}

	// A question at the server's limit is answered.
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, bot.URL)
	tb.waitFor("the textbox to take the limit", `W().querySelector('textarea').maxLength === 40`)
	q := "What does a media specialist earn?"
	tb.ask(q + strings.Repeat("!", 40-len(q)))
	waitAnswered(tb, 1)
	if answer := tb.evalString(`LB().querySelector('.body').innerText`); !strings.Contains(answer, "65,000") {
		t.Errorf("a question of exactly 40 characters got:\n%s", answer)
	}
}

// Reloading mid-answer (or following a link in the same tab) no longer loses
// the answer: the server finishes it, and the reloaded page shows it in full
// under the question, once, without a "dropped" note.
func TestBrowserRealReloadMidAnswerKeepsTheAnswer(t *testing.T) {
	tokens := strings.SplitAfter(strings.Repeat("Media specialists earn a median of $65,000 a year. ", 12)+"The end.", " ")
	fake := slowLLM(t, tokens, 40*time.Millisecond, nil)
	bot := startRealBot(t, withLLM(fake.BaseURL()))
	tb := newTab(t, 1280, 800)
	openWidget(t, tb, bot.URL)
	tb.ask("How much does a media specialist earn?")
	tb.waitFor("streamed tokens", `LB().querySelector('.body').innerText.includes('Media specialists')`)
	tb.reload()
	tb.waitFor("the whole answer after the reload", `W().querySelector('[role=log]').innerText.includes('The end.') && W().querySelector('.send').textContent === 'Send'`)
	text := tb.logText()
	if n := strings.Count(text, "How much does a media specialist earn?"); n != 1 || strings.Contains(text, "dropped") || strings.Contains(text, "expired") {
		t.Errorf("after a reload mid-answer the conversation shows the question %d times, or a dropped/expired note:\n%s", n, text)
	}
	var answers int
	tb.eval(`[...W().querySelectorAll('.msg.bot .body')].filter(b => b.innerText.includes('The end.')).length`, &answers)
	if answers != 1 {
		t.Errorf("%d finished answers, want 1:\n%s", answers, text)
	}
}
