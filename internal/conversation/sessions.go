package conversation

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
	// turns holds the newest maxTurns turns at its end, and perhaps a few
	// older ones before them. Turns are only ever appended after the last
	// one, so the slices Load returned (capped at their length) never change
	// and need not be copies: the profile of an offline answer showed the
	// copying of 20 turns on every Load and Append as ~9% of the bytes
	// allocated.
	turns []Turn
	seen  time.Time
}

// NewMemorySessions keeps up to maxTurns turns per session for ttl of idleness.
func NewMemorySessions(ttl time.Duration, maxTurns int, now func() time.Time) *MemorySessions {
	if now == nil {
		now = time.Now
	}
	return &MemorySessions{ttl: ttl, maxTurns: max(maxTurns, 1), now: now, sessions: map[string]*memSession{}}
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
	// No copy: Append never changes a turn a caller can see (see memSession).
	return s.turns[len(s.turns)-min(len(s.turns), m.maxTurns) : len(s.turns) : len(s.turns)], true, nil
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
	if len(s.turns) == cap(s.turns) {
		// Full: carry the newest turns over to a new array with room for
		// a quarter more, leaving the old one to the callers of Load.
		keep := s.turns[len(s.turns)-min(len(s.turns), m.maxTurns-1):]
		turns := make([]Turn, len(keep), m.maxTurns+max(m.maxTurns/4, 1))
		copy(turns, keep)
		s.turns = turns
	}
	s.turns = append(s.turns, t)
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
