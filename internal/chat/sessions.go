package chat

import (
	"context"
	"sync"
	"time"
)

// MemorySessions is the in-process SessionStore. Expired sessions are swept
// while serving calls (no background goroutine to stop).
type MemorySessions struct {
	ttl      time.Duration
	maxTurns int
	now      func() time.Time

	mu        sync.Mutex
	sessions  map[string]*memSession
	lastSweep time.Time
}

type memSession struct {
	turns []Turn
	seen  time.Time
}

// NewMemorySessions keeps up to maxTurns turns per session for ttl of idleness.
func NewMemorySessions(ttl time.Duration, maxTurns int, now func() time.Time) *MemorySessions {
	if now == nil {
		now = time.Now
	}
	return &MemorySessions{ttl: ttl, maxTurns: maxTurns, now: now, sessions: map[string]*memSession{}}
}

// Load implements SessionStore.
func (m *MemorySessions) Load(_ context.Context, id string) ([]Turn, bool, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now)
	s := m.sessions[id]
	if s == nil || now.Sub(s.seen) > m.ttl {
		return nil, false, nil
	}
	s.seen = now
	return append([]Turn(nil), s.turns...), true, nil
}

// Append implements SessionStore.
func (m *MemorySessions) Append(_ context.Context, id string, t Turn) error {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now)
	s := m.sessions[id]
	if s == nil || now.Sub(s.seen) > m.ttl {
		s = &memSession{}
		m.sessions[id] = s
	}
	s.turns = append(s.turns, t)
	if over := len(s.turns) - m.maxTurns; over > 0 {
		s.turns = append([]Turn(nil), s.turns[over:]...)
	}
	s.seen = now
	return nil
}

// Reset implements SessionStore.
func (m *MemorySessions) Reset(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, id)
	return nil
}

// Len is the number of sessions held (live or not yet swept).
func (m *MemorySessions) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions)
}

// sweep drops expired sessions, at most once per tenth of the TTL.
func (m *MemorySessions) sweep(now time.Time) {
	if now.Sub(m.lastSweep) < m.ttl/10 {
		return
	}
	m.lastSweep = now
	for id, s := range m.sessions {
		if now.Sub(s.seen) > m.ttl {
			delete(m.sessions, id)
		}
	}
}
