package redisstate_test

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/redisstate"
	"github.com/careerbot/careerbot/internal/redisstate/redistest"
	"github.com/careerbot/careerbot/internal/testutil"
)

// hangGuard only catches hangs; nothing here measures speed.
const hangGuard = 20 * time.Second

func open(t *testing.T, url, prefix string, o redisstate.Options) *redisstate.Store {
	t.Helper()
	o.URL, o.Prefix = url, prefix
	s, err := redisstate.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func turn(i int) conversation.Turn {
	return conversation.Turn{Question: fmt.Sprintf("q%d", i), Standalone: fmt.Sprintf("s%d", i), Answer: fmt.Sprintf("a%d", i), Grounded: true, At: time.Unix(int64(i), 0).UTC(),
		Guide: "g", Suggestions: []string{fmt.Sprintf("f%d", i), "f"}}
}

func TestSessionsKeepTheNewestTurnsUnderThePrefixWithAnIdleTTL(t *testing.T) {
	url := redistest.URL(t)
	prefix := redistest.Prefix(t, url)
	ctx := context.Background()
	ss := open(t, url, prefix, redisstate.Options{}).Sessions(time.Hour, 3)
	rdb := redistest.Client(t, url)

	if _, ok, err := ss.Load(ctx, "nobody"); ok || err != nil {
		t.Fatalf("unknown session: ok=%v err=%v", ok, err)
	}
	for i := 1; i <= 5; i++ {
		if err := ss.Append(ctx, "s1", turn(i)); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := ss.Load(ctx, "s1")
	if err != nil || !ok {
		t.Fatalf("Load: ok=%v err=%v", ok, err)
	}
	var qs []string
	for _, tu := range got {
		qs = append(qs, tu.Question)
	}
	if strings.Join(qs, ",") != "q3,q4,q5" || !reflect.DeepEqual(got[2], turn(5)) {
		t.Errorf("turns %v (%+v), want the newest three, oldest first", qs, got[2])
	}

	key := prefix + "session:s1"
	if ttl := rdb.PTTL(ctx, key).Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("TTL %v, want ≤ 1h", ttl)
	}
	// Using the session restarts the idle clock.
	rdb.PExpire(ctx, key, 5*time.Second)
	if _, _, err := ss.Load(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, key).Val(); ttl <= 5*time.Second {
		t.Errorf("TTL after Load %v: not refreshed", ttl)
	}
	rdb.PExpire(ctx, key, 5*time.Second)
	if err := ss.Append(ctx, "s1", turn(6)); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, key).Val(); ttl <= 5*time.Second {
		t.Errorf("TTL after Append %v: not refreshed", ttl)
	}

	if err := ss.Reset(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := ss.Load(ctx, "s1"); ok {
		t.Error("session still there after Reset")
	}
	// Another prefix is another deployment: it does not see the session.
	if err := ss.Append(ctx, "s2", turn(1)); err != nil {
		t.Fatal(err)
	}
	other := open(t, url, redistest.Prefix(t, url), redisstate.Options{}).Sessions(time.Hour, 3)
	if _, ok, _ := other.Load(ctx, "s2"); ok {
		t.Error("a store with another prefix sees the session")
	}
}

func TestSessionsExpireWhenIdle(t *testing.T) {
	url := redistest.URL(t)
	prefix := redistest.Prefix(t, url)
	ctx := context.Background()
	ss := open(t, url, prefix, redisstate.Options{}).Sessions(50*time.Millisecond, 3)
	if err := ss.Append(ctx, "s", turn(1)); err != nil {
		t.Fatal(err)
	}
	// Polled with EXISTS: a Load would restart the idle clock.
	rdb := redistest.Client(t, url)
	for deadline := time.Now().Add(hangGuard); rdb.Exists(ctx, prefix+"session:s").Val() == 1; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("session never expired")
		}
	}
	if _, ok, _ := ss.Load(ctx, "s"); ok {
		t.Error("expired session loaded")
	}
}

// Two replicas appending to one session at once never leave it over the cap.
func TestConcurrentAppendsFromTwoReplicasStayCapped(t *testing.T) {
	url := redistest.URL(t)
	prefix := redistest.Prefix(t, url)
	ctx := context.Background()
	a := open(t, url, prefix, redisstate.Options{}).Sessions(time.Hour, 5)
	b := open(t, url, prefix, redisstate.Options{}).Sessions(time.Hour, 5)
	var wg sync.WaitGroup
	for i := range 40 {
		ss := a
		if i%2 == 1 {
			ss = b
		}
		wg.Go(func() {
			if err := ss.Append(ctx, "shared", turn(i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := redistest.Client(t, url).LLen(ctx, prefix+"session:shared").Val(); n != 5 {
		t.Errorf("%d turns kept, want 5", n)
	}
}

func TestRateLimitIsSharedByReplicas(t *testing.T) {
	url := redistest.URL(t)
	prefix := redistest.Prefix(t, url)
	ctx := context.Background()
	// 12 a minute: a burst of 2 (conversation.RateBurst), then one every 5 s.
	a := open(t, url, prefix, redisstate.Options{}).RateLimiter(12)
	b := open(t, url, prefix, redisstate.Options{}).RateLimiter(12)
	got := []bool{a.Allow(ctx, "198.51.100.1"), b.Allow(ctx, "198.51.100.1"), a.Allow(ctx, "198.51.100.1"), b.Allow(ctx, "198.51.100.1")}
	if fmt.Sprint(got) != "[true true false false]" {
		t.Errorf("allowed %v, want a burst of 2 across both replicas", got)
	}
	if !b.Allow(ctx, "198.51.100.2") {
		t.Error("another IP was limited")
	}
	if ttl := redistest.Client(t, url).PTTL(ctx, prefix+"rate:198.51.100.1").Val(); ttl <= 0 || ttl > 10*time.Second {
		t.Errorf("bucket TTL %v: want it to expire once full again (≤ 10s)", ttl)
	}
	off := open(t, url, prefix, redisstate.Options{}).RateLimiter(0)
	for range 20 {
		if !off.Allow(ctx, "198.51.100.1") {
			t.Fatal("limit 0 refused an ask")
		}
	}
}

type memFeedback struct {
	mu  sync.Mutex
	got []conversation.Feedback
}

func (m *memFeedback) SaveFeedback(_ context.Context, f conversation.Feedback) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.got = append(m.got, f)
	return nil
}

// The stream is bounded in bytes, not only in entries (issue 14, defect 4:
// 20 KB entries made MAXLEN ~100000 some 2 GB): every entry is clipped to
// MaxFeedbackEntry and the stream trimmed to its byte budget, so however
// big the ratings, Redis holds about the budget — and so cannot be pushed
// by feedback to evict sessions and limits.
func TestFeedbackStreamIsBoundedInBytes(t *testing.T) {
	url := redistest.URL(t)
	prefix := redistest.Prefix(t, url)
	ctx := context.Background()
	const budget = 256 << 10
	fs := open(t, url, prefix, redisstate.Options{}).Feedback(budget, nil)
	huge := conversation.Feedback{Time: time.Now(), Session: "0123456789ab", ID: strings.Repeat("i", 128), Rating: "up",
		Comment: strings.Repeat("𝄞", 2000), Question: strings.Repeat("q", 1000), Answer: strings.Repeat("answer ", 3000)}
	for range 500 {
		if err := fs.SaveFeedback(ctx, huge); err != nil {
			t.Fatal(err)
		}
	}
	rdb := redistest.Client(t, url)
	for _, m := range rdb.XRange(ctx, fs.StreamKey(), "-", "+").Val() {
		size := 0
		for k, v := range m.Values {
			size += len(k) + len(fmt.Sprint(v))
		}
		if size > conversation.MaxFeedbackEntry {
			t.Fatalf("a stream entry of %d bytes, over %d", size, conversation.MaxFeedbackEntry)
		}
	}
	used, err := rdb.MemoryUsage(ctx, fs.StreamKey()).Result()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d entries, %d bytes in Redis (budget %d)", rdb.XLen(ctx, fs.StreamKey()).Val(), used, budget)
	if used > budget*3/2 {
		t.Errorf("the stream takes %d bytes of Redis, over its budget %d (+50%%)", used, budget)
	}
	if ttl := rdb.PTTL(ctx, fs.StreamKey()).Val(); ttl != -1 {
		t.Errorf("stream TTL %v: the feedback is kept until trimmed", ttl)
	}
}

func TestFeedbackGoesToACappedStream(t *testing.T) {
	url := redistest.URL(t)
	prefix := redistest.Prefix(t, url)
	ctx := context.Background()
	fallback := &memFeedback{}
	fs := open(t, url, prefix, redisstate.Options{}).Feedback(10*conversation.MaxFeedbackEntry, fallback)
	f := conversation.Feedback{Time: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), Session: "s", ID: "1", Rating: "down", Comment: "too vague", Question: "pay?", Answer: "$65,000"}
	if err := fs.SaveFeedback(ctx, f); err != nil {
		t.Fatal(err)
	}
	rdb := redistest.Client(t, url)
	msgs := rdb.XRange(ctx, fs.StreamKey(), "-", "+").Val()
	if len(msgs) != 1 {
		t.Fatalf("stream has %d entries", len(msgs))
	}
	want := map[string]any{"time": "2026-11-27T10:00:00Z", "session": "s", "id": "1", "rating": "down", "comment": "too vague", "question": "pay?", "answer": "$65,000"}
	if fmt.Sprint(msgs[0].Values) != fmt.Sprint(want) {
		t.Errorf("entry %v, want %v", msgs[0].Values, want)
	}
	for range 400 {
		if err := fs.SaveFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	// MAXLEN ~ trims whole internal nodes, so the length is near, not at, the cap.
	if n := rdb.XLen(ctx, fs.StreamKey()).Val(); n >= 400 {
		t.Errorf("stream length %d: not trimmed", n)
	}
	if len(fallback.got) != 0 {
		t.Errorf("fallback used while Redis is up: %v", fallback.got)
	}
}

func TestOpenFailsClearlyWhenRedisIsDown(t *testing.T) {
	_, err := redisstate.Open(context.Background(), redisstate.Options{URL: "redis://:secret@127.0.0.1:1/0", Timeout: 200 * time.Millisecond})
	if err == nil {
		t.Fatal("Open succeeded without a Redis")
	}
	if msg := err.Error(); !strings.Contains(msg, "redis://127.0.0.1:1/0 does not answer") || !strings.Contains(msg, "fix the URL") || strings.Contains(msg, "secret") {
		t.Errorf("error %q: want the address (without the password) and what to do", msg)
	}
	if _, err := redisstate.Open(context.Background(), redisstate.Options{URL: "http://example.com"}); err == nil || !strings.Contains(err.Error(), "redis URL") {
		t.Errorf("bad URL: %v", err)
	}
}

// Redis dies while serving: every call fails within its timeout (no hang),
// is counted, limits and feedback fall back to the replica, and everything
// works again once Redis is back.
func TestRedisGoesDownAndComesBack(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	var errs atomic.Int64
	var states []bool
	var mu sync.Mutex
	logs := &testutil.Buffer{}
	store := open(t, srv.URL, "careerbot:", redisstate.Options{
		Timeout: 300 * time.Millisecond, Cooldown: 100 * time.Millisecond,
		OnError: func(string) { errs.Add(1) },
		OnState: func(up bool) { mu.Lock(); states = append(states, up); mu.Unlock() },
		Logger:  slog.New(slog.NewTextHandler(logs, nil)),
	})
	ss := store.Sessions(time.Hour, 5)
	lim := store.RateLimiter(6) // burst 1
	fallback := &memFeedback{}
	fb := store.Feedback(0, fallback)
	if err := ss.Append(ctx, "s", turn(1)); err != nil {
		t.Fatal(err)
	}

	srv.Kill()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, _, err := ss.Load(ctx, "s"); err == nil {
			t.Error("Load succeeded with Redis down")
		}
		if err := ss.Append(ctx, "s", turn(2)); err == nil {
			t.Error("Append succeeded with Redis down")
		}
		// The replica's own limiter takes over: still a burst of 1.
		if !lim.Allow(ctx, "198.51.100.9") || lim.Allow(ctx, "198.51.100.9") {
			t.Error("fallback limiter: want one ask allowed, then refused")
		}
		if err := fb.SaveFeedback(ctx, conversation.Feedback{ID: "x", Rating: "up"}); err != nil || len(fallback.got) != 1 {
			t.Errorf("feedback with Redis down: err=%v, fallback got %d", err, len(fallback.got))
		}
	}()
	select {
	case <-done:
	case <-time.After(hangGuard):
		t.Fatal("calls hung with Redis down")
	}
	if errs.Load() < 4 {
		t.Errorf("%d errors reported, want one per failed call", errs.Load())
	}
	if !strings.Contains(logs.String(), "redis unavailable") {
		t.Errorf("no warning logged:\n%s", logs)
	}

	srv.Restart()
	for deadline := time.Now().Add(hangGuard); ; time.Sleep(50 * time.Millisecond) {
		if err := ss.Append(ctx, "s2", turn(3)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("sessions never resumed after Redis came back")
		}
	}
	if got, ok, err := ss.Load(ctx, "s2"); err != nil || !ok || len(got) != 1 {
		t.Errorf("after restart: %v %v %v", got, ok, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(states) != "[true false true]" {
		t.Errorf("states %v, want up, down, up", states)
	}
	if !strings.Contains(logs.String(), "redis is back") {
		t.Errorf("no recovery logged:\n%s", logs)
	}
}

// A Redis that stops answering without closing connections (frozen, or a
// black-holed network) costs each call at most its timeout: no hang.
func TestAFrozenRedisCostsATimeoutNotAHang(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	var errs atomic.Int64
	store := open(t, srv.URL, "careerbot:", redisstate.Options{
		Timeout: 200 * time.Millisecond, Cooldown: 100 * time.Millisecond,
		OnError: func(string) { errs.Add(1) },
	})
	ss := store.Sessions(time.Hour, 5)
	if err := ss.Append(ctx, "s", turn(1)); err != nil {
		t.Fatal(err)
	}
	srv.Pause()
	defer srv.Resume()
	done := make(chan error, 1)
	go func() {
		_, _, err := ss.Load(ctx, "s")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Load succeeded against a frozen Redis")
		}
	case <-time.After(hangGuard):
		t.Fatal("Load hung on a frozen Redis")
	}
	if errs.Load() == 0 {
		t.Error("the timeout was not counted as an error")
	}
	srv.Resume()
	for deadline := time.Now().Add(hangGuard); ; time.Sleep(50 * time.Millisecond) {
		if got, ok, err := ss.Load(ctx, "s"); err == nil && ok && len(got) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the session did not come back after Redis resumed")
		}
	}
}
