package redisstate

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/careerbot/careerbot/internal/conversation"
)

// FeedbackStream is a conversation.FeedbackSink that adds each rating to the stream
// <prefix>feedback (XADD), one field per conversation.Feedback field. When
// Redis fails, the rating goes to fallback instead (the local
// feedback.jsonl), so it is not lost.
//
// The stream is bounded by bytes, not only by count: every entry is clipped
// to conversation.MaxFeedbackEntry bytes (Feedback.Fit), and the stream is
// trimmed to about maxBytes / MaxFeedbackEntry entries, so that it holds at
// most about maxBytes of ratings whatever their size (one IP could make a
// count-capped stream of 20 KB entries 2 GB). The stream is the only key
// without a TTL; see docs/deploy.md for Redis's maxmemory policy.
type FeedbackStream struct {
	s        *Store
	maxLen   int64
	fallback conversation.FeedbackSink
}

// Feedback returns the stream sink holding about maxBytes of ratings
// (≤ 0 = conversation.DefaultFeedbackMaxBytes); fallback may be nil.
func (s *Store) Feedback(maxBytes int64, fallback conversation.FeedbackSink) *FeedbackStream {
	if maxBytes <= 0 {
		maxBytes = conversation.DefaultFeedbackMaxBytes
	}
	return &FeedbackStream{s: s, maxLen: max(maxBytes/conversation.MaxFeedbackEntry, 1), fallback: fallback}
}

// MaxLen is the stream's approximate cap in entries (XADD MAXLEN ~).
func (f *FeedbackStream) MaxLen() int64 { return f.maxLen }

// StreamKey is the stream's key, e.g. for XRANGE.
func (f *FeedbackStream) StreamKey() string { return f.s.key("feedback") }

var _ conversation.FeedbackSink = (*FeedbackStream)(nil)

// SaveFeedback implements conversation.FeedbackSink.
func (f *FeedbackStream) SaveFeedback(ctx context.Context, e conversation.Feedback) error {
	e = e.Fit()
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
