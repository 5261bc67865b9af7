// Package redact removes credentials from what the bot logs and reports:
// URLs (a Redis URL's password, an LLM base URL's user info), secrets
// (an API key an endpoint echoed in its error message) and bearer ids (a
// session id, which stands for itself in logs and feedback as a keyed
// hash, IDTag). It is the one
// definition for every package that names an endpoint in a log line or an
// error.
package redact

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// URL is raw without user info, query or fragment (where credentials and
// tokens are put), so that logs and errors can say which server is meant.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// Secret is s with every occurrence of secret replaced by "[redacted]"
// (an empty secret leaves s alone).
func Secret(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}

// IDTag is what stands for a bearer id — a session id, which is all it
// takes to resume a conversation, read its history and add turns — in logs,
// feedback and anything else an operator or a log pipeline may read: the
// first 48 bits of HMAC-SHA256(key, id) in hex (12 characters). One id has
// one tag under one key, so the lines of a conversation can still be
// followed, and the tag cannot be turned back into the id, nor an id's tag
// guessed without the key. "" stays "".
func IDTag(key []byte, id string) string {
	if id == "" {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil)[:6])
}

// IDKey is the key for IDTag: the configured one, or, when configured is
// empty, 32 random bytes (a per-process key: tags then match only within
// one process's logs).
func IDKey(configured string) []byte {
	if configured != "" {
		return []byte(configured)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+)
	return key
}
