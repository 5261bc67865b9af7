package conversation

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/conversation/conversationtest"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/openai/openaitest"
	"github.com/careerbot/careerbot/protocol"
)

const secretKey = "sk-live-do-not-leak-4242"

// llmService is an answer service in LLM mode against a loopback
// OpenAI-compatible server, over the media specialist stand-in index; its
// log goes to logs.
func llmService(t *testing.T, timeout time.Duration) (*Service, *openaitest.Server, *syncBuffer) {
	t.Helper()
	upstream := openaitest.New(t)
	logs := &syncBuffer{}
	client := openai.NewChatClient(openai.ChatOptions{
		BaseURL: upstream.BaseURL(), APIKey: secretKey, Model: "test-model",
		Timeout: timeout, RetryBackoff: time.Millisecond, HTTPClient: httpClient(t),
	})
	svc := New(Config{}, Deps{Index: &conversationtest.Index{}, LLM: client, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	return svc, upstream, logs
}

// newSession opens a new conversation of svc.
func newSession(svc *Service) *Session {
	sess, _ := svc.Open(context.Background(), "192.0.2.1", "")
	return sess
}

func TestLLMTokensRelayedAndPromptBuilt(t *testing.T) {
	svc, upstream, _ := llmService(t, 10*time.Second)
	upstream.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		openaitest.Stream(w, []string{"A media", " specialist earns", " about $65,000", " [Annual Salary]."}, "stop")
	})
	sess := newSession(svc)
	if svc.Mode() != protocol.ModeLLM {
		t.Errorf("mode %q", svc.Mode())
	}
	r := ask(t, sess, "1", "What salary does a media specialist earn?")
	if got := strings.Join(r.tokens, "|"); got != "A media| specialist earns| about $65,000| [Annual Salary]." {
		t.Errorf("tokens %q", got)
	}
	if r.done.Text != "A media specialist earns about $65,000 [Annual Salary]." || !r.done.Grounded || r.done.Notice != "" || len(r.done.Suggestions) == 0 {
		t.Errorf("done %+v", r.done)
	}

	r2 := ask(t, sess, "2", "Which tools do they use?")
	if r2.done.Notice != "" {
		t.Fatalf("second answer: %+v", r2.done)
	}
	reqs := upstream.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d upstream requests", len(reqs))
	}
	msgs := reqs[1].Messages
	if msgs[0].Role != "system" || msgs[0].Content != systemPrompt {
		t.Errorf("first message is not the system prompt: %+v", msgs[0])
	}
	var prompt strings.Builder
	for _, m := range msgs {
		prompt.WriteString(m.Role + ": " + m.Content + "\n")
	}
	p := prompt.String()
	for _, want := range []string{
		"What salary does a media specialist earn?",               // the earlier turn
		"A media specialist earns about $65,000 [Annual Salary].", // its answer
		"Adobe Creative Cloud (Premiere Pro",                      // retrieved text
		`section="Tech Skills"`,                                   // fenced with its section
		"Which tools do they use?",                                // the question
	} {
		if !strings.Contains(p, want) {
			t.Errorf("prompt lacks %q:\n%s", want, p)
		}
	}
	last := msgs[len(msgs)-1]
	if last.Role != "user" || !strings.HasSuffix(last.Content, "<question>\nWhich tools do they use?\n</question>") {
		t.Errorf("last message %+v", last)
	}
}

func TestLLMOffTopicMakesNoCall(t *testing.T) {
	svc, upstream, _ := llmService(t, 10*time.Second)
	r := ask(t, newSession(svc), "1", "How do I bake sourdough bread?")
	if r.done.Grounded || len(upstream.Requests()) != 0 {
		t.Errorf("off-topic: %+v, %d upstream requests", r.done, len(upstream.Requests()))
	}
}

func TestLLMFailuresFallBack(t *testing.T) {
	tests := []struct {
		name    string
		handle  func(w http.ResponseWriter, r *http.Request, n int)
		timeout time.Duration
		notice  string
		partial string // for a cut stream: the text kept
		tries   int    // upstream requests: a retry, unless the timeout was spent
	}{
		{"429", func(w http.ResponseWriter, r *http.Request, n int) {
			openaitest.Fail(w, http.StatusTooManyRequests, "slow down, "+r.Header.Get("Authorization"))
		}, 10 * time.Second, noticeFallback, "", 2},
		{"500", func(w http.ResponseWriter, r *http.Request, n int) {
			openaitest.Fail(w, http.StatusInternalServerError, "boom "+r.Header.Get("Authorization"))
		}, 10 * time.Second, noticeFallback, "", 2},
		{"hung upstream", func(w http.ResponseWriter, r *http.Request, n int) {
			<-r.Context().Done()
		}, 100 * time.Millisecond, noticeFallback, "", 1},
		{"cut stream", func(w http.ResponseWriter, r *http.Request, n int) {
			openaitest.Stream(w, []string{"A media specialist", " earns"}, "")
		}, 10 * time.Second, noticeTruncated, "A media specialist earns", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, upstream, logs := llmService(t, tt.timeout)
			upstream.Handle(tt.handle)
			r := ask(t, newSession(svc), "1", "What salary does a media specialist earn?")
			if r.done.Notice != tt.notice || !r.done.Grounded {
				t.Fatalf("done %+v, want notice %q", r.done, tt.notice)
			}
			if strings.Join(r.tokens, "") != r.done.Text {
				t.Errorf("tokens %q do not add up to %q", r.tokens, r.done.Text)
			}
			if tt.partial != "" {
				if r.done.Text != tt.partial {
					t.Errorf("cut stream: text %q, want %q", r.done.Text, tt.partial)
				}
			} else if !strings.Contains(r.done.Text, "$65,000") {
				t.Errorf("fallback answer %q lacks the facts", r.done.Text)
			}
			if n := len(upstream.Requests()); n != tt.tries {
				t.Errorf("%d upstream requests, want %d", n, tt.tries)
			}
			if strings.Contains(fmt.Sprintf("%+v", r.done), secretKey) || strings.Contains(logs.String(), secretKey) {
				t.Errorf("the API key leaked:\n%+v\n%s", r.done, logs.String())
			}
		})
	}
}

func TestLLMSessionsAreSeparate(t *testing.T) {
	svc, upstream, _ := llmService(t, 10*time.Second)
	a, b := newSession(svc), newSession(svc)
	ask(t, a, "a", "What salary does a media specialist earn? (secret-a)")
	ask(t, b, "b", "Which tools are used?")
	reqs := upstream.Requests()
	for _, m := range reqs[1].Messages {
		if strings.Contains(m.Content, "secret-a") {
			t.Errorf("b's prompt holds a's question: %+v", m)
		}
	}
	if len(reqs[1].Messages) != 2 {
		t.Errorf("b's first prompt has %d messages, want system + question", len(reqs[1].Messages))
	}
}
