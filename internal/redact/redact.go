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

// Marker replaces a secret in text that is shown.
const Marker = "[redacted]"

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

// Secret is s with every occurrence of secret replaced by Marker (an empty
// secret leaves s alone).
func Secret(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, Marker)
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

// Secrets is s with every occurrence of each secret replaced by Marker.
// Secrets shorter than 3 bytes are left alone: a one- or two-letter
// "password" would shred the text and hide nothing.
func Secrets(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 3 {
			s = strings.ReplaceAll(s, sec, Marker)
		}
	}
	return s
}

// Credentials returns the secret parts of every URL in v: the password of
// its user info (the whole user info when it has no password, as in
// https://TOKEN@host), and the values of query parameters whose names say
// key, token, secret, password, signature or auth (also URL-decoded). It
// reads the text itself rather than parsing it, so that a URL too
// malformed for url.Parse — whose error quotes it whole — is covered too.
func Credentials(v string) []string {
	var out []string
	for rest := v; ; {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		rest = rest[i+3:]
		authority := rest
		if j := strings.IndexAny(authority, "/?#"); j >= 0 {
			authority = authority[:j]
		}
		if at := strings.LastIndex(authority, "@"); at > 0 {
			userinfo := authority[:at]
			if _, pw, ok := strings.Cut(userinfo, ":"); ok {
				if pw != "" {
					out = append(out, pw)
				}
			} else {
				out = append(out, userinfo)
			}
		}
	}
	if q := strings.IndexByte(v, '?'); q >= 0 {
		for _, kv := range strings.FieldsFunc(v[q+1:], func(r rune) bool { return r == '&' || r == ';' || r == '#' }) {
			name, val, ok := strings.Cut(kv, "=")
			if ok && val != "" && secretName(name) {
				out = append(out, val)
				if dec, err := url.QueryUnescape(val); err == nil && dec != val {
					out = append(out, dec)
				}
			}
		}
	}
	return out
}

// secretName reports whether a query parameter's name says its value is a
// credential.
func secretName(name string) bool {
	name = strings.ToLower(name)
	for _, w := range []string{"key", "token", "secret", "password", "passwd", "sig", "auth"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// Credential is v with its Credentials replaced by Marker: a URL setting
// as it may be shown (the host and path stay, to say which server).
func Credential(v string) string { return Secrets(v, Credentials(v)) }
