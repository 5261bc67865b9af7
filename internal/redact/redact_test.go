package redact

import "testing"

func TestURL(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"redis://:hunter2@cache:6379/0", "redis://cache:6379/0"},
		{"redis://user:hunter2@cache:6379/2?password=x#frag", "redis://cache:6379/2"},
		{"http://admin:secret@localhost:11434/v1", "http://localhost:11434/v1"},
		{"https://api.openai.com/v1", "https://api.openai.com/v1"},
		{"http://[::1:bad", "(unparsable URL)"},
	}
	for _, tt := range tests {
		if got := URL(tt.raw); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestSecret(t *testing.T) {
	if got := Secret("key sk-1 and sk-1 again", "sk-1"); got != "key [redacted] and [redacted] again" {
		t.Errorf("Secret = %q", got)
	}
	if got := Secret("nothing to hide", ""); got != "nothing to hide" {
		t.Errorf("an empty secret changed the text: %q", got)
	}
}
