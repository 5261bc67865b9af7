package chat

import (
	"context"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/rag"
)

// TestOfflineAnswersWithTheRealIndex runs the offline chat over a real
// websocket against the index built from corpus/, as `bot serve` does.
func TestOfflineAnswersWithTheRealIndex(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	idx, err := rag.Open(ctx, rag.Options{CorpusDir: "../../corpus", DataDir: t.TempDir(), TopK: 4, MinScore: rag.DefaultMinScore})
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Config{}, conversation.Config{}, conversation.Deps{Index: idx})

	t.Run("ready", func(t *testing.T) {
		c := ts.dial(t, "")
		if len(c.ready.Suggestions) == 0 || !strings.Contains(c.ready.Greeting, "Media Specialist") {
			t.Errorf("ready %s", c.ready.raw)
		}
	})
	t.Run("facts present", func(t *testing.T) {
		c := ts.dial(t, "")
		r := c.answer("1", "What is the median salary of a media specialist?")
		if !r.done.Grounded || !strings.Contains(r.done.Text, "65,000") || len(r.sources.Sources) == 0 {
			t.Errorf("salary answer: %s", r.done.raw)
		}
		if len(r.tokens) < 1 || len(r.tokens) > 2 || strings.Join(r.tokens, "") != r.done.Text {
			t.Errorf("streamed as %d tokens: %q", len(r.tokens), r.tokens)
		}
		if n := len(r.done.Suggestions); n < 2 || n > 3 {
			t.Errorf("%d follow-up suggestions: %q", n, r.done.Suggestions)
		}
		r = c.answer("2", "Which software tools does a media specialist use?")
		if !r.done.Grounded || !strings.Contains(r.done.Text, "Adobe") {
			t.Errorf("tools answer: %s", r.done.raw)
		}
	})
	t.Run("off-topic declines", func(t *testing.T) {
		c := ts.dial(t, "")
		r := c.answer("1", "How do I bake sourdough bread?")
		if r.done.Grounded || len(r.sources.Sources) != 0 || !strings.Contains(r.done.Text, "Media Specialist") {
			t.Errorf("off-topic: %s", r.done.raw)
		}
	})
	t.Run("follow-up resolved", func(t *testing.T) {
		c := ts.dial(t, "")
		c.answer("1", "What tools does a media specialist use?")
		r := c.answer("2", "And which of those are for audio?")
		if !r.done.Grounded || !strings.Contains(r.done.Text, "Audacity") {
			t.Errorf("follow-up: %s", r.done.raw)
		}
	})
}
