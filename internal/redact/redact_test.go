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

func TestCredential(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"redis://default:hunter22@10.0.0.5:6379/0", "redis://default:[redacted]@10.0.0.5:6379/0"},
		{"https://ghp_tokenonly@llm.example/v1", "https://[redacted]@llm.example/v1"},
		{"https://llm.example/v1?api-key=q%2Bsecret&model=x", "https://llm.example/v1?api-key=[redacted]&model=x"},
		// Too malformed for url.Parse, whose error would quote it whole.
		{"redis://default:hunter22@10.0.0.5:port/0", "redis://default:[redacted]@10.0.0.5:port/0"},
		{"http://localhost:11434/v1", "http://localhost:11434/v1"},
		{"corpus", "corpus"},
	}
	for _, tt := range tests {
		if got := Credential(tt.raw); got != tt.want {
			t.Errorf("Credential(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
	if got := Secrets("q+secret and q%2Bsecret", Credentials("https://h/?token=q%2Bsecret")); got != "[redacted] and [redacted]" {
		t.Errorf("the decoded query value is not redacted: %q", got)
	}
	if got := Secrets("a: b", []string{"a", ""}); got != "a: b" {
		t.Errorf("a one-letter secret shredded the text: %q", got)
	}
}

func TestIDTag(t *testing.T) {
	id := "8c0b8a3e-5f57-4a63-9d2b-0c6f1f0e4a11"
	a, b := IDTag([]byte("k1"), id), IDTag([]byte("k2"), id)
	if len(a) != 12 || a == b || a != IDTag([]byte("k1"), id) {
		t.Errorf("tags %q (k1) and %q (k2): want 12 hex characters, stable under one key, different under another", a, b)
	}
	if a == IDTag([]byte("k1"), id[:len(id)-1]+"2") {
		t.Error("two ids got one tag")
	}
	if IDTag([]byte("k1"), "") != "" {
		t.Error("an empty id got a tag")
	}
	if k1, k2 := IDKey(""), IDKey(""); len(k1) != 32 || string(k1) == string(k2) || string(IDKey("conf")) != "conf" {
		t.Error("IDKey: want 32 random bytes per call without a configured key, the key as given with one")
	}
}
