package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeEmbeddings serves POST /embeddings in the OpenAI wire format with
// deterministic, deliberately unnormalised vectors.
func fakeEmbeddings(t *testing.T, requests *atomic.Int32) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/embeddings" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		requests.Add(1)
		var req struct {
			Input []string `json:"input"`
			Model string   `json:"model"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		var data []item
		// Answer in reverse order: clients must place vectors by index.
		for i := len(req.Input) - 1; i >= 0; i-- {
			n := float32(len(req.Input[i]))
			data = append(data, item{Object: "embedding", Index: i, Embedding: []float32{n, 3, 4}})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestEmbedderBatchesAndNormalises(t *testing.T) {
	var requests atomic.Int32
	srv := fakeEmbeddings(t, &requests)
	e := NewEmbedder(EmbedderOptions{BaseURL: srv.URL + "/v1", APIKey: "sk-test", Model: "nomic-embed-text", Batch: 2})
	texts := []string{"a", "bb", "ccc", "dddd", "eeeee"}
	vecs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if got := requests.Load(); got != 3 {
		t.Errorf("%d requests for 5 texts in batches of 2, want 3", got)
	}
	for i, v := range vecs {
		var sum float64
		for _, x := range v {
			sum += float64(x) * float64(x)
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Errorf("vector %d not normalised: |v|² = %f", i, sum)
		}
		want := float32(len(texts[i])) / float32(math.Sqrt(float64(len(texts[i])*len(texts[i])+25)))
		if math.Abs(float64(v[0]-want)) > 1e-5 {
			t.Errorf("vector %d = %v: placed out of order", i, v)
		}
	}
}

func TestEmbedderErrorsNameTheEndpointNotTheKey(t *testing.T) {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}`)
	}))
	defer down.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	stop := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer hung.Close()
	defer close(stop) // runs first: lets the hung handler return so Close does not wait

	const key = "sk-secret-do-not-leak"
	for name, base := range map[string]string{"401": down.URL + "/v1", "refused": closedURL + "/v1", "hung": hung.URL + "/v1"} {
		t.Run(name, func(t *testing.T) {
			e := NewEmbedder(EmbedderOptions{BaseURL: base, APIKey: key, Model: "m", Timeout: 300 * time.Millisecond})
			_, err := e.Embed(context.Background(), []string{"hello"})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), base) {
				t.Errorf("error %q does not name the endpoint", err)
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("error leaks the key: %q", err)
			}
		})
	}
}

func TestEmbedderRefusesAnOversizedResponse(t *testing.T) {
	// One endless JSON response: the client must give up at the cap rather
	// than buffer it, and say why.
	endless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[`)
		chunk := []byte(strings.Repeat("0.125,", 1000))
		for range 500 { // ~3 MB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		fmt.Fprint(w, `1]}],"model":"m"}`)
	}))
	t.Cleanup(endless.Close)

	tests := []struct {
		name    string
		max     int64
		wantErr bool
	}{
		{"over the cap", 1 << 20, true},
		{"under the cap", 8 << 20, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEmbedder(EmbedderOptions{BaseURL: endless.URL + "/v1", Model: "m", MaxResponseBytes: tt.max, Timeout: time.Minute})
			_, err := e.Embed(context.Background(), []string{"a"})
			if got := errors.Is(err, ErrResponseTooLarge); got != tt.wantErr {
				t.Fatalf("Embed error = %v; too large: %v, want %v", err, got, tt.wantErr)
			}
			if !tt.wantErr && err != nil {
				t.Fatalf("Embed error = %v", err)
			}
		})
	}
}

// Some servers and proxies echo the request's credentials in their error
// messages; the embedder's errors (which end up in logs) must not repeat them.
func TestEmbedderErrorsNeverEchoTheKey(t *testing.T) {
	const key = "sk-echoed-secret-123"
	for _, status := range []int{http.StatusUnauthorized, http.StatusBadGateway} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"error":{"message":"bad credentials %s","type":"x"}}`, r.Header.Get("Authorization"))
		}))
		e := NewEmbedder(EmbedderOptions{BaseURL: srv.URL + "/v1", APIKey: key, Model: "m"})
		_, err := e.Embed(context.Background(), []string{"hello"})
		srv.Close()
		if err == nil || strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), fmt.Sprint(status)) {
			t.Errorf("HTTP %d: error %v, want the status without the key", status, err)
		}
	}
}
