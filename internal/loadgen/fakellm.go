package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// FakeLLM is a loopback OpenAI-compatible chat completions server that
// streams Tokens tokens, one every Pace, for every request. It records its
// own time to first token (request received → first chunk flushed) so that
// what the bot adds on top can be told apart.
type FakeLLM struct {
	Tokens int
	Pace   time.Duration

	srv    *http.Server
	ln     net.Listener
	chunks [][]byte
	remote string // set on a mirror of a fake in another process (see RemoteFakeLLM)

	conns atomic.Int64 // TCP connections the server under test opened to the fake
	reqs  atomic.Int64

	mu     sync.Mutex
	own    []time.Duration
	tagged map[string]fakeTiming
}

// fakeTiming is when a tagged request arrived and when its first chunk left.
type fakeTiming struct{ arrived, flushed time.Time }

// StartFakeLLM listens on 127.0.0.1 and serves until Close.
func StartFakeLLM(tokens int, pace time.Duration) (*FakeLLM, error) {
	return startFakeLLM("127.0.0.1:0", tokens, pace)
}

func startFakeLLM(addr string, tokens int, pace time.Duration) (*FakeLLM, error) {
	if tokens < 1 {
		return nil, errors.New("the fake LLM needs at least one token")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if err := CheckLoopback("http://" + ln.Addr().String()); err != nil {
		ln.Close()
		return nil, err
	}
	f := &FakeLLM{Tokens: tokens, Pace: pace, ln: ln, tagged: map[string]fakeTiming{}}
	// Chunks are prepared once: the fake must cost as little CPU as it can,
	// since it shares the machine with the server it feeds.
	for i := range tokens {
		word := fmt.Sprintf(" word%d", i)
		if i == 0 {
			word = "Answer"
		}
		finish := "null"
		if i == tokens-1 {
			finish = `"stop"`
		}
		f.chunks = append(f.chunks, fmt.Appendf(nil, "data: {\"id\":\"bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":%q},\"finish_reason\":%s}]}\n\n", word, finish))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", f.complete)
	mux.HandleFunc("GET /bench/timings", f.serveTimings)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	f.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ConnState: func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			f.conns.Add(1)
		}
	}}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

// BaseURL is the value for OPENAI_BASE_URL.
func (f *FakeLLM) BaseURL() string {
	if f.remote != "" {
		return f.remote + "/v1"
	}
	return "http://" + f.ln.Addr().String() + "/v1"
}

// ServeFakeLLM serves a FakeLLM on addr (loopback) until ctx ends: the fake
// as a process of its own (botbench -llm-process), so that its goroutines
// and timers are not scheduled by the load generator's Go runtime. Its
// records are read over HTTP (RemoteFakeLLM).
func ServeFakeLLM(ctx context.Context, addr string, tokens int, pace time.Duration) error {
	f, err := startFakeLLM(addr, tokens, pace)
	if err != nil {
		return err
	}
	<-ctx.Done()
	return f.Close()
}

// RemoteFakeLLM mirrors the FakeLLM that ServeFakeLLM runs in another
// process at baseURL (http://127.0.0.1:port): call Pull before reading its
// records. The two processes share the machine's wall clock, so the added
// time to first token is computed from wall-clock times (time.Time.Sub of
// times decoded from JSON), not from one process's monotonic clock.
func RemoteFakeLLM(baseURL string) *FakeLLM {
	return &FakeLLM{remote: strings.TrimRight(baseURL, "/"), tagged: map[string]fakeTiming{}}
}

// fakeRecords is what GET /bench/timings sends: the records since the last
// call, which it forgets.
type fakeRecords struct {
	Own      []time.Duration         `json:"own_ns"`
	Tagged   map[string][2]time.Time `json:"tagged"` // tag → arrived, first chunk flushed
	Requests int64                   `json:"requests"`
	Conns    int64                   `json:"conns"`
}

func (f *FakeLLM) serveTimings(w http.ResponseWriter, _ *http.Request) {
	rec := fakeRecords{Tagged: map[string][2]time.Time{}}
	f.mu.Lock()
	rec.Own, f.own = f.own, nil
	for tag, t := range f.tagged {
		rec.Tagged[tag] = [2]time.Time{t.arrived, t.flushed}
	}
	clear(f.tagged)
	f.mu.Unlock()
	rec.Requests, rec.Conns = f.TakeCounts()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(rec)
}

// Pull copies the remote fake's records since the last Pull into f; it does
// nothing for a fake in this process.
func (f *FakeLLM) Pull(ctx context.Context) error {
	if f.remote == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.remote+"/bench/timings", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("reading the fake LLM's timings: %w", err)
	}
	defer resp.Body.Close()
	var rec fakeRecords
	if err := json.NewDecoder(resp.Body).Decode(&rec); err != nil {
		return fmt.Errorf("reading the fake LLM's timings: %w", err)
	}
	f.mu.Lock()
	f.own = append(f.own, rec.Own...)
	for tag, t := range rec.Tagged {
		f.tagged[tag] = fakeTiming{arrived: t[0], flushed: t[1]}
	}
	f.mu.Unlock()
	f.reqs.Add(rec.Requests)
	f.conns.Add(rec.Conns)
	return nil
}

func (f *FakeLLM) complete(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	f.reqs.Add(1)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	// The question is last in the prompt: the last tag is this ask's (the
	// history may hold earlier ones). JSON may have escaped its characters.
	var req struct {
		Messages []struct {
			Content string `json:"content"`
		} `json:"messages"`
	}
	tag := ""
	if json.Unmarshal(body, &req) == nil && len(req.Messages) > 0 {
		tag, _ = parseTag(req.Messages[len(req.Messages)-1].Content)
	}
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	timer := time.NewTimer(f.Pace)
	timer.Stop() // since Go 1.23 a stopped timer never delivers a stale tick
	defer timer.Stop()
	for i, chunk := range f.chunks {
		if i > 0 {
			timer.Reset(f.Pace)
			select {
			case <-r.Context().Done():
				return
			case <-timer.C:
			}
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		if i == 0 {
			flushed := time.Now()
			f.mu.Lock()
			f.own = append(f.own, flushed.Sub(start))
			if tag != "" {
				f.tagged[tag] = fakeTiming{arrived: start, flushed: flushed}
			}
			f.mu.Unlock()
		}
	}
	_, _ = io.WriteString(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

// TakeOwnTTFT returns and forgets the fake's own times to first token so far.
func (f *FakeLLM) TakeOwnTTFT() Latencies {
	f.mu.Lock()
	own := f.own
	f.own = nil
	f.mu.Unlock()
	return summarize(own)
}

// AddedTTFT is, for each tagged ask the fake answered, the time the server
// under test added to the time to first token: from the client's ask to the
// request reaching the fake (toFake), plus from the fake's first chunk to the
// client's first token frame (fromFake). Both ends run in this process, so
// the clocks agree (with -llm-process: the machine's wall clock). unmatched
// counts asks with a first token but no request seen by the fake.
func (f *FakeLLM) AddedTTFT(timings []AskTiming) (added, toFake, fromFake Latencies, unmatched int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var d, in, out []time.Duration
	for _, t := range timings {
		if t.FirstToken.IsZero() {
			continue
		}
		ft, ok := f.tagged[t.Tag]
		if !ok {
			unmatched++
			continue
		}
		in = append(in, ft.arrived.Sub(t.Sent))
		out = append(out, t.FirstToken.Sub(ft.flushed))
		d = append(d, in[len(in)-1]+out[len(out)-1])
	}
	clear(f.tagged)
	return summarize(d), summarize(in), summarize(out), unmatched
}

// TakeCounts returns and resets the requests served and the TCP connections
// opened since the last call: more connections than a handful means the
// server under test does not reuse its connections to the LLM.
func (f *FakeLLM) TakeCounts() (requests, conns int64) {
	return f.reqs.Swap(0), f.conns.Swap(0)
}

// Close stops the server (a remote fake is its process's to stop).
func (f *FakeLLM) Close() error {
	if f.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := f.srv.Shutdown(ctx); err != nil {
		return f.srv.Close()
	}
	return nil
}
