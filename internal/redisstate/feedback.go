package redisstate

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/careerbot/careerbot/internal/conversation"
)

// FeedbackStream is a conversation.FeedbackSink that adds each rating to the stream
// <prefix>feedback (XADD, trimmed to about maxLen entries), one field per
// conversation.Feedback field. When Redis fails, the rating goes to fallback instead
// (the local feedback.jsonl), so it is not lost.
type FeedbackStream struct {
	s        *Store
	maxLen   int64
	fallback conversation.FeedbackSink
}

// DefaultFeedbackMaxLen caps the stream: old ratings are trimmed once it is
// about this long.
const DefaultFeedbackMaxLen = 100_000

// Feedback returns the stream sink; maxLen ≤ 0 means DefaultFeedbackMaxLen;
// fallback may be nil.
func (s *Store) Feedback(maxLen int64, fallback conversation.FeedbackSink) *FeedbackStream {
	if maxLen <= 0 {
		maxLen = DefaultFeedbackMaxLen
	}
	return &FeedbackStream{s: s, maxLen: maxLen, fallback: fallback}
}

// StreamKey is the stream's key, e.g. for XRANGE.
func (f *FeedbackStream) StreamKey() string { return f.s.key("feedback") }

var _ conversation.FeedbackSink = (*FeedbackStream)(nil)

// SaveFeedback implements conversation.FeedbackSink.
func (f *FeedbackStream) SaveFeedback(ctx context.Context, e conversation.Feedback) error {
	values := []any{
		"time", e.Time.UTC().Format(time.RFC3339Nano),
		"session", e.Session,
		"id", e.ID,
		"rating", e.Rating,
		"comment", e.Comment,
		"question", e.Question,
		"answer", e.Answer,
	}
	err := f.s.do(ctx, "feedback", func(ctx context.Context) error {
		return f.s.rdb.XAdd(ctx, &redis.XAddArgs{Stream: f.StreamKey(), MaxLen: f.maxLen, Approx: true, Values: values}).Err()
	})
	if err != nil && f.fallback != nil {
		return f.fallback.SaveFeedback(ctx, e)
	}
	return err
}
