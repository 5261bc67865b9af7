package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/careerbot/careerbot/internal/redact"
	"github.com/careerbot/careerbot/internal/redisstate/redistest"
	"github.com/careerbot/careerbot/internal/testutil"
	"github.com/careerbot/careerbot/protocol"
)

// fleetGuard bounds every wait in the fleet tests; it only catches hangs.
const fleetGuard = 60 * time.Second

// replica is one `bot serve` process (run in-process) on a loopback port.
type replica struct {
	addr        string // host:port of the chat
	metricsAddr string // host:port of /metrics (= addr unless BOT_METRICS_ADDR)
	dataDir     string
	logs        *testutil.Buffer
}

// startReplica runs `bot serve` with the real corpus and env on top of the
// defaults, and waits until it is ready. It is stopped (as by SIGTERM) at
// the end of the test.
const fleetLogKey = "fleet-log-key"

// fleetTag is what stands for a session id in the replicas' logs and feedback.
func fleetTag(session string) string { return redact.IDTag([]byte(fleetLogKey), session) }

func startReplica(t *testing.T, env map[string]string) *replica {
	t.Helper()
	r := &replica{dataDir: t.TempDir(), logs: &testutil.Buffer{}}
	full := map[string]string{
		"BOT_ADDR":            "127.0.0.1:0",
		"BOT_CORPUS_DIR":      "../../corpus",
		"BOT_DATA_DIR":        r.dataDir,
		"BOT_LOG_LEVEL":       "debug",
		"BOT_TRUSTED_PROXIES": "127.0.0.1",
		// One key for every replica: their logs and feedback then name a
		// session by the same tag (fleetTag).
		"BOT_SESSION_LOG_KEY": fleetLogKey,
	}
	for k, v := range env {
		full[k] = v
	}
	ctx, stop := context.WithCancel(context.Background())
	at, done := startServeCmd(t, ctx, []string{"serve"}, func(k string) string { return full[k] }, io.Discard, r.logs)
	t.Cleanup(func() {
		stop()
		select {
		case <-done.exited:
			if done.err != nil && !t.Failed() {
				t.Errorf("replica: %v", done.err)
			}
		case <-time.After(fleetGuard):
			t.Error("replica did not stop")
		}
	})
	r.addr, r.metricsAddr = at.chat.String(), at.chat.String()
	if at.metrics != nil {
		r.metricsAddr = at.metrics.String()
	}
	waitReady(t, r.addr, done, fleetGuard)
	return r
}

// wsClient is a chat client of one replica.
type wsClient struct{ *testutil.Client }

// dial opens /ws on hostport (resuming session when not empty) as the client
// at ip (sent as X-Forwarded-For; the replicas trust 127.0.0.1).
func dial(t *testing.T, hostport, session, ip string) *wsClient {
	t.Helper()
	u := "ws://" + hostport + "/ws"
	if session != "" {
		u += "?session=" + session
	}
	h := http.Header{}
	if ip != "" {
		h.Set("X-Forwarded-For", ip)
	}
	return &wsClient{testutil.Dial(t, u, h)}
}

// ask sends a question and returns its sources frame and its last frame
// (done or error).
func (c *wsClient) ask(id, text string) (sources, last testutil.Frame) {
	r := c.Answer(id, text)
	if r.Err.Type != "" {
		return r.Sources, r.Err
	}
	return r.Sources, r.Done
}

// scrape parses a replica's /metrics.
func scrape(t *testing.T, hostport string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + hostport + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	return testutil.ParseMetrics(t, resp.Body)
}

// metricValue is testutil.MetricValue's sum (0 when no series matches).
func metricValue(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	v, _ := testutil.MetricValue(fams, name, labels...)
	return v
}

// Two replicas share one Redis: a conversation started on A continues on B,
// the per-IP limit counts asks on both, both built the same index, and each
// replica's /metrics counts what it did.
func TestFleetSharesSessionsAndLimits(t *testing.T) {
	url := redistest.URL(t)
	prefix := redistest.Prefix(t, url)
	shared := map[string]string{"BOT_REDIS_URL": url, "BOT_REDIS_PREFIX": prefix, "BOT_RATE_LIMIT": "1"}
	a := startReplica(t, shared)
	withMetricsAddr := map[string]string{"BOT_METRICS_ADDR": "127.0.0.1:0"}
	for k, v := range shared {
		withMetricsAddr[k] = v
	}
	b := startReplica(t, withMetricsAddr)
	if a.addr == b.addr || b.metricsAddr == b.addr {
		t.Fatalf("addresses: A %s, B %s, B's metrics %s", a.addr, b.addr, b.metricsAddr)
	}

	// A conversation on A…
	onA := dial(t, a.addr, "", "198.51.100.1")
	srcA, done := onA.ask("1", "What is the median salary of a media specialist?")
	if done.Type != "done" || !done.Grounded || !strings.Contains(done.Text, "65,000") {
		t.Fatalf("answer on A: %+v", done)
	}
	session := onA.Ready.Session
	onA.WS.Close()

	// …continues on B: the history is there, and the follow-up is read in
	// its light (the offline rewrite carries the earlier question's subject).
	onB := dial(t, b.addr, session, "198.51.100.2")
	if !onB.Ready.Resumed || onB.Ready.Session != session || len(onB.Ready.History) != 1 ||
		onB.Ready.History[0].Question != "What is the median salary of a media specialist?" {
		t.Fatalf("ready on B: %+v, want session %s resumed with A's turn", onB.Ready, session)
	}
	_, followUp := onB.ask("2", "And what about education?")
	if followUp.Type != "done" || !followUp.Grounded {
		t.Fatalf("follow-up on B: %+v", followUp)
	}
	if !strings.Contains(b.logs.String(), `standalone="And what about education? (median media specialist)"`) {
		t.Errorf("B did not read the follow-up with A's history; B's log:\n%s", b.logs.String())
	}
	back := dial(t, a.addr, session, "198.51.100.3")
	if len(back.Ready.History) != 2 {
		t.Errorf("back on A: %d turns, want 2", len(back.Ready.History))
	}

	// One ask a minute per IP, across the fleet: the second ask, on the other
	// replica, is refused.
	first := dial(t, a.addr, "", "203.0.113.9")
	if _, f := first.ask("3", "What does a media specialist earn?"); f.Type != "done" {
		t.Fatalf("first ask: %+v", f)
	}
	second := dial(t, b.addr, "", "203.0.113.9")
	if _, f := second.ask("4", "What does a media specialist earn?"); f.Type != "error" || f.Code != "rate_limited" {
		t.Errorf("second ask from the same IP on B: %+v, want rate_limited", f)
	}
	// Both replicas find the same sections with the same scores: each built
	// the same index from the same corpus.
	other := dial(t, b.addr, "", "203.0.113.10")
	srcB, _ := other.ask("5", "What is the median salary of a media specialist?")
	if fmt.Sprint(srcA.Sources) != fmt.Sprint(srcB.Sources) || len(srcA.Sources) == 0 {
		t.Errorf("sources differ:\nA %+v\nB %+v", srcA.Sources, srcB.Sources)
	}
	for i, q := range []string{"Which tools does a media specialist use?", "How do I become a media specialist?"} {
		ip := fmt.Sprintf("203.0.113.%d", 20+i)
		sa, _ := dial(t, a.addr, "", ip).ask("d", q)
		sb, _ := dial(t, b.addr, "", ip+"0").ask("d", q)
		if fmt.Sprint(sa.Sources) != fmt.Sprint(sb.Sources) {
			t.Errorf("%q: sources differ:\nA %+v\nB %+v", q, sa.Sources, sb.Sources)
		}
	}
	sameIndexHeaders(t, a.dataDir, b.dataDir)

	// Metrics: A and B answered four each (grounded); B refused one.
	ma, mb := scrape(t, a.metricsAddr), scrape(t, b.metricsAddr)
	for _, c := range []struct {
		name  string
		fams  map[string]*dto.MetricFamily
		label []string
		want  float64
	}{
		{"careerbot_asks_total", ma, []string{"mode", "offline", "outcome", "grounded"}, 4},
		{"careerbot_asks_total", mb, []string{"mode", "offline", "outcome", "grounded"}, 4},
		{"careerbot_asks_total", mb, []string{"outcome", "rate_limited"}, 1},
		{"careerbot_rate_limited_total", mb, nil, 1},
		{"careerbot_rate_limited_total", ma, nil, 0},
		{"careerbot_time_to_done_seconds", ma, []string{"mode", "offline"}, 4},
		{"careerbot_time_to_first_token_seconds", ma, []string{"mode", "offline"}, 4},
		{"careerbot_retrieval_seconds", ma, nil, 4},
		{"careerbot_redis_errors_total", ma, nil, 0},
		{"careerbot_redis_up", mb, nil, 1},
	} {
		if got := metricValue(c.fams, c.name, c.label...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.label, got, c.want)
		}
	}
	// Open on A: back, first and two of the loop's (onA's close may still
	// be on its way).
	for deadline := time.Now().Add(fleetGuard); metricValue(scrape(t, a.metricsAddr), "careerbot_open_connections") != 4; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("open connections on A: %v, want 4", metricValue(scrape(t, a.metricsAddr), "careerbot_open_connections"))
		}
	}
	if metricValue(ma, "careerbot_tokens_streamed_total") <= 0 {
		t.Error("no tokens counted on A")
	}
	// B's metrics are on their own listener, not on the public one.
	if resp, err := http.Get("http://" + b.addr + "/metrics"); err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "careerbot_asks_total") {
			t.Error("B serves /metrics publicly although BOT_METRICS_ADDR is set")
		}
	}
	// Feedback lands in the shared stream.
	if err := onB.WS.WriteJSON(protocol.Feedback{Type: protocol.TypeFeedback, ID: "2", Rating: "up", Comment: "clear"}); err != nil {
		t.Fatal(err)
	}
	rdb := redistest.Client(t, url)
	for deadline := time.Now().Add(fleetGuard); rdb.XLen(context.Background(), prefix+"feedback").Val() != 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("feedback never reached the Redis stream")
		}
	}
	if msgs := rdb.XRange(context.Background(), prefix+"feedback", "-", "+").Val(); msgs[0].Values["question"] != "And what about education?" || msgs[0].Values["session"] != fleetTag(session) {
		t.Errorf("feedback entry %v", msgs[0].Values)
	}
}

// sameIndexHeaders: both replicas built an index of the same corpus with
// the same options (fingerprint) and the same number of sections. The
// payload bytes may differ (the IDF table is written in map order), so
// sameness of the content is checked by comparing search results: see the
// caller, and rag's TestBuildsAreDeterministic.
func sameIndexHeaders(t *testing.T, dirA, dirB string) {
	t.Helper()
	header := func(dir string) (h struct {
		Fingerprint string `json:"fingerprint"`
		Chunks      int    `json:"chunks"`
	}) {
		data, err := os.ReadFile(filepath.Join(dir, "index.bin"))
		if err != nil {
			t.Fatal(err)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatalf("index header in %s: %v", dir, err)
		}
		return h
	}
	if a, b := header(dirA), header(dirB); a != b || a.Chunks == 0 {
		t.Errorf("index headers differ: %+v vs %+v", a, b)
	}
}

// Redis dies under a running replica: answers go on without history, the
// warning is logged and the error metric moves; when Redis is back,
// conversations are kept again.
func TestFleetSurvivesARedisOutage(t *testing.T) {
	redis := redistest.Start(t) // private: the shared one is not disturbed
	r := startReplica(t, map[string]string{"BOT_REDIS_URL": redis.URL, "BOT_RATE_LIMIT": "0"})

	c := dial(t, r.addr, "", "")
	if _, f := c.ask("1", "What is the median salary of a media specialist?"); f.Type != "done" || !f.Grounded {
		t.Fatalf("before the outage: %+v", f)
	}

	redis.Kill()
	// Same connection, a follow-up: answered, but without the history
	// (nothing carried over from the first question).
	_, f := c.ask("2", "And what about education?")
	if f.Type != "done" {
		t.Fatalf("during the outage: %+v, want an answer", f)
	}
	logs := r.logs.String()
	if !strings.Contains(logs, "redis unavailable") {
		t.Errorf("no warning logged:\n%s", logs)
	}
	if !strings.Contains(logs, `standalone="And what about education?"`) {
		t.Errorf("the follow-up was expected without history:\n%s", logs)
	}
	m := scrape(t, r.metricsAddr)
	if n := metricValue(m, "careerbot_redis_errors_total"); n < 1 {
		t.Errorf("redis errors %v, want ≥ 1", n)
	}
	if up := metricValue(m, "careerbot_redis_up"); up != 0 {
		t.Errorf("careerbot_redis_up %v during the outage", up)
	}
	// A visitor reconnecting now gets a new session: an id the store
	// cannot confirm is refused like a made-up one (no session fixation).
	if again := dial(t, r.addr, c.Ready.Session, ""); again.Ready.Session == c.Ready.Session || again.Ready.Resumed {
		t.Errorf("reconnecting during the outage kept session %s, want a new one", c.Ready.Session)
	}
	// A new visitor can still chat.
	if _, f := dial(t, r.addr, "", "").ask("3", "What does a media specialist earn?"); f.Type != "done" {
		t.Errorf("new chat during the outage: %+v", f)
	}

	redis.Restart() // empty: nothing was persisted
	for deadline := time.Now().Add(fleetGuard); ; time.Sleep(100 * time.Millisecond) {
		c := dial(t, r.addr, "", "")
		c.ask("4", "What is the median salary of a media specialist?")
		c.WS.Close()
		if again := dial(t, r.addr, c.Ready.Session, ""); again.Ready.Resumed && len(again.Ready.History) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("conversations not kept after Redis came back:\n%s", r.logs.String())
		}
	}
	if !strings.Contains(r.logs.String(), "redis is back") {
		t.Error("recovery not logged")
	}
	if up := metricValue(scrape(t, r.metricsAddr), "careerbot_redis_up"); up != 1 {
		t.Errorf("careerbot_redis_up %v after recovery", up)
	}
}

// BOT_REDIS_URL pointing at nothing stops `bot serve` at once with a clear
// error (no Redis needed for this test).
func TestServeFailsClearlyWithoutItsRedis(t *testing.T) {
	env := map[string]string{"BOT_ADDR": "127.0.0.1:0", "BOT_CORPUS_DIR": "../../corpus", "BOT_DATA_DIR": t.TempDir(), "BOT_REDIS_URL": "redis://:hunter2@127.0.0.1:1/0"}
	var stderr testutil.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, &stderr)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "redis at redis://127.0.0.1:1/0 does not answer") || !strings.Contains(err.Error(), "BOT_REDIS_URL") || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(fleetGuard):
		t.Fatal("serve kept running without its Redis")
	}
}

// With metrics off there is no /metrics, and without Redis no Redis series.
func TestMetricsSwitchedOff(t *testing.T) {
	r := startReplica(t, map[string]string{"BOT_METRICS": "false"})
	resp, err := http.Get("http://" + r.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "careerbot_") {
		t.Error("/metrics served with BOT_METRICS=false")
	}
	on := startReplica(t, nil)
	m := scrape(t, on.addr)
	if _, ok := m["careerbot_redis_errors_total"]; ok {
		t.Error("Redis series without Redis")
	}
	if _, ok := m["careerbot_open_connections"]; !ok {
		t.Error("no careerbot_open_connections by default")
	}
}

// An answer whose socket closed mid-answer on replica A is finished there,
// kept in Redis, and replayed by replica B to the page that resumes it.
func TestFleetReplaysAnAnswerWhoseSocketClosed(t *testing.T) {
	url := redistest.URL(t)
	shared := map[string]string{"BOT_REDIS_URL": url, "BOT_REDIS_PREFIX": redistest.Prefix(t, url), "BOT_RATE_LIMIT": "0"}
	a, b := startReplica(t, shared), startReplica(t, shared)
	onA := dial(t, a.addr, "", "198.51.100.7")
	session := onA.Ready.Session
	onA.Ask("away", "What is the median salary of a media specialist?")
	onA.WS.Close() // gone before a single frame of the answer was read

	var onB *wsClient
	for deadline := time.Now().Add(fleetGuard); ; time.Sleep(20 * time.Millisecond) {
		onB = dial(t, b.addr, session, "198.51.100.7")
		if onB.Ready.Resumed || time.Now().After(deadline) {
			break
		}
		onB.WS.Close()
	}
	if !onB.Ready.Resumed || len(onB.Ready.History) != 1 {
		t.Fatalf("ready on B: %s, want the session with A's finished answer", onB.Ready.Raw)
	}
	onB.Write(map[string]string{"type": "resume", "id": "away"})
	r := onB.ReadReply("away")
	if !strings.Contains(r.Done.Text, "65,000") || len(r.Sources.Sources) == 0 || strings.Join(r.Tokens, "") != r.Done.Text {
		t.Errorf("resumed on B: sources %s, tokens %q, done %s; want A's answer with its sources", r.Sources.Raw, r.Tokens, r.Done.Raw)
	}
}
