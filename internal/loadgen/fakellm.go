package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
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
	if tokens < 1 {
		return nil, errors.New("the fake LLM needs at least one token")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
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
	f.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ConnState: func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			f.conns.Add(1)
		}
	}}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

// BaseURL is the value for OPENAI_BASE_URL.
func (f *FakeLLM) BaseURL() string { return "http://" + f.ln.Addr().String() + "/v1" }

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
// request reaching the fake, plus from the fake's first chunk to the client's
// first token frame. Both ends run in this process, so the clocks agree.
// unmatched counts asks with a first token but no request seen by the fake.
func (f *FakeLLM) AddedTTFT(timings []AskTiming) (added Latencies, unmatched int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var d []time.Duration
	for _, t := range timings {
		if t.FirstToken.IsZero() {
			continue
		}
		ft, ok := f.tagged[t.Tag]
		if !ok {
			unmatched++
			continue
		}
		d = append(d, ft.arrived.Sub(t.Sent)+t.FirstToken.Sub(ft.flushed))
	}
	clear(f.tagged)
	return summarize(d), unmatched
}

// TakeCounts returns and resets the requests served and the TCP connections
// opened since the last call: more connections than a handful means the
// server under test does not reuse its connections to the LLM.
func (f *FakeLLM) TakeCounts() (requests, conns int64) {
	return f.reqs.Swap(0), f.conns.Swap(0)
}

// Close stops the server.
func (f *FakeLLM) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := f.srv.Shutdown(ctx); err != nil {
		return f.srv.Close()
	}
	return nil
}
