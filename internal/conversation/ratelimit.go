package conversation

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// MemoryRateLimiter is a token bucket per key (golang.org/x/time/rate): perMinute
// asks a minute on average, with bursts of up to a sixth of a minute's worth
// (at least 1, at most 10) so that a flood is cut off quickly while a person
// asking a few quick follow-ups is not.
type MemoryRateLimiter struct {
	perMinute int
	burst     int
	now       func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewMemoryRateLimiter returns a limiter; perMinute 0 allows everything.
func NewMemoryRateLimiter(perMinute int, now func() time.Time) *MemoryRateLimiter {
	if now == nil {
		now = time.Now
	}
	return &MemoryRateLimiter{perMinute: perMinute, burst: RateBurst(perMinute), now: now, buckets: map[string]*bucket{}}
}

// RateBurst is how many asks a client may make at once under a limit of
// perMinute: a sixth of a minute's worth, at least 1, at most 10. Shared
// limiters (Redis) use the same figure so that limits do not change when a
// deployment grows from one replica to several.
func RateBurst(perMinute int) int { return min(max(perMinute/6, 1), 10) }

// Allow implements RateLimiter.
func (l *MemoryRateLimiter) Allow(_ context.Context, key string) bool {
	if l.perMinute <= 0 {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	// Buckets idle for long enough to be full again carry no information:
	// drop them now and then so the map does not grow without bound.
	idle := time.Duration(l.burst) * time.Minute / time.Duration(l.perMinute)
	if now.Sub(l.lastSweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > idle {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}
