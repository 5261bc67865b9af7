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
