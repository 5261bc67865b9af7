package conversation

import (
	"context"
	"sync"
	"time"
	"unsafe"
)

// SessionLimits bound what MemorySessions holds. Zero values take the
// defaults.
type SessionLimits struct {
	TTL      time.Duration // idle time after which a session is forgotten (DefaultSessionTTL)
	MaxTurns int           // turns kept per session (DefaultMaxTurns)
	// MaxSessions caps the sessions held (DefaultMaxSessions): past it the
	// least recently used one is forgotten to make room.
	MaxSessions int
	// MaxBytes caps the bytes of one session's turns (DefaultMaxSessionBytes,
	// as TurnBytes counts them): past it the oldest turns are dropped. The
	// newest turn is always kept, however large. The cap counts the turns a
	// Load returns; the dropped ones stay in memory until they are as many
	// bytes as those, so a session holds less than 2 × MaxBytes of turns
	// (2 × its newest turn when that alone is larger), plus its array's free
	// slots (at most MaxTurns Turn structs). See memSession.
	MaxBytes int
}

func (l SessionLimits) withDefaults() SessionLimits {
	if l.TTL <= 0 {
		l.TTL = DefaultSessionTTL
	}
	if l.MaxTurns <= 0 {
		l.MaxTurns = DefaultMaxTurns
	}
	if l.MaxSessions <= 0 {
		l.MaxSessions = DefaultMaxSessions
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxSessionBytes
	}
	return l
}

// MemorySessions is the in-process SessionStore, bounded in count (least
// recently used sessions are evicted past SessionLimits.MaxSessions) and in
// bytes per session. Expired sessions are swept while serving calls (no
// background goroutine to stop).
type MemorySessions struct {
	lim SessionLimits
	now func() time.Time

	mu       sync.Mutex
	sessions map[string]*memSession
	// newest and oldest end the list of sessions by last use (Load or
	// Append), so that the least recently used is at hand for eviction and
	// the expired ones are found without looking at the live ones.
	newest, oldest *memSession
	evicted        int64 // sessions forgotten for MaxSessions before their TTL
}

type memSession struct {
	id string
	// turns[start:] are the session's turns, the newest last; turns before
	// start were dropped (past MaxTurns or MaxBytes) but stay in the array
	// until it is replaced. Turns are only ever appended after the last one,
	// so the slices Load returned (capped at their length) never change and
	// need not be copies: the profile of an offline answer showed the
	// copying of 20 turns on every Load and Append as ~9% of the bytes
	// allocated.
	//
	// live is TurnBytes of turns[start:], what the byte cap counts; dead is
	// TurnBytes of turns[:start], what the dropped turns still keep alive.
	// Append copies the live turns to a fresh array when the array is full
	// or when dead reaches live, so dead < live after every Append: the
	// session holds under twice its cap, and each turn is copied a bounded
	// number of times on average (a copy of k turns follows at least k
	// appends, or drops of as many bytes as the k turns hold). Counting the
	// dropped turns in the cap instead, as before, made nearly every answer
	// of a full session copy its turns (5.3 KB per botbench answer).
	turns      []Turn
	start      int
	live, dead int
	seen       time.Time
	newer, old *memSession // the list by last use
}

// NewMemorySessions keeps up to maxTurns turns per session for ttl of
// idleness, with the default caps on sessions and bytes.
func NewMemorySessions(ttl time.Duration, maxTurns int, now func() time.Time) *MemorySessions {
	return NewBoundedSessions(SessionLimits{TTL: ttl, MaxTurns: maxTurns}, now)
}

// NewBoundedSessions keeps sessions within lim (zero fields: the defaults).
func NewBoundedSessions(lim SessionLimits, now func() time.Time) *MemorySessions {
	if now == nil {
		now = time.Now
	}
	return &MemorySessions{lim: lim.withDefaults(), now: now, sessions: map[string]*memSession{}}
}

// live returns the session id when it is held and not expired, marking it
// as just used; expired sessions are swept first. The lock must be held.
func (m *MemorySessions) live(id string, now time.Time) *memSession {
	m.sweep(now)
	s := m.sessions[id]
	if s == nil {
		return nil
	}
	if now.Sub(s.seen) > m.lim.TTL {
		m.remove(s)
		return nil
	}
	s.seen = now
	m.unlink(s)
	m.pushNewest(s)
	return s
}

// Load implements SessionStore.
func (m *MemorySessions) Load(_ context.Context, id string) ([]Turn, bool, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.live(id, now)
	if s == nil {
		return nil, false, nil
	}
	// No copy: Append never changes a turn a caller can see (see memSession).
	return s.turns[s.start:len(s.turns):len(s.turns)], true, nil
}

// Append implements SessionStore.
func (m *MemorySessions) Append(_ context.Context, id string, t Turn) error {
	now := m.now()
	size := TurnBytes(t)
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.live(id, now)
	if s == nil {
		for len(m.sessions) >= m.lim.MaxSessions && m.oldest != nil {
			m.remove(m.oldest)
			m.evicted++
		}
		s = &memSession{id: id, seen: now}
		m.sessions[id] = s
		m.pushNewest(s)
	}
	// Drop the oldest turns until the newest fit beside t, in number and in
	// bytes; t itself is kept whatever its size.
	for s.start < len(s.turns) && (len(s.turns)-s.start >= m.lim.MaxTurns || s.live+size > m.lim.MaxBytes) {
		b := TurnBytes(s.turns[s.start])
		s.live -= b
		s.dead += b
		s.start++
	}
	if len(s.turns) == cap(s.turns) || s.dead >= s.live+size {
		// Full, or the dropped turns hold as much as the kept ones will:
		// carry the kept turns over to a new array with room for as many
		// more (len(keep) < MaxTurns here, so at most 2 × MaxTurns slots), leaving the old one to the
		// callers of Load (and the garbage collector).
		keep := s.turns[s.start:]
		turns := make([]Turn, len(keep), 2*len(keep)+2)
		copy(turns, keep)
		s.turns, s.start, s.dead = turns, 0, 0
	}
	s.turns = append(s.turns, t)
	s.live += size
	return nil
}

// Reset implements SessionStore.
func (m *MemorySessions) Reset(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.sessions[id]; s != nil {
		m.remove(s)
	}
	return nil
}

// Len is the number of sessions held (live or not yet swept).
func (m *MemorySessions) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions)
}

// Evicted is how many sessions were forgotten before their TTL to keep
// within MaxSessions.
func (m *MemorySessions) Evicted() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.evicted
}

// sweep drops expired sessions: the least recently used first, stopping at
// the first live one, so that it costs nothing while none has expired.
func (m *MemorySessions) sweep(now time.Time) {
	for m.oldest != nil && now.Sub(m.oldest.seen) > m.lim.TTL {
		m.remove(m.oldest)
	}
}

func (m *MemorySessions) remove(s *memSession) {
	m.unlink(s)
	delete(m.sessions, s.id)
}

func (m *MemorySessions) pushNewest(s *memSession) {
	s.old, s.newer = m.newest, nil
	if m.newest != nil {
		m.newest.newer = s
	}
	m.newest = s
	if m.oldest == nil {
		m.oldest = s
	}
}

func (m *MemorySessions) unlink(s *memSession) {
	if s.newer != nil {
		s.newer.old = s.old
	} else if m.newest == s {
		m.newest = s.old
	}
	if s.old != nil {
		s.old.newer = s.newer
	} else if m.oldest == s {
		m.oldest = s.newer
	}
	s.newer, s.old = nil, nil
}

// turnOverhead is what a Turn costs besides the bytes of its text: the
// struct itself and the headers of its strings and slices.
const turnOverhead = int(unsafe.Sizeof(Turn{}))

// TurnBytes is what a turn holds in memory, roughly: its text (question,
// answer, suggestions, sources and the rest) plus its fixed overhead. The
// per-session byte cap counts it.
func TurnBytes(t Turn) int {
	n := turnOverhead + len(t.Question) + len(t.Standalone) + len(t.Answer) + len(t.Guide) + len(t.AskID) + len(t.Notice)
	for _, s := range t.Suggestions {
		n += len(s) + int(unsafe.Sizeof(""))
	}
	for _, s := range t.Sources {
		n += int(unsafe.Sizeof(s)) + len(s.Guide) + len(s.Section) + len(s.Text)
	}
	return n
}
