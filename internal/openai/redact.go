package openai

import (
	"errors"
	"fmt"
	"net/http"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/careerbot/careerbot/internal/redact"
)

// redactError is err as the adapters report it: the message names the
// endpoint (what, e.g. "LLM endpoint", and its base URL without
// credentials), never the API key nor a credential of a URL it quotes, and
// is shortened, since go-openai puts whole error bodies into messages and a
// server or proxy may echo the request's credentials in them. For 401 and
// 403 it says plainly that the key was refused, so that the operator's log
// line is enough to fix it. err stays in the chain for errors.Is/As.
func redactError(err error, key, what, endpoint string) error {
	if err == nil {
		return nil
	}
	msg := what + " " + endpoint + ": " + err.Error()
	if code := StatusCode(err); code == http.StatusUnauthorized || code == http.StatusForbidden {
		msg = fmt.Sprintf("%s %s refused the API key (HTTP %d): check the API key and the base URL: %s", what, endpoint, code, err.Error())
	}
	// net/http quotes the URL it tried ("Post \"https://TOKEN@host/…\""),
	// masking a password but not a token given as user info: every
	// credential of a URL in the message goes too.
	return &redactedError{msg: clipForLog(redact.Credential(redact.Secret(msg, key))), cause: err}
}

type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }

// maxErrorText bounds an error message, in bytes.
const maxErrorText = 300

// clipForLog caps s at maxErrorText bytes without splitting a UTF-8
// sequence.
func clipForLog(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	cut := maxErrorText
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// StatusCode is the HTTP status of an upstream error, or 0.
func StatusCode(err error) int {
	var apiErr *goopenai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *goopenai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}
