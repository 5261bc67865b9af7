package metrics

import (
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/careerbot/careerbot/internal/testutil"
)

// scrape parses GET /metrics.
func scrape(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: %d", rec.Code)
	}
	return testutil.ParseMetrics(t, rec.Body)
}

// value is the counter, gauge or histogram count of the series with labels;
// the test fails when there is none.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	v, ok := testutil.MetricValue(fams, name, labels...)
	if !ok {
		t.Fatalf("no %s%v", name, labels)
	}
	return v
}

func TestEventsMoveTheirSeries(t *testing.T) {
	m := New("llm")
	before := scrape(t, m)
	if v := value(t, before, "careerbot_asks_total", "mode", "offline", "outcome", "declined"); v != 0 {
		t.Errorf("declined starts at %v", v)
	}
	if _, ok := before["careerbot_redis_errors_total"]; ok {
		t.Error("Redis series without Redis")
	}

	m.ConnOpened()
	m.ConnOpened()
	m.ConnClosed()
	m.ConnRejected("per_ip")
	m.Retrieved(3 * time.Millisecond)
	m.FirstToken("llm", 200*time.Millisecond)
	m.TokensStreamed("llm", 12)
	m.Answered("llm", "answered", true, time.Second)
	m.LLMError("timeout")
	m.FirstToken("llm", time.Second)
	m.TokensStreamed("llm", 4)
	m.Answered("llm", "fallback", true, 2*time.Second)
	m.Answered("llm", "declined", false, 10*time.Millisecond)
	m.AskRejected("rate_limited")
	m.AskRejected("busy")
	m.WatchRedis()
	m.RedisUp(false)
	m.RedisError("session_load")
	m.RedisError("session_load")
	m.LLMCircuit("open")
	m.LLMShortCircuited()
	m.LLMShortCircuited()

	fams := scrape(t, m)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"careerbot_open_connections", nil, 1},
		{"careerbot_connections_rejected_total", []string{"reason", "per_ip"}, 1},
		{"careerbot_retrieval_seconds", nil, 1},
		{"careerbot_time_to_first_token_seconds", []string{"mode", "llm"}, 2},
		{"careerbot_time_to_done_seconds", []string{"mode", "llm"}, 3},
		{"careerbot_tokens_streamed_total", []string{"mode", "llm"}, 16},
		{"careerbot_asks_total", []string{"mode", "llm", "outcome", "grounded"}, 1},
		{"careerbot_asks_total", []string{"mode", "llm", "outcome", "fallback"}, 1},
		{"careerbot_asks_total", []string{"mode", "llm", "outcome", "declined"}, 1},
		{"careerbot_asks_total", []string{"mode", "llm", "outcome", "rate_limited"}, 1},
		{"careerbot_asks_total", []string{"mode", "llm", "outcome", "busy"}, 1},
		{"careerbot_llm_errors_total", []string{"kind", "timeout"}, 1},
		{"careerbot_llm_fallbacks_total", nil, 1},
		{"careerbot_llm_circuit_state", []string{"state", "open"}, 1},
		{"careerbot_llm_circuit_state", []string{"state", "closed"}, 0},
		{"careerbot_llm_circuit_state", []string{"state", "half_open"}, 0},
		{"careerbot_llm_short_circuited_total", nil, 2},
		{"careerbot_rate_limited_total", nil, 1},
		{"careerbot_redis_errors_total", []string{"op", "session_load"}, 2},
		{"careerbot_redis_errors_total", []string{"op", "feedback"}, 0},
		{"careerbot_redis_up", nil, 0},
	} {
		if got := value(t, fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

func TestIndexSeries(t *testing.T) {
	m := New("offline")
	before := scrape(t, m)
	if v := value(t, before, "careerbot_index_age_seconds"); v != 0 {
		t.Errorf("index age before any index: %v", v)
	}
	m.IndexServing(1000, time.Now().Add(-time.Hour))
	m.IndexReloaded("ok")
	m.IndexReloaded("error")
	m.IndexReloaded("error")
	fams := scrape(t, m)
	if v := value(t, fams, "careerbot_index_guides"); v != 1000 {
		t.Errorf("index guides %v, want 1000", v)
	}
	if v := value(t, fams, "careerbot_index_age_seconds"); v < 3600 || v > 3600+60 {
		t.Errorf("index age %v s, want about an hour", v)
	}
	for result, want := range map[string]float64{"ok": 1, "error": 2, "unchanged": 0} {
		if v := value(t, fams, "careerbot_index_reload_total", "result", result); v != want {
			t.Errorf("reloads %s = %v, want %v", result, v, want)
		}
	}
}
