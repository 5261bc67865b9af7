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
	buf    []byte
}

// maxCorked bounds what is gathered before it is written anyway.
const maxCorked = 64 << 10

func (c *corkConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.corked && len(c.buf)+len(p) <= maxCorked {
		c.buf = append(c.buf, p...)
		return len(p), nil
	}
	if err := c.flushLocked(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

func (c *corkConn) flushLocked() error {
	if len(c.buf) == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.buf)
	c.buf = c.buf[:0]
	if cap(c.buf) > 8<<10 {
		c.buf = nil // an idle connection keeps no large buffer
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
