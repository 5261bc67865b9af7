package conversation

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/careerbot/careerbot/protocol"
)

// Answers survive the page: the transport lets an answer go on when its
// socket closes, and the answer is stored in the session with its ask id,
// sources and notice. A client that reconnects to the session and sends
// resume gets it back (Resume): the rest of the stream from the answer still
// being written on this server, or the finished answer replayed from the
// session store, which with Redis any replica can read.

// resumeWait bounds how long Resume waits for an answer that is neither
// being written here nor stored yet: with a shared store it may be running
// on another replica. Answers take seconds; two minutes covers a slow model
// that keeps streaming (each silence is bounded by the LLM timeout).
const resumeWait = 2 * time.Minute

// resumePoll is how often the shared store is read meanwhile.
const resumePoll = 250 * time.Millisecond

// liveAnswers are the answers being written on this server, by session and
// ask id.
type liveAnswers struct {
	mu      sync.Mutex
	answers map[string]*liveAnswer
}

// liveAnswer is what an answer has sent so far, and to whom: the client
// that asked, or the one that resumed it.
type liveAnswer struct {
	list     *liveAnswers
	key, id  string
	mu       sync.Mutex
	sink     func(protocol.Frame)
	resumed  bool // sink is a resuming client's, not the asker's
	sources  *protocol.Sources
	text     strings.Builder
	finished bool
}

func liveKey(session, id string) string { return session + "\x00" + id }

func (l *liveAnswers) start(session, id string, emit func(protocol.Frame)) *liveAnswer {
	a := &liveAnswer{list: l, key: liveKey(session, id), id: id, sink: emit}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.answers == nil {
		l.answers = map[string]*liveAnswer{}
	}
	l.answers[a.key] = a
	return a
}

func (l *liveAnswers) get(session, id string) *liveAnswer {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.answers[liveKey(session, id)]
}

func (l *liveAnswers) hasSession(session string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for key := range l.answers {
		if strings.HasPrefix(key, session+"\x00") {
			return true
		}
	}
	return false
}

// emit sends one frame of the answer to its current client and keeps it
// for a client that resumes it.
func (a *liveAnswer) emit(f protocol.Frame) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch f := f.(type) {
	case protocol.Sources:
		a.sources = &f
	case protocol.Token:
		a.text.WriteString(f.Text)
	}
	a.sink(f)
}

// finish ends the answer with last (done or error). The asker's transport
// sends last itself; a resuming client gets it here.
func (a *liveAnswer) finish(last protocol.Frame) {
	a.list.mu.Lock()
	if a.list.answers[a.key] == a {
		delete(a.list.answers, a.key)
	}
	a.list.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.finished = true
	if a.resumed {
		a.sink(last)
	}
}

// attach makes emit the answer's client: it gets what was sent so far (the
// text in one token), then the rest as it comes. False when the answer has
// just finished (then it is stored: replay it).
func (a *liveAnswer) attach(emit func(protocol.Frame)) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.finished {
		return false
	}
	if a.sources != nil {
		emit(*a.sources)
	}
	if a.text.Len() > 0 {
		emit(protocol.Token{Type: protocol.TypeToken, ID: a.id, Text: a.text.String()})
	}
	a.sink, a.resumed = emit, true
	return true
}

// Resume sends the answer to the ask id of this session to emit, for a
// client that reconnected after losing it: from the answer being written
// here (the rest of the stream comes through emit as it is written, then
// done), or replayed from the session store (sources, one token, done). It
// returns nil then, or the error frame to send when the session has no such
// answer (never asked, cancelled, failed, expired). It may wait (up to
// resumeWait) for an answer being written on another replica: run it off
// the reading goroutine.
func (sess *Session) Resume(ctx context.Context, id string, emit func(protocol.Frame)) *protocol.Error {
	s := sess.svc
	session := sess.ID()
	if a := s.live.get(session, id); a != nil && a.attach(emit) {
		return nil
	}
	// The in-memory store is this server's own: what is not being written
	// here and not stored does not exist.
	_, local := s.sessions.(*MemorySessions)
	deadline := s.now().Add(resumeWait)
	for id != "" {
		turns, _, err := s.sessions.Load(ctx, session)
		if err != nil {
			s.log.Warn("loading session to resume an answer", "session", sess.LogID(), "err", err)
		}
		for i := len(turns) - 1; i >= 0; i-- {
			if t := turns[i]; t.AskID == id {
				sources := t.Sources
				if sources == nil {
					sources = []protocol.Source{}
				}
				emit(protocol.Sources{Type: protocol.TypeSources, ID: id, Sources: sources})
				emit(protocol.Token{Type: protocol.TypeToken, ID: id, Text: t.Answer})
				emit(protocol.Done{Type: protocol.TypeDone, ID: id, Text: t.Answer, Grounded: t.Grounded, Suggestions: nonNil(t.Suggestions), Notice: t.Notice, Cited: t.Cited, Kind: t.Kind})
				return nil
			}
		}
		if local || s.now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(resumePoll):
		}
		if a := s.live.get(session, id); a != nil && a.attach(emit) {
			return nil
		}
	}
	return &protocol.Error{Type: protocol.TypeError, ID: id, Code: protocol.CodeBadRequest, Message: "There is no answer with that id to resume in this session."}
}
