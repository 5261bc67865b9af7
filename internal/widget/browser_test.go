package widget_test

// Browser harness: one headless Chromium for the whole package, a fresh
// incognito-like browser context (its own storage) per test, and helpers that
// find elements the way a user does — by role and accessible name — and
// click or type with real input events.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// waitTimeout bounds every wait in the browser tests. It is generous so a
// loaded 2-core CI machine does not flake; it only catches hangs.
const waitTimeout = 20 * time.Second

var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	err    error
}

// tempDirs are removed when the package's tests end.
var tempDirs struct {
	sync.Mutex
	dirs []string
}

func tempDataDir() (string, error) {
	dir, err := os.MkdirTemp("", "careerbot-widget-test-")
	if err == nil {
		tempDirs.Lock()
		tempDirs.dirs = append(tempDirs.dirs, dir)
		tempDirs.Unlock()
	}
	return dir, err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
	}
	for _, dir := range tempDirs.dirs {
		_ = os.RemoveAll(dir)
	}
	os.Exit(code)
}

// chromiumPath finds a Chromium or Chrome binary; "" if there is none.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startBrowser starts the shared browser once.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("skipping browser test: no chromium binary (looked for /usr/bin/chromium and chromium, chromium-browser, google-chrome on PATH; install with: apt-get install -y chromium)")
	}
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "careerbot-chromium-")
		if err != nil {
			shared.err = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-domain-reliability", true),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1280, 800),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
		shared.ctx = browserCtx
		shared.cancel = func() {
			cancelBrowser()
			cancelAlloc()
			_ = os.RemoveAll(dir)
		}
		// Start the browser now, bounded, so a broken install fails fast.
		started := make(chan error, 1)
		go func() { started <- chromedp.Do(browserCtx) }()
		select {
		case shared.err = <-started:
		case <-time.After(60 * time.Second):
			shared.err = fmt.Errorf("chromium at %s did not start within 60s", path)
		}
	})
	if shared.err != nil {
		t.Fatalf("starting chromium: %v", shared.err)
	}
	return shared.ctx
}

// tab is one browser tab with its own storage, sized width×height.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu         sync.Mutex
	exceptions []string
	console    []string // console API calls and browser log entries (network errors)
}

func newTab(t *testing.T, width, height int64) *tab {
	t.Helper()
	browser := startBrowser(t)
	ctx, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	// Bound the whole test so a hang cannot eat the CI budget.
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
	})
	tb := &tab{t: t, ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			tb.exceptions = append(tb.exceptions, exceptionText(e))
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`))
			}
			tb.console = append(tb.console, string(e.Type)+": "+strings.Join(parts, " "))
		case *cdplog.EventEntryAdded:
			tb.console = append(tb.console, string(e.Entry.Level)+": "+e.Entry.Text)
		}
	}); err != nil {
		t.Fatalf("listening for page exceptions: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enabling the browser log: %v", err)
	}
	// An uncaught exception in the page is a widget bug, whatever the test checks.
	t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, e := range tb.exceptions {
			t.Errorf("uncaught exception in the page: %s", e)
		}
	})
	return tb
}

// emulateMedia makes the page see a media feature, e.g.
// prefers-color-scheme: dark.
func (tb *tab) emulateMedia(name, value string) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: name, Value: value}}}); err != nil {
		tb.t.Fatalf("emulating %s: %s: %v", name, value, err)
	}
}

// consoleLines is what the page's console has shown so far.
func (tb *tab) consoleLines() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.console...)
}

func exceptionText(e *runtime.EventExceptionThrown) string {
	d := e.ExceptionDetails
	if d == nil {
		return "unknown exception"
	}
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}

func (tb *tab) navigate(url string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(url)); err != nil {
		tb.t.Fatalf("navigate %s: %v", url, err)
	}
}

func (tb *tab) reload() {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Reload()); err != nil {
		tb.t.Fatalf("reload: %v", err)
	}
}

// shadowJS prefixes page scripts with W(), the widget's shadow root, and
// LB(), the last bot message.
const shadowJS = `const W = () => document.querySelector('careerbot-chat').shadowRoot; ` +
	`const LB = () => [...W().querySelectorAll('.msg.bot')].pop(); `

// eval runs a JavaScript expression (W() is the widget's shadow root) and
// decodes its value into out.
func (tb *tab) eval(expr string, out any) {
	tb.t.Helper()
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[json.RawMessage](`(() => { `+shadowJS+` return (`+expr+`); })()`))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v", expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			tb.t.Fatalf("decoding %s = %s: %v", expr, raw, err)
		}
	}
}

func (tb *tab) evalString(expr string) string {
	tb.t.Helper()
	var s string
	tb.eval(expr, &s)
	return s
}

// waitFor waits until the expression is truthy, or fails the test saying what
// it waited for and what the conversation showed.
func (tb *tab) waitFor(what, expr string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, waitTimeout+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](
		`(() => { try { `+shadowJS+` return (`+expr+`); } catch (e) { return false; } })()`,
		chromedp.WithPollingTimeout(waitTimeout), chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		tb.t.Fatalf("waiting for %s: %v\nconversation:\n%s", what, err, tb.logText())
	}
}

// logText is the visible text of the message log ("" before the widget loads).
func (tb *tab) logText() string {
	var s string
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[json.RawMessage](`(() => { try { `+shadowJS+` return W().querySelector('[role=log]').innerText; } catch (e) { return ''; } })()`))
	if err == nil {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

// find returns the DOM node with this role and accessible name, waiting for
// it to appear. Hidden and aria-hidden elements do not count, as for a user.
func (tb *tab) find(role, name string) cdp.BackendNodeID {
	tb.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		doc, err := chromedp.Call(tb.ctx, dom.GetDocument, dom.GetDocumentParams{})
		if err == nil {
			res, err := chromedp.Call(tb.ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
				BackendNodeID: doc.Root.BackendNodeID, AccessibleName: name, Role: role})
			if err == nil {
				for _, n := range res.Nodes {
					if !n.Ignored && n.BackendDOMNodeID != 0 {
						return n.BackendDOMNodeID
					}
				}
			}
		}
		if time.Now().After(deadline) || tb.ctx.Err() != nil {
			tb.t.Fatalf("no %s named %q appeared within %s\nconversation:\n%s", role, name, waitTimeout, tb.logText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// present reports whether an element with this role and name is exposed now.
func (tb *tab) present(role, name string) bool {
	tb.t.Helper()
	doc, err := chromedp.Call(tb.ctx, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		tb.t.Fatalf("DOM.getDocument: %v", err)
	}
	res, err := chromedp.Call(tb.ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
		BackendNodeID: doc.Root.BackendNodeID, AccessibleName: name, Role: role})
	if err != nil {
		tb.t.Fatalf("Accessibility.queryAXTree: %v", err)
	}
	for _, n := range res.Nodes {
		if !n.Ignored {
			return true
		}
	}
	return false
}

// click clicks the middle of the element with this role and name with the mouse.
func (tb *tab) click(role, name string) {
	tb.t.Helper()
	id := tb.find(role, name)
	if _, err := chromedp.Call(tb.ctx, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{BackendNodeID: id}); err != nil {
		tb.t.Fatalf("scrolling %s %q into view: %v", role, name, err)
	}
	quads, err := chromedp.Call(tb.ctx, dom.GetContentQuads, dom.GetContentQuadsParams{BackendNodeID: id})
	if err != nil || len(quads.Quads) == 0 {
		tb.t.Fatalf("%s %q has no box to click (err %v)", role, name, err)
	}
	q := quads.Quads[0]
	x, y := (q[0]+q[2]+q[4]+q[6])/4, (q[1]+q[3]+q[5]+q[7])/4
	if err := chromedp.Do(tb.ctx, chromedp.MouseClickXY(x, y)); err != nil {
		tb.t.Fatalf("clicking %s %q: %v", role, name, err)
	}
}

// focus puts keyboard focus on the element with this role and name.
func (tb *tab) focus(role, name string) {
	tb.t.Helper()
	id := tb.find(role, name)
	if _, err := chromedp.Call(tb.ctx, dom.Focus, dom.FocusParams{BackendNodeID: id}); err != nil {
		tb.t.Fatalf("focusing %s %q: %v", role, name, err)
	}
}

// keys types into whatever has focus, one key event per character.
func (tb *tab) keys(text string, opts ...chromedp.KeyOption) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.KeyEvent(text, opts...)); err != nil {
		tb.t.Fatalf("typing %q: %v", text, err)
	}
}

// paste inserts text at the focus in one go, as a paste or IME commit does.
func (tb *tab) paste(text string) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		tb.t.Fatalf("inserting text: %v", err)
	}
}

// enter presses Enter (with Shift if shift) the way a keyboard does: one
// keyDown that carries the text, so a page that prevents the keydown gets no
// newline. (chromedp's KeyEvent sends a separate char event, which inserts
// the newline even when the page handled the key.)
func (tb *tab) enter(shift bool) {
	tb.t.Helper()
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter",
		WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Text: "\r", UnmodifiedText: "\r"}
	if shift {
		down.Modifiers = int64(chromedp.ModifierShift)
	}
	up := down
	up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
	for _, ev := range []input.DispatchKeyEventParams{down, up} {
		if _, err := chromedp.Call(tb.ctx, input.DispatchKeyEvent, ev); err != nil {
			tb.t.Fatalf("pressing Enter: %v", err)
		}
	}
}

// ask types a question into the textbox and presses Enter.
func (tb *tab) ask(question string) {
	tb.t.Helper()
	tb.focus("textbox", "Your question")
	tb.keys(question)
	tb.enter(false)
}

func (tb *tab) screenshot(path string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// shotsDir is where tests drop screenshots for a human to look at
// (WIDGET_SCREENSHOTS=dir), or "" for none.
func shotsDir() string { return os.Getenv("WIDGET_SCREENSHOTS") }

func (tb *tab) maybeScreenshot(name string) {
	tb.t.Helper()
	if dir := shotsDir(); dir != "" {
		tb.screenshot(strings.TrimSuffix(dir, "/") + "/" + name + ".png")
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
