package openai

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Limits on what is read from an endpoint. go-openai reads a stream with
// bufio.Reader.ReadBytes('\n'), which buffers a line however long it is, and
// keeps every non-"data:" line of the stream in an error buffer; other
// responses (embeddings, errors) it reads whole with io.ReadAll. Without
// limits an endpoint that is broken or hostile (one endless line, an endless
// stream) could make the bot buffer without bound.
const (
	// DefaultMaxLineBytes bounds one line of a chat stream: an SSE chunk is
	// a few hundred bytes. Error bodies, a few hundred bytes too, get the
	// same bound.
	DefaultMaxLineBytes = 1 << 20
	// DefaultMaxResponseBytes bounds a whole chat stream: a 500-token answer
	// streams as about 250 KB of SSE.
	DefaultMaxResponseBytes = 16 << 20
	// DefaultMaxEmbeddingResponse bounds one embeddings response, which is
	// one JSON document (one line): 64 texts of 3,072 dimensions are ~5 MB.
	DefaultMaxEmbeddingResponse = 64 << 20
)

// ErrResponseTooLarge: the endpoint sent a line or a response over the
// limits; the request was abandoned.
var ErrResponseTooLarge = errors.New("openai: the endpoint's response is too large")

// maxIdlePerHost is how many idle connections to an endpoint are kept for
// reuse. net/http's default keeps 2: with more chats at once than that, most
// answers paid for a new TCP (and, for a hosted API, TLS) connection before
// their first token. bot bench's LLM mode showed 380 new connections for 408
// requests at 200 concurrent chats.
const maxIdlePerHost = 256

func pooledTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = maxIdlePerHost
	t.MaxIdleConnsPerHost = maxIdlePerHost
	return t
}

// boundedClient is the http.Client both adapters talk through: base (nil =
// a pooled transport of our own) with every response body bounded. base is
// copied, never changed.
func boundedClient(base *http.Client, maxLine, maxTotal int64) *http.Client {
	hc := &http.Client{Transport: pooledTransport()}
	if base != nil {
		copied := *base
		hc = &copied
		if hc.Transport == nil {
			hc.Transport = http.DefaultTransport
		}
	}
	hc.Transport = &boundedTransport{base: hc.Transport, maxLine: maxLine, maxTotal: maxTotal}
	return hc
}

// boundedTransport passes every response body through a boundedBody.
type boundedTransport struct {
	base     http.RoundTripper
	maxLine  int64 // 0 = lines are not bounded (a JSON response is one line)
	maxTotal int64
}

func (t *boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	maxTotal := t.maxTotal
	if resp.StatusCode >= 400 {
		// Error bodies are read whole, and are a few hundred bytes.
		errorCap := t.maxLine
		if errorCap <= 0 {
			errorCap = DefaultMaxLineBytes
		}
		maxTotal = min(maxTotal, errorCap)
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
// since the last '\n'; maxLine 0 = unbounded) or the whole body grows past
// its limit. It then closes
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
	case b.maxLine > 0 && b.line > b.maxLine:
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
