package main

import (
	"strings"

	"github.com/careerbot/careerbot/internal/redact"
)

// Secrets among the settings: the API key, and whatever credentials an
// operator puts in a URL (BOT_REDIS_URL's password, user info or a key in
// the query of OPENAI_BASE_URL). They are never printed: not by -h, not in
// a config error, not by /debug/pprof/cmdline. What a credential is, and
// how it is taken out, is internal/redact's (the one definition).

// secretSettings are printed as "(set)" whatever their value.
var secretSettings = map[string]bool{"OPENAI_API_KEY": true, "BOT_SESSION_LOG_KEY": true}

// redactSetting is the value of setting env as it may be shown.
func redactSetting(env, v string) string {
	if v == "" {
		return v
	}
	if secretSettings[env] {
		return "(set)"
	}
	return redact.Credential(v)
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
		out = append(out, redact.Credentials(v)...)
	}
	clean := redactArgs(args)
	for i, a := range args {
		out = append(out, redact.Credentials(a)...)
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
	clean := redact.Secrets(msg, secrets)
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
		out[i] = redact.Credential(a)
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
