package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/metrics"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/redisstate"
	"github.com/careerbot/careerbot/protocol"
)

// runServe serves the websocket chat, the widget and the health checks. It
// listens at once and loads the index in the background (/readyz turns 200
// when it is in), and on SIGINT/SIGTERM drains gracefully and returns nil.
func runServe(ctx context.Context, env *environment, args []string) error {
	fs, resolve := newFlagSet(env, "serve", "serve [flags]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := resolve()
	logger := newLogger(cfg, env.stderr)
	chatCfg, convCfg := chatConfig(cfg), conversationConfig(cfg)
	model := newChatClient(cfg)
	opts := serveOptions{
		onListen:        env.onListen,
		addr:            cfg.str("BOT_ADDR"),
		debugAddr:       cfg.str("BOT_DEBUG_ADDR"),
		shutdownTimeout: cfg.duration("BOT_SHUTDOWN_TIMEOUT"),
		socketsPerIP:    socketsPerIP(cfg),
		maxSockets:      maxSockets(cfg),
		ipv6Prefix:      chatCfg.IPv6Prefix,
		trustedProxies:  chatCfg.TrustedProxies,
	}
	metricsOn := cfg.bool("BOT_METRICS")
	keeper, err := newIndexKeeper(cfg, logger)
	if err != nil {
		return err
	}
	// SIGHUP reloads the guides; registered before the index loads, so an
	// early one is not the default action (exit).
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	keeper.triggers = hup
	opts.afterReady = keeper.run
	if err := cfg.err(); err != nil {
		return err
	}
	convDeps := conversation.Deps{Logger: logger}
	chatDeps := chat.Deps{Logger: logger}
	var chatOpts []chat.Option
	mode := protocol.ModeOffline
	if model != nil {
		logger.Info("LLM mode", "model", model.Model(), "base_url", model.Endpoint())
		convDeps.LLM = model
		mode = protocol.ModeLLM
	}
	var exporter *metrics.Metrics
	if metricsOn {
		exporter = metrics.New(mode)
		convDeps.Metrics, chatDeps.Metrics = exporter, exporter
		keeper.metrics = exporter
		opts.onSocketRefused = exporter.ConnRejected
		if addr := cfg.str("BOT_METRICS_ADDR"); addr != "" {
			opts.metrics, opts.metricsAddr = exporter.Handler(), addr
		} else {
			allow, anyone := metricsAllowList(cfg)
			chatOpts = append(chatOpts, chat.WithMetrics(exporter.Handler()), chat.WithMetricsAllowed(allow, anyone))
		}
	}
	if redisURL := cfg.str("BOT_REDIS_URL"); redisURL != "" {
		store, err := openRedis(ctx, redisURL, cfg.str("BOT_REDIS_PREFIX"), exporter, logger)
		if err != nil {
			return err
		}
		defer store.Close()
		convDeps.Sessions = store.Sessions(convCfg.SessionTTL, convCfg.MaxTurns)
		convDeps.Limiter = store.RateLimiter(convCfg.RateLimit)
		convDeps.Feedback = store.Feedback(convCfg.FeedbackMaxBytes, conversation.NewFeedbackLog(convCfg.DataDir, convCfg.FeedbackMaxBytes))
		logger.Info("shared state in redis: sessions, rate limits, feedback", "redis", store.Addr(), "prefix", cfg.str("BOT_REDIS_PREFIX"))
	}
	answers := conversation.New(convCfg, convDeps)
	chatDeps.Answers = answers
	srv := chat.NewServer(chatCfg, chatDeps, chatOpts...)
	srv.SetIndexState(keeper.state)
	return serve(ctx, logger, opts, srv, answers, keeper.load)
}

// openRedis connects the shared state, reporting Redis errors and
// availability to the metrics when they are on.
func openRedis(ctx context.Context, url, prefix string, exporter *metrics.Metrics, logger *slog.Logger) (*redisstate.Store, error) {
	o := redisstate.Options{URL: url, Prefix: prefix, Logger: logger}
	if exporter != nil {
		exporter.WatchRedis()
		o.OnError = exporter.RedisError
		o.OnState = exporter.RedisUp
	}
	store, err := redisstate.Open(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("BOT_REDIS_URL: %w", err)
	}
	return store, nil
}

// chatConfig maps the settings onto the websocket transport's Config.
func chatConfig(cfg *config) chat.Config {
	proxies, err := chat.ParseTrustedProxies(cfg.list("BOT_TRUSTED_PROXIES"))
	if err != nil {
		cfg.errs = append(cfg.errs, fmt.Errorf("BOT_TRUSTED_PROXIES: %w", err))
	}
	v6 := cfg.int("BOT_IPV6_PREFIX")
	if v6 < 1 || v6 > 128 {
		cfg.errs = append(cfg.errs, fmt.Errorf("BOT_IPV6_PREFIX=%q: want a prefix length from 1 to 128", cfg.str("BOT_IPV6_PREFIX")))
	}
	return chat.Config{
		AllowedOrigins: cfg.list("BOT_ALLOWED_ORIGINS"),
		TrustedProxies: proxies,
		IPv6Prefix:     v6,
		PublicHosts:    cfg.list("BOT_PUBLIC_HOSTS"),
		IdleTimeout:    cfg.duration("BOT_WS_IDLE_TIMEOUT"),
		MaxQuestion:    cfg.int("BOT_MAX_QUESTION"),
		ReadLimit:      int64(cfg.int("BOT_READ_LIMIT")),
		MaxConnsPerIP:  cfg.int("BOT_MAX_CONNS_PER_IP"),
		MaxConns:       cfg.int("BOT_MAX_CONNS"),
	}
}

// conversationConfig maps the settings onto the answer service's Config.
func conversationConfig(cfg *config) conversation.Config {
	return conversation.Config{
		Greeting:         cfg.str("BOT_GREETING"),
		SessionTTL:       cfg.duration("BOT_SESSION_TTL"),
		MaxTurns:         cfg.int("BOT_MAX_TURNS"),
		MaxSessions:      cfg.int("BOT_MAX_SESSIONS"),
		MaxSessionBytes:  cfg.int("BOT_MAX_SESSION_BYTES"),
		RateLimit:        cfg.int("BOT_RATE_LIMIT"),
		DataDir:          cfg.str("BOT_DATA_DIR"),
		FeedbackMaxBytes: int64(cfg.int("BOT_FEEDBACK_MAX_BYTES")),
		BreakerFailures:  breakerFailures(cfg),
		BreakerCooldown:  cfg.duration("BOT_LLM_BREAKER_COOLDOWN"),
		IDKey:            cfg.str("BOT_SESSION_LOG_KEY"),
	}
}

// breakerFailures is BOT_LLM_BREAKER_FAILURES for the answer service,
// where 0 means the default: the setting's 0 (off) is -1 there.
func breakerFailures(cfg *config) int {
	if n := cfg.int("BOT_LLM_BREAKER_FAILURES"); n > 0 {
		return n
	}
	return -1
}

// socketsPerIP is BOT_MAX_SOCKETS_PER_IP, or 0 (off) when the websocket
// cap per IP is off: the documented way to turn the limits off for a load
// test from one machine (BOT_MAX_CONNS_PER_IP=0) turns this one off too.
func socketsPerIP(cfg *config) int {
	n := cfg.int("BOT_MAX_SOCKETS_PER_IP")
	if cfg.int("BOT_MAX_CONNS_PER_IP") == 0 {
		return 0
	}
	return n
}

// maxSockets is BOT_MAX_SOCKETS, or when it is 0 three quarters of the
// open-file limit (autoSocketCap).
func maxSockets(cfg *config) int {
	if n := cfg.int("BOT_MAX_SOCKETS"); n > 0 {
		return n
	}
	return autoSocketCap(openFileLimit())
}

// metricsAllowList parses BOT_METRICS_ALLOW: extra peers that may read
// /metrics on the chat address, or "*" for anyone.
func metricsAllowList(cfg *config) (allow []netip.Prefix, anyone bool) {
	var entries []string
	for _, e := range cfg.list("BOT_METRICS_ALLOW") {
		if e == "*" {
			anyone = true
			continue
		}
		entries = append(entries, e)
	}
	allow, err := chat.ParseTrustedProxies(entries)
	if err != nil {
		cfg.errs = append(cfg.errs, fmt.Errorf("BOT_METRICS_ALLOW: %w", err))
	}
	return allow, anyone
}

// newChatClient is the LLM client when OPENAI_API_KEY or OPENAI_BASE_URL is
// set, else nil (offline mode).
func newChatClient(cfg *config) *openai.ChatClient {
	key, base := cfg.str("OPENAI_API_KEY"), cfg.str("OPENAI_BASE_URL")
	if key == "" && base == "" {
		return nil
	}
	return openai.NewChatClient(openai.ChatOptions{
		BaseURL:     base,
		APIKey:      key,
		Model:       cfg.str("OPENAI_MODEL"),
		Temperature: float32(cfg.float("BOT_LLM_TEMPERATURE")),
		MaxTokens:   cfg.int("BOT_LLM_MAX_TOKENS"),
		Timeout:     cfg.duration("BOT_LLM_TIMEOUT"),
	})
}

type serveOptions struct {
	addr            string
	debugAddr       string       // "" = no debug listener
	metrics         http.Handler // /metrics on a listener of its own (nil = none; on addr it is chat.WithMetrics)
	metricsAddr     string       // that listener's address
	shutdownTimeout time.Duration
	onListen        func(listening) // tests learn the ports here, never from the log
	// afterReady, when set, runs once the index is in service, until the
	// server stops; swap puts another index into service (reloads).
	afterReady func(ctx context.Context, swap func(conversation.Retriever))
	// readHeaderTimeout cuts clients that send request headers too slowly
	// (slowloris); 0 = 10s. Tests shorten it.
	readHeaderTimeout time.Duration

	// socketsPerIP caps the TCP connections one client (an IPv4 address
	// or an IPv6 prefix of ipv6Prefix bits) holds open, of any kind, at
	// accept; trusted proxies are exempt. 0 = off.
	socketsPerIP   int
	ipv6Prefix     int
	trustedProxies []netip.Prefix
	// maxSockets caps the TCP connections open in all, at accept. 0 = off.
	maxSockets int
	// onSocketRefused counts a connection cut by socketsPerIP or
	// maxSockets, by reason.
	onSocketRefused func(reason string)
	// httpIdleTimeout closes a plain HTTP keep-alive connection idle this
	// long (0 = 10s); maxIdleHTTP is how many may be idle at once before
	// the next one to become idle is closed (0 = 256).
	httpIdleTimeout time.Duration
	maxIdleHTTP     int
}

// listening is where serve listens once it does; debug and metrics are nil
// when they have no listener of their own.
type listening struct{ chat, debug, metrics net.Addr }

// serve runs srv until ctx ends (then drains it) or something fails. The
// index is loaded in the background and handed to answers.
func serve(ctx context.Context, logger *slog.Logger, o serveOptions, srv *chat.Server, answers *conversation.Service, load func(context.Context) (conversation.Retriever, error)) error {
	started := time.Now()
	rawLn, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln := limitSockets(rawLn, socketLimits{
		perIP: o.socketsPerIP, v6Bits: o.ipv6Prefix, trusted: o.trustedProxies,
		total: o.maxSockets, onRefused: o.onSocketRefused,
	}, logger)
	readHeaderTimeout := o.readHeaderTimeout
	if readHeaderTimeout <= 0 {
		readHeaderTimeout = 10 * time.Second
	}
	idleTimeout := o.httpIdleTimeout
	if idleTimeout <= 0 {
		idleTimeout = 10 * time.Second
	}
	maxIdle := o.maxIdleHTTP
	if maxIdle <= 0 {
		maxIdle = 256
	}
	httpSrv := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: readHeaderTimeout,
		// Plain requests (the widget's script, health checks) need no long
		// keep-alive; websockets are hijacked and not affected.
		IdleTimeout:    idleTimeout,
		MaxHeaderBytes: 16 << 10,
		ErrorLog:       slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ConnState:      capIdle(maxIdle),
	}
	failed := make(chan error, 4)
	go func() {
		if err := httpSrv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			failed <- fmt.Errorf("serve: %w", err)
		}
	}()
	logger.Info("listening", "addr", ln.Addr().String(), "mode", answers.Mode(), "max_sockets", o.maxSockets, "max_sockets_per_ip", o.socketsPerIP)

	var debugSrv *http.Server
	var debugAddr net.Addr
	if o.debugAddr != "" {
		dln, err := net.Listen("tcp", o.debugAddr)
		if err != nil {
			httpSrv.Close()
			return fmt.Errorf("debug listener: %w", err)
		}
		debugAddr = dln.Addr()
		debugSrv = &http.Server{Handler: debugHandler(srv.Stats, started, os.Args), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := debugSrv.Serve(dln); !errors.Is(err, http.ErrServerClosed) {
				failed <- fmt.Errorf("debug listener: %w", err)
			}
		}()
		logger.Info("debug listener (pprof, vars): keep it private", "addr", dln.Addr().String())
	}
	var metricsSrv *http.Server
	var metricsAddr net.Addr
	if o.metrics != nil {
		mln, err := net.Listen("tcp", o.metricsAddr)
		if err != nil {
			httpSrv.Close()
			if debugSrv != nil {
				debugSrv.Close()
			}
			return fmt.Errorf("metrics listener (BOT_METRICS_ADDR): %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", o.metrics)
		metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := metricsSrv.Serve(mln); !errors.Is(err, http.ErrServerClosed) {
				failed <- fmt.Errorf("metrics listener: %w", err)
			}
		}()
		metricsAddr = mln.Addr()
		logger.Info("metrics listener", "addr", mln.Addr().String())
	}
	if o.onListen != nil {
		o.onListen(listening{chat: ln.Addr(), debug: debugAddr, metrics: metricsAddr})
	}

	// The index loads (or builds) while we already answer /healthz, and
	// /readyz says 503 until it is in.
	loadCtx, stopLoading := context.WithCancel(ctx)
	defer stopLoading()
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		idx, err := load(loadCtx)
		if err != nil {
			if loadCtx.Err() == nil {
				failed <- fmt.Errorf("loading the index: %w", err)
			}
			return
		}
		answers.SetIndex(idx)
		logger.Info("ready", "after", time.Since(started).Round(time.Millisecond))
		if o.afterReady != nil {
			o.afterReady(loadCtx, answers.SetIndex)
		}
	}()

	var runErr error
	select {
	case <-ctx.Done():
		logger.Info("shutting down: letting answers in flight finish", "timeout", o.shutdownTimeout)
	case runErr = <-failed:
	}
	stopLoading()
	<-loaded

	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	// The chat drains first while the listener stays open: a load
	// balancer's health check then gets /readyz 503 (and new websockets
	// 503) rather than a refused connection, until the answers in flight
	// are done. Only then does the HTTP server stop.
	if err := srv.Shutdown(sctx); err != nil {
		logger.Warn("shutdown deadline reached: answers still running were stopped", "err", err)
	}
	hctx, hcancel := context.WithTimeout(context.Background(), time.Second)
	defer hcancel()
	if err := httpSrv.Shutdown(hctx); err != nil {
		logger.Warn("http shutdown", "err", err)
		httpSrv.Close()
	}
	if debugSrv != nil {
		debugSrv.Close()
	}
	if metricsSrv != nil {
		metricsSrv.Close()
	}
	logger.Info("stopped")
	return runErr
}
