package conversation

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/careerbot/careerbot/internal/compose"
	"github.com/careerbot/careerbot/internal/redact"
	"github.com/careerbot/careerbot/protocol"
)

// Session is one client's conversation as the connection serving it holds
// it: the session id, the answers it gave (so that feedback can quote them)
// and the chips cache. Answer, Reset and Feedback must not run concurrently
// with Reset; Answer and Feedback may run together (the transport runs one
// answer at a time and reads feedback meanwhile).
type Session struct {
	svc    *Service
	client string                    // whom rate limits count against (an IP)
	id     atomic.Pointer[sessionID] // replaced by Reset; read by logs from any goroutine
	chips  compose.Chips             // chooses this conversation's follow-up chips

	mu     sync.Mutex
	recent []answered
}

// sessionID is a session's id and the tag that stands for it in logs and
// feedback (redact.IDTag): the id is a bearer secret and never logged.
type sessionID struct{ id, tag string }

func (s *Service) sessionID(id string) *sessionID {
	return &sessionID{id: id, tag: redact.IDTag(s.idKey, id)}
}

// answered remembers a recent answer of this session, to attach the
// question and answer to feedback about it.
type answered struct {
	id, question, answer string
	feedbacks            int
}

// Limits inside a session that have no setting.
const (
	maxComment      = 2000 // characters of a feedback comment (longer is cut)
	rememberAnswers = 20   // answers kept for feedback
	maxFeedbackPer  = 3    // feedback lines per answer
)

// Open starts the conversation of a client (rate limits count against
// client, e.g. its IP): it resumes the session named by requested when that
// is live, else starts a new one, and returns the ready frame to open it
// with (Limits left for the transport to fill in). The service must be
// Ready.
func (s *Service) Open(ctx context.Context, client, requested string) (*Session, protocol.Ready) {
	sess := &Session{svc: s, client: client}
	id, history, resumed := s.resume(ctx, requested)
	sess.id.Store(s.sessionID(id))
	return sess, sess.ready(resumed, history)
}

// resume finds the session requested, or names a new one.
func (s *Service) resume(ctx context.Context, requested string) (id string, history []Turn, resumed bool) {
	if requested != "" {
		if u, err := uuid.Parse(requested); err == nil {
			turns, ok, err := s.sessions.Load(ctx, u.String())
			// A first answer still being written here (the page was
			// reloaded mid-answer) makes a session too: the client resumes it.
			if ok || s.live.hasSession(u.String()) {
				return u.String(), turns, true
			}
			if err != nil {
				// The store is down (Redis), so the id cannot be told from
				// one the client made up: refuse it like any unknown id.
				// Keeping it would let a client choose its session id and
				// have it written to Redis later (session fixation); the
				// conversation starts afresh instead.
				s.log.Warn("loading session; starting a new one, as an id the store cannot confirm is refused", "err", err)
			}
		}
	}
	return newSessionID(), nil, false
}

// newSessionID is a random (crypto/rand) UUIDv4.
func newSessionID() string { return uuid.NewString() }

// ID is the session id (a UUID), which the client may resume later. It is
// a bearer secret: log LogID instead.
func (sess *Session) ID() string { return sess.id.Load().id }

// LogID is the short keyed hash that stands for the session id in logs and
// feedback (redact.IDTag with the service's key).
func (sess *Session) LogID() string { return sess.id.Load().tag }

func (sess *Session) ready(resumed bool, history []Turn) protocol.Ready {
	s := sess.svc
	idx := s.retriever()
	// A resumed conversation is not offered what it already asked.
	var buf [DefaultMaxTurns]compose.PastTurn
	starters := sess.chips.ForReady(pastTurns(buf[:0], history), idx.Guides(), s.cfg.Suggestions)
	f := protocol.Ready{
		Type:        protocol.TypeReady,
		Session:     sess.ID(),
		Greeting:    s.greeting(idx),
		Suggestions: nonNil(starters),
		Mode:        s.Mode(),
		Resumed:     resumed,
		// The client keeps its copy of the conversation no longer.
		SessionTTLMS: s.cfg.SessionTTL.Milliseconds(),
	}
	for _, t := range history {
		f.History = append(f.History, protocol.HistoryItem{Question: t.Question, Answer: t.Answer})
	}
	return f
}

// Rejoin resumes the session requested by a client that named it in its
// first message (protocol.Hello) rather than when it connected: it returns
// the ready frame of that session when it is live, else this session's
// ready again (resumed absent; unknown ids are refused as in Open). Nothing
// may have been asked in this session yet.
func (sess *Session) Rejoin(ctx context.Context, requested string) protocol.Ready {
	s := sess.svc
	if requested == "" {
		return sess.ready(false, nil)
	}
	id, history, resumed := s.resume(ctx, requested)
	if !resumed {
		// Keep the id already given out: nothing is stored under it yet,
		// and a client that missed this reply still holds it.
		return sess.ready(false, nil)
	}
	sess.id.Store(s.sessionID(id))
	return sess.ready(true, history)
}

// Reset forgets the conversation and starts a new session; it returns the
// ready frame that opens it. The answer in flight must have ended.
func (sess *Session) Reset(ctx context.Context) protocol.Ready {
	if err := sess.svc.sessions.Reset(ctx, sess.ID()); err != nil {
		sess.svc.log.Warn("resetting session", "err", err)
	}
	sess.mu.Lock()
	sess.recent = nil
	sess.mu.Unlock()
	sess.id.Store(sess.svc.sessionID(newSessionID()))
	return sess.ready(false, nil)
}

// AllowAsk spends one ask of the client's rate limit; false means it is
// used up (the transport answers rate_limited).
func (sess *Session) AllowAsk(ctx context.Context) bool {
	return sess.svc.limiter.Allow(ctx, sess.client)
}

// RateLimited is the error frame for a message over the client's rate
// limit, saying when to retry: the bucket (memory or Redis) is empty and
// gains one token every minute / RateLimit, the longest wait for the next ask.
func (sess *Session) RateLimited(id, message string) protocol.Error {
	e := protocol.Error{Type: protocol.TypeError, ID: id, Code: protocol.CodeRateLimited, Message: message}
	if per := sess.svc.cfg.RateLimit; per > 0 {
		e.RetryAfterMS = int((time.Minute + time.Duration(per) - 1) / time.Duration(per) / time.Millisecond)
	}
	return e
}

// Feedback records a rating of the answer id. It returns the error frame to
// send back when the feedback is refused (a bad rating, or too many
// messages), else nil: feedback is not acknowledged.
func (sess *Session) Feedback(ctx context.Context, id, rating, comment string) *protocol.Error {
	s := sess.svc
	if rating != protocol.RatingUp && rating != protocol.RatingDown {
		return &protocol.Error{Type: protocol.TypeError, ID: id, Code: protocol.CodeBadRequest, Message: `Feedback needs "rating": "up" or "down".`}
	}
	entry := Feedback{Time: s.now().UTC(), Session: sess.LogID(), ID: id, Rating: rating, Comment: Clip(strings.TrimSpace(comment), maxComment)}
	known := false
	sess.mu.Lock()
	for i := range sess.recent {
		if a := &sess.recent[i]; a.id == id {
			known = true
			if a.feedbacks >= maxFeedbackPer {
				sess.mu.Unlock()
				return nil // enough said about this one
			}
			a.feedbacks++
			entry.Question, entry.Answer = a.question, a.answer
		}
	}
	sess.mu.Unlock()
	// Feedback about answers this session did not give costs an ask, so the
	// log cannot be flooded.
	if !known && !sess.AllowAsk(ctx) {
		refused := sess.RateLimited(id, "Too many messages. Please wait a little and try again.")
		return &refused
	}
	if err := s.feedback.SaveFeedback(ctx, entry); err != nil {
		s.log.Warn("feedback not saved", "err", err)
	}
	return nil
}

func (sess *Session) remember(id, question, answer string) {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	sess.recent = append(sess.recent, answered{id: id, question: question, answer: answer})
	if len(sess.recent) > rememberAnswers {
		sess.recent = sess.recent[1:]
	}
}

// pastTurns is history as the chip rules see it, in buf when it has room
// (the chips keep nothing of it, so a caller's array on its stack does:
// the slice made for every answer was ~1 KB of its allocations).
func pastTurns(buf []compose.PastTurn, history []Turn) []compose.PastTurn {
	past := slices.Grow(buf[:0], len(history))[:len(history)]
	for i, t := range history {
		past[i] = compose.PastTurn{Question: t.Question, Standalone: t.Standalone, Grounded: t.Grounded, Guide: t.Guide, Suggestions: t.Suggestions}
	}
	return past
}
