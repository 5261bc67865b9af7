package openai_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/openai/openaitest"
)

// writeLine writes prefix, then x's without a newline up to size bytes or
// until the client hangs up.
func writeLine(w http.ResponseWriter, prefix string, size int) (written int) {
	n, _ := fmt.Fprint(w, prefix)
	written += n
	block := []byte(strings.Repeat("x", 32<<10))
	for written < size {
		n, err := w.Write(block)
		written += n
		if err != nil {
			break
		}
	}
	return written
}

// A 5 MiB line is refused once it passes 1 MiB: the error is the limit's,
// not the end of the body, so the reader never held the rest of it.
func TestStreamRefusesAnOverlongLine(t *testing.T) {
	for _, tt := range []struct {
		name      string
		before    []string // tokens sent before the long line
		wantText  string
		truncated bool
	}{
		{name: "before any token"},
		{name: "after tokens", before: []string{"Half", " an answer"}, wantText: "Half an answer", truncated: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t)
			srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
				w.Header().Set("Content-Type", "text/event-stream")
				for _, tok := range tt.before {
					openaitest.Chunk(w, tok, "")
				}
				writeLine(w, `data: {"choices":[{"index":0,"delta":{"content":"`, 5<<20)
			})
			var got strings.Builder
			comp, err := newClient(srv, 10*time.Second).Stream(context.Background(), question, func(d string) { got.WriteString(d) })
			if !errors.Is(err, openai.ErrResponseTooLarge) || !strings.Contains(err.Error(), "a line longer than 1048576 bytes") {
				t.Fatalf("err = %v, want the line limit", err)
			}
			if errors.Is(err, openai.ErrTruncated) != tt.truncated || got.String() != tt.wantText || comp.Text != tt.wantText {
				t.Errorf("err %v, delivered %q, completion %+v", err, got.String(), comp)
			}
			if comp.Attempts != 1 || len(srv.Requests()) != 1 {
				t.Errorf("%d attempts, %d requests: an oversized response is not retried", comp.Attempts, len(srv.Requests()))
			}
		})
	}
}

// A stream of well-formed chunks that never ends (each token pushes the
// stall timer back) stops at the response limit and keeps what arrived.
func TestStreamStopsAnEndlessAnswerAtTheResponseLimit(t *testing.T) {
	srv := openaitest.New(t)
	srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 0; i < 1_000_000 && r.Context().Err() == nil; i++ {
			openaitest.Chunk(w, "blah ", "")
		}
	})
	c := openai.NewChatClient(openai.ChatOptions{BaseURL: srv.BaseURL(), Model: "m", Timeout: 10 * time.Second, MaxResponseBytes: 64 << 10})
	comp, err := c.Stream(context.Background(), question, func(string) {})
	if !errors.Is(err, openai.ErrTruncated) || !errors.Is(err, openai.ErrResponseTooLarge) || !strings.Contains(err.Error(), "more than 65536 bytes") {
		t.Fatalf("err = %v, want a truncation at the response limit", err)
	}
	if !strings.HasPrefix(comp.Text, "blah blah ") || len(comp.Text) > 64<<10 {
		t.Errorf("kept %d bytes of text", len(comp.Text))
	}
}

// An error response with an endless body is not read whole.
func TestErrorBodyIsBounded(t *testing.T) {
	srv := openaitest.New(t)
	srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		w.WriteHeader(http.StatusBadGateway)
		writeLine(w, "<html>", 5<<20)
	})
	_, err := newClient(srv, 10*time.Second).Stream(context.Background(), question, func(string) {})
	if !errors.Is(err, openai.ErrResponseTooLarge) {
		t.Fatalf("err = %v, want ErrResponseTooLarge", err)
	}
}

// Ordinary answers, long lines under the limit included, are untouched.
func TestLinesUnderTheLimitPass(t *testing.T) {
	srv := openaitest.New(t)
	long := strings.Repeat("y", 200<<10)
	srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		openaitest.Stream(w, []string{long, " end"}, "stop")
	})
	c := openai.NewChatClient(openai.ChatOptions{BaseURL: srv.BaseURL(), Model: "m", Timeout: 10 * time.Second, MaxLineBytes: 256 << 10})
	comp, err := c.Stream(context.Background(), question, func(string) {})
	if err != nil || comp.Text != long+" end" {
		t.Fatalf("err %v, %d bytes of text", err, len(comp.Text))
	}
}
