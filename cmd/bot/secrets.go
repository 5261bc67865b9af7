package main

import (
	"net/url"
	"strings"
)

// Secrets among the settings: the API key, and whatever credentials an
// operator puts in a URL (BOT_REDIS_URL's password, user info or a key in
// the query of OPENAI_BASE_URL). They are never printed: not by -h, not in
// a config error, not by /debug/pprof/cmdline.

// secretSettings are printed as "(set)" whatever their value.
var secretSettings = map[string]bool{"OPENAI_API_KEY": true, "BOT_SESSION_LOG_KEY": true}

const redacted = "[redacted]"

// redactSetting is the value of setting env as it may be shown.
func redactSetting(env, v string) string {
	if v == "" {
		return v
	}
	if secretSettings[env] {
		return "(set)"
	}
	return redactText(v, credentialsIn(v))
}

// credentialsIn returns the secret parts of a URL-like value: the password
// of its user info (the whole user info when it has no password, as in
// https://TOKEN@host), and the values of query parameters whose names say
// key, token, secret, password or signature. It reads the text itself, so
// that a URL too malformed for url.Parse — whose error quotes it whole —
// is covered too.
func credentialsIn(v string) []string {
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

func secretName(name string) bool {
	name = strings.ToLower(name)
	for _, w := range []string{"key", "token", "secret", "password", "passwd", "sig", "auth"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// redactText replaces every secret in s.
func redactText(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 3 { // a one- or two-letter "secret" would shred the text
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// secretsOf lists the secret values a run was given: those of the
// settings in the environment (and .env) and those on the command line.
func secretsOf(getenv func(string) string, args []string) []string {
	var out []string
	for _, s := range allSettings() {
		v := getenv(s.env)
		if v == "" {
			continue
		}
		if secretSettings[s.env] {
			out = append(out, v, strings.TrimSpace(v))
			continue
		}
		out = append(out, credentialsIn(v)...)
	}
	clean := redactArgs(args)
	for i, a := range args {
		out = append(out, credentialsIn(a)...)
		if clean[i] == a || !strings.HasSuffix(clean[i], "(set)") {
			continue
		}
		if name, val, ok := strings.Cut(a, "="); ok && strings.HasPrefix(name, "-") {
			a = val // -openai-api-key=…
		}
		out = append(out, a, strings.TrimSpace(a))
	}
	return out
}

// redactErr returns err with every secret taken out of its message
// (errors.Is and As still see the original through Unwrap).
func redactErr(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := redactText(msg, secrets)
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactArgs is a command line with the values of secret flags and any
// credentials in URLs replaced: what /debug/pprof/cmdline shows.
func redactArgs(args []string) []string {
	byFlag := map[string]string{}
	for _, s := range allSettings() {
		byFlag[s.flagName()] = s.env
	}
	out := make([]string, len(args))
	pendingEnv := ""
	for i, a := range args {
		if pendingEnv != "" {
			out[i] = redactSetting(pendingEnv, a)
			pendingEnv = ""
			continue
		}
		out[i] = redactText(a, credentialsIn(a))
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		env, ok := byFlag[name]
		if !ok {
			continue
		}
		if hasVal {
			out[i] = a[:len(a)-len(val)] + redactSetting(env, val)
		} else {
			pendingEnv = env
		}
	}
	return out
}
