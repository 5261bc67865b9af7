package llm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Limits on what is read from the LLM endpoint. go-openai reads a stream
// with bufio.Reader.ReadBytes('\n'), which buffers a line however long it is,
// and keeps every non-"data:" line of the stream in an error buffer; error
// responses it reads whole with io.ReadAll. Without limits an endpoint that
// is broken or hostile (one endless line, an endless stream) could make the
// bot buffer without bound.
const (
	// DefaultMaxLineBytes bounds one line of a response: an SSE chunk is a
	// few hundred bytes.
	DefaultMaxLineBytes = 1 << 20
	// DefaultMaxResponseBytes bounds a whole response: a 500-token answer
	// streams as about 250 KB of SSE.
	DefaultMaxResponseBytes = 16 << 20
)

// ErrResponseTooLarge: the endpoint sent a line or a response over the
// limits; the request was abandoned.
var ErrResponseTooLarge = errors.New("llm: the endpoint's response is too large")

// boundedTransport passes every response body through a boundedBody.
type boundedTransport struct {
	base              http.RoundTripper
	maxLine, maxTotal int64
}

func (t *boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	maxTotal := t.maxTotal
	if resp.StatusCode >= 400 {
		// Error bodies are read whole, and are a few hundred bytes.
		maxTotal = min(maxTotal, t.maxLine)
	}
	body := &boundedBody{body: resp.Body, maxLine: t.maxLine, maxTotal: maxTotal}
	resp.Body = body
	if slot, ok := req.Context().Value(responseSlotKey{}).(*responseSlot); ok {
		slot.body = body // for drainAfterDone
	}
	return resp, nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// wrapped transport.
func (t *boundedTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// boundedBody fails, with ErrResponseTooLarge, as soon as a line (bytes
// since the last '\n') or the whole body grows past its limit. It then closes
// the body at once, which drops the connection: the rest is never read.
type boundedBody struct {
	body              io.ReadCloser
	maxLine, maxTotal int64
	line, total       int64
	err               error // set once a limit is passed
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.body.Read(p)
	b.total += int64(n)
	if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
		b.line = int64(n - i - 1)
	} else {
		b.line += int64(n)
	}
	switch {
	case b.line > b.maxLine:
		return 0, b.fail(fmt.Errorf("%w: a line longer than %d bytes", ErrResponseTooLarge, b.maxLine))
	case b.total > b.maxTotal:
		return 0, b.fail(fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, b.maxTotal))
	}
	return n, err
}

func (b *boundedBody) fail(err error) error {
	b.err = err
	_ = b.body.Close()
	return err
}

func (b *boundedBody) Close() error { return b.body.Close() }
