package redisstate

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/careerbot/careerbot/internal/conversation"
)

// Sessions is a conversation.SessionStore in Redis: one list per session
// (<prefix>session:<id>) of JSON turns, oldest first, that expires after the
// idle TTL; every Load and Append restarts the clock.
type Sessions struct {
	s        *Store
	ttl      time.Duration
	maxTurns int
}

// Sessions returns the session store; ttl and maxTurns as in conversation.Config.
func (s *Store) Sessions(ttl time.Duration, maxTurns int) *Sessions {
	if ttl <= 0 {
		ttl = conversation.DefaultSessionTTL
	}
	if maxTurns <= 0 {
		maxTurns = conversation.DefaultMaxTurns
	}
	return &Sessions{s: s, ttl: ttl, maxTurns: maxTurns}
}

var _ conversation.SessionStore = (*Sessions)(nil)

// Load implements conversation.SessionStore.
func (ss *Sessions) Load(ctx context.Context, id string) ([]conversation.Turn, bool, error) {
	key := ss.s.key("session", id)
	var raw []string
	err := ss.s.do(ctx, "session_load", func(ctx context.Context) error {
		var lr *redis.StringSliceCmd
		_, err := ss.s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			lr = p.LRange(ctx, key, 0, -1)
			p.PExpire(ctx, key, ss.ttl)
			return nil
		})
		if err != nil {
			return err
		}
		raw = lr.Val()
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	if len(raw) == 0 {
		return nil, false, nil
	}
	turns := make([]conversation.Turn, 0, len(raw))
	for _, r := range raw {
		var t conversation.Turn
		if err := json.Unmarshal([]byte(r), &t); err != nil {
			continue // a turn written by an incompatible version: skip it, keep the rest
		}
		turns = append(turns, t)
	}
	return turns, true, nil
}

// Append implements conversation.SessionStore: push, trim and expire in one
// MULTI/EXEC, so that concurrent appends from two replicas never leave a
// session longer than maxTurns or without an expiry.
func (ss *Sessions) Append(ctx context.Context, id string, t conversation.Turn) error {
	data, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("session turn: %w", err)
	}
	key := ss.s.key("session", id)
	return ss.s.do(ctx, "session_append", func(ctx context.Context) error {
		_, err := ss.s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.RPush(ctx, key, data)
			p.LTrim(ctx, key, int64(-ss.maxTurns), -1)
			p.PExpire(ctx, key, ss.ttl)
			return nil
		})
		return err
	})
}

// Reset implements conversation.SessionStore.
func (ss *Sessions) Reset(ctx context.Context, id string) error {
	key := ss.s.key("session", id)
	return ss.s.do(ctx, "session_reset", func(ctx context.Context) error {
		return ss.s.rdb.Del(ctx, key).Err()
	})
}
