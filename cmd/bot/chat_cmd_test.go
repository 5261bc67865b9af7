package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/careerbot/careerbot/client"
	"github.com/careerbot/careerbot/client/clienttest"
	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/testutil"
	"github.com/careerbot/careerbot/protocol"
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

// chatServer is a running chat server.
type chatServer struct {
	url     string // ws://…/ws
	dataDir string // where feedback.jsonl goes
	stop    func() // shuts the server down (idempotent)
}

// sharedIndex is the index of the test corpus, built once: every chat
// server in these tests reads it, each with its own settings otherwise.
var sharedIndex struct {
	once sync.Once
	dir  string
	ix   *rag.Index
	err  error
}

func TestMain(m *testing.M) {
	if os.Getenv(runBotEnv) != "" {
		runBotChild() // sockets_test.go: this binary as `bot`, under a low open-file limit
		return
	}
	code := m.Run()
	if sharedIndex.dir != "" {
		os.RemoveAll(sharedIndex.dir)
	}
	os.Exit(code)
}

// testCorpusIndex indexes the real guide plus testdata's second one, so that
// follow-ups have something to get wrong.
func testCorpusIndex(t *testing.T, cfg *config) *rag.Index {
	t.Helper()
	sharedIndex.once.Do(func() {
		dir, err := os.MkdirTemp("", "chat-cmd-test-")
		if err != nil {
			sharedIndex.err = err
			return
		}
		sharedIndex.dir = dir
		corpus := filepath.Join(dir, "corpus")
		if err := os.Mkdir(corpus, 0o755); err != nil {
			sharedIndex.err = err
			return
		}
		for _, pattern := range []string{"../../corpus/*", "../../testdata/guides/ux-researcher.md"} {
			files, _ := filepath.Glob(pattern)
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err == nil {
					err = os.WriteFile(filepath.Join(corpus, filepath.Base(f)), data, 0o644)
				}
				if err != nil {
					sharedIndex.err = err
					return
				}
			}
		}
		opts, err := ragOptions(cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			sharedIndex.err = err
			return
		}
		opts.CorpusDir, opts.DataDir = corpus, filepath.Join(dir, "data")
		sharedIndex.ix, sharedIndex.err = rag.Open(context.Background(), opts)
	})
	if sharedIndex.err != nil {
		t.Fatalf("indexing the test corpus: %v", sharedIndex.err)
	}
	return sharedIndex.ix
}

// startChatServer is the real chat server, built from the settings as `bot
// serve` builds it (rate limit off unless settings say otherwise), behind a
// loopback HTTP server.
func startChatServer(t *testing.T, settings map[string]string, model openai.Streamer) *chatServer {
	t.Helper()
	env := map[string]string{"BOT_RATE_LIMIT": "0", "BOT_DATA_DIR": t.TempDir()}
	maps.Copy(env, settings)
	fs, resolve := newFlagSet(&environment{getenv: func(k string) string { return env[k] }, stderr: io.Discard}, "test", "")
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	cfg := resolve()
	logger := slog.New(slog.DiscardHandler)
	ix := testCorpusIndex(t, cfg)
	answers := conversation.New(conversationConfig(cfg), conversation.Deps{Index: ix, LLM: model, Logger: logger})
	srv := chat.NewServer(chatConfig(cfg), chat.Deps{Answers: answers, Logger: logger})
	if err := cfg.err(); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	var once sync.Once
	stop := func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_ = srv.Shutdown(ctx)
			hs.Close()
		})
	}
	t.Cleanup(stop)
	return &chatServer{url: "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws", dataDir: env["BOT_DATA_DIR"], stop: stop}
}

// runBot runs the bot binary's run with the given stdin and an empty environment.
func runBot(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(chatTestCtx(t), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// answerTo returns the block `bot chat` printed for question in pipe mode.
func answerTo(stdout, question string) string {
	_, rest, found := strings.Cut(stdout, "> "+question+"\n")
	if !found {
		return ""
	}
	block, _, _ := strings.Cut(rest, "\n> ")
	block, _, _ = strings.Cut(block, "\nSources of the answer to ") // /sources
	return block
}

func TestChatFromAPipeKeepsTheConversation(t *testing.T) {
	srv := startChatServer(t, nil, nil)

	// The premise: on its own, "How much do they earn?" names no career, so
	// it is answered per career, the UX researcher's pay included...
	stdout, stderr, err := runBot(t, "How much do they earn?\n", "chat", "--url", srv.url)
	if err != nil {
		t.Fatalf("chat: %v\nstderr: %s", err, stderr)
	}
	if !strings.Contains(stdout, "$98,000") {
		t.Fatalf("premise of this test no longer holds: a lone \"How much do they earn?\" should get the UX researcher's pay among the careers':\n%s", stdout)
	}

	// ...so the media specialist's pay after a media specialist question shows
	// that both were asked in one conversation.
	stdout, stderr, err = runBot(t, "What does a Media Specialist do?\n\nHow much do they earn?\n/sources\n/up clear and short\nWhat does a UX researcher do?\n", "chat", "--url", srv.url)
	if err != nil {
		t.Fatalf("chat: %v\nstderr: %s", err, stderr)
	}
	if !strings.HasPrefix(stdout, "> What does a Media Specialist do?\n") || !strings.Contains(answerTo(stdout, "What does a Media Specialist do?"), "\nSources:\n  [1] Media Specialist Career Path Guide › ") {
		t.Errorf("first answer not printed with its sources:\n%s", stdout)
	}
	followUp := answerTo(stdout, "How much do they earn?")
	if !strings.Contains(followUp, "Median: $65,000") || strings.Contains(followUp, "$98,000") ||
		!strings.Contains(followUp, "\nSources:\n  [1] Media Specialist Career Path Guide › Annual Salary (US, USD)\n") {
		t.Errorf("follow-up not answered about the media specialist:\n%s", followUp)
	}
	if !strings.Contains(stdout, "Sources of the answer to \"How much do they earn?\":\n\n[1] Media Specialist Career Path Guide › Annual Salary (US, USD) (score ") {
		t.Errorf("/sources did not show the last answer's sources:\n%s", stdout)
	}
	if stderr != "" {
		t.Errorf("stderr: %s", stderr)
	}
	// The rating went to the operator's feedback file with the rated exchange.
	feedback, err := os.ReadFile(filepath.Join(srv.dataDir, "feedback.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var entry struct{ ID, Rating, Comment, Question string }
	if err := json.Unmarshal(feedback, &entry); err != nil || entry.ID != "q2" || entry.Rating != "up" ||
		entry.Comment != "clear and short" || entry.Question != "How much do they earn?" {
		t.Errorf("feedback.jsonl = %s (%v)", feedback, err)
	}
}

func TestChatJSONPrintsEveryFrameOnItsOwnLine(t *testing.T) {
	srv := startChatServer(t, nil, nil)
	stdout, stderr, err := runBot(t, "What does a Media Specialist earn?\nHow do I bake sourdough bread?\n", "chat", "--json", "--url", srv.url)
	if err != nil {
		t.Fatalf("chat --json: %v\nstderr: %s", err, stderr)
	}
	var kinds []string
	tokens := map[string]string{}
	done := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var f map[string]any
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("line %q is not JSON: %v", line, err)
		}
		typ, _ := f["type"].(string)
		id, _ := f["id"].(string)
		kind := typ + ":" + id
		switch typ {
		case "token":
			tokens[id] += f["text"].(string)
		case "done":
			done[id] = f
		}
		if n := len(kinds); n > 0 && typ == "token" && strings.TrimSuffix(kinds[n-1], "…") == kind {
			kinds[n-1] = kind + "…" // a run of tokens
			continue
		}
		kinds = append(kinds, kind)
	}
	if got, want := strings.Join(kinds, " "), "ready: sources:q1 token:q1… done:q1 sources:q2 token:q2… done:q2"; got != want {
		t.Errorf("frames:\n%s\nwant:\n%s", got, want)
	}
	for id, f := range done {
		if f["text"] != tokens[id] {
			t.Errorf("%s: done text %q, tokens %q", id, f["text"], tokens[id])
		}
	}
	if done["q1"]["grounded"] != true || done["q2"]["grounded"] != false {
		t.Errorf("grounded: q1 %v, q2 %v; want true, false", done["q1"]["grounded"], done["q2"]["grounded"])
	}
}

func TestChatReportsRefusedQuestionsAndExitsNonZero(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings map[string]string
		stdin    string
		err      string
		stderr   string
	}{
		{"rate limited", map[string]string{"BOT_RATE_LIMIT": "1"}, "What does a Media Specialist earn?\nAnd the tools?\n",
			"chat: 1 of 2 questions got no answer", `bot: "And the tools?": Too many questions: `},
		{"too long", map[string]string{"BOT_MAX_QUESTION": "40"}, "What does a Media Specialist earn, in every country of the world?\nWhat does a Media Specialist earn?\n",
			"chat: 1 of 2 questions got no answer", `bot: "What does a Media Specialist earn, in every country of the world?": Question not accepted: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startChatServer(t, tc.settings, nil)
			stdout, stderr, err := runBot(t, tc.stdin, "chat", "--url", srv.url)
			if err == nil || err.Error() != tc.err {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr = %q, want %q", stderr, tc.stderr)
			}
			if !strings.Contains(answerTo(stdout, "What does a Media Specialist earn?"), "$65,000") {
				t.Errorf("the accepted question was not answered:\n%s", stdout)
			}
		})
	}
}

func TestChatWithNoServerFailsClearly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "ws://" + ln.Addr().String() + "/ws"
	ln.Close()
	for _, args := range [][]string{{"chat", "--url", url}, {"chat", "--json", "--url", url}, {"ask", "--url", url, "Hello?"}} {
		stdout, _, err := runBot(t, "Hello\n", args...)
		if err == nil || !strings.Contains(err.Error(), "cannot reach the chat server: connect to "+url) {
			t.Errorf("%v: err = %v", args, err)
		}
		if stdout != "" {
			t.Errorf("%v: stdout = %q", args, stdout)
		}
	}
}

func TestChatFailsWhenTheServerGoesAway(t *testing.T) {
	srv := startChatServer(t, nil, nil)
	stdin, typing := io.Pipe()
	var out screen
	result := make(chan error, 1)
	go func() {
		result <- run(chatTestCtx(t), []string{"chat", "--url", srv.url}, func(string) string { return "" }, stdin, &out, io.Discard)
	}()
	fmt.Fprintln(typing, "What does a Media Specialist earn?")
	out.waitFor(t, "Sources:", 1)
	srv.stop() // closes the connection with 1001, then stops listening
	fmt.Fprintln(typing, "And the tools?")
	err := <-result
	typing.Close()
	if err == nil || !strings.Contains(err.Error(), "lost the connection to the server (the server is shutting down") ||
		!strings.Contains(err.Error(), "could not reconnect") {
		t.Errorf("err = %v", err)
	}
}

func TestChatFromAPipeStopsWhenInterrupted(t *testing.T) {
	srv := startChatServer(t, nil, nil)
	stdin, typing := io.Pipe() // input that never comes
	defer typing.Close()
	ctx, interrupt := context.WithCancel(chatTestCtx(t)) // main's signal context
	var out screen
	result := make(chan error, 1)
	go func() {
		result <- run(ctx, []string{"chat", "--url", srv.url}, func(string) string { return "" }, stdin, &out, io.Discard)
	}()
	fmt.Fprintln(typing, "What does a Media Specialist earn?")
	out.waitFor(t, "Sources:", 1)
	interrupt()
	if err := <-result; err == nil || err.Error() != "chat: interrupted" {
		t.Errorf("err = %v, want chat: interrupted", err)
	}
}

func TestChatReconnectsOnceAndCarriesOn(t *testing.T) {
	// The real server cannot be made to drop a connection mid-answer; the
	// stand-in can.
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
	if got := fake.Connections(); len(got) != 2 || got[1] == "" {
		t.Errorf("connections %q, want a second one resuming the session", got)
	}
}

func TestAskOverTheWebsocket(t *testing.T) {
	srv := startChatServer(t, map[string]string{"BOT_RATE_LIMIT": "1"}, nil)
	stdout, _, err := runBot(t, "", "ask", "--url", srv.url, "What does a Media Specialist earn?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "Median: $65,000") || !strings.Contains(stdout, "\nSources:\n  [1] Media Specialist Career Path Guide › Annual Salary (US, USD)\n") {
		t.Errorf("stdout:\n%s", stdout)
	}
	// The second ask is over the rate limit: a readable error, exit non-zero.
	stdout, _, err = runBot(t, "", "ask", "--url", srv.url, "--json", "What does a Media Specialist earn?")
	if err == nil || !strings.HasPrefix(err.Error(), "Too many questions: ") {
		t.Errorf("over the limit: err = %v", err)
	}
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); len(lines) != 2 || !strings.Contains(lines[1], `"code":"rate_limited"`) {
		t.Errorf("--json frames: %q, want ready and the error", lines)
	}
}

// screen is a terminal stand-in: what the chat printed, safe to read while it
// is still printing.
type screen struct{ testutil.Buffer }

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

// scriptedModel stands in for the LLM: it streams a fixed answer, or, when
// the question mentions "slowly", a token every few milliseconds until the
// server cancels it.
type scriptedModel struct {
	mu        sync.Mutex
	cancelled int // streams that ended because their context did
}

func (m *scriptedModel) Model() string { return "scripted" }

func (m *scriptedModel) Stream(ctx context.Context, msgs []openai.Message, onDelta func(string)) (openai.Completion, error) {
	if !strings.Contains(msgs[len(msgs)-1].Content, "slowly") {
		text := "They earn a median of $65,000 [Annual Salary (US, USD)]."
		for _, delta := range strings.SplitAfter(text, " ") {
			onDelta(delta)
		}
		return openai.Completion{Text: text, FinishReason: "stop", Attempts: 1}, nil
	}
	var sent strings.Builder
	for {
		select {
		case <-ctx.Done():
			m.mu.Lock()
			m.cancelled++
			m.mu.Unlock()
			return openai.Completion{Text: sent.String(), Attempts: 1}, fmt.Errorf("%w: %w", openai.ErrTruncated, ctx.Err())
		case <-time.After(5 * time.Millisecond):
			sent.WriteString("more ")
			onDelta("more ")
		}
	}
}

func (m *scriptedModel) cancellations() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cancelled
}

// startInteractive runs the terminal chat against url with input and
// signals under the test's control.
func startInteractive(t *testing.T, url string) (out *screen, say func(string), interrupt func(os.Signal), result <-chan error) {
	out = &screen{}
	env := &environment{getenv: func(string) string { return "" }, stdout: out, stderr: out}
	lines := make(chan inputLine)
	interrupts := make(chan os.Signal)
	res := make(chan error, 1)
	go func() { res <- chatInteractive(chatTestCtx(t), env, url, lines, interrupts) }()
	// Each send returns once the chat has taken it.
	say = func(text string) { lines <- inputLine{text: text} }
	interrupt = func(sig os.Signal) { interrupts <- sig }
	return out, say, interrupt, res
}

func TestInteractiveChat(t *testing.T) {
	model := &scriptedModel{}
	srv := startChatServer(t, nil, model)
	out, say, interrupt, result := startInteractive(t, srv.url)
	prompts := 1
	nextPrompt := func() { out.waitFor(t, "you> ", prompts+1); prompts++ }

	out.waitFor(t, "you> ", 1)
	_, starters, _ := strings.Cut(out.String(), "Try asking (type a number):\n  1. ")
	first, _, _ := strings.Cut(starters, "\n")
	if !strings.HasPrefix(out.String(), "Connected to "+srv.url+" (llm mode).") || !strings.Contains(out.String(), "\nHi! ") || first == "" {
		t.Fatalf("no greeting and numbered starters:\n%s", out.String())
	}

	say("1") // asks the first starter
	nextPrompt()
	want := "you>      " + first + "\nbot> They earn a median of $65,000 [Annual Salary (US, USD)].\nSources:\n  [1] Media Specialist Career Path Guide › "
	if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "You could ask (type a number):\n  1. ") {
		t.Errorf("answer: screen:\n%s\nwant:\n%s", out.String(), want)
	}

	say("/sources")
	nextPrompt()
	if want := "Sources of the answer to \"" + first + "\":\n\n[1] Media Specialist Career Path Guide › "; !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "(score ") {
		t.Errorf("/sources: screen:\n%s\nwant:\n%s", out.String(), want)
	}

	say("/down too short")
	nextPrompt()
	if !strings.Contains(out.String(), "you> Thanks for the feedback.\n") {
		t.Errorf("/down: screen:\n%s", out.String())
	}

	say("Explain slowly what a Media Specialist earns")
	out.waitFor(t, "more more ", 1)
	interrupt(os.Interrupt) // Ctrl-C during the answer stops it, not the chat
	nextPrompt()
	if !strings.Contains(out.String(), " [stopped]\n") {
		t.Errorf("no [stopped] after Ctrl-C; screen:\n%s", out.String())
	}
	for deadline := time.Now().Add(30 * time.Second); model.cancellations() == 0; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) { // only to detect a hang
			t.Fatal("the model's stream was never cancelled")
		}
	}
	if n := model.cancellations(); n != 1 {
		t.Errorf("the model's stream was cancelled %d times, want 1", n)
	}

	say("/nope")
	nextPrompt()
	if !strings.Contains(out.String(), "Unknown command /nope. Type a question") {
		t.Errorf("unknown command not reported; screen:\n%s", out.String())
	}

	say("/reset")
	nextPrompt()
	if !strings.Contains(out.String(), "New conversation. Hi! ") {
		t.Errorf("/reset: screen:\n%s", out.String())
	}

	interrupt(os.Interrupt) // Ctrl-C at the prompt exits
	if err := <-result; err != nil {
		t.Errorf("chat ended with %v, want nil after Ctrl-C at the prompt", err)
	}
}

func TestInteractiveChatEndsOnSIGTERMDuringAnAnswer(t *testing.T) {
	srv := startChatServer(t, nil, &scriptedModel{})
	out, say, interrupt, result := startInteractive(t, srv.url)
	say("Explain slowly what a Media Specialist earns")
	out.waitFor(t, "more ", 1)
	interrupt(syscall.SIGTERM)
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

// The sources the answer used (done.cited) are listed first; the others
// retrieved come after, apart. Without cited (older servers) all are sources.
func TestChatListsCitedSourcesFirst(t *testing.T) {
	ans := &client.Answer{Question: "pay?", Sources: []protocol.Source{
		{Guide: "G", Section: "FAQ", Text: "faq text"},
		{Guide: "G", Section: "Annual Salary", Text: "Median: $65,000"},
		{Guide: "G", Section: "Overview", Text: "overview"},
	}, Cited: []int{1}}
	var b strings.Builder
	printCompactSources(&b, ans)
	if want := "Sources:\n  [1] G › Annual Salary\nAlso retrieved:\n  [2] G › FAQ\n  [3] G › Overview\n"; b.String() != want {
		t.Errorf("compact sources:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	printFullSources(&b, ans)
	if out := b.String(); !strings.Contains(out, "[1] G › Annual Salary (score 0.00)\n    Median: $65,000") || !strings.Contains(out, "[2] G › FAQ (score 0.00, not used in the answer)") {
		t.Errorf("/sources:\n%s", out)
	}
	ans.Cited = nil
	b.Reset()
	printCompactSources(&b, ans)
	if want := "Sources:\n  [1] G › FAQ\n  [2] G › Annual Salary\n  [3] G › Overview\n"; b.String() != want {
		t.Errorf("compact sources without cited:\n%s", b.String())
	}
}
