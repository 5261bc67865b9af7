package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/client/clienttest"
)

// chatTestCtx bounds a test so that a hang fails it rather than the run.
func chatTestCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func startFakeChat(t *testing.T) (*clienttest.Server, string) {
	fake := clienttest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
}

// runBot runs the bot binary's run with the given stdin and an empty environment.
func runBot(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(chatTestCtx(t), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestChatFromAPipeAnswersEachLineInOneConversation(t *testing.T) {
	_, url := startFakeChat(t)
	stdout, stderr, err := runBot(t, "What does a tester do?\n\nAnd what do they earn?\n", "chat", "--url", url)
	if err != nil {
		t.Fatalf("chat: %v\nstderr: %s", err, stderr)
	}
	want := `> What does a tester do?
You asked: What does a tester do?.
Sources:
  [1] Tester Guide › About › What does a tester do?

> And what do they earn?
You asked: And what do they earn?. Earlier you asked: What does a tester do?.
Sources:
  [1] Tester Guide › About › And what do they earn?

`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
}

func TestChatJSONPrintsEveryFrameOnItsOwnLine(t *testing.T) {
	_, url := startFakeChat(t)
	stdout, stderr, err := runBot(t, "Hi\nAgain\n", "chat", "--json", "--url", url)
	if err != nil {
		t.Fatalf("chat --json: %v\nstderr: %s", err, stderr)
	}
	var types []string
	for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var f struct{ Type, ID string }
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("line %q is not JSON: %v", line, err)
		}
		kind := f.Type + ":" + f.ID
		if n := len(types); n > 0 && types[n-1] == kind+"…" {
			continue
		} else if n > 0 && types[n-1] == kind && f.Type == "token" {
			types[n-1] += "…" // a run of tokens
			continue
		}
		types = append(types, kind)
	}
	want := "ready: sources:q1 token:q1… done:q1 sources:q2 token:q2… done:q2"
	if got := strings.Join(types, " "); got != want {
		t.Errorf("frames:\n%s\nwant:\n%s", got, want)
	}
}

func TestChatReportsRefusedQuestionsAndExitsNonZero(t *testing.T) {
	_, url := startFakeChat(t)
	stdout, stderr, err := runBot(t, "error:rate_limited now\nHello\n", "chat", "--url", url)
	if err == nil || err.Error() != "chat: 1 of 2 questions got no answer" {
		t.Errorf("err = %v", err)
	}
	if want := `bot: "error:rate_limited now": Too many questions: fake rate_limited`; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	if !strings.Contains(stdout, "You asked: Hello.") {
		t.Errorf("the question after the error was not answered: %q", stdout)
	}
}

func TestChatWithNoServerFailsClearly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "ws://" + ln.Addr().String() + "/ws"
	ln.Close()
	for _, args := range [][]string{{"chat", "--url", url}, {"chat", "--json", "--url", url}} {
		stdout, _, err := runBot(t, "Hello\n", args...)
		if err == nil || !strings.Contains(err.Error(), "cannot reach the chat server: connect to "+url) {
			t.Errorf("%v: err = %v", args, err)
		}
		if stdout != "" {
			t.Errorf("%v: stdout = %q", args, stdout)
		}
	}
}

func TestChatFailsWhenTheServerGoesAndCannotBeReached(t *testing.T) {
	fake, url := startFakeChat(t)
	fake.DropNext(2) // the ask and its one retry
	_, _, err := runBot(t, "Hello\nNever asked\n", "chat", "--url", url)
	if err == nil || !strings.Contains(err.Error(), "lost the connection to the server") {
		t.Errorf("err = %v", err)
	}
}

func TestChatReconnectsOnceAndCarriesOn(t *testing.T) {
	fake, url := startFakeChat(t)
	fake.DropNext(1)
	stdout, stderr, err := runBot(t, "Hello\nAnd then?\n", "chat", "--url", url)
	if err != nil {
		t.Fatalf("chat: %v", err)
	}
	if !strings.Contains(stderr, "reconnected and resumed the conversation") {
		t.Errorf("stderr = %q", stderr)
	}
	if !strings.Contains(stdout, "You asked: Hello.") || !strings.Contains(stdout, "You asked: And then?. Earlier you asked: Hello; Hello.") {
		t.Errorf("stdout = %q", stdout)
	}
}

func TestAskRemoteAnswersOneQuestion(t *testing.T) {
	_, url := startFakeChat(t)
	var out, errOut bytes.Buffer
	env := &environment{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	if err := askRemote(chatTestCtx(t), env, url, "What does a tester do?", false); err != nil {
		t.Fatal(err)
	}
	want := "You asked: What does a tester do?.\nSources:\n  [1] Tester Guide › About › What does a tester do?\n\n"
	if out.String() != want {
		t.Errorf("stdout = %q, want %q", out.String(), want)
	}
	err := askRemote(chatTestCtx(t), env, url, "error:busy", false)
	if err == nil || err.Error() != "Still answering: fake busy" {
		t.Errorf("error frame → %v", err)
	}
}

// screen is a terminal stand-in: what the chat printed, safe to read while it
// is still printing.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until text has been printed n times in all.
func (s *screen) waitFor(t *testing.T, text string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // only to detect a hang
	for strings.Count(s.String(), text) < n {
		if time.Now().After(deadline) {
			t.Fatalf("waited for %q ×%d; screen:\n%s", text, n, s.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestInteractiveChat(t *testing.T) {
	fake, url := startFakeChat(t)
	var out screen
	env := &environment{getenv: func(string) string { return "" }, stdout: &out, stderr: &out}
	lines := make(chan inputLine)
	interrupts := make(chan os.Signal)
	result := make(chan error, 1)
	go func() { result <- chatInteractive(chatTestCtx(t), env, url, lines, interrupts) }()
	// Each send below returns once the chat has taken the input at its prompt.
	say := func(text string) { lines <- inputLine{text: text} }
	prompts := 1
	nextPrompt := func() { out.waitFor(t, "you> ", prompts+1); prompts++ }

	out.waitFor(t, "you> ", 1)
	if want := "Hello from the fake.\nTry asking (type a number):\n  1. What does a tester do?\n  2. How much do testers earn?\n"; !strings.Contains(out.String(), want) {
		t.Errorf("greeting: screen:\n%s\nwant:\n%s", out.String(), want)
	}

	say("1") // the first suggestion
	nextPrompt()
	want := `you>      What does a tester do?
bot> You asked: What does a tester do?.
Sources:
  [1] Tester Guide › About › What does a tester do?
You could ask (type a number):
  1. What next?
  2. Tell me more.
`
	if !strings.Contains(out.String(), want) {
		t.Errorf("answer: screen:\n%s\nwant:\n%s", out.String(), want)
	}

	say("/sources")
	nextPrompt()
	if want := "[1] Tester Guide › About › What does a tester do? (score 0.50)\n    Testers test things.\n"; !strings.Contains(out.String(), want) {
		t.Errorf("/sources: screen:\n%s\nwant:\n%s", out.String(), want)
	}

	say("slow answer, please")
	out.waitFor(t, "more more ", 1)
	interrupts <- os.Interrupt // Ctrl-C during the answer stops it, not the chat
	nextPrompt()
	if !strings.Contains(out.String(), " [stopped]\n") {
		t.Errorf("no [stopped] after Ctrl-C; screen:\n%s", out.String())
	}
	if cancels := fake.Received("cancel"); len(cancels) != 1 || cancels[0]["id"] != "q2" {
		t.Errorf("cancel frames = %v, want one for q2", cancels)
	}

	say("/nope")
	nextPrompt()
	if !strings.Contains(out.String(), "Unknown command /nope.") {
		t.Errorf("unknown command not reported; screen:\n%s", out.String())
	}

	say("/reset")
	nextPrompt()
	say("2") // after a reset the numbers are the starters again
	nextPrompt()
	if want := "bot> You asked: How much do testers earn?.\n"; !strings.Contains(out.String(), want) {
		t.Errorf("after /reset: screen:\n%s\nwant %q (no earlier questions)", out.String(), want)
	}

	interrupts <- os.Interrupt // Ctrl-C at the prompt exits
	if err := <-result; err != nil {
		t.Errorf("chat ended with %v, want nil after Ctrl-C at the prompt", err)
	}
}

func TestInteractiveChatEndsOnSIGTERMDuringAnAnswer(t *testing.T) {
	_, url := startFakeChat(t)
	var out screen
	env := &environment{getenv: func(string) string { return "" }, stdout: &out, stderr: &out}
	lines := make(chan inputLine)
	interrupts := make(chan os.Signal)
	result := make(chan error, 1)
	go func() { result <- chatInteractive(chatTestCtx(t), env, url, lines, interrupts) }()
	lines <- inputLine{text: "slow answer"}
	out.waitFor(t, "more ", 1)
	interrupts <- syscall.SIGTERM
	if err := <-result; err != nil {
		t.Errorf("chat ended with %v", err)
	}
	if !strings.Contains(out.String(), " [stopped]") {
		t.Errorf("screen:\n%s", out.String())
	}
}

func TestInteractiveChatEndsAtEndOfInput(t *testing.T) {
	_, url := startFakeChat(t)
	var out screen
	env := &environment{getenv: func(string) string { return "" }, stdout: &out, stderr: &out}
	lines := make(chan inputLine)
	close(lines) // Ctrl-D
	if err := chatInteractive(chatTestCtx(t), env, url, lines, nil); err != nil {
		t.Errorf("chat ended with %v", err)
	}
}

func TestChatURLFollowsBotAddr(t *testing.T) {
	for addr, want := range map[string]string{
		"":               "ws://localhost:8080/ws",
		":8080":          "ws://localhost:8080/ws",
		":9090":          "ws://localhost:9090/ws",
		"127.0.0.1:7000": "ws://127.0.0.1:7000/ws",
		"0.0.0.0:80":     "ws://localhost:80/ws",
		"[::1]:8080":     "ws://[::1]:8080/ws",
	} {
		if got := chatURLFor(addr); got != want {
			t.Errorf("chatURLFor(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestPrintableDropsTerminalControls(t *testing.T) {
	if got := printable("a\x1b[2Jb\tc\nd\u009be\r"); got != "a[2Jb\tc\nde" {
		t.Errorf("printable = %q", got)
	}
}
