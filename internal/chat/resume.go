package chat

import (
	"sync"
	"time"

	"github.com/careerbot/careerbot/protocol"
)

// Answers survive the page: an answer goes on when its socket closes (see
// conn.ask) and is stored in the session with its ask id. A client that
// reconnects to the session and sends resume gets it back: the rest of the
// stream from the answer still running on this server, or the finished
// answer replayed from the session store (which, with Redis, any replica
// can read).

// resumeWait bounds how long a resume waits for an answer that is neither
// running here nor stored yet: with a shared store it may be running on
// another replica. Answers take seconds; two minutes covers a slow model
// that keeps streaming (each silence is bounded by the LLM timeout, 30 s).
const resumeWait = 2 * time.Minute

// resumePoll is how often the shared store is read meanwhile.
const resumePoll = 250 * time.Millisecond

// liveJobs are the answers running on this server, by session and ask id.
type liveJobs struct {
	mu   sync.Mutex
	jobs map[string]*job
}

func jobKey(session, id string) string { return session + "\x00" + id }

func (l *liveJobs) add(j *job) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.jobs == nil {
		l.jobs = map[string]*job{}
	}
	l.jobs[jobKey(j.session, j.id)] = j
}

func (l *liveJobs) remove(j *job) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.jobs[jobKey(j.session, j.id)] == j {
		delete(l.jobs, jobKey(j.session, j.id))
	}
}

func (l *liveJobs) hasSession(session string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, j := range l.jobs {
		if j.session == session {
			return true
		}
	}
	return false
}

func (l *liveJobs) get(session, id string) *job {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.jobs[jobKey(session, id)]
}

// resume handles a resume frame.
func (c *conn) resume(id string) {
	if j := c.s.liveJobs.get(c.session, id); j != nil {
		j.attach(c)
		return
	}
	c.answers.Add(1)
	go func() {
		defer c.answers.Done()
		c.replay(id)
	}()
}

// replay sends a stored answer as sources, one token and done, or an error
// when the session has no answer with that id (cancelled, failed, expired).
func (c *conn) replay(id string) {
	_, inMemory := c.s.sessions.(*MemorySessions)
	deadline := c.s.now().Add(resumeWait)
	for {
		turns, _, err := c.s.sessions.Load(c.ctx, c.session)
		if err != nil {
			c.log.Warn("loading session to resume an answer", "session", c.session, "err", err)
		}
		for i := len(turns) - 1; i >= 0; i-- {
			if t := turns[i]; t.AskID == id && id != "" {
				c.sendFrame(protocol.Sources{Type: protocol.TypeSources, ID: id, Sources: nonNilSources(t.Sources)})
				c.sendFrame(protocol.Token{Type: protocol.TypeToken, ID: id, Text: t.Answer})
				c.sendFrame(protocol.Done{Type: protocol.TypeDone, ID: id, Text: t.Answer, Grounded: t.Grounded, Suggestions: nonNil(t.Suggestions), Notice: t.Notice})
				return
			}
		}
		// The in-memory store is this server's own: what is not running
		// here and not stored does not exist.
		if inMemory || c.s.now().After(deadline) {
			break
		}
		select {
		case <-c.ctx.Done():
			return
		case <-time.After(resumePoll):
		}
	}
	c.sendFrame(protocol.Error{Type: protocol.TypeError, ID: id, Code: protocol.CodeBadRequest, Message: "There is no answer with that id to resume in this session."})
}

func nonNilSources(s []protocol.Source) []protocol.Source {
	if s == nil {
		return []protocol.Source{}
	}
	return s
}
