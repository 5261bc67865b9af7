package chat

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"sync"
)

// corkConn lets the writer hand the kernel several frames in one write: while
// corked, writes are gathered in a buffer and go out together at uncork. The
// writer corks only while frames are already queued, so a lone frame is never
// delayed; under load (many tokens, or an offline answer's frames all at once)
// one system call carries what took one each. The profile showed a write(2)
// per frame as the largest cost in the chat server's own code.
type corkConn struct {
	net.Conn
	mu     sync.Mutex
	corked bool
	// buf gathers the corked writes: from corkPool while the writer runs,
	// back to it when the writer stops (release), so that an idle
	// connection holds none and a busy one allocates none.
	buf *[]byte
}

// maxCorked bounds what is gathered before it is written anyway.
const maxCorked = 64 << 10

// maxPooledCork is the largest gathering buffer kept for reuse.
const maxPooledCork = 8 << 10

var corkPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

func (c *corkConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.corked && c.held()+len(p) <= maxCorked {
		if c.buf == nil {
			c.buf = corkPool.Get().(*[]byte)
		}
		*c.buf = append(*c.buf, p...)
		return len(p), nil
	}
	if err := c.flushLocked(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// held is how many bytes are gathered.
func (c *corkConn) held() int {
	if c.buf == nil {
		return 0
	}
	return len(*c.buf)
}

func (c *corkConn) flushLocked() error {
	if c.held() == 0 {
		return nil
	}
	_, err := c.Conn.Write(*c.buf)
	*c.buf = (*c.buf)[:0]
	if cap(*c.buf) > maxPooledCork {
		c.buf = nil // no large buffer is kept, here or in the pool
	}
	return err
}

// cork starts gathering writes. A nil corkConn does nothing.
func (c *corkConn) cork() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.corked = true
	c.mu.Unlock()
}

// uncork writes what was gathered.
func (c *corkConn) uncork() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.corked = false
	return c.flushLocked()
}

// release returns the gathering buffer to the pool when nothing is held in
// it: the writer calls it when it stops, so that an idle connection keeps
// none (it kept its last batch's buffer, ~350 B per idle connection in a
// heap profile of 3,000; dropping it instead of pooling it cost every
// offline answer 3 allocations and 2.5 KB, BenchmarkOfflineAnswer). A nil
// corkConn does nothing.
func (c *corkConn) release() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.corked && c.buf != nil && len(*c.buf) == 0 {
		corkPool.Put(c.buf)
		c.buf = nil
	}
}

// corkingWriter hands the websocket upgrader a corkConn when it hijacks the
// connection.
type corkingWriter struct {
	http.ResponseWriter
	conn *corkConn
}

func (w *corkingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("chat: the response writer cannot be hijacked")
	}
	nc, rw, err := h.Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.conn = &corkConn{Conn: nc}
	return w.conn, rw, nil
}
