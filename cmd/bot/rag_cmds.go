package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/careerbot/careerbot/internal/compose"
	"github.com/careerbot/careerbot/internal/eval"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
)

// ragOptions turns the settings into rag.Options (shared by serve, index, ask
// and eval).
func ragOptions(cfg *config, logger *slog.Logger) (rag.Options, error) {
	opts := rag.Options{
		CorpusDir:    cfg.str("BOT_CORPUS_DIR"),
		DataDir:      cfg.str("BOT_DATA_DIR"),
		TopK:         cfg.int("BOT_TOP_K"),
		MinScore:     float32(cfg.float("BOT_MIN_SCORE")),
		StopHeadings: cfg.list("BOT_STOP_HEADINGS"),
		Logger:       logger,
	}
	switch kind := cfg.str("BOT_EMBEDDINGS"); kind {
	case "", "builtin":
	case "openai":
		opts.Embedder = openai.NewEmbedder(openai.EmbedderOptions{
			BaseURL: cfg.str("OPENAI_BASE_URL"),
			APIKey:  cfg.str("OPENAI_API_KEY"),
			Model:   cfg.str("BOT_EMBEDDING_MODEL"),
			Timeout: cfg.duration("BOT_LLM_TIMEOUT"),
		})
	default:
		return opts, fmt.Errorf("BOT_EMBEDDINGS=%q: want builtin or openai", kind)
	}
	return opts, cfg.err()
}

// newLogger writes text logs to w at the configured level.
func newLogger(cfg *config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.str("BOT_LOG_LEVEL"))); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// openIndex parses flags and opens the index for the offline commands.
func openIndex(ctx context.Context, env *environment, cfg *config) (*rag.Index, error) {
	opts, err := ragOptions(cfg, newLogger(cfg, env.stderr))
	if err != nil {
		return nil, err
	}
	ix, err := rag.Open(ctx, opts)
	return ix, withCorpusHint(err)
}

// withCorpusHint names the setting to fix when the guides are not found.
func withCorpusHint(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w (set BOT_CORPUS_DIR to the folder of guides)", err)
	}
	return err
}

func runIndex(ctx context.Context, env *environment, args []string) error {
	fs, resolve := newFlagSet(env, "index", "index [flags]\n\nBuilds the search index from the corpus (or loads it when up to date) and prints what it holds.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := resolve()
	ix, err := openIndex(ctx, env, cfg)
	if err != nil {
		return err
	}
	st := ix.Stats()
	state := "loaded (up to date)"
	if st.Rebuilt {
		state = "built"
	}
	fmt.Fprintf(env.stdout, "Index %s in %s: %d guides, %d sections, %d chunks\n", state, st.Took.Round(time.Microsecond), st.Guides, st.Sections, st.Chunks)
	for _, g := range ix.Guides() {
		fmt.Fprintf(env.stdout, "  - %s\n", g)
	}
	if st.IndexFile != "" {
		fmt.Fprintf(env.stdout, "Index file: %s\n", st.IndexFile)
	}
	return nil
}

func runAsk(ctx context.Context, env *environment, args []string) error {
	fs, resolve := newFlagSet(env, "ask", "ask [--url ws://host:8080/ws] [--json] \"question\"\n\nAnswers one question from the guides (locally, or over the websocket with --url).")
	url := fs.String("url", "", "ask a running server over its websocket instead of answering locally")
	jsonFrames := fs.Bool("json", false, "with --url: print the raw protocol frames")
	if err := fs.Parse(args); err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if question == "" {
		fs.Usage()
		return errors.New("ask: no question given")
	}
	if *url != "" {
		return askRemote(ctx, env, *url, question, *jsonFrames)
	}
	cfg := resolve()
	ix, err := openIndex(ctx, env, cfg)
	if err != nil {
		return err
	}
	hits, err := ix.Search(ctx, question)
	if errors.Is(err, rag.ErrNothingRelevant) {
		fmt.Fprintln(env.stdout, compose.Decline(ix.Guides()))
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, new(compose.Writer).Answer(question, hits))
	fmt.Fprintln(env.stdout)
	fmt.Fprintln(env.stdout, "Sources:")
	for _, h := range hits {
		fmt.Fprintf(env.stdout, "  [%.2f] %s › %s\n", h.Score, compose.RoleOf(h.Guide), h.Section)
	}
	return nil
}

func runEval(ctx context.Context, env *environment, args []string) error {
	fs, resolve := newFlagSet(env, "eval", "eval [flags] FILE.jsonl\n\nRuns an eval set through retrieval and the offline answer and prints hit@1, hit@3, the answer-fact rate and the decline rate.")
	verbose := fs.Bool("v", false, "print each failure")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("eval: want exactly one eval file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	cases, err := eval.ReadCases(f)
	if err != nil {
		return err
	}
	ix, err := openIndex(ctx, env, resolve())
	if err != nil {
		return err
	}
	res, err := eval.Run(ctx, ix, cases)
	if err != nil {
		return err
	}
	w := env.stdout
	fmt.Fprintf(w, "Eval %s: %d on-topic, %d off-topic questions\n", fs.Arg(0), res.OnTopic, res.OffTopic)
	fmt.Fprintf(w, "  retrieval hit@1   %.2f\n", res.HitRate1())
	fmt.Fprintf(w, "  retrieval hit@3   %.2f\n", res.HitRate3())
	fmt.Fprintf(w, "  answer facts      %.2f (%d of %d)\n", res.FactRate(), res.FactsFound, res.FactsWanted)
	fmt.Fprintf(w, "  declined off-topic %.2f (%d of %d)\n", res.DeclineRate(), res.Declined, res.OffTopic)
	fmt.Fprintf(w, "  false declines    %d\n", res.FalseDeclines)
	if *verbose {
		for _, f := range res.Failures {
			fmt.Fprintln(w, "  -", f)
		}
	}
	return nil
}
