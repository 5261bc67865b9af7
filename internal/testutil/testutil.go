// Package testutil holds the test helpers more than one package's tests
// need, each defined once: a log buffer safe to read while it is written
// (Buffer), a websocket client of the chat protocol (Client), reading
// Prometheus metrics (ParseMetrics, MetricValue) and the eval sets'
// questions (EvalCases). Only tests import it.
package testutil

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer guarded by a mutex: a server's log can be read
// while the server still writes to it, and the race detector agrees.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
