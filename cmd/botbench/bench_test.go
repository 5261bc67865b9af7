package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/guidegen"
	"github.com/careerbot/careerbot/internal/loadgen"
)

// runMainEnv makes the test binary act as botbench: botbench starts the echo
// baseline and the fake LLM as child processes of its own executable, which
// in tests is this binary. (An init function: it must run before TestMain.)
const runMainEnv = "CAREERBOT_TEST_RUN_MAIN"

func init() {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
}

// botPath is the bot binary the tests start, built once by TestMain.
var botPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "botbench-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	botPath = filepath.Join(dir, "bot")
	build := exec.Command("go", "build", "-o", botPath, "github.com/careerbot/careerbot/cmd/bot")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the bot for the tests: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runBenchForTest runs botbench with args (and -bot) and returns its report.
func runBenchForTest(t *testing.T, args ...string) string {
	t.Helper()
	t.Setenv(runMainEnv, "1")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a hang guard, not a speed check
	defer cancel()
	getenv := func(k string) string {
		if k == "BOT_CORPUS_DIR" {
			return "../../corpus"
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	if err := run(ctx, append([]string{"-bot", botPath}, args...), getenv, &stdout, &stderr); err != nil {
		t.Fatalf("botbench %s: %v\n%s\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// tableRows returns the cells of the Markdown table rows whose first cell is
// first.
func tableRows(report, first string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(report, "\n") {
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(cells) > 3 && cells[0] == first {
			rows = append(rows, cells)
		}
	}
	return rows
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return n
}

// TestBenchSmoke runs the load generator with tiny numbers so that it cannot
// rot: the bot and the echo both answer, without errors, and the report has
// the ratio and the server's figures. It checks no speed.
func TestBenchSmoke(t *testing.T) {
	report := runBenchForTest(t, "-clients", "1,3", "-duration", "300ms", "-guides", "3")
	for _, target := range []string{"bot", "echo"} {
		rows := tableRows(report, target)
		if len(rows) != 2 {
			t.Fatalf("want 2 %s rows:\n%s", target, report)
		}
		for _, r := range rows {
			if atoi(t, r[2]) == 0 || r[4] != "0" {
				t.Errorf("%s with %s clients: %s answers, errors %q:\n%s", target, r[1], r[2], r[4], report)
			}
			if target == "bot" && (r[8] == "—" || r[9] == "—") {
				t.Errorf("bot row lacks the server's RSS or goroutines: %v", r)
			}
		}
	}
	for _, want := range []string{"limits off for this run", "3 guides written by internal/guidegen", "3 clients: bot/echo =", "index: guides=3 sections=",
		"- first build (no index file): ready", "- restart (index file present): ready", "pay spot checks: **3 of 3**"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

func TestBenchLLMSmoke(t *testing.T) {
	report := runBenchForTest(t, "-mode", "llm", "-clients", "2", "-duration", "300ms", "-llm-tokens", "5", "-llm-pace", "1ms")
	rows := tableRows(report, "2")
	if len(rows) != 1 || atoi(t, rows[0][1]) == 0 || rows[0][3] != "0" {
		t.Fatalf("want one LLM row with answers and no errors:\n%s", report)
	}
}

// The fake LLM as a process of its own, with the server's environment set:
// the added time to first token is still matched per ask (from wall-clock
// times), and the report says how the CPU was shared.
func TestBenchLLMProcessSmoke(t *testing.T) {
	report := runBenchForTest(t, "-mode", "llm", "-clients", "2", "-duration", "300ms", "-llm-tokens", "5", "-llm-pace", "1ms",
		"-llm-process", "-ramp", "20ms", "-server-env", "GOMAXPROCS=1,GOGC=200")
	rows := tableRows(report, "2")
	if len(rows) != 1 || atoi(t, rows[0][1]) == 0 || rows[0][3] != "0" {
		t.Fatalf("want one LLM row with answers and no errors:\n%s", report)
	}
	if added := rows[0][6]; !strings.ContainsAny(added, "123456789") {
		t.Errorf("no added time to first token (%q): the fake's records did not come back:\n%s", added, report)
	}
	for _, want := range []string{"child process of its own", "server environment: GOMAXPROCS=1 GOGC=200", "spread over 20ms", "fake LLM process", "load generator"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

func TestBenchRefusesOtherServerEnv(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-server-env", "OPENAI_API_KEY=x"}, func(string) string { return "" }, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "-server-env") {
		t.Fatalf("bench -server-env OPENAI_API_KEY=x: err %v, want a refusal", err)
	}
}

// With the limits on (20 connections per IP by default), 10 idle ones leave
// room for the probes.
func TestBenchIdleSmoke(t *testing.T) {
	report := runBenchForTest(t, "-mode", "idle", "-idle", "10", "-probes", "2", "-limits")
	if !strings.Contains(report, "| 10 of 10 |") || !strings.Contains(report, "| 0 of 2 |") {
		t.Fatalf("want 10 idle connections and 2 answered probes:\n%s", report)
	}
	if !strings.Contains(report, "limits are ON") {
		t.Errorf("the report does not say that the limits are on:\n%s", report)
	}
}

// Without limits, the idle run gives the bot a socket for each of its
// connections rather than leaving the bot's default cap (three quarters of
// the open-file limit) to refuse some, and says so.
func TestBenchIdleGivesTheBotASocketPerConnection(t *testing.T) {
	report := runBenchForTest(t, "-mode", "idle", "-idle", "10", "-probes", "2")
	if !strings.Contains(report, "BOT_MAX_SOCKETS=76 ") || !strings.Contains(report, "| 10 of 10 |") {
		t.Fatalf("want BOT_MAX_SOCKETS=76 (10 idle, 2 probes, 64 to spare) and 10 idle connections:\n%s", report)
	}
}

func TestBenchRefusesNonLoopback(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-url", "ws://example.com/ws"}, func(string) string { return "" }, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("bench against example.com: err %v, want a refusal", err)
	}
}

// TestBenchAgainstRunningServer drives a bot serve started by the test
// (-url, -debug-url): the server's figures then come from its debug
// listener, CPU time included, its index size from /readyz, and the report
// says the limits are its own.
func TestBenchAgainstRunningServer(t *testing.T) {
	addr, err := loadgen.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	debugAddr, err := loadgen.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	p, err := loadgen.StartProcess(botPath, []string{"serve", "-addr", addr, "-debug-addr", debugAddr, "-corpus-dir", "../../corpus",
		"-data-dir", t.TempDir(), "-rate-limit", "0", "-openai-api-key=", "-openai-base-url=", "-redis-url=", "-metrics-addr="}, nil, filepath.Join(t.TempDir(), "bot.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if err := p.WaitReady(context.Background(), "http://"+addr+"/readyz", time.Minute); err != nil {
		t.Fatal(err)
	}
	report := runBenchForTest(t, "-url", "ws://"+addr+"/ws", "-debug-url", "http://"+debugAddr,
		"-clients", "2", "-duration", "300ms", "-echo=false")
	rows := tableRows(report, "bot")
	if len(rows) != 1 || atoi(t, rows[0][2]) == 0 || rows[0][4] != "0" {
		t.Fatalf("want one bot row with answers and no errors:\n%s", report)
	}
	if rows[0][7] == "—" || rows[0][8] == "—" {
		t.Errorf("no CPU per answer or RSS from the debug listener: %v", rows[0])
	}
	for _, want := range []string{"its limits are its own", "index: guides=1 sections="} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

// With -guides the clients ask about the generated careers, not about the
// template's media specialist (which the generated corpus does not have),
// and still ask the one off-topic question.
func TestCareerQuestionsNameTheGeneratedCareers(t *testing.T) {
	careers := []guidegen.Career{guidegen.NewCareer(0), guidegen.NewCareer(1), guidegen.NewCareer(2)}
	qs := careerQuestions(careers)
	if len(qs) != 3*(len(benchQuestions)-1)+1 || qs[len(qs)-1] != benchQuestions[len(benchQuestions)-1] {
		t.Fatalf("%d questions, the last %q", len(qs), qs[len(qs)-1])
	}
	named := map[string]bool{}
	for _, q := range qs[:len(qs)-1] {
		if strings.Contains(q, "media specialist") {
			t.Errorf("%q still names the template's career", q)
		}
		for _, c := range careers {
			if strings.Contains(q, strings.ToLower(c.Name)) {
				named[c.Name] = true
			}
		}
	}
	if len(named) != len(careers) {
		t.Errorf("questions name %d of %d careers", len(named), len(careers))
	}
}

// TestPaySpotChecksAt1000Guides is issue 15's pay check end to end: with
// 1,000 realistic guides, "How much does a <career> earn?" for 30 careers
// picked at random must be answered with that career's median at least 28
// times (the bot runs as built by go build, so the race detector does not
// slow the 1,000-guide build down).
func TestPaySpotChecksAt1000Guides(t *testing.T) {
	report := runBenchForTest(t, "-guides", "1000", "-clients", "1", "-duration", "100ms", "-echo=false")
	m := regexp.MustCompile(`pay spot checks: \*\*(\d+) of 30\*\*`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no pay spot checks in the report:\n%s", report)
	}
	t.Log(report)
	if n := atoi(t, m[1]); n < 28 {
		t.Errorf("%d of 30 pay answers hold the career's median, want at least 28:\n%s", n, report)
	}
}
