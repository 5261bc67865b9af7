// Package redisstate keeps the chat's shared state in Redis, so that several
// replicas behind a load balancer act as one bot: conversations (a visitor
// whose websocket reconnects to another replica keeps the conversation),
// per-IP ask limits, and the feedback stream.
//
// Redis is optional and never on the answer's critical path: every call has a
// short deadline, and after a failure the store stops calling Redis for a
// moment (answers go on without history, limits fall back to the replica's
// own, feedback to the local file) and tries again after that; sessions
// resume as soon as Redis answers again.
package redisstate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/careerbot/careerbot/internal/redact"
)

// ErrUnavailable is returned, without calling Redis, while Redis is
// considered down (for Options.Cooldown after a failed call).
var ErrUnavailable = errors.New("redis unavailable")

// Options configure a Store. Only URL is required.
type Options struct {
	// URL is redis://[user:password@]host:port[/db] or rediss:// for TLS.
	URL string
	// Prefix starts every key, so that several deployments (or other
	// applications) can share one Redis. Default "careerbot:".
	Prefix string
	// Timeout bounds every Redis call, connecting included. Default 1s.
	Timeout time.Duration
	// Cooldown is how long Redis is left alone after a failed call. Default 1s.
	Cooldown time.Duration
	// OnError is called once per failed operation (op is session_load,
	// session_append, session_reset, rate_limit or feedback), including the
	// ones skipped while Redis is down. For the error metric.
	OnError func(op string)
	// OnState is called with true once Open succeeds, then on every change:
	// false when a call fails, true when Redis answers again.
	OnState func(up bool)
	Logger  *slog.Logger
}

// Store is a connection pool to Redis plus the up/down state shared by the
// sessions, the limiter and the feedback stream made from it.
type Store struct {
	rdb      *redis.Client
	prefix   string
	timeout  time.Duration
	cooldown time.Duration
	onError  func(op string)
	onState  func(up bool)
	log      *slog.Logger
	addr     string // for logs, without credentials

	mu        sync.Mutex
	down      bool
	downUntil time.Time
}

// Open connects to Redis and checks that it answers. An unreachable Redis is
// an error: a replica configured for shared state must not silently run
// without it.
func Open(ctx context.Context, o Options) (*Store, error) {
	opt, err := redis.ParseURL(o.URL)
	if err != nil {
		return nil, fmt.Errorf("redis URL: %w", err)
	}
	if o.Prefix == "" {
		o.Prefix = "careerbot:"
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.Cooldown <= 0 {
		o.Cooldown = time.Second
	}
	if o.OnError == nil {
		o.OnError = func(string) {}
	}
	if o.OnState == nil {
		o.OnState = func(bool) {}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	// Bounded everything: a dead or black-holed Redis costs at most a
	// Timeout per call, never a hang. One retry covers a pooled connection
	// that went stale when Redis restarted.
	opt.DialTimeout = o.Timeout
	opt.ReadTimeout = o.Timeout
	opt.WriteTimeout = o.Timeout
	opt.PoolTimeout = o.Timeout
	opt.ContextTimeoutEnabled = true
	opt.MaxRetries = 1
	opt.DialerRetries = 1
	opt.MinRetryBackoff = 10 * time.Millisecond
	opt.MaxRetryBackoff = 100 * time.Millisecond
	opt.DisableIdentity = true
	routeLibraryLogs(o.Logger)
	s := &Store{
		rdb:      redis.NewClient(opt),
		prefix:   o.Prefix,
		timeout:  o.Timeout,
		cooldown: o.Cooldown,
		onError:  o.OnError,
		onState:  o.OnState,
		log:      o.Logger,
		addr:     redact.URL(o.URL),
	}
	pctx, cancel := context.WithTimeout(ctx, max(o.Timeout, 5*time.Second))
	defer cancel()
	if err := s.rdb.Ping(pctx).Err(); err != nil {
		s.rdb.Close()
		return nil, fmt.Errorf("redis at %s does not answer (%w); start it, fix the URL, or go without Redis to keep state in memory", s.addr, err)
	}
	s.onState(true)
	return s, nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.rdb.Close() }

// Addr is the Redis URL without credentials, for logs.
func (s *Store) Addr() string { return s.addr }

// do runs one Redis operation with the store's deadline, skipping it while
// Redis is considered down, and tracks up/down transitions.
func (s *Store) do(ctx context.Context, op string, f func(ctx context.Context) error) error {
	if s.skipping() {
		s.onError(op)
		return fmt.Errorf("redis %s: %w", op, ErrUnavailable)
	}
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	err := f(cctx)
	switch {
	case err == nil || errors.Is(err, redis.Nil):
		s.up()
		return nil
	case ctx.Err() != nil:
		return ctx.Err() // the caller gave up (client gone, answer cancelled): not Redis's fault
	}
	s.onError(op)
	s.failed(op, err)
	return fmt.Errorf("redis %s: %w", op, err)
}

func (s *Store) skipping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.down && time.Now().Before(s.downUntil)
}

func (s *Store) failed(op string, err error) {
	s.mu.Lock()
	was := s.down
	s.down = true
	s.downUntil = time.Now().Add(s.cooldown)
	s.mu.Unlock()
	if !was {
		s.onState(false)
		s.log.Warn("redis unavailable: answering without conversation history, rate limits per replica, feedback to the local file",
			"redis", s.addr, "op", op, "err", err)
	}
}

func (s *Store) up() {
	s.mu.Lock()
	was := s.down
	s.down = false
	s.mu.Unlock()
	if was {
		s.onState(true)
		s.log.Info("redis is back: sessions and limits are shared again", "redis", s.addr)
	}
}

func (s *Store) key(parts ...string) string {
	k := s.prefix
	for i, p := range parts {
		if i > 0 {
			k += ":"
		}
		k += p
	}
	return k
}

// go-redis logs through a process-wide logger (a log.Logger on stderr by
// default): every failed dial while Redis is down would print a line outside
// the structured log. Its messages go to the latest Open's slog logger at
// debug instead; the store reports what an operator needs (down, back) itself.
var (
	libraryLogger   atomic.Pointer[slog.Logger]
	libraryLogsOnce sync.Once
)

type libraryLog struct{}

func (libraryLog) Printf(ctx context.Context, format string, v ...any) {
	if l := libraryLogger.Load(); l != nil {
		l.Debug("go-redis: " + fmt.Sprintf(format, v...))
	}
}

func routeLibraryLogs(l *slog.Logger) {
	libraryLogger.Store(l)
	libraryLogsOnce.Do(func() { redis.SetLogger(libraryLog{}) })
}
