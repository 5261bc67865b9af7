package openai_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/openai/openaitest"
)

const testKey = "sk-test-secret-0123456789"

func newClient(srv *openaitest.Server, timeout time.Duration) *openai.ChatClient {
	return openai.NewChatClient(openai.ChatOptions{
		BaseURL:      srv.BaseURL(),
		APIKey:       testKey,
		Model:        "test-model",
		Timeout:      timeout,
		RetryBackoff: time.Millisecond,
	})
}

var question = []openai.Message{{Role: openai.RoleSystem, Content: "be nice"}, {Role: openai.RoleUser, Content: "hi?"}}

func TestStreamRelaysTokensInOrder(t *testing.T) {
	srv := openaitest.New(t)
	srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		openaitest.Stream(w, []string{"One", " two", " three."}, "stop")
	})
	var got []string
	comp, err := newClient(srv, 5*time.Second).Stream(context.Background(), question, func(d string) { got = append(got, d) })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "One| two| three." || comp.Text != "One two three." || comp.FinishReason != "stop" || comp.Attempts != 1 {
		t.Fatalf("deltas %q, completion %+v", got, comp)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	req := reqs[0]
	if !req.Stream || req.Model != "test-model" || len(req.Messages) != 2 || req.Messages[1].Content != "hi?" {
		t.Errorf("request %+v", req)
	}
	if req.Temperature == nil || *req.Temperature <= 0 {
		t.Errorf("temperature 0 must still be sent (as a tiny positive value), got %v", req.Temperature)
	}
	if req.Authorization != "Bearer "+testKey {
		t.Errorf("authorization header %q", req.Authorization)
	}
}

func TestStreamRetriesOnceThenFails(t *testing.T) {
	tests := []struct {
		name       string
		statuses   []int // per request; 0 = answer
		wantErr    bool
		wantTries  int
		wantStatus int
	}{
		{"429 then ok", []int{429, 0}, false, 2, 0},
		{"500 then ok", []int{500, 0}, false, 2, 0},
		{"503 twice", []int{503, 503}, true, 2, 503},
		{"429 twice", []int{429, 429}, true, 2, 429},
		{"400 is not retried", []int{400, 0}, true, 1, 400},
		{"401 is not retried", []int{401, 0}, true, 1, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t)
			srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
				if st := tt.statuses[n-1]; st != 0 {
					// Some servers echo what they got; the key must still not leak.
					openaitest.Fail(w, st, "nope for "+r.Header.Get("Authorization"))
					return
				}
				openaitest.Stream(w, []string{"ok"}, "stop")
			})
			comp, err := newClient(srv, 5*time.Second).Stream(context.Background(), question, func(string) {})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if comp.Attempts != tt.wantTries || len(srv.Requests()) != tt.wantTries {
				t.Errorf("attempts %d, requests %d, want %d", comp.Attempts, len(srv.Requests()), tt.wantTries)
			}
			if err != nil {
				if got := openai.StatusCode(err); got != tt.wantStatus {
					t.Errorf("status %d, want %d", got, tt.wantStatus)
				}
				if strings.Contains(err.Error(), testKey) {
					t.Errorf("error leaks the API key: %v", err)
				}
				if errors.Is(err, openai.ErrTruncated) {
					t.Errorf("nothing was delivered, yet truncated: %v", err)
				}
			}
		})
	}
}

func TestStreamCutIsTruncated(t *testing.T) {
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter)
	}{
		{"no finish_reason, no [DONE]", func(w http.ResponseWriter) { openaitest.Stream(w, []string{"Half", " an"}, "") }},
		{"no finish_reason, then [DONE]", func(w http.ResponseWriter) {
			openaitest.Stream(w, []string{"Half", " an"}, "")
			openaitest.Done(w)
		}},
		{"token limit", func(w http.ResponseWriter) { openaitest.Stream(w, []string{"Half", " an"}, "length") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t)
			srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) { tt.handle(w) })
			comp, err := newClient(srv, 5*time.Second).Stream(context.Background(), question, func(string) {})
			if !errors.Is(err, openai.ErrTruncated) {
				t.Fatalf("err = %v, want ErrTruncated", err)
			}
			if comp.Text != "Half an" || comp.Attempts != 1 {
				t.Errorf("completion %+v", comp)
			}
		})
	}
}

func TestStreamEmptyAnswer(t *testing.T) {
	srv := openaitest.New(t)
	srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) { openaitest.Stream(w, []string{""}, "stop") })
	if _, err := newClient(srv, 5*time.Second).Stream(context.Background(), question, func(string) {}); !errors.Is(err, openai.ErrEmpty) {
		t.Fatalf("err = %v, want ErrEmpty", err)
	}
}

// hang blocks until the client gives up, and reports that it did.
func hang(aborted chan<- struct{}) func(w http.ResponseWriter, r *http.Request, n int) {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		<-r.Context().Done()
		aborted <- struct{}{}
	}
}

// A black-holed endpoint costs a question one Timeout in all: the timeout
// bounds the whole wait for the first token, so a first attempt that used
// it up is not retried (issue 14, defect 9: 30 s + retry + 30 s = 61 s).
func TestStreamHungUpstreamIsBounded(t *testing.T) {
	srv := openaitest.New(t)
	aborted := make(chan struct{}, 2)
	srv.Handle(hang(aborted))
	comp, err := newClient(srv, 50*time.Millisecond).Stream(context.Background(), question, func(string) {})
	if !errors.Is(err, openai.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	select { // the request was abandoned
	case <-aborted:
	case <-time.After(10 * time.Second):
		t.Fatal("upstream request not aborted")
	}
	if n := len(srv.Requests()); n != 1 || comp.Attempts != 1 {
		t.Errorf("%d requests, %d attempts: the timeout was spent, want no retry", n, comp.Attempts)
	}
}

// A quick failure is retried within what is left of the timeout; a retry
// that hangs ends with it.
func TestStreamRetryGetsWhatIsLeftOfTheTimeout(t *testing.T) {
	srv := openaitest.New(t)
	aborted := make(chan struct{}, 2)
	h := hang(aborted)
	srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			openaitest.Fail(w, 503, "busy")
			return
		}
		h(w, r, n)
	})
	comp, err := newClient(srv, 200*time.Millisecond).Stream(context.Background(), question, func(string) {})
	if !errors.Is(err, openai.ErrTimeout) || comp.Attempts != 2 || len(srv.Requests()) != 2 {
		t.Fatalf("err = %v after %d attempts, want ErrTimeout after the retry", err, comp.Attempts)
	}
}

func TestStreamStallAfterFirstToken(t *testing.T) {
	srv := openaitest.New(t)
	srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		openaitest.Chunk(w, "Started", "")
		<-r.Context().Done()
	})
	// The timeout must comfortably cover the first token on a loaded machine.
	comp, err := newClient(srv, 500*time.Millisecond).Stream(context.Background(), question, func(string) {})
	if !errors.Is(err, openai.ErrTruncated) || !errors.Is(err, openai.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTruncated wrapping ErrTimeout", err)
	}
	if comp.Text != "Started" || comp.Attempts != 1 {
		t.Errorf("completion %+v: a stream that already delivered text is not retried", comp)
	}
}

func TestStreamCancelAbortsUpstream(t *testing.T) {
	srv := openaitest.New(t)
	aborted := make(chan struct{}, 1)
	srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		openaitest.Chunk(w, "Started", "")
		<-r.Context().Done()
		aborted <- struct{}{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	_, err := newClient(srv, time.Minute).Stream(ctx, question, func(string) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	select {
	case <-aborted:
	case <-time.After(10 * time.Second):
		t.Fatal("upstream request not aborted")
	}
}

func TestReasoningModelsGetAcceptedParameters(t *testing.T) {
	for _, model := range []string{"o3-mini", "gpt-5-mini", "o4-mini"} {
		srv := openaitest.New(t)
		c := openai.NewChatClient(openai.ChatOptions{BaseURL: srv.BaseURL(), Model: model, Temperature: 0.2, MaxTokens: 500, Timeout: 5 * time.Second})
		if _, err := c.Stream(context.Background(), question, func(string) {}); err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		req := srv.Requests()[0]
		if req.Temperature != nil || req.MaxTokens != 0 {
			t.Errorf("%s: sent temperature %v, max_tokens %d", model, req.Temperature, req.MaxTokens)
		}
	}
	srv := openaitest.New(t)
	c := openai.NewChatClient(openai.ChatOptions{BaseURL: srv.BaseURL(), Model: "llama3.2", Temperature: 0.2, MaxTokens: 500, Timeout: 5 * time.Second})
	if _, err := c.Stream(context.Background(), question, func(string) {}); err != nil {
		t.Fatal(err)
	}
	if req := srv.Requests()[0]; req.Temperature == nil || *req.Temperature < 0.19 || req.MaxTokens != 500 {
		t.Errorf("llama3.2: temperature %v, max_tokens %d", req.Temperature, req.MaxTokens)
	}
}
