package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ServerStats is the part of the chat server's /debug/vars (BOT_DEBUG_ADDR)
// that the benchmark reports.
type ServerStats struct {
	Goroutines int     `json:"goroutines"`
	RSSBytes   uint64  `json:"rss_bytes"`
	HeapBytes  uint64  `json:"heap_alloc_bytes"`
	CPUSeconds float64 `json:"cpu_seconds"`
	Chat       struct {
		OpenConns int `json:"open_connections"`
	} `json:"chat"`
}

var statsClient = &http.Client{Timeout: 5 * time.Second}

// FetchStats reads debugURL/debug/vars.
func FetchStats(ctx context.Context, debugURL string) (ServerStats, error) {
	var st ServerStats
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(debugURL, "/")+"/debug/vars", nil)
	if err != nil {
		return st, err
	}
	resp, err := statsClient.Do(req)
	if err != nil {
		return st, fmt.Errorf("server stats: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("server stats: %s", resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return st, fmt.Errorf("server stats: %w", err)
	}
	return st, nil
}

// peakSampler polls the server's stats until stopped and keeps the peaks.
type peakSampler struct {
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	peak ServerStats
	ok   bool
}

func samplePeaks(debugURL string, every time.Duration) *peakSampler {
	p := &peakSampler{stop: make(chan struct{}), done: make(chan struct{})}
	if debugURL == "" {
		close(p.done)
		return p
	}
	go func() {
		defer close(p.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			ctx, cancel := context.WithTimeout(context.Background(), every+time.Second)
			st, err := FetchStats(ctx, debugURL)
			cancel()
			if err == nil {
				p.mu.Lock()
				p.ok = true
				p.peak.Goroutines = max(p.peak.Goroutines, st.Goroutines)
				p.peak.RSSBytes = max(p.peak.RSSBytes, st.RSSBytes)
				p.peak.HeapBytes = max(p.peak.HeapBytes, st.HeapBytes)
				p.peak.Chat.OpenConns = max(p.peak.Chat.OpenConns, st.Chat.OpenConns)
				p.mu.Unlock()
			}
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// finish stops sampling and returns the peaks (ok false: none was read).
func (p *peakSampler) finish() (ServerStats, bool) {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak, p.ok
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's CPU times: 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// CPUTime is the user+system CPU time a process has used so far (Linux).
func CPUTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may contain spaces; fields after ")" are fixed.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	utime, err1 := strconv.ParseUint(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseUint(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// Syscalls is how many read and write system calls the process has made
// so far (syscr and syscw of /proc/<pid>/io). Per answer, they say how many
// writes an answer's frames took (the writer gathers frames queued together
// into one) and count the answer's log line, which is a write of its own.
func Syscalls(pid int) (reads, writes int64, err error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/io")
	if err != nil {
		return 0, 0, err
	}
	found := 0
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ": ")
		if !ok || k != "syscr" && k != "syscw" {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/io: %s: %w", pid, k, err)
		}
		if k == "syscr" {
			reads = n
		} else {
			writes = n
		}
		found++
	}
	if found != 2 {
		return 0, 0, fmt.Errorf("/proc/%d/io: no syscr and syscw", pid)
	}
	return reads, writes, nil
}

// SchedStat sums /proc/<pid>/task/*/schedstat over the process's threads:
// the time they waited on a run queue for a CPU, and how many times they were
// put on one. On a machine shared with other work, waiting is what stretches
// latencies, while the CPU time a piece of work needs stays about the same.
// Threads that exited meanwhile are not counted.
func SchedStat(pid int) (wait time.Duration, slices int64, err error) {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, err
	}
	for _, task := range tasks {
		data, err := os.ReadFile(dir + "/" + task.Name() + "/schedstat")
		if err != nil {
			continue // the thread has just exited
		}
		f := strings.Fields(string(data))
		if len(f) < 3 {
			return 0, 0, fmt.Errorf("%s/%s/schedstat: unexpected format", dir, task.Name())
		}
		w, err1 := strconv.ParseInt(f[1], 10, 64)
		n, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			return 0, 0, fmt.Errorf("%s/%s/schedstat: unexpected format", dir, task.Name())
		}
		wait += time.Duration(w)
		slices += n
	}
	return wait, slices, nil
}

// Memory is a process's resident memory now and its peak so far (VmRSS and
// VmHWM of /proc/<pid>/status, Linux). The peak is the kernel's own record,
// so a build's high-water mark is caught however briefly it lasted, which
// polling would miss.
func Memory(pid int) (rss, peak uint64, err error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/status: %s: %w", pid, k, err)
		}
		if k == "VmRSS" {
			rss = kb << 10
		} else {
			peak = kb << 10
		}
	}
	if rss == 0 || peak == 0 {
		return 0, 0, fmt.Errorf("/proc/%d/status: no VmRSS or VmHWM", pid)
	}
	return rss, peak, nil
}
