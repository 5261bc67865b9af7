package redisstate

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/careerbot/careerbot/internal/conversation"
)

// gcra is the generic cell rate algorithm (a token bucket kept as one
// timestamp, the "theoretical arrival time"): a request is allowed when, after
// adding one emission interval, the TAT is no further than burst intervals
// ahead of now. Redis's own clock is used so that replicas with skewed clocks
// agree. Times are in milliseconds; string.format keeps them exact.
//
// KEYS[1] bucket; ARGV[1] emission interval (ms); ARGV[2] burst.
var gcra = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = interval * tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0) or 0
if tat < now then tat = now end
local new_tat = tat + interval
if new_tat - now > tolerance then
  return 0
end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil(new_tat - now))
return 1
`)

// RateLimiter is a conversation.RateLimiter shared by every replica: the same
// perMinute and burst (conversation.RateBurst) as the in-memory limiter, enforced
// per client IP across the fleet. While Redis is unreachable it falls back to
// the replica's own in-memory limiter, so limits still hold (per replica).
type RateLimiter struct {
	s         *Store
	perMinute int
	interval  float64 // ms
	burst     int
	fallback  conversation.RateLimiter
}

// RateLimiter returns the shared limiter; perMinute 0 allows everything.
func (s *Store) RateLimiter(perMinute int) *RateLimiter {
	l := &RateLimiter{s: s, perMinute: perMinute, burst: conversation.RateBurst(perMinute)}
	if perMinute > 0 {
		l.interval = float64(time.Minute/time.Millisecond) / float64(perMinute)
	}
	l.fallback = conversation.NewMemoryRateLimiter(perMinute, nil)
	return l
}

var _ conversation.RateLimiter = (*RateLimiter)(nil)

// Allow implements conversation.RateLimiter.
func (l *RateLimiter) Allow(ctx context.Context, key string) bool {
	if l.perMinute <= 0 {
		return true
	}
	var allowed bool
	err := l.s.do(ctx, "rate_limit", func(ctx context.Context) error {
		n, err := gcra.Run(ctx, l.s.rdb, []string{l.s.key("rate", key)}, l.interval, l.burst).Int()
		allowed = n == 1
		return err
	})
	if err != nil {
		return l.fallback.Allow(ctx, key)
	}
	return allowed
}
