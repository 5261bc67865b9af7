package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/rag"
)

// indexKeeper owns the index a server answers from: it opens it (reporting
// the build's progress on stderr and in /readyz), and reloads it in the
// background on SIGHUP or when BOT_CORPUS_WATCH sees the guides change,
// handing each new index to the server in one atomic swap. A failed reload
// keeps the old index serving.
type indexKeeper struct {
	opts     rag.Options
	log      *slog.Logger
	watch    time.Duration    // poll interval of the corpus dir; 0 = off
	triggers <-chan os.Signal // SIGHUP
	metrics  indexMetrics     // nil without BOT_METRICS

	mu       sync.Mutex
	current  *rag.Index
	progress *rag.Progress // the build running, if any
	reloads  int
	last     string // result of the last reload: "", ok, unchanged or error
	lastErr  error
}

// indexMetrics is what the keeper reports (internal/metrics implements it).
type indexMetrics interface {
	IndexReloaded(result string)
	IndexServing(guides int, builtAt time.Time)
}

func newIndexKeeper(cfg *config, logger *slog.Logger) (*indexKeeper, error) {
	opts, err := ragOptions(cfg, logger)
	if err != nil {
		return nil, err
	}
	k := &indexKeeper{opts: opts, log: logger, watch: cfg.duration("BOT_CORPUS_WATCH")}
	k.opts.Progress = k.onProgress
	return k, nil
}

func (k *indexKeeper) onProgress(p rag.Progress) {
	k.mu.Lock()
	k.progress = &p
	k.mu.Unlock()
	if p.Phase == "embedding" && p.Chunks > 0 {
		k.log.Info("indexing the guides", "phase", p.Phase, "guides", fmt.Sprintf("%d/%d", p.GuidesDone, p.Guides),
			"chunks", fmt.Sprintf("%d/%d", p.ChunksDone, p.Chunks), "reused", p.Reused,
			"rate", fmt.Sprintf("%.0f/s", p.Rate), "eta", p.ETA.Round(time.Second))
		return
	}
	k.log.Info("indexing the guides", "phase", p.Phase, "guides", fmt.Sprintf("%d/%d", p.GuidesDone, p.Guides), "elapsed", p.Elapsed.Round(time.Millisecond))
}

// load opens the index (serve's loader: /readyz says 503 until it returns).
func (k *indexKeeper) load(ctx context.Context) (conversation.Retriever, error) {
	ix, err := rag.Open(ctx, k.opts)
	err = withCorpusHint(err)
	k.mu.Lock()
	k.progress = nil
	k.mu.Unlock()
	if err != nil {
		return nil, err
	}
	st := ix.Stats()
	k.log.Info("index ready", "guides", st.Guides, "chunks", st.Chunks, "rebuilt", st.Rebuilt, "embedded", st.Embedded, "reused", st.Reused, "took", st.Took)
	k.serving(ix)
	return ix, nil
}

// serving records ix as the index in service and returns the memory the
// build left behind to the OS: building 1,000 guides allocates several
// times what the index keeps, and resident memory would otherwise stay at
// that peak until the runtime's scavenger catches up.
func (k *indexKeeper) serving(ix *rag.Index) {
	k.mu.Lock()
	k.current = ix
	k.mu.Unlock()
	if k.metrics != nil {
		k.metrics.IndexServing(ix.Stats().Guides, ix.Stats().BuiltAt)
	}
	debug.FreeOSMemory()
}

// run reloads on each trigger and, with a watch interval, whenever the
// corpus dir's listing (names, sizes, modification times) changes; swap
// puts a new index into service. It returns when ctx ends.
func (k *indexKeeper) run(ctx context.Context, swap func(conversation.Retriever)) {
	var tick <-chan time.Time
	stamp := ""
	if k.watch > 0 {
		t := time.NewTicker(k.watch)
		defer t.Stop()
		tick = t.C
		stamp, _ = corpusStamp(k.opts.CorpusDir)
		k.log.Info("watching the guides for changes", "dir", k.opts.CorpusDir, "every", k.watch)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-k.triggers:
			k.log.Info("SIGHUP: reloading the guides", "dir", k.opts.CorpusDir)
		case <-tick:
			now, err := corpusStamp(k.opts.CorpusDir)
			if err == nil && now == stamp {
				continue
			}
			stamp = now
			k.log.Info("the guides changed: reloading them", "dir", k.opts.CorpusDir)
		}
		if next, ok := k.reload(ctx); ok {
			swap(next)
		}
	}
}

// reload builds the index of the corpus as it is now. It returns the new
// index and true when it should go into service; on an error (logged with
// the guide's file when one is at fault) the old index keeps serving.
func (k *indexKeeper) reload(ctx context.Context) (*rag.Index, bool) {
	k.mu.Lock()
	cur := k.current
	k.mu.Unlock()
	if cur == nil {
		return nil, false
	}
	next, err := cur.Reload(ctx)
	k.mu.Lock()
	k.progress = nil
	k.reloads++
	switch {
	case err != nil:
		k.last, k.lastErr = "error", err
	case next == cur:
		k.last, k.lastErr = "unchanged", nil
	default:
		k.last, k.lastErr = "ok", nil
	}
	result := k.last
	k.mu.Unlock()
	if k.metrics != nil {
		k.metrics.IndexReloaded(result)
	}
	switch result {
	case "error":
		if ctx.Err() != nil {
			return nil, false
		}
		var ge *rag.GuideError
		if errors.As(err, &ge) {
			k.log.Error("reload failed: the old index keeps serving", "file", filepath.Join(k.opts.CorpusDir, ge.File), "err", err)
		} else {
			k.log.Error("reload failed: the old index keeps serving", "dir", k.opts.CorpusDir, "err", err)
		}
		return nil, false
	case "unchanged":
		k.log.Info("reload: the guides are unchanged")
		return nil, false
	}
	st := next.Stats()
	k.log.Info("reloaded the guides", "guides", st.Guides, "chunks", st.Chunks, "embedded", st.Embedded, "reused", st.Reused, "took", st.Took)
	k.serving(next)
	return next, true
}

// state is what /readyz says about the index (chat.IndexState).
func (k *indexKeeper) state() chat.IndexState {
	k.mu.Lock()
	defer k.mu.Unlock()
	var st chat.IndexState
	if p := k.progress; p != nil {
		st.Building = &chat.BuildProgress{Phase: p.Phase, Guides: p.Guides, GuidesDone: p.GuidesDone, Chunks: p.Chunks,
			ChunksDone: p.ChunksDone, Reused: p.Reused, Rate: p.Rate, ETASeconds: p.ETA.Round(time.Second).Seconds()}
	}
	if ix := k.current; ix != nil {
		s := ix.Stats()
		st.Guides, st.Chunks, st.BuiltAt = s.Guides, s.Chunks, s.BuiltAt
		st.AgeSeconds = time.Since(s.BuiltAt).Round(time.Second).Seconds()
	}
	st.Reloads, st.LastReload = k.reloads, k.last
	if k.lastErr != nil {
		st.ReloadError = k.lastErr.Error()
	}
	return st
}

// corpusStamp summarises the corpus dir's listing: a change of any guide's
// name, size or modification time changes it. Cheap enough to poll (no file
// is read); a reload then compares the guides' bytes.
func corpusStamp(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s %d %d\n", e.Name(), info.Size(), info.ModTime().UnixNano())
	}
	return b.String(), nil
}
