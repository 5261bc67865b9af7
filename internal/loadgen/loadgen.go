// Package loadgen measures the chat server the way its users feel it: many
// websocket clients each asking questions back to back (ask, then wait for
// done), timed at the client, next to a bare gorilla/websocket echo endpoint
// driven by the same client loop on the same machine in the same run. It also
// holds many idle connections to weigh a connection, and runs a loopback fake
// OpenAI server that streams tokens at a fixed pace. `botbench` (cmd/botbench)
// drives it (and writes large corpora with internal/guidegen); see
// docs/benchmarks.md.
//
// Load only ever targets loopback addresses, and every loop is bounded in
// count and in time.
package loadgen

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"time"
)

// Target is a websocket endpoint speaking the chat protocol (or the echo's
// subset of it).
type Target struct {
	Name     string // "bot" or "echo"
	WSURL    string // ws://127.0.0.1:port/ws
	DebugURL string // http://127.0.0.1:port of the debug listener; "" = no server stats
	PID      int    // the server's process id when known, for its CPU time; 0 = unknown
}

// Latencies summarises durations.
type Latencies struct {
	N                  int
	P50, P95, P99, Max time.Duration
}

func summarize(d []time.Duration) Latencies {
	if len(d) == 0 {
		return Latencies{}
	}
	slices.Sort(d)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(d))+0.999999) - 1 // nearest rank
		return d[min(max(i, 0), len(d)-1)]
	}
	return Latencies{N: len(d), P50: at(0.50), P95: at(0.95), P99: at(0.99), Max: d[len(d)-1]}
}

// CheckLoopback refuses any target that is not on this machine's loopback
// interface: the tool generates load, and load must never leave the host.
func CheckLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("target %q: %w", raw, err)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("target %q: load is only ever sent to loopback (127.0.0.1, ::1, localhost)", raw)
	}
	return nil
}

// ms formats a duration in milliseconds with two decimals.
func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// Questions are asked in turn by every client of a load run: what people ask
// about a career, plus one off-topic question (declined without an LLM
// call), as on a real careers page. The answer service's benchmark asks the
// same (BenchmarkAnswerOffline/botbench), so its figures are the server-side
// cost of one answer of that load.
var Questions = []string{
	"What does a media specialist earn?",
	"Which tools does a media specialist use?",
	"How do I become a media specialist?",
	"What skills does a media specialist need?",
	"What education do I need to be a media specialist?",
	"What does a media specialist do day to day?",
	"Is a media specialist job remote-friendly?",
	"What is the career path of a media specialist?",
	"Which certifications help a media specialist?",
	"How much does a senior media specialist make?",
	"What is the job outlook for media specialists?",
	"How do I bake sourdough bread?",
}
