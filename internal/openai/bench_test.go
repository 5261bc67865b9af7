package openai

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/openai/openaitest"
)

// BenchmarkStream100Tokens is one streamed answer of 100 chunks shaped like
// OpenAI's (id, model, system_fingerprint, logprobs), written at once: the
// client's cost per answer of reading the SSE stream and decoding its
// chunks, without waiting for a model. docs/benchmarks.md (LLM mode).
func BenchmarkStream100Tokens(b *testing.B) {
	var body strings.Builder
	for i := range 100 {
		finish := "null"
		if i == 99 {
			finish = `"stop"`
		}
		fmt.Fprintf(&body, "data: {\"id\":\"chatcmpl-AbC123xyz\",\"object\":\"chat.completion.chunk\",\"created\":1732712345,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word%d\"},\"logprobs\":null,\"finish_reason\":%s}]}\n\n", i, finish)
	}
	body.WriteString("data: [DONE]\n\n")
	stream := body.String()
	srv := openaitest.New(b)
	srv.Handle(func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write([]byte(stream))
	})
	c := NewChatClient(ChatOptions{BaseURL: srv.BaseURL(), Model: "m"})
	msgs := []Message{{Role: RoleUser, Content: "What does a media specialist earn?"}}
	b.ReportAllocs()
	for b.Loop() {
		tokens := 0
		if _, err := c.Stream(context.Background(), msgs, func(string) { tokens++ }); err != nil || tokens != 100 {
			b.Fatalf("%d tokens, err %v", tokens, err)
		}
	}
}
