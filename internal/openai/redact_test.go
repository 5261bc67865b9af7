package openai

import (
	"errors"
	"strings"
	"testing"
)

func TestRedactErrorHidesTheKeyAndCapsTheMessage(t *testing.T) {
	const key = "sk-test-secret-0123456789"
	cause := errors.New("bad key " + key + " " + strings.Repeat("é", 400))
	err := redactError(cause, key, "LLM endpoint", "http://localhost:1/v1")
	got := err.Error()
	if strings.Contains(got, key) || !strings.Contains(got, "[redacted]") || !strings.HasPrefix(got, "LLM endpoint http://localhost:1/v1: ") || len(got) > maxErrorText+len("…") {
		t.Errorf("redactError = %q", got)
	}
	if !strings.HasSuffix(got, "…") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("redactError cut badly: %q", got)
	}
	if !errors.Is(err, cause) {
		t.Error("the cause is not in the chain")
	}
}

// net/http's errors quote the URL they tried, with a user-info token in
// the clear (it masks only a password).
func TestRedactErrorHidesCredentialsOfAQuotedURL(t *testing.T) {
	cause := errors.New(`Post "http://tok3nSecret77@127.0.0.1:1/v1/chat/completions?api-key=q5ecret": dial tcp 127.0.0.1:1: connect: connection refused`)
	got := redactError(cause, "", "LLM endpoint", "http://127.0.0.1:1/v1").Error()
	if strings.Contains(got, "tok3nSecret77") || strings.Contains(got, "q5ecret") || !strings.Contains(got, "127.0.0.1:1/v1/chat/completions") {
		t.Errorf("redactError = %q", got)
	}
}
