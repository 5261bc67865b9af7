package openai_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/openai/openaitest"
)

// An operator reading the log must learn which endpoint failed and, for a
// refused key, that the key is the problem — without the log holding the key
// or credentials written into the base URL.
func TestErrorsNameTheEndpointNotTheCredentials(t *testing.T) {
	srv := openaitest.New(t)
	srv.Handle(func(w http.ResponseWriter, r *http.Request, n int) {
		openaitest.Fail(w, http.StatusUnauthorized, "Incorrect API key provided: "+r.Header.Get("Authorization"))
	})
	withUser := strings.Replace(srv.BaseURL(), "http://", "http://admin:hunter2@", 1)
	for _, base := range []string{srv.BaseURL(), withUser} {
		c := openai.NewChatClient(openai.ChatOptions{BaseURL: base, APIKey: testKey, Model: "m", Timeout: 5 * time.Second, RetryBackoff: time.Millisecond})
		_, err := c.Stream(context.Background(), question, func(string) {})
		if err == nil {
			t.Fatal("no error for a 401")
		}
		msg := err.Error()
		for _, want := range []string{srv.URL + "/v1", "refused the API key", "401", "check the API key"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q lacks %q", msg, want)
			}
		}
		for _, secret := range []string{testKey, "hunter2"} {
			if strings.Contains(msg, secret) {
				t.Errorf("error %q leaks %q", msg, secret)
			}
		}
	}

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	c := openai.NewChatClient(openai.ChatOptions{BaseURL: closed.URL + "/v1", APIKey: testKey, Model: "m", Timeout: 5 * time.Second, RetryBackoff: time.Millisecond})
	_, err := c.Stream(context.Background(), question, func(string) {})
	if err == nil || !strings.Contains(err.Error(), closed.URL+"/v1") {
		t.Errorf("connection refused: %v, want an error naming %s", err, closed.URL)
	}
}
