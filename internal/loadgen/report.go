package loadgen

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// WriteLoadTable writes results as a Markdown table.
func WriteLoadTable(w io.Writer, results []Result) {
	fmt.Fprintln(w, "| target | clients | answers | answers/s | errors | TTFT p50 / p95 / p99 (ms) | done p50 / p95 / p99 (ms) | server CPU per answer (µs) | server peak RSS (MiB) | server peak goroutines |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---|---|---:|---:|---:|")
	for _, r := range results {
		ttft := "—"
		if r.TTFT.N > 0 {
			ttft = fmt.Sprintf("%s / %s / %s", ms(r.TTFT.P50), ms(r.TTFT.P95), ms(r.TTFT.P99))
		}
		fmt.Fprintf(w, "| %s | %d | %d | %.0f | %s | %s | %s / %s / %s | %s | %s | %s |\n",
			r.Target, r.Clients, r.Answers, r.AnswersPerSec(), errorsCell(r.Errors), ttft,
			ms(r.Done.P50), ms(r.Done.P95), ms(r.Done.P99), cpuCell(r.CPUPerAnswer), rssCell(r), goroutinesCell(r))
	}
}

// WriteRatios writes the bot/echo throughput ratio for each client count
// that has both.
func WriteRatios(w io.Writer, results []Result) {
	byClients := map[int]map[string]Result{}
	for _, r := range results {
		if byClients[r.Clients] == nil {
			byClients[r.Clients] = map[string]Result{}
		}
		byClients[r.Clients][r.Target] = r
	}
	for _, c := range slices.Sorted(maps.Keys(byClients)) {
		bot, okB := byClients[c]["bot"]
		echo, okE := byClients[c]["echo"]
		if !okB || !okE || echo.AnswersPerSec() == 0 {
			continue
		}
		fmt.Fprintf(w, "- %d clients: bot/echo = %.0f / %.0f answers/s = **%.1f%%**\n", c, bot.AnswersPerSec(), echo.AnswersPerSec(), 100*bot.AnswersPerSec()/echo.AnswersPerSec())
	}
}

// WriteSyscalls writes the server's system calls per answer of each step
// that has them.
func WriteSyscalls(w io.Writer, results []Result) {
	for _, r := range results {
		if r.ReadsPerAnswer == 0 && r.WritesPerAnswer == 0 {
			continue
		}
		fmt.Fprintf(w, "- %s, %d clients: server system calls per answer: %.2f reads, %.2f writes (/proc/<pid>/io; the writes include the answer's log line)\n",
			r.Target, r.Clients, r.ReadsPerAnswer, r.WritesPerAnswer)
	}
}

// LLMResult is one LLM-mode step with the fake's own time to first token.
type LLMResult struct {
	Result
	FakeOwn Latencies
	Added   Latencies // see FakeLLM.AddedTTFT
	// The two parts of Added: ask → request at the fake, and the fake's
	// first chunk → the client's first token frame.
	ToFake, FromFake Latencies
	Unmatched        int
	// Requests the fake served and TCP connections the server opened to it.
	Requests, Conns int64
}

// WriteLLMTable writes LLM-mode results: the time to first token the bot
// adds is measured per ask (FakeLLM.AddedTTFT).
func WriteLLMTable(w io.Writer, results []LLMResult) {
	fmt.Fprintln(w, "| clients | answers | answers/s | errors | TTFT p50 / p95 / p99 (ms) | fake's own TTFT p50 / p99 (ms) | **added TTFT p50 / p99 (ms)** | done p50 / p99 (ms) | LLM requests / new connections | server CPU per answer (µs) | server peak RSS (MiB) | server peak goroutines |")
	fmt.Fprintln(w, "|---:|---:|---:|---|---|---|---|---|---|---:|---:|---:|")
	for _, r := range results {
		fmt.Fprintf(w, "| %d | %d | %.1f | %s | %s / %s / %s | %s / %s | **%s / %s** | %s / %s | %d / %d | %s | %s | %s |\n",
			r.Clients, r.Answers, r.AnswersPerSec(), errorsCell(r.Errors),
			ms(r.TTFT.P50), ms(r.TTFT.P95), ms(r.TTFT.P99), ms(r.FakeOwn.P50), ms(r.FakeOwn.P99),
			ms(r.Added.P50), ms(r.Added.P99),
			ms(r.Done.P50), ms(r.Done.P99), r.Requests, r.Conns, cpuCell(r.CPUPerAnswer), rssCell(r.Result), goroutinesCell(r.Result))
	}
	fmt.Fprintln(w, "\nThe added time to first token in its two parts, p50 / p95 / p99 (ms): ask → request at the fake LLM (reading the ask, retrieval, prompt, HTTP request); the fake's first chunk → first token frame at the client (reading and decoding the chunk, the token frame, the write).")
	fmt.Fprintln(w)
	for _, r := range results {
		fmt.Fprintf(w, "- %d clients: ask → fake %s / %s / %s; fake → token frame %s / %s / %s\n", r.Clients,
			ms(r.ToFake.P50), ms(r.ToFake.P95), ms(r.ToFake.P99), ms(r.FromFake.P50), ms(r.FromFake.P95), ms(r.FromFake.P99))
	}
	plain := make([]Result, len(results))
	for i, r := range results {
		plain[i] = r.Result
	}
	WriteSyscalls(w, plain)
}

// WriteIdle writes the idle-mode figures.
func WriteIdle(w io.Writer, r IdleResult) {
	mib := func(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "| idle connections | server RSS before | server RSS with them open | **RSS per connection** | goroutines before → after | new client: connect p50 / max (ms) | new client: answer p50 / max (ms) | probe errors |\n")
	fmt.Fprintf(w, "|---:|---:|---:|---:|---|---|---|---:|\n")
	fmt.Fprintf(w, "| %d of %d%s | %s | %s | **%.1f KiB** | %d → %d | %s / %s | %s / %s | %d of %d |\n",
		r.Opened, r.Wanted, dialErrNote(r.DialErrors), mib(r.Before.RSSBytes), mib(r.After.RSSBytes), r.RSSPerConn/1024,
		r.Before.Goroutines, r.After.Goroutines, ms(r.Connect.P50), ms(r.Connect.Max), ms(r.Answer.P50), ms(r.Answer.Max),
		r.ProbeErrors, r.Probes)
}

func dialErrNote(errs map[string]int) string {
	if len(errs) == 0 {
		return ""
	}
	return " (" + errorsCell(errs) + ")"
}

func errorsCell(errs map[string]int) string {
	if len(errs) == 0 {
		return "0"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(errs)) {
		parts = append(parts, fmt.Sprintf("%d %s", errs[k], k))
	}
	return strings.Join(parts, ", ")
}

func cpuCell(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f", float64(d)/float64(time.Microsecond))
}

func rssCell(r Result) string {
	if !r.ServerKnown {
		return "—"
	}
	return fmt.Sprintf("%.1f", float64(r.Server.RSSBytes)/(1<<20))
}

func goroutinesCell(r Result) string {
	if !r.ServerKnown {
		return "—"
	}
	return fmt.Sprintf("%d", r.Server.Goroutines)
}
