package conversation

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoryRateLimiter(t *testing.T) {
	var now atomic.Int64
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	l := NewMemoryRateLimiter(30, clock) // 1 every 2s, bursts of 5
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if !l.Allow(ctx, "a") {
			t.Fatalf("ask %d of the burst refused", i+1)
		}
	}
	if l.Allow(ctx, "a") {
		t.Error("sixth ask in a burst allowed")
	}
	if !l.Allow(ctx, "b") {
		t.Error("another client is limited too")
	}
	now.Add(int64(2 * time.Second))
	if !l.Allow(ctx, "a") || l.Allow(ctx, "a") {
		t.Error("after 2s exactly one more ask should be allowed")
	}
	if off := NewMemoryRateLimiter(0, clock); !off.Allow(ctx, "a") {
		t.Error("0 = off")
	}
}
