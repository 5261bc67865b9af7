package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/careerbot/careerbot/client"
	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/conversation"
	"github.com/careerbot/careerbot/internal/guidegen"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/testutil"
)

// reloadingServer is serve() with an indexKeeper over a generated corpus,
// reloaded through hup as SIGHUP does.
type reloadingServer struct {
	base, ws string
	corpus   string
	careers  []guidegen.Career
	hup      chan os.Signal
	keeper   *indexKeeper
	logs     *testutil.Buffer
}

func startReloadingServer(t *testing.T, guides int) *reloadingServer {
	t.Helper()
	corpus := t.TempDir()
	careers, err := guidegen.Write(filepath.Join("..", "..", "corpus", "media-specialist.txt"), corpus, guides)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testutil.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	rs := &reloadingServer{corpus: corpus, careers: careers, hup: make(chan os.Signal, 1), logs: logs}
	rs.keeper = &indexKeeper{opts: rag.Options{CorpusDir: corpus, DataDir: t.TempDir(), TopK: 4, MinScore: rag.DefaultMinScore, Logger: logger},
		log: logger, triggers: rs.hup}
	rs.keeper.opts.Progress = rs.keeper.onProgress
	answers := conversation.New(conversation.Config{}, conversation.Deps{Logger: logger})
	srv := chat.NewServer(chat.Config{}, chat.Deps{Answers: answers, Logger: logger})
	srv.SetIndexState(rs.keeper.state)
	ctx, stop := context.WithCancel(context.Background())
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	opts := serveOptions{addr: "127.0.0.1:0", shutdownTimeout: 5 * time.Second, afterReady: rs.keeper.run,
		onListen: func(l listening) { addrs <- l.chat }}
	go func() { done <- serve(ctx, logger, opts, srv, answers, rs.keeper.load) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	addr := (<-addrs).String()
	rs.base, rs.ws = "http://"+addr, "ws://"+addr+"/ws"
	rs.waitReadyz(t, func(code int, _ string) bool { return code == 200 })
	return rs
}

// waitReadyz polls /readyz until ok accepts it.
func (rs *reloadingServer) waitReadyz(t *testing.T, ok func(code int, body string) bool) string {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		code, body := get(t, rs.base+"/readyz")
		if ok(code, body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never got there; last %d %q\nlogs:\n%s", code, body, rs.logs.String())
		}
	}
}

// readiness is /readyz's JSON body.
func readiness(t *testing.T, base string) chat.Readiness {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/readyz", nil)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st chat.Readiness
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// reload sends SIGHUP and waits for the reload it starts to finish.
func (rs *reloadingServer) reload(t *testing.T, n int) string {
	t.Helper()
	rs.hup <- syscall.SIGHUP
	return rs.waitReadyz(t, func(_ int, body string) bool { return strings.Contains(body, fmt.Sprintf(" reloads=%d ", n)) })
}

// setMedian rewrites career k's guide with another median salary.
func (rs *reloadingServer) setMedian(t *testing.T, k, median int) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "corpus", "media-specialist.txt"))
	if err != nil {
		t.Fatal(err)
	}
	c := rs.careers[k]
	c.Median = median
	if err := os.WriteFile(filepath.Join(rs.corpus, c.File), []byte(guidegen.Render(string(raw), c)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A reload under load drops no answer and never serves a half-built index:
// while clients ask about one career without pause, its guide is changed
// and reloaded several times (and once broken): every question gets a
// grounded answer with one of the medians the guide has had, the new median
// is served after each reload, and /readyz stays 200 with the index state.
func TestReloadUnderLoadDropsNoAnswer(t *testing.T) {
	rs := startReloadingServer(t, 8)
	const career = 1
	question := "What is the median salary of a " + rs.careers[career].Name + "?"
	medians := []int{rs.careers[career].Median, 111_000, 122_000, 133_000}
	figure := func(m int) string { return fmt.Sprintf("$%d,%03d", m/1000, m%1000) }

	ctx, stopAsking := context.WithCancel(context.Background())
	var answered, wrong atomic.Int64
	var latest atomic.Value // the last answer text, for the checks below
	latest.Store("")
	var wg sync.WaitGroup
	failures := make(chan string, 64)
	for range 4 {
		wg.Go(func() {
			conn, err := client.Dial(context.Background(), rs.ws, client.Options{})
			if err != nil {
				failures <- "dial: " + err.Error()
				return
			}
			defer conn.Close()
			for ctx.Err() == nil {
				ans, err := conn.Ask(context.Background(), question, nil)
				if err != nil {
					failures <- "ask: " + err.Error()
					return
				}
				answered.Add(1)
				known := false
				for _, m := range medians {
					known = known || strings.Contains(ans.Text, figure(m))
				}
				if !ans.Grounded || !known {
					wrong.Add(1)
					select {
					case failures <- fmt.Sprintf("answer without a median the guide had: grounded=%v %q", ans.Grounded, ans.Text):
					default:
					}
				}
				latest.Store(ans.Text)
			}
		})
	}
	waitAnswers := func(n int64) {
		for deadline := time.Now().Add(30 * time.Second); answered.Load() < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("only %d answers", answered.Load())
			}
		}
	}
	waitAnswers(5)
	for round, m := range medians[1:] {
		rs.setMedian(t, career, m)
		body := rs.reload(t, round+1)
		if !strings.Contains(body, "last_reload=ok") || !strings.HasPrefix(body, "ready\n") {
			t.Errorf("after reload %d, /readyz says %q", round+1, body)
		}
		// New questions get the new figure.
		for deadline := time.Now().Add(30 * time.Second); !strings.Contains(latest.Load().(string), figure(m)); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("reload %d: answers still %q, want %s", round+1, latest.Load(), figure(m))
			}
		}
		waitAnswers(answered.Load() + 5)
	}
	// A guide without text: the reload fails, the old index keeps serving.
	if err := os.WriteFile(filepath.Join(rs.corpus, "broken.txt"), []byte("\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	body := rs.reload(t, len(medians))
	if !strings.Contains(body, "last_reload=error") || !strings.Contains(body, "reload error: guide broken.txt") {
		t.Errorf("after a failed reload, /readyz says %q", body)
	}
	if st := readiness(t, rs.base); st.Index == nil || st.Index.LastReload != "error" || !strings.Contains(st.Index.ReloadError, "broken.txt") || st.Index.Guides != 8 {
		t.Errorf("after a failed reload, /readyz's JSON says %+v", st.Index)
	}
	if log := rs.logs.String(); !strings.Contains(log, "level=ERROR") || !strings.Contains(log, "broken.txt") {
		t.Errorf("the failed reload's error does not name the file:\n%s", log)
	}
	waitAnswers(answered.Load() + 5)
	stopAsking()
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	if !strings.Contains(latest.Load().(string), figure(medians[len(medians)-1])) {
		t.Errorf("after the failed reload the answer is %q, want the last good index's %s", latest.Load(), figure(medians[len(medians)-1]))
	}
	t.Logf("%d answers across %d reloads, %d wrong", answered.Load(), len(medians), wrong.Load())
}

// BOT_CORPUS_WATCH: a changed guide is picked up by polling, no signal.
func TestCorpusWatchReloadsChangedGuides(t *testing.T) {
	rs := startReloadingServer(t, 8)
	// The keeper is already running without a watch; a second loop with one
	// polls the same index.
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	swapped := make(chan conversation.Retriever, 4)
	rs.keeper.mu.Lock()
	watcher := &indexKeeper{opts: rs.keeper.opts, log: rs.keeper.log, watch: 20 * time.Millisecond, current: rs.keeper.current}
	rs.keeper.mu.Unlock()
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		watcher.run(ctx, func(r conversation.Retriever) { swapped <- r })
	}()
	time.Sleep(50 * time.Millisecond) // let it take its first listing
	rs.setMedian(t, 2, 144_000)
	select {
	case r := <-swapped:
		hits, err := r.Search(context.Background(), "What is the median salary of a "+rs.careers[2].Name+"?")
		if err != nil || len(hits) == 0 || !strings.Contains(hits[0].Text, "144,000") {
			t.Errorf("the watched reload serves %v %v", hits, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the changed guide was never reloaded")
	}
	stop()
	<-watching
}
