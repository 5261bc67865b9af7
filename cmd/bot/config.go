package main

import (
	"errors"
	"flag"
	"fmt"

	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
)

// setting is one configuration variable. The list below is the single source
// of truth: it drives the flags, `bot <cmd> -h`, and a test that keeps
// .env.example (and the README's table) in step with it.
type setting struct {
	env  string // environment variable, e.g. BOT_ADDR
	def  string // default value ("" = unset)
	help string // one line
}

// flagName turns BOT_CORPUS_DIR into corpus-dir and OPENAI_BASE_URL into openai-base-url.
func (s setting) flagName() string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(s.env, "BOT_")), "_", "-")
}

func allSettings() []setting {
	return []setting{
		// Corpus, index and retrieval.
		{"BOT_CORPUS_DIR", "corpus", "directory of career guides, one .txt or .md file per guide"},
		{"BOT_DATA_DIR", ".data", "where the index file and the feedback log are written"},
		{"BOT_FEEDBACK_MAX_BYTES", strconv.Itoa(conversation.DefaultFeedbackMaxBytes), "size at which feedback.jsonl is rotated to feedback.jsonl.1 (the two hold at most twice this), and the byte budget of the Redis feedback stream"},
		{"BOT_TOP_K", strconv.Itoa(rag.DefaultTopK), "number of guide sections retrieved per question"},
		{"BOT_MIN_SCORE", strconv.FormatFloat(rag.DefaultMinScore, 'g', -1, 32), "minimum retrieval score; below it the bot declines instead of guessing"},
		{"BOT_STOP_HEADINGS", strings.Join(rag.DefaultStopHeadings, ","), "comma-separated headings whose sections are page chrome and are dropped"},
		{"BOT_EMBEDDINGS", "builtin", "embedder: builtin (offline, pure Go) or openai (OpenAI-compatible /embeddings)"},
		{"BOT_EMBEDDING_MODEL", "text-embedding-3-small", "embedding model when BOT_EMBEDDINGS=openai"},
		{"BOT_CORPUS_WATCH", "0", "how often to check BOT_CORPUS_DIR for changed guides and reload them, e.g. 30s (0 = off; SIGHUP always reloads)"},
		// LLM.
		{"OPENAI_API_KEY", "", "API key; setting it (or OPENAI_BASE_URL) switches answers to LLM mode"},
		{"OPENAI_BASE_URL", "", "OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 for Ollama"},
		{"OPENAI_MODEL", "gpt-4o-mini", "chat model used in LLM mode"},
		{"BOT_LLM_TIMEOUT", shortDuration(openai.DefaultTimeout), "longest wait for the first token from the LLM, its one retry included (and between tokens)"},
		{"BOT_LLM_TEMPERATURE", "0.2", "sampling temperature of the chat model (0 = as deterministic as the server allows)"},
		{"BOT_LLM_MAX_TOKENS", "500", "longest LLM answer in tokens (0 = the server's default); a longer one is cut and flagged"},
		{"BOT_LLM_BREAKER_FAILURES", strconv.Itoa(conversation.DefaultBreakerFailures), "consecutive LLM failures after which answers come from the guides at once, with a notice, for BOT_LLM_BREAKER_COOLDOWN (0 = no breaker)"},
		{"BOT_LLM_BREAKER_COOLDOWN", shortDuration(conversation.DefaultBreakerCooldown), "how long the LLM circuit breaker stays open before one question probes the model again"},
		// Server.
		{"BOT_ADDR", ":8080", "listen address of the chat server"},
		{"BOT_ALLOWED_ORIGINS", "", "comma-separated browser origins (scheme://host[:port]) allowed to open the websocket cross-origin; * allows any"},
		{"BOT_TRUSTED_PROXIES", "", "comma-separated proxy IPs or CIDRs whose X-Forwarded-For is trusted"},
		{"BOT_IPV6_PREFIX", "64", "leading bits of an IPv6 address that count as one client for every per-IP limit (128 = single addresses)"},
		{"BOT_PUBLIC_HOSTS", "", "comma-separated Host values served (host or host:port); others get 421, against DNS rebinding (empty = any)"},
		{"BOT_SESSION_TTL", shortDuration(conversation.DefaultSessionTTL), "idle time after which a conversation is forgotten"},
		{"BOT_MAX_TURNS", strconv.Itoa(conversation.DefaultMaxTurns), "turns of history kept per conversation"},
		{"BOT_MAX_SESSIONS", strconv.Itoa(conversation.DefaultMaxSessions), "conversations kept in memory (without Redis); past it the least recently used is forgotten (~24 KiB each when full, ≤ 62 KiB when every turn owns its sources' texts: 7000 ≤ ~430 MiB)"},
		{"BOT_MAX_SESSION_BYTES", strconv.Itoa(conversation.DefaultMaxSessionBytes), "bytes of history kept per conversation in memory; past it the oldest turns are dropped (a session holds under twice this: dropped turns are freed once they hold as much)"},
		{"BOT_MAX_QUESTION", strconv.Itoa(chat.DefaultMaxQuestion), "longest question in characters"},
		{"BOT_READ_LIMIT", strconv.Itoa(chat.DefaultReadLimit), "largest websocket frame in bytes; larger closes the connection with 1009"},
		{"BOT_RATE_LIMIT", "30", "asks per minute per client IP (0 = off, and with it the per-connection message budget)"},
		{"BOT_MAX_CONNS_PER_IP", "20", "open websocket connections per client IP (0 = off)"},
		{"BOT_MAX_CONNS", "10000", "open websocket connections in total (0 = off)"},
		{"BOT_MAX_SOCKETS_PER_IP", "64", "open TCP connections of any kind per client IP, cut at accept; trusted proxies are exempt (0 = off, as when BOT_MAX_CONNS_PER_IP=0)"},
		{"BOT_MAX_SOCKETS", "0", "open TCP connections of any kind in total, cut at accept (0 = three quarters of the open-file limit, the rest kept for the bot's own files, Redis and the LLM)"},
		{"BOT_WS_IDLE_TIMEOUT", "5m", "a websocket that asks nothing for this long is closed; the widget reconnects on the next ask"},
		{"BOT_SHUTDOWN_TIMEOUT", "10s", "how long in-flight answers may finish on SIGTERM"},
		{"BOT_GREETING", "", "greeting sent when a chat opens (empty = one naming the guides)"},
		{"BOT_LOG_LEVEL", "info", "debug, info, warn or error (questions are logged only at debug)"},
		{"BOT_SESSION_LOG_KEY", "", "key of the short hash that stands for a session id in logs and feedback (empty = random per process; give replicas the same to match their logs)"},
		{"BOT_DEBUG_ADDR", "", "address for /debug/pprof and /debug/vars (off when empty; keep it private)"},
		// Fleet: shared state and metrics (docs/deploy.md).
		{"BOT_REDIS_URL", "", "Redis shared by replicas for sessions, rate limits and feedback, e.g. redis://localhost:6379/0 (empty = in memory)"},
		{"BOT_REDIS_PREFIX", "careerbot:", "prefix of every Redis key, so several deployments can share one Redis"},
		{"BOT_METRICS", "true", "serve Prometheus metrics at GET /metrics (false = off)"},
		{"BOT_METRICS_ADDR", "", "separate listen address for /metrics (empty = on BOT_ADDR; set it to keep metrics private)"},
		{"BOT_METRICS_ALLOW", "", "comma-separated IPs or CIDRs that may read /metrics on BOT_ADDR besides loopback and private ranges (* = anyone)"},
	}
}

// shortDuration writes d as a person would in a setting: 1h, 30s, 1h30m
// (time.Duration.String gives 1h0m0s).
func shortDuration(d time.Duration) string {
	out := d.String()
	if strings.HasSuffix(out, "m0s") {
		out = strings.TrimSuffix(out, "0s")
	}
	if strings.HasSuffix(out, "h0m") {
		out = strings.TrimSuffix(out, "0m")
	}
	return out
}

// config holds the resolved settings: flag, else real environment, else .env, else default.
type config struct {
	values map[string]string
	errs   []error
}

// bindSettings registers one flag per setting on fs and returns a function that
// resolves the final configuration after fs.Parse.
func bindSettings(fs *flag.FlagSet, getenv func(string) string) func() *config {
	flagVals := map[string]*string{}
	for _, s := range allSettings() {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		shown := redactSetting(s.env, def) // never print a key or a password
		p := new(string)
		fs.Func(s.flagName(), fmt.Sprintf("%s [$%s, default %q]", s.help, s.env, shown), func(v string) error { *p = v; return nil })
		*p = def
		flagVals[s.env] = p
	}
	return func() *config {
		c := &config{values: map[string]string{}}
		for k, p := range flagVals {
			c.values[k] = *p
		}
		return c
	}
}

func (c *config) str(name string) string { return strings.TrimSpace(c.values[name]) }

func (c *config) list(name string) []string {
	var out []string
	for _, part := range strings.Split(c.str(name), ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func (c *config) int(name string) int {
	n, err := strconv.Atoi(c.str(name))
	if err != nil || n < 0 {
		c.errs = append(c.errs, fmt.Errorf("%s=%q: want a whole number ≥ 0", name, c.str(name)))
	}
	return n
}

func (c *config) float(name string) float64 {
	f, err := strconv.ParseFloat(c.str(name), 64)
	if err != nil {
		c.errs = append(c.errs, fmt.Errorf("%s=%q: want a number", name, c.str(name)))
	}
	return f
}

func (c *config) duration(name string) time.Duration {
	d, err := time.ParseDuration(c.str(name))
	if err != nil || d < 0 {
		c.errs = append(c.errs, fmt.Errorf("%s=%q: want a duration such as 30s or 1h", name, c.str(name)))
	}
	return d
}

//lint:ignore U1000 the typed getters are the settings table's API; boolean settings will use it
func (c *config) bool(name string) bool {
	b, err := strconv.ParseBool(c.str(name))
	if err != nil {
		c.errs = append(c.errs, fmt.Errorf("%s=%q: want true or false", name, c.str(name)))
	}
	return b
}

// err reports every malformed setting at once, so the operator fixes them in one go.
func (c *config) err() error { return errors.Join(c.errs...) }

// newFlagSet makes a subcommand's flag set with the settings bound and a usage
// message that lists them.
func newFlagSet(env *environment, name, synopsis string) (*flag.FlagSet, func() *config) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	resolve := bindSettings(fs, env.getenv)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: bot %s\n\nFlags (each also read from the environment variable shown, or from .env):\n", synopsis)
		fs.PrintDefaults()
	}
	return fs, resolve
}

// withDotEnv returns a getenv that falls back to the variables in path (when
// the file exists). The real environment always wins over .env.
func withDotEnv(getenv func(string) string, path string) func(string) string {
	vars, err := godotenv.Read(path)
	if err != nil || len(vars) == 0 {
		return getenv
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return vars[k]
	}
}
