package loadgen

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gorilla/websocket"
)

// IdleResult is what Idle measured.
type IdleResult struct {
	Wanted, Opened int
	DialErrors     map[string]int
	Before, After  ServerStats // server stats before opening and with all open
	// RSSPerConn is (After.RSS - Before.RSS) / Opened.
	RSSPerConn float64
	// Probes: a new client connects, gets ready, asks and gets done, while
	// the idle connections are open. Connect is dial to ready; Answer is ask
	// to done.
	Probes          int
	ProbeErrors     int
	Connect, Answer Latencies
}

// Idle opens n connections that only wait (each past its ready frame), reads
// the server's RSS before and after, then checks that new clients still get
// answers (probes of them) while the idle ones stay open.
func Idle(ctx context.Context, t Target, n, probes int, questions []string) (IdleResult, error) {
	res := IdleResult{Wanted: n}
	if err := CheckLoopback(t.WSURL); err != nil {
		return res, err
	}
	if t.DebugURL == "" {
		return res, errors.New("idle mode needs the server's debug listener for its RSS")
	}
	if len(questions) == 0 {
		return res, errors.New("no questions to ask")
	}
	// One answer first, so that lazily initialised state (pages of the
	// index, pools) is in the baseline rather than counted per connection.
	if _, _, err := probe(ctx, t.WSURL, questions[0]); err != nil {
		return res, fmt.Errorf("warm-up answer: %w", err)
	}
	settle(ctx)
	var err error
	if res.Before, err = FetchStats(ctx, t.DebugURL); err != nil {
		return res, err
	}
	conns, errs := dialAll(ctx, t.WSURL, n)
	defer closeAll(conns)
	res.Opened, res.DialErrors = len(conns), errs
	if res.Opened == 0 {
		return res, fmt.Errorf("no idle connection could be opened (%v)", errs)
	}
	settle(ctx)
	if res.After, err = FetchStats(ctx, t.DebugURL); err != nil {
		return res, err
	}
	res.RSSPerConn = (float64(res.After.RSSBytes) - float64(res.Before.RSSBytes)) / float64(res.Opened)

	var connect, answer []time.Duration
	for i := range probes {
		if ctx.Err() != nil {
			break
		}
		c, a, err := probe(ctx, t.WSURL, questions[i%len(questions)])
		res.Probes++
		if err != nil {
			res.ProbeErrors++
			continue
		}
		connect, answer = append(connect, c), append(answer, a)
	}
	res.Connect, res.Answer = summarize(connect), summarize(answer)
	return res, ctx.Err()
}

// settle gives the server a moment to finish the work just caused (the
// goroutines of fresh connections, a GC cycle) before its RSS is read.
func settle(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
	}
}

// probe is one new client: connect (to ready), ask one question, wait for done.
func probe(ctx context.Context, wsURL, question string) (connect, answer time.Duration, err error) {
	start := time.Now()
	ws, err := dialReady(ctx, wsURL)
	if err != nil {
		return 0, 0, err
	}
	defer closeAll([]*websocket.Conn{ws})
	connect = time.Since(start)
	now := time.Now()
	out := askLoop(ctx, ws, 0, Load{Questions: []string{question}, MaxAsks: 1, AskTimeout: 10 * time.Second}, now, now, now.Add(time.Hour))
	if len(out.done) != 1 {
		return connect, 0, fmt.Errorf("no answer (%v)", out.errors)
	}
	return connect, out.done[0], nil
}
