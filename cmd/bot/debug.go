package main

import (
	"encoding/json"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
)

// debugHandler serves the private debug listener (BOT_DEBUG_ADDR):
// net/http/pprof under /debug/pprof/ and a JSON snapshot of the process and
// the chat server under /debug/vars. Never expose it publicly. args is the
// command line (os.Args), shown at /debug/pprof/cmdline with its secrets
// redacted.
func debugHandler(stats func() chat.Stats, started time.Time, args []string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	cmdline := strings.Join(redactArgs(args), "\x00")
	mux.HandleFunc("/debug/pprof/cmdline", func(w http.ResponseWriter, r *http.Request) {
		// pprof.Cmdline's format (NUL-separated) without a key or password:
		// -openai-api-key on the command line would otherwise show here.
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(cmdline))
	})
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /debug/vars", func(w http.ResponseWriter, r *http.Request) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		rss, ok := residentBytes()
		if !ok {
			rss = ms.Sys // best available approximation off Linux
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(struct {
			Goroutines int        `json:"goroutines"`
			RSSBytes   uint64     `json:"rss_bytes"`
			HeapBytes  uint64     `json:"heap_alloc_bytes"`
			SysBytes   uint64     `json:"sys_bytes"`
			NumGC      uint32     `json:"num_gc"`
			UptimeSecs float64    `json:"uptime_seconds"`
			CPUSecs    float64    `json:"cpu_seconds"` // user + system, for CPU per answer (botbench)
			GoVersion  string     `json:"go_version"`
			Chat       chat.Stats `json:"chat"` // open_connections, in_flight_answers, …
		}{
			Goroutines: runtime.NumGoroutine(), RSSBytes: rss, HeapBytes: ms.HeapAlloc, SysBytes: ms.Sys,
			NumGC: ms.NumGC, UptimeSecs: time.Since(started).Seconds(), CPUSecs: cpuSeconds(), GoVersion: runtime.Version(),
			Chat: stats(),
		})
	})
	return mux
}

// cpuSeconds is the CPU time (user + system) the process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// residentBytes reads the resident set size from /proc/self/statm (Linux).
func residentBytes() (uint64, bool) {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseUint(fields[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * uint64(os.Getpagesize()), true
}
