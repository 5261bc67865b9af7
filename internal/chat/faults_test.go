package chat

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/openai/openaitest"
	"github.com/careerbot/careerbot/protocol"
)

// startLLMServerAt is startLLMServer for any base URL (a closed port, a name
// that does not resolve).
func startLLMServerAt(t *testing.T, baseURL string, timeout time.Duration) (*testServer, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	client := openai.NewChatClient(openai.ChatOptions{
		BaseURL: baseURL, APIKey: secretKey, Model: "test-model",
		Timeout: timeout, RetryBackoff: time.Millisecond, HTTPClient: httpClient(t),
	})
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{LLM: client, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	return ts, logs
}

// rawFrames reads the reply to one ask and returns it with every frame's
// JSON, so that a test can scan all of it.
func (c *client) answerRaw(id, text string) (reply, []string) {
	c.t.Helper()
	c.ask(id, text)
	var raws []string
	var r reply
	for {
		f := c.read()
		raws = append(raws, f.raw)
		switch f.Type {
		case protocol.TypeSources:
			r.sources = f
		case protocol.TypeToken:
			r.tokens = append(r.tokens, f.Text)
		case protocol.TypeDone:
			r.done = f
			return r, raws
		case protocol.TypeError:
			r.err = f
			return r, raws
		}
	}
}

// Every upstream failure ends in an answer — the guide's own words with a
// notice, or the partial text marked incomplete — within bounded time
// (hangGuard on every read), and the API key appears in no frame and no log
// line, even when the upstream echoes it back.
func TestLLMFaultsEndInAnAnswerAndNeverLeakTheKey(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	refusedURL := closed.URL + "/v1"
	closed.Close()

	const question = "What salary does a media specialist earn?"
	tests := []struct {
		name    string
		baseURL string // "" = the fake upstream
		handle  func(w http.ResponseWriter, r *http.Request, n int)
		timeout time.Duration
		notice  string
		partial string   // for answers cut after some tokens: the text kept
		maxReqs int      // upstream requests allowed (0 = not checked)
		logHas  []string // the operator's log must say this
	}{
		{name: "connection refused", baseURL: refusedURL, timeout: 5 * time.Second, notice: noticeFallback,
			logHas: []string{refusedURL, "LLM failed"}},
		{name: "DNS failure", baseURL: "http://careerbot-no-such-host.invalid/v1", timeout: 3 * time.Second, notice: noticeFallback,
			logHas: []string{"careerbot-no-such-host.invalid"}},
		{name: "401 bad key", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			openaitest.Fail(w, http.StatusUnauthorized, "Incorrect API key provided: "+r.Header.Get("Authorization"))
		}, timeout: 5 * time.Second, notice: noticeFallback, maxReqs: 1,
			logHas: []string{"refused the API key", "401", "check the API key"}},
		{name: "429 with a long Retry-After", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Retry-After", "3600")
			openaitest.Fail(w, http.StatusTooManyRequests, "Rate limit reached for "+r.Header.Get("Authorization"))
		}, timeout: 5 * time.Second, notice: noticeFallback, maxReqs: 2, logHas: []string{"429"}},
		{name: "500", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			openaitest.Fail(w, http.StatusInternalServerError, "boom")
		}, timeout: 5 * time.Second, notice: noticeFallback, maxReqs: 2, logHas: []string{"500"}},
		{name: "garbage SSE before any token", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, "data: {this is not json\n\n")
		}, timeout: 5 * time.Second, notice: noticeFallback},
		{name: "SSE noise without data lines", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Content-Type", "text/event-stream")
			for range 1000 {
				fmt.Fprint(w, "\x00\xff garbage line\n")
			}
		}, timeout: 5 * time.Second, notice: noticeFallback},
		{name: "garbage SSE after tokens", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			openaitest.Chunk(w, "A media specialist", "")
			fmt.Fprint(w, "data: {\"choices\":[{\"delta\":\n\n")
		}, timeout: 5 * time.Second, notice: noticeTruncated, partial: "A media specialist"},
		{name: "stall mid-answer", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			openaitest.Chunk(w, "A media specialist", "")
			openaitest.Chunk(w, " earns", "")
			<-r.Context().Done() // never another token
		}, timeout: 300 * time.Millisecond, notice: noticeTruncated, partial: "A media specialist earns", maxReqs: 1},
		{name: "headers, then nothing", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}, timeout: 300 * time.Millisecond, notice: noticeFallback, maxReqs: 2},
		{name: "a 5 MiB line without a newline", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Content-Type", "text/event-stream")
			writeEndlessLine(w, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"", 5<<20)
		}, timeout: 10 * time.Second, notice: noticeFallback, maxReqs: 1,
			logHas: []string{"too large", "a line longer than 1048576 bytes"}},
		{name: "a 5 MiB line after tokens", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			openaitest.Chunk(w, "A media specialist", "")
			writeEndlessLine(w, "data: ", 5<<20)
		}, timeout: 10 * time.Second, notice: noticeTruncated, partial: "A media specialist", maxReqs: 1,
			logHas: []string{"a line longer than"}},
		{name: "a 5 MiB error body", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			w.WriteHeader(http.StatusBadGateway)
			writeEndlessLine(w, "<html>", 5<<20)
		}, timeout: 10 * time.Second, notice: noticeFallback, maxReqs: 2, logHas: []string{"too large"}},
		{name: "slow but steady", handle: func(w http.ResponseWriter, r *http.Request, n int) {
			// Slow is not broken: gaps well inside the timeout keep going.
			w.Header().Set("Content-Type", "text/event-stream")
			for i, tok := range []string{"A media", " specialist", " earns", " $65,000."} {
				time.Sleep(50 * time.Millisecond)
				fr := ""
				if i == 3 {
					fr = "stop"
				}
				openaitest.Chunk(w, tok, fr)
			}
			openaitest.Done(w)
		}, timeout: 10 * time.Second, notice: "", partial: "A media specialist earns $65,000.", maxReqs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ts *testServer
			var logs *syncBuffer
			var upstream *openaitest.Server
			if tt.baseURL != "" {
				ts, logs = startLLMServerAt(t, tt.baseURL, tt.timeout)
			} else {
				ts, upstream, logs = startLLMServer(t, tt.timeout)
				upstream.Handle(tt.handle)
			}
			c := ts.dial(t, "")
			r, raws := c.answerRaw("1", question)
			if r.err.Type != "" {
				t.Fatalf("error frame %s, want an answer", r.err.raw)
			}
			if r.done.Notice != tt.notice || !r.done.Grounded {
				t.Errorf("done %s, want notice %q", r.done.raw, tt.notice)
			}
			if strings.Join(r.tokens, "") != r.done.Text {
				t.Errorf("tokens %q do not add up to %q", r.tokens, r.done.Text)
			}
			switch {
			case tt.partial != "":
				if r.done.Text != tt.partial {
					t.Errorf("text %q, want %q", r.done.Text, tt.partial)
				}
			case !strings.Contains(r.done.Text, "$65,000"):
				t.Errorf("fallback answer %q lacks the guide's figure", r.done.Text)
			}
			if upstream != nil && tt.maxReqs > 0 && len(upstream.Requests()) > tt.maxReqs {
				t.Errorf("%d upstream requests, want at most %d", len(upstream.Requests()), tt.maxReqs)
			}
			// The connection is still usable afterwards.
			if upstream != nil {
				upstream.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
					openaitest.Stream(w, []string{"Fine", " again."}, "stop")
				})
			}
			r2, raws2 := c.answerRaw("2", question)
			if r2.done.Type != protocol.TypeDone {
				t.Errorf("second ask: %+v", r2)
			}
			log := logs.String()
			for _, want := range tt.logHas {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %q:\n%s", want, log)
				}
			}
			all := append(append([]string{c.ready.raw}, raws...), raws2...)
			for _, s := range append(all, log) {
				if strings.Contains(s, secretKey) {
					t.Fatalf("the API key leaked: %s", s)
				}
			}
		})
	}
}

// The operator's log line for a refused key names the endpoint, so that a
// wrong OPENAI_BASE_URL and a wrong OPENAI_API_KEY can be told apart.
func TestLLMBadKeyLogNamesTheEndpoint(t *testing.T) {
	ts, upstream, logs := startLLMServer(t, 5*time.Second)
	upstream.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		openaitest.Fail(w, http.StatusUnauthorized, "Incorrect API key provided")
	})
	r := ts.dial(t, "").answer("1", "What salary does a media specialist earn?")
	if r.done.Notice != noticeFallback {
		t.Fatalf("done %s", r.done.raw)
	}
	var line string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "refused the API key") {
			line = l
		}
	}
	if !strings.Contains(line, upstream.BaseURL()) || !strings.Contains(line, "level=WARN") {
		t.Errorf("no warning naming %s in:\n%s", upstream.BaseURL(), logs.String())
	}
	if strings.Contains(r.done.raw, "401") || strings.Contains(r.done.raw, "API key") {
		t.Errorf("the user's notice should not talk about keys: %s", r.done.raw)
	}
}

// A feedback file that cannot be written is a warning in the log; the chat
// carries on.
func TestFeedbackUnwritableIsAWarning(t *testing.T) {
	notADir := t.TempDir() + "/file"
	if err := os.WriteFile(notADir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	ts := startServer(t, Config{}, conversation.Config{DataDir: notADir}, conversation.Deps{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	c := ts.dial(t, "")
	c.answer("1", "What salary does a media specialist earn?")
	c.write(`{"type":"feedback","id":"1","rating":"down","comment":"meh"}`)
	if r := c.answer("2", "What salary?"); r.done.Type != protocol.TypeDone {
		t.Fatalf("after failed feedback: %+v", r)
	}
	if !strings.Contains(logs.String(), "feedback not saved") || !strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("no warning logged:\n%s", logs.String())
	}
}

// writeEndlessLine writes prefix and then x's, with no newline, up to size
// bytes or until the client hangs up. A reader that buffered lines without a
// limit would hold all of it.
func writeEndlessLine(w http.ResponseWriter, prefix string, size int) {
	fmt.Fprint(w, prefix)
	block := []byte(strings.Repeat("x", 64<<10))
	for written := len(prefix); written < size; written += len(block) {
		if _, err := w.Write(block); err != nil {
			return
		}
	}
	w.(http.Flusher).Flush()
}
