// Package metrics exports the chat server's events in the Prometheus text
// format (GET /metrics). It implements chat.Metrics (connections, refused messages) and conversation.Metrics (answers); every series is listed
// in docs/deploy.md.
package metrics

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/protocol"
)

// Metrics holds the bot's series in a registry of its own (no global state:
// two servers in one test process do not share counters).
type Metrics struct {
	reg  *prometheus.Registry
	mode string

	openConns      prometheus.Gauge
	connsRejected  *prometheus.CounterVec
	asks           *prometheus.CounterVec
	firstToken     *prometheus.HistogramVec
	done           *prometheus.HistogramVec
	retrieval      prometheus.Histogram
	llmErrors      *prometheus.CounterVec
	fallbacks      prometheus.Counter
	circuit        *prometheus.GaugeVec
	shortCircuited prometheus.Counter
	tokens         *prometheus.CounterVec
	rateLimited    prometheus.Counter
	redisErrors    *prometheus.CounterVec
	redisAvailable prometheus.Gauge
	indexReloads   *prometheus.CounterVec
	indexGuides    prometheus.Gauge
	indexBuiltAt   atomic.Int64 // unix nanoseconds of the serving index's vectors; 0 before it is in
}

// Label values, declared up front so that every series exists (at 0) from
// the start: rate() and alerts work before the first event.
var (
	modes         = []string{protocol.ModeLLM, protocol.ModeOffline}
	askOutcomes   = []string{"grounded", "declined", "fallback", "truncated", "cancelled", "error", "bad_request", "too_large", "rate_limited", "busy"}
	connReasons   = []string{"origin", "host", "per_ip", "sockets_per_ip", "sockets_total", "total", "not_ready", "draining"}
	llmKinds      = []string{"timeout", "rate_limited", "server", "client", "truncated", "other"}
	circuitStates = []string{conversation.CircuitClosed, conversation.CircuitOpen, conversation.CircuitHalfOpen}
	reloadResults = []string{"ok", "unchanged", "error"}
	redisOps      = []string{"session_load", "session_append", "session_reset", "rate_limit", "feedback"}
	latencySecs   = []float64{.01, .025, .05, .1, .25, .5, 1, 2, 4, 8, 15, 30, 60}
	retrieveSecs  = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}
)

// New returns the metrics of a server whose answers come in mode ("llm" or
// "offline"; rejected asks are counted under it).
func New(mode string) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), mode: mode}
	m.openConns = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "careerbot_open_connections", Help: "Websocket connections open on this replica.",
	})
	m.connsRejected = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "careerbot_connections_rejected_total", Help: "Connections refused, by reason (origin, host, per_ip, sockets_per_ip, sockets_total, total, not_ready, draining).",
	}, []string{"reason"})
	m.asks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "careerbot_asks_total",
		Help: "Questions by answer mode and outcome: grounded, declined, fallback, truncated, cancelled, error, or the error code of a refused message.",
	}, []string{"mode", "outcome"})
	m.firstToken = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "careerbot_time_to_first_token_seconds", Help: "Time from a question to its first token frame.", Buckets: latencySecs,
	}, []string{"mode"})
	m.done = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "careerbot_time_to_done_seconds", Help: "Time from a question to its done frame.", Buckets: latencySecs,
	}, []string{"mode"})
	m.retrieval = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "careerbot_retrieval_seconds", Help: "Time to search the guides for one question.", Buckets: retrieveSecs,
	})
	m.llmErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "careerbot_llm_errors_total", Help: "LLM failures by kind (timeout, rate_limited, server, client, truncated, other).",
	}, []string{"kind"})
	m.fallbacks = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "careerbot_llm_fallbacks_total", Help: "Answers given from the guide because the LLM failed before its first token.",
	})
	m.circuit = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "careerbot_llm_circuit_state", Help: "The LLM circuit breaker's state: 1 for the current one of closed (the model is asked), open (answers from the guide at once), half_open (one probe asks the model).",
	}, []string{"state"})
	m.shortCircuited = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "careerbot_llm_short_circuited_total", Help: "Answers given from the guide without asking the LLM, because its circuit breaker was open.",
	})
	m.tokens = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "careerbot_tokens_streamed_total", Help: "Token frames sent to clients, by answer mode.",
	}, []string{"mode"})
	m.rateLimited = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "careerbot_rate_limited_total", Help: "Messages refused because the client IP exceeded BOT_RATE_LIMIT.",
	})
	m.redisErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "careerbot_redis_errors_total", Help: "Redis operations that failed (or were skipped while Redis was down), by operation.",
	}, []string{"op"})
	m.redisAvailable = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "careerbot_redis_up", Help: "1 while the last Redis call succeeded, 0 after a failure; absent without Redis.",
	})
	m.indexReloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "careerbot_index_reload_total", Help: "Reloads of the guides (SIGHUP or BOT_CORPUS_WATCH), by result: ok (new index serving), unchanged, error (old index kept).",
	}, []string{"result"})
	m.indexGuides = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "careerbot_index_guides", Help: "Guides in the index being served.",
	})
	indexAge := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "careerbot_index_age_seconds", Help: "Time since the serving index was built (kept across restarts by the index file); 0 before it is in.",
	}, func() float64 {
		built := m.indexBuiltAt.Load()
		if built == 0 {
			return 0
		}
		return time.Since(time.Unix(0, built)).Seconds()
	})
	for _, c := range []prometheus.Collector{m.openConns, m.connsRejected, m.asks, m.firstToken, m.done, m.retrieval,
		m.llmErrors, m.fallbacks, m.circuit, m.shortCircuited, m.tokens, m.rateLimited, m.indexReloads, m.indexGuides, indexAge,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		m.reg.MustRegister(c)
	}
	for _, r := range connReasons {
		m.connsRejected.WithLabelValues(r)
	}
	for _, md := range modes {
		for _, o := range askOutcomes {
			m.asks.WithLabelValues(md, o)
		}
		m.firstToken.WithLabelValues(md)
		m.done.WithLabelValues(md)
		m.tokens.WithLabelValues(md)
	}
	for _, k := range llmKinds {
		m.llmErrors.WithLabelValues(k)
	}
	m.LLMCircuit(conversation.CircuitClosed)
	for _, r := range reloadResults {
		m.indexReloads.WithLabelValues(r)
	}
	return m
}

// IndexReloaded counts a reload of the guides by result: "ok", "unchanged"
// or "error".
func (m *Metrics) IndexReloaded(result string) { m.indexReloads.WithLabelValues(result).Inc() }

// IndexServing records the index now in service: its guide count and when
// it was built.
func (m *Metrics) IndexServing(guides int, builtAt time.Time) {
	m.indexGuides.Set(float64(guides))
	m.indexBuiltAt.Store(builtAt.UnixNano())
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// WatchRedis adds the Redis series (absent when Redis is not configured).
func (m *Metrics) WatchRedis() {
	m.reg.MustRegister(m.redisErrors, m.redisAvailable)
	for _, op := range redisOps {
		m.redisErrors.WithLabelValues(op)
	}
}

// RedisError counts a failed Redis operation (redisstate.Options.OnError).
func (m *Metrics) RedisError(op string) { m.redisErrors.WithLabelValues(op).Inc() }

// RedisUp records whether Redis answers (redisstate.Options.OnState).
func (m *Metrics) RedisUp(up bool) {
	if up {
		m.redisAvailable.Set(1)
	} else {
		m.redisAvailable.Set(0)
	}
}

var (
	_ chat.Metrics         = (*Metrics)(nil)
	_ conversation.Metrics = (*Metrics)(nil)
)

// ConnOpened implements chat.Metrics.
func (m *Metrics) ConnOpened() { m.openConns.Inc() }

// ConnClosed implements chat.Metrics.
func (m *Metrics) ConnClosed() { m.openConns.Dec() }

// ConnRejected implements chat.Metrics.
func (m *Metrics) ConnRejected(reason string) { m.connsRejected.WithLabelValues(reason).Inc() }

// AskRejected implements chat.Metrics.
func (m *Metrics) AskRejected(code string) {
	m.asks.WithLabelValues(m.mode, code).Inc()
	if code == "rate_limited" {
		m.rateLimited.Inc()
	}
}

// FirstToken implements conversation.Metrics.
func (m *Metrics) FirstToken(mode string, wait time.Duration) {
	m.firstToken.WithLabelValues(mode).Observe(wait.Seconds())
}

// Answered implements conversation.Metrics.
func (m *Metrics) Answered(mode, outcome string, grounded bool, took time.Duration) {
	if outcome == "answered" && grounded {
		outcome = "grounded"
	}
	if outcome == "fallback" {
		m.fallbacks.Inc()
	}
	m.asks.WithLabelValues(mode, outcome).Inc()
	m.done.WithLabelValues(mode).Observe(took.Seconds())
}

// LLMError implements conversation.Metrics.
func (m *Metrics) LLMError(kind string) { m.llmErrors.WithLabelValues(kind).Inc() }

// LLMCircuit implements conversation.Metrics: the breaker's state, one
// series per state, 1 for the current one.
func (m *Metrics) LLMCircuit(state string) {
	for _, st := range circuitStates {
		v := 0.0
		if st == state {
			v = 1
		}
		m.circuit.WithLabelValues(st).Set(v)
	}
}

// LLMShortCircuited implements conversation.Metrics.
func (m *Metrics) LLMShortCircuited() { m.shortCircuited.Inc() }

// Retrieved implements conversation.Metrics.
func (m *Metrics) Retrieved(took time.Duration) { m.retrieval.Observe(took.Seconds()) }

// TokensStreamed implements conversation.Metrics.
func (m *Metrics) TokensStreamed(mode string, n int) {
	m.tokens.WithLabelValues(mode).Add(float64(n))
}
