package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/careerbot/careerbot/client"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/eval"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/protocol"
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
	// The same answer service as the server (career routing, small talk,
	// uncovered careers, the LLM when one is configured), so that a
	// question asked here gets the answer a visitor of the widget gets.
	// Before, ask searched and composed by itself and answered "how much
	// does a plumber earn?" with another career's figures.
	deps := conversation.Deps{Index: ix, Logger: newLogger(cfg, env.stderr)}
	if model := newChatClient(cfg); model != nil {
		deps.LLM = model
	}
	svc := conversation.New(conversation.Config{}, deps)
	sess, _ := svc.Open(ctx, "bot-ask", "")
	ans := &client.Answer{ID: "1", Question: question}
	var text strings.Builder
	last := sess.Answer(ctx, ans.ID, question, func(f protocol.Frame) {
		switch f := f.(type) {
		case protocol.Sources:
			ans.Sources = f.Sources
		case protocol.Token:
			text.WriteString(f.Text)
		}
	})
	switch f := last.(type) {
	case protocol.Done:
		ans.Text, ans.Grounded, ans.Suggestions, ans.Notice, ans.Cited, ans.Kind = text.String(), f.Grounded, f.Suggestions, f.Notice, f.Cited, f.Kind
	case protocol.Error:
		return fmt.Errorf("ask: %s: %s", f.Code, f.Message)
	default:
		return fmt.Errorf("ask: the answer ended with %T", last)
	}
	printAnswer(env.stdout, ans)
	return nil
}

const evalSynopsis = `eval [flags] FILE.jsonl [FILE.jsonl ...]

Runs each eval set (testdata/eval/README.md) through the offline answer service
on the guides of BOT_CORPUS_DIR (plus -guides) and prints a table per file: per
kind of question and per expected reply, the share of cases fully right (ok),
the section in the first / first 3 sources shown (cited first), all facts in the
answer, careers cited and named, the reply of the expected kind, answers holding
a forbidden string, false declines and the median answer length in characters.

The multi-guide sets need -guides testdata/guides:
  bot eval testdata/eval/one-guide.dev.jsonl testdata/eval/one-guide.test.jsonl
  bot eval -guides testdata/guides testdata/eval/multi-guide.dev.jsonl testdata/eval/multi-guide.test.jsonl

-v lists the misses. The misses of a TEST split (*.test.jsonl) must not be read
while tuning: tune on *.dev.jsonl; report TEST by its aggregates.`

func runEval(ctx context.Context, env *environment, args []string) error {
	fs, resolve := newFlagSet(env, "eval", evalSynopsis)
	verbose := fs.Bool("v", false, "list the misses, one line each (never read a *.test.jsonl's while tuning)")
	asJSON := fs.Bool("json", false, "print the figures as JSON, one object per file")
	guides := fs.String("guides", "", "comma-separated guide files or folders to add to BOT_CORPUS_DIR's guides (the multi-guide sets: testdata/guides)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("eval: want one or more eval files")
	}
	sets := make([][]eval.Case, fs.NArg())
	for i, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		sets[i], err = eval.ReadCases(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	cfg := resolve()
	var ix *rag.Index
	if *guides == "" {
		var err error
		if ix, err = openIndex(ctx, env, cfg); err != nil {
			return err
		}
	} else {
		// A corpus of its own, in temporary folders, so that the index in
		// BOT_DATA_DIR stays the one of BOT_CORPUS_DIR.
		opts, err := ragOptions(cfg, newLogger(cfg, env.stderr))
		if err != nil {
			return err
		}
		tmp, err := os.MkdirTemp("", "bot-eval-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		corpus, data := filepath.Join(tmp, "corpus"), filepath.Join(tmp, "data")
		for _, d := range []string{corpus, data} {
			if err := os.Mkdir(d, 0o755); err != nil {
				return err
			}
		}
		if err := eval.Corpus(corpus, append([]string{opts.CorpusDir}, strings.Split(*guides, ",")...)...); err != nil {
			return withCorpusHint(err)
		}
		opts.CorpusDir, opts.DataDir = corpus, data
		if ix, err = rag.Open(ctx, opts); err != nil {
			return err
		}
	}
	w := env.stdout
	for i, name := range fs.Args() {
		rep, err := eval.Run(ctx, ix, sets[i])
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if *asJSON {
			if err := writeEvalJSON(w, name, len(ix.Guides()), rep, *verbose); err != nil {
				return err
			}
			continue
		}
		writeEvalTable(w, name, len(ix.Guides()), rep)
		if *verbose {
			misses := rep.Misses()
			fmt.Fprintf(w, "Misses (%d):\n", len(misses))
			if eval.HeldOut(name) {
				fmt.Fprintln(w, "  (a held-out split: do not read these while tuning)")
			}
			for _, m := range misses {
				fmt.Fprintln(w, "  -", m)
			}
		}
		if i < fs.NArg()-1 {
			fmt.Fprintln(w)
		}
	}
	return nil
}

// writeEvalTable prints one eval set's figures: a row per kind of question,
// all cases, then a row per expected reply.
func writeEvalTable(w io.Writer, name string, guides int, rep eval.Report) {
	plural := "s"
	if guides == 1 {
		plural = ""
	}
	fmt.Fprintf(w, "Eval %s: %d cases, %d guide%s\n", name, rep.All.Cases, guides, plural)
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tcases\tok\thit@1\thit@3\tfacts\tcareers\treply\tforbid\tfalse declines\tmedian chars\t")
	row := func(name string, t eval.Tally) {
		rate := func(a, b int) string {
			if b == 0 {
				return "-"
			}
			return fmt.Sprintf("%.2f", float64(a)/float64(b))
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t\n", name, t.Cases,
			rate(t.Passed, t.Cases), rate(t.HitAt1, t.Sectioned), rate(t.HitAt3, t.Sectioned), rate(t.AllFacts, t.WithFacts),
			rate(t.CareersOK, t.WithCareers), rate(t.ExpectOK, t.WithExpect), t.Forbidden, t.FalseDeclines, t.MedianChars())
	}
	for _, r := range rep.ByKind {
		row(r.Name, r.Tally)
	}
	row("all", rep.All)
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t\t\t")
	for _, r := range rep.ByExpect {
		row("expect "+r.Name, r.Tally)
	}
	tw.Flush()
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// evalRowJSON is one row of `bot eval -json`.
type evalRowJSON struct {
	Name          string   `json:"name"`
	Cases         int      `json:"cases"`
	OK            *float64 `json:"ok"`
	HitAt1        *float64 `json:"hit_at_1"`
	HitAt3        *float64 `json:"hit_at_3"`
	Facts         *float64 `json:"facts"`
	Careers       *float64 `json:"careers"`
	Reply         *float64 `json:"reply"`
	Forbidden     int      `json:"forbidden"`
	FalseDeclines int      `json:"false_declines"`
	MedianChars   int      `json:"median_chars"`
}

func evalRow(name string, t eval.Tally) evalRowJSON {
	rate := func(a, b int) *float64 {
		if b == 0 {
			return nil // nothing to count: null, not 0
		}
		r := float64(a) / float64(b)
		return &r
	}
	return evalRowJSON{Name: name, Cases: t.Cases, OK: rate(t.Passed, t.Cases), HitAt1: rate(t.HitAt1, t.Sectioned),
		HitAt3: rate(t.HitAt3, t.Sectioned), Facts: rate(t.AllFacts, t.WithFacts), Careers: rate(t.CareersOK, t.WithCareers),
		Reply: rate(t.ExpectOK, t.WithExpect), Forbidden: t.Forbidden, FalseDeclines: t.FalseDeclines, MedianChars: t.MedianChars()}
}

// writeEvalJSON prints one eval set's figures as one JSON object (a line).
func writeEvalJSON(w io.Writer, name string, guides int, rep eval.Report, misses bool) error {
	out := struct {
		File     string        `json:"file"`
		Guides   int           `json:"guides"`
		All      evalRowJSON   `json:"all"`
		ByKind   []evalRowJSON `json:"by_kind"`
		ByExpect []evalRowJSON `json:"by_expect"`
		Misses   []string      `json:"misses,omitempty"`
	}{File: name, Guides: guides, All: evalRow("all", rep.All)}
	for _, r := range rep.ByKind {
		out.ByKind = append(out.ByKind, evalRow(r.Name, r.Tally))
	}
	for _, r := range rep.ByExpect {
		out.ByExpect = append(out.ByExpect, evalRow(r.Name, r.Tally))
	}
	if misses {
		out.Misses = rep.Misses()
	}
	return json.NewEncoder(w).Encode(out)
}
