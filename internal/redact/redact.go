// Package redact removes credentials from what the bot logs and reports:
// URLs (a Redis URL's password, an LLM base URL's user info) and secrets
// (an API key an endpoint echoed in its error message). It is the one
// definition for every package that names an endpoint in a log line or an
// error.
package redact

import (
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
