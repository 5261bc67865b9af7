// Command botbench load-tests the career bot over loopback: it starts `bot
// serve` as a child process (the binary given by -bot, or built from this
// checkout) next to a bare websocket echo, drives both with the same client
// loop, and writes a Markdown report of throughput, latency and the server's
// CPU, memory and goroutines. It learns when the server is ready, and how
// large its index is, from GET /readyz; the server's figures come from its
// debug listener (/debug/vars). docs/benchmarks.md has the figures and how
// to read them.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/guidegen"
	"github.com/careerbot/careerbot/internal/loadgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "botbench:", err)
		os.Exit(1)
	}
}

// benchQuestions are asked in turn by every client (loadgen.Questions).
var benchQuestions = loadgen.Questions

type benchOptions struct {
	mode       string
	clients    []int
	duration   time.Duration
	idle       int
	probes     int
	guides     int
	corpusDir  string
	echo       bool
	limits     bool
	llmTokens  int
	llmPace    time.Duration
	llmProcess bool
	ramp       time.Duration
	serverEnv  []string
	url        string
	debugURL   string
	profileDir string
	keep       bool
	botPath    string
}

// run is the whole program: it parses args, then runs the benchmark and
// writes its report (Markdown) to stdout and its progress to stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("botbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o benchOptions
	var clients, serveEcho, serveFake, serverEnv string
	corpusDefault := getenv("BOT_CORPUS_DIR")
	if corpusDefault == "" {
		corpusDefault = "corpus"
	}
	fs.StringVar(&o.mode, "mode", "offline", "offline (bot and echo side by side), llm (fake OpenAI server streaming tokens) or idle (many open connections)")
	fs.StringVar(&clients, "clients", "1,50,200,1000", "comma-separated numbers of concurrent clients, one step each")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "how long each step asks questions")
	fs.IntVar(&o.idle, "idle", 5000, "idle mode: connections to open")
	fs.IntVar(&o.probes, "probes", 20, "idle mode: new clients that ask one question while the idle connections are open")
	fs.IntVar(&o.guides, "guides", 0, "index this many realistic guides (internal/guidegen: the corpus's "+templateGuide+" template, distinct careers) in a temporary corpus, measure the first build and a restart, and spot-check pay answers; 0 = the corpus as is")
	fs.StringVar(&o.corpusDir, "corpus-dir", corpusDefault, "corpus the server indexes (with -guides: where the template guide is)")
	fs.BoolVar(&o.echo, "echo", true, "offline mode: also drive the bare websocket echo baseline in the same run")
	fs.BoolVar(&o.limits, "limits", false, "keep the configured rate and connection limits (by default they are off for the run)")
	fs.IntVar(&o.llmTokens, "llm-tokens", 100, "llm mode: tokens per answer from the fake OpenAI server")
	fs.DurationVar(&o.llmPace, "llm-pace", 10*time.Millisecond, "llm mode: pause between the fake's tokens")
	fs.DurationVar(&o.ramp, "ramp", -1, "start the clients evenly spread over this time and count only asks sent after it; -1 = one answer's length in llm mode (-llm-tokens × -llm-pace), 0 otherwise; 0 = all clients ask at once")
	fs.BoolVar(&o.llmProcess, "llm-process", false, "llm mode: run the fake OpenAI server as a child process of its own instead of inside the load generator")
	fs.StringVar(&serverEnv, "server-env", "", "comma-separated GOMAXPROCS=n, GOGC=n, GOMEMLIMIT=size or GODEBUG=… settings for the server under test (experiments; the report lists them)")
	fs.StringVar(&o.url, "url", "", "drive an already running server at this loopback websocket URL (e.g. ws://127.0.0.1:8080/ws) instead of starting one")
	fs.StringVar(&o.debugURL, "debug-url", "", "with -url: that server's debug listener (e.g. http://127.0.0.1:6060) for RSS and goroutines")
	fs.StringVar(&o.profileDir, "profile-dir", "", "save the server's CPU profile and allocation profile of every bot step into this directory")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory (server logs, synthetic corpus) and print where it is")
	fs.StringVar(&o.botPath, "bot", "", "the bot binary to start as `bot serve`; empty = build ./cmd/bot of this checkout (go build) into a temporary directory")
	fs.StringVar(&serveEcho, "serve-echo", "", "serve only the echo baseline on this address (botbench starts itself so, as a child process)")
	fs.StringVar(&serveFake, "serve-fake-llm", "", "serve only the fake OpenAI server on this address, with -llm-tokens and -llm-pace (-llm-process starts it so, as a child process)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: botbench [flags]\n\nLoad-tests the chat server over loopback: many websocket clients ask questions back to back\n(ask, wait for done) and the same client loop drives a bare websocket echo as the baseline.\nThe server under test is `bot serve`, started as a child process with limits off (-bot, or built\nfrom this checkout), unless -url. See docs/benchmarks.md.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if serveEcho != "" {
		return loadgen.ServeEcho(ctx, serveEcho, nil)
	}
	if serveFake != "" {
		return loadgen.ServeFakeLLM(ctx, serveFake, o.llmTokens, o.llmPace)
	}
	if serverEnv != "" {
		for _, kv := range strings.Split(serverEnv, ",") {
			k, _, ok := strings.Cut(kv, "=")
			if !ok || !slices.Contains([]string{"GOMAXPROCS", "GOGC", "GOMEMLIMIT", "GODEBUG"}, k) {
				return fmt.Errorf("-server-env: %q is not GOMAXPROCS=, GOGC=, GOMEMLIMIT= or GODEBUG=", kv)
			}
			o.serverEnv = append(o.serverEnv, kv)
		}
	}
	for _, part := range strings.Split(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 || n > 100_000 {
			return fmt.Errorf("-clients: %q is not a number of clients (1 to 100000)", part)
		}
		o.clients = append(o.clients, n)
	}
	if o.guides < 0 || o.guides > guidegen.MaxCareers {
		return fmt.Errorf("-guides: want 0 to %d (distinct careers guidegen can name)", guidegen.MaxCareers)
	}
	if o.guides > 0 && o.url != "" {
		return errors.New("-guides starts its own server: it does not go with -url")
	}
	if o.duration <= 0 || o.duration > time.Hour {
		return errors.New("-duration: want more than 0 and at most 1h")
	}
	if o.url != "" {
		if err := loadgen.CheckLoopback(o.url); err != nil {
			return err
		}
		if o.debugURL != "" {
			if err := loadgen.CheckLoopback(o.debugURL); err != nil {
				return err
			}
		}
	}
	if o.mode != "offline" && o.mode != "llm" && o.mode != "idle" {
		return fmt.Errorf("-mode %q: want offline, llm or idle", o.mode)
	}
	if nofile, err := loadgen.RaiseFileLimit(); err == nil && o.mode == "idle" && uint64(o.idle+o.probes)+64 > nofile {
		return fmt.Errorf("-idle %d needs more open files than RLIMIT_NOFILE allows (%d): raise it (ulimit -Hn)", o.idle, nofile)
	}
	if o.ramp < 0 {
		o.ramp = 0
		if o.mode == "llm" {
			o.ramp = time.Duration(o.llmTokens) * o.llmPace
		}
	}
	b := &bench{stdout: stdout, stderr: stderr, o: o, questions: benchQuestions}
	defer b.cleanup()
	return b.run(ctx)
}

// idleSockets is the -max-sockets an idle run without limits gives the bot
// it starts (0: none, the bot's own cap stands): every idle connection and
// probe, and some to spare. The bot's default cap, three quarters of the
// open-file limit (the rest kept for its own files), would close the idle
// connections past it at accept, and the run would weigh fewer connections
// than asked for (15,000 under ulimit -n 20000).
func (o benchOptions) idleSockets() int {
	if o.mode != "idle" || o.limits || o.url != "" {
		return 0
	}
	return o.idle + o.probes + 64
}

// bench is one run of botbench.
type bench struct {
	stdout, stderr io.Writer
	o              benchOptions
	tmp            string
	procs          []*loadgen.Process
	fake           *loadgen.FakeLLM // llm mode
	// fakePID is the fake LLM's process with -llm-process.
	fakePID int
	// cpuNotes say, per step, how the CPU time was shared between the
	// processes of the run.
	cpuNotes []string
	// questions are what the clients ask: benchQuestions, or with -guides
	// the same about the generated careers.
	questions []string
	careers   []guidegen.Career // with -guides
}

func (b *bench) logf(format string, args ...any) { fmt.Fprintf(b.stderr, format+"\n", args...) }

func (b *bench) cleanup() {
	for _, p := range slices.Backward(b.procs) {
		_ = p.Stop()
	}
	if b.tmp == "" {
		return
	}
	if b.o.keep {
		b.logf("kept %s", b.tmp)
		return
	}
	_ = os.RemoveAll(b.tmp)
}

func (b *bench) run(ctx context.Context) error {
	var err error
	if b.tmp, err = os.MkdirTemp("", "bot-bench-"); err != nil {
		return err
	}
	out := b.stdout
	fmt.Fprintf(out, "## botbench -mode %s\n\n", b.o.mode)
	fmt.Fprintf(out, "- %s\n", machine())
	switch {
	case b.o.url != "":
		fmt.Fprintf(out, "- target: the running server at %s; its limits are its own (start it with BOT_RATE_LIMIT=0 BOT_MAX_CONNS_PER_IP=0 BOT_MAX_CONNS=0)\n", b.o.url)
	case b.o.limits:
		fmt.Fprintln(out, "- **limits are ON** (BOT_RATE_LIMIT, BOT_MAX_CONNS_PER_IP, BOT_MAX_CONNS as configured): rate_limited errors and HTTP 429/503 are the limits at work, not failures")
	case b.o.idleSockets() > 0:
		fmt.Fprintf(out, "- limits off for this run: BOT_RATE_LIMIT=0 BOT_MAX_CONNS_PER_IP=0 BOT_MAX_CONNS=0 BOT_MAX_SOCKETS=%d (a socket for every connection of the run: the default, three quarters of the open-file limit, would refuse those past it)\n", b.o.idleSockets())
	default:
		fmt.Fprintln(out, "- limits off for this run: BOT_RATE_LIMIT=0 BOT_MAX_CONNS_PER_IP=0 BOT_MAX_CONNS=0")
	}

	var fake *loadgen.FakeLLM
	if b.o.mode == "llm" {
		where := "in the load generator's process"
		if b.o.llmProcess {
			fake, err = b.startFake(ctx)
			where = "in a child process of its own (-llm-process); added TTFT from wall-clock times"
		} else {
			fake, err = loadgen.StartFakeLLM(b.o.llmTokens, b.o.llmPace)
		}
		if err != nil {
			return err
		}
		defer fake.Close()
		b.fake = fake
		fmt.Fprintf(out, "- fake OpenAI server on loopback, %s: %d tokens per answer, one every %s\n", where, b.o.llmTokens, b.o.llmPace)
	}
	if b.o.ramp > 0 {
		fmt.Fprintf(out, "- clients start spread over %s (-ramp), which the figures leave out\n", b.o.ramp)
	}
	if len(b.o.serverEnv) > 0 {
		fmt.Fprintf(out, "- server environment: %s\n", strings.Join(b.o.serverEnv, " "))
	}
	bot, err := b.startBot(ctx, fake)
	if err != nil {
		return err
	}
	fmt.Fprintln(out)

	switch b.o.mode {
	case "idle":
		b.logf("opening %d idle connections…", b.o.idle)
		res, err := loadgen.Idle(ctx, bot, b.o.idle, b.o.probes, b.questions)
		if err != nil {
			return err
		}
		loadgen.WriteIdle(out, res)
		return nil
	case "llm":
		var results []loadgen.LLMResult
		for _, c := range b.o.clients {
			res, err := b.step(ctx, bot, c)
			if err != nil {
				return err
			}
			if err := fake.Pull(ctx); err != nil {
				return err
			}
			r := loadgen.LLMResult{Result: res, FakeOwn: fake.TakeOwnTTFT()}
			r.Requests, r.Conns = fake.TakeCounts()
			r.Added, r.ToFake, r.FromFake, r.Unmatched = fake.AddedTTFT(res.Timings)
			if r.Unmatched > 0 {
				b.logf("%d answers were streamed without the fake LLM (the off-topic question is declined without one; more means fallbacks)", r.Unmatched)
			}
			results = append(results, r)
		}
		loadgen.WriteLLMTable(out, results)
		b.writeCPUNotes(out)
		b.noteLimits(out, llmResults(results))
		return nil
	}

	var echo loadgen.Target
	if b.o.echo {
		if echo, err = b.startEcho(ctx); err != nil {
			return err
		}
	}
	var results []loadgen.Result
	for _, c := range b.o.clients {
		if b.o.echo {
			res, err := b.step(ctx, echo, c)
			if err != nil {
				return err
			}
			results = append(results, res)
		}
		res, err := b.step(ctx, bot, c)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	loadgen.WriteLoadTable(out, results)
	fmt.Fprintln(out)
	loadgen.WriteRatios(out, results)
	loadgen.WriteSyscalls(out, results)
	b.writeCPUNotes(out)
	b.noteLimits(out, results)
	return nil
}

func llmResults(rs []loadgen.LLMResult) []loadgen.Result {
	out := make([]loadgen.Result, len(rs))
	for i, r := range rs {
		out[i] = r.Result
	}
	return out
}

// noteLimits says so when the answers ran into the server's limits.
func (b *bench) noteLimits(w io.Writer, results []loadgen.Result) {
	for _, r := range results {
		if r.Errors["rate_limited"] > 0 || r.Errors["dial_http_429"] > 0 || r.Errors["dial_http_503"] > 0 {
			fmt.Fprintln(w, "\n**The server's limits were hit** (rate_limited, HTTP 429 or 503): these figures measure the limits, not the server. Run without -limits, or start the server with BOT_RATE_LIMIT=0 BOT_MAX_CONNS_PER_IP=0 BOT_MAX_CONNS=0.")
			return
		}
	}
}

// step drives t with c clients for the configured duration, after a short
// warm-up, saving server profiles when asked.
func (b *bench) step(ctx context.Context, t loadgen.Target, c int) (loadgen.Result, error) {
	tag := b.o.mode == "llm"
	if _, err := loadgen.Drive(ctx, t, loadgen.Load{Clients: 1, Duration: min(b.o.duration/4, 500*time.Millisecond), Questions: b.questions, Tag: tag}); err != nil {
		return loadgen.Result{}, fmt.Errorf("warming up %s: %w", t.Name, err)
	}
	if tag {
		if err := b.fake.Pull(ctx); err != nil {
			return loadgen.Result{}, err
		}
		b.fake.TakeOwnTTFT()
		b.fake.AddedTTFT(nil) // forget the warm-up
		b.fake.TakeCounts()
	}
	b.logf("%s: %d clients for %s…", t.Name, c, b.o.duration)
	profiled := make(chan error, 1)
	profiling := b.o.profileDir != "" && t.Name == "bot" && t.DebugURL != ""
	if profiling {
		secs := max(1, int(b.o.duration/time.Second))
		go func() {
			profiled <- fetchTo(ctx, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", t.DebugURL, secs), filepath.Join(b.o.profileDir, fmt.Sprintf("%s-%s-c%d.cpu.pprof", b.o.mode, t.Name, c)))
		}()
	}
	cpu0, wall0 := b.cpuTimes(t), time.Now()
	res, err := loadgen.Drive(ctx, t, loadgen.Load{Clients: c, Duration: b.o.duration, Questions: b.questions, Tag: tag, Ramp: b.o.ramp})
	b.noteCPU(t, c, cpu0, b.cpuTimes(t), time.Since(wall0))
	if profiling {
		if perr := <-profiled; perr != nil {
			b.logf("CPU profile: %v", perr)
		}
		if perr := fetchTo(ctx, t.DebugURL+"/debug/pprof/allocs", filepath.Join(b.o.profileDir, fmt.Sprintf("%s-%s-c%d.allocs.pprof", b.o.mode, t.Name, c))); perr != nil {
			b.logf("allocation profile: %v", perr)
		}
	}
	return res, err
}

// procTimes is what a process had used so far: CPU time (-1 when unknown),
// and the time its threads waited for a CPU over how many turns on one.
type procTimes struct {
	cpu, wait time.Duration
	slices    int64
}

// cpuTimes is the CPU time so far of the server under test, this process
// (the clients, and the fake LLM unless -llm-process) and the fake LLM's
// process.
func (b *bench) cpuTimes(t loadgen.Target) [3]procTimes {
	out := [3]procTimes{{cpu: -1}, {cpu: -1}, {cpu: -1}}
	for i, pid := range []int{t.PID, os.Getpid(), b.fakePID} {
		if pid == 0 {
			continue
		}
		if d, err := loadgen.CPUTime(pid); err == nil {
			out[i].cpu = d
		}
		if w, n, err := loadgen.SchedStat(pid); err == nil {
			out[i].wait, out[i].slices = w, n
		}
	}
	return out
}

// noteCPU records how the CPU was shared during one step (warm-up left out,
// ramp included): on a machine of a few CPUs the load generator and the fake
// LLM compete with the server they measure.
func (b *bench) noteCPU(t loadgen.Target, clients int, before, after [3]procTimes, wall time.Duration) {
	names := []string{t.Name + " server", "load generator (this process)", "fake LLM process"}
	var parts []string
	total := 0.0
	for i := range before {
		if before[i].cpu < 0 || after[i].cpu < 0 {
			continue
		}
		used := (after[i].cpu - before[i].cpu).Seconds()
		total += used
		part := fmt.Sprintf("%s %.1f s", names[i], used)
		if n := after[i].slices - before[i].slices; n > 0 {
			wait := after[i].wait - before[i].wait
			part += fmt.Sprintf(" (waited %.1f s for a CPU, %s per turn on one)", wait.Seconds(), (wait / time.Duration(n)).Round(100*time.Nanosecond))
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 || wall <= 0 {
		return
	}
	b.cpuNotes = append(b.cpuNotes, fmt.Sprintf("- %s, %d clients: %s in %.1f s of wall time = %.2f of the %d CPUs",
		t.Name, clients, strings.Join(parts, ", "), wall.Seconds(), total/wall.Seconds(), runtime.NumCPU()))
}

func (b *bench) writeCPUNotes(w io.Writer) {
	if len(b.cpuNotes) == 0 {
		return
	}
	fmt.Fprintln(w, "\nCPU time used during each step (user + system, from /proc; warm-up left out), and the time the process's threads waited on a run queue (/proc/<pid>/task/*/schedstat):")
	fmt.Fprintln(w)
	for _, n := range b.cpuNotes {
		fmt.Fprintln(w, n)
	}
}

// startBot starts `bot serve` as a child process (or uses -url).
func (b *bench) startBot(ctx context.Context, fake *loadgen.FakeLLM) (loadgen.Target, error) {
	if b.o.url != "" {
		if line := indexLine(ctx, httpBase(b.o.url)); line != "" {
			fmt.Fprintf(b.stdout, "- server%s\n", line)
		}
		return loadgen.Target{Name: "bot", WSURL: b.o.url, DebugURL: strings.TrimRight(b.o.debugURL, "/")}, nil
	}
	corpus := b.o.corpusDir
	if b.o.guides > 0 {
		var err error
		if corpus, err = b.writeGuides(); err != nil {
			return loadgen.Target{}, err
		}
	}
	exe, how, err := b.botBinary(ctx)
	if err != nil {
		return loadgen.Target{}, err
	}
	if b.o.guides > 0 {
		// The first build, then a restart from the index file it wrote:
		// the restarted server is the one measured under load.
		b.logf("first build of the index of %d guides…", b.o.guides)
		p, _, st, err := b.startServe(ctx, exe, corpus, fake)
		if err != nil {
			return loadgen.Target{}, err
		}
		fmt.Fprintf(b.stdout, "- first build (no index file): %s\n", st)
		if err := p.Stop(); err != nil {
			return loadgen.Target{}, fmt.Errorf("stopping the server after its first build: %w", err)
		}
		b.procs = slices.DeleteFunc(b.procs, func(q *loadgen.Process) bool { return q == p })
		b.logf("restarting with the index file…")
	}
	p, t, st, err := b.startServe(ctx, exe, corpus, fake)
	if err != nil {
		return loadgen.Target{}, err
	}
	base := httpBase(t.WSURL)
	if b.o.guides > 0 {
		fmt.Fprintf(b.stdout, "- restart (index file present): %s\n", st)
	}
	fmt.Fprintf(b.stdout, "- server: bot serve (%s; pid %d) ready %s after start%s\n", how, p.PID(), st.ready.Round(time.Millisecond), indexLine(ctx, base))
	if b.o.guides > 0 {
		if err := b.spotCheckPay(ctx, t.WSURL); err != nil {
			return loadgen.Target{}, err
		}
	}
	return t, nil
}

// startServe starts `bot serve` over corpus as a child process, with the
// run's data dir, and waits for it to be ready.
func (b *bench) startServe(ctx context.Context, exe, corpus string, fake *loadgen.FakeLLM) (*loadgen.Process, loadgen.Target, startup, error) {
	addr, err := loadgen.FreeLoopbackAddr()
	if err != nil {
		return nil, loadgen.Target{}, startup{}, err
	}
	debugAddr, err := loadgen.FreeLoopbackAddr()
	if err != nil {
		return nil, loadgen.Target{}, startup{}, err
	}
	// Everything that decides what is measured is a flag, which wins over
	// the environment and .env: offline really means no LLM, the query
	// embedder is always the built-in one (never a paid API under load),
	// state stays in memory (never a shared Redis), and metrics stay on the
	// server's own port (never a fixed one that a running bot may hold).
	args := []string{"serve", "-addr", addr, "-debug-addr", debugAddr, "-data-dir", filepath.Join(b.tmp, "data"),
		"-corpus-dir", corpus, "-embeddings", "builtin", "-openai-api-key=", "-openai-base-url=",
		"-redis-url=", "-metrics-addr="}
	if fake != nil {
		args = append(args, "-openai-base-url", fake.BaseURL(), "-openai-api-key", "bench")
	}
	if !b.o.limits {
		args = append(args, "-rate-limit", "0", "-max-conns-per-ip", "0", "-max-conns", "0")
	}
	if n := b.o.idleSockets(); n > 0 {
		args = append(args, "-max-sockets", strconv.Itoa(n))
	}
	started := time.Now()
	p, err := loadgen.StartProcess(exe, args, b.o.serverEnv, filepath.Join(b.tmp, fmt.Sprintf("bot-%d.log", len(b.procs)+1)))
	if err != nil {
		return nil, loadgen.Target{}, startup{}, err
	}
	b.procs = append(b.procs, p)
	st, err := b.measureStart(ctx, p, "http://"+addr, started)
	if err != nil {
		b.o.keep = true
		return nil, loadgen.Target{}, startup{}, err
	}
	return p, loadgen.Target{Name: "bot", WSURL: "ws://" + addr + "/ws", DebugURL: "http://" + debugAddr, PID: p.PID()}, st, nil
}

// startEcho starts the echo baseline as a child process (botbench itself, with
// -serve-echo), so that it runs under the same conditions as the bot.
func (b *bench) startEcho(ctx context.Context) (loadgen.Target, error) {
	addr, err := loadgen.FreeLoopbackAddr()
	if err != nil {
		return loadgen.Target{}, err
	}
	exe, err := os.Executable()
	if err != nil {
		return loadgen.Target{}, err
	}
	p, err := loadgen.StartProcess(exe, []string{"-serve-echo", addr}, nil, filepath.Join(b.tmp, "echo.log"))
	if err != nil {
		return loadgen.Target{}, err
	}
	b.procs = append(b.procs, p)
	if err := p.WaitReady(ctx, "http://"+addr+"/healthz", time.Minute); err != nil {
		b.o.keep = true
		return loadgen.Target{}, err
	}
	return loadgen.Target{Name: "echo", WSURL: "ws://" + addr + "/ws", PID: p.PID()}, nil
}

// startFake starts the fake OpenAI server as a child process (botbench
// itself, with -serve-fake-llm) for -llm-process.
func (b *bench) startFake(ctx context.Context) (*loadgen.FakeLLM, error) {
	addr, err := loadgen.FreeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-serve-fake-llm", addr, "-llm-tokens", strconv.Itoa(b.o.llmTokens), "-llm-pace", b.o.llmPace.String()}
	p, err := loadgen.StartProcess(exe, args, nil, filepath.Join(b.tmp, "fakellm.log"))
	if err != nil {
		return nil, err
	}
	b.procs = append(b.procs, p)
	if err := p.WaitReady(ctx, "http://"+addr+"/healthz", time.Minute); err != nil {
		b.o.keep = true
		return nil, err
	}
	b.fakePID = p.PID()
	return loadgen.RemoteFakeLLM("http://" + addr), nil
}

// indexLine says how large the server's index is, from its /readyz status
// (JSON); "" when the server does not say.
func indexLine(ctx context.Context, base string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
	if err != nil {
		return ""
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var st chat.Readiness
	if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&st) != nil || st.Chunks == 0 {
		return ""
	}
	return fmt.Sprintf("; index: guides=%d sections=%d chunks=%d", st.Guides, st.Sections, st.Chunks)
}

// httpBase is the http:// origin of a loopback websocket URL.
func httpBase(wsURL string) string {
	u, err := url.Parse(wsURL)
	if err != nil {
		return ""
	}
	scheme := "http"
	if u.Scheme == "wss" {
		scheme = "https"
	}
	return scheme + "://" + u.Host
}

// botBinary is the bot to start: -bot, or ./cmd/bot of this checkout built
// into the run's temporary directory. how says which, for the report.
func (b *bench) botBinary(ctx context.Context) (path, how string, err error) {
	if b.o.botPath != "" {
		return b.o.botPath, b.o.botPath, nil
	}
	path = filepath.Join(b.tmp, "bot")
	b.logf("building ./cmd/bot (go build; -bot PATH skips it)…")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", path, "github.com/careerbot/careerbot/cmd/bot")
	cmd.Stdout, cmd.Stderr = b.stderr, b.stderr
	if err := cmd.Run(); err != nil {
		return "", "", fmt.Errorf("building the bot (go build github.com/careerbot/careerbot/cmd/bot; or pass -bot PATH): %w", err)
	}
	return path, "built from this checkout", nil
}

// fetchTo saves the body of a GET to path.
func fetchTo(ctx context.Context, url, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// machine describes where the figures come from.
func machine() string {
	model := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	load := "?"
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Join(strings.Fields(string(data))[:3], " ")
	}
	return fmt.Sprintf("machine: %s, %d CPUs (GOMAXPROCS %d), %s %s/%s; load average at start %s", model, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, load)
}
