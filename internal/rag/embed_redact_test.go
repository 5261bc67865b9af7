package rag

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Some servers and proxies echo the request's credentials in their error
// messages; the embedder's errors (which end up in logs) must not repeat them.
func TestOpenAIEmbedderErrorsNeverEchoTheKey(t *testing.T) {
	const key = "sk-echoed-secret-123"
	for _, status := range []int{http.StatusUnauthorized, http.StatusBadGateway} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"error":{"message":"bad credentials %s","type":"x"}}`, r.Header.Get("Authorization"))
		}))
		e := NewOpenAIEmbedder(OpenAIEmbedderConfig{BaseURL: srv.URL + "/v1", APIKey: key, Model: "m"})
		_, err := e.Embed(context.Background(), []string{"hello"})
		srv.Close()
		if err == nil || strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), fmt.Sprint(status)) {
			t.Errorf("HTTP %d: error %v, want the status without the key", status, err)
		}
	}
}
