package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/careerbot/careerbot/internal/chat"
	"github.com/careerbot/careerbot/internal/guidegen"
	"github.com/careerbot/careerbot/internal/loadgen"
)

// With -guides N the server indexes N guides written by internal/guidegen:
// the scraped template of the corpus's media specialist guide (its layout,
// mojibake and all) about N distinct careers, each with its own figures, as
// a careers site with that many guides would have. The run then starts the
// server twice — a first build (no index file) and a restart (index file
// present) — reports both, checks that pay questions get their career's
// figures, and drives the restarted server with questions naming the
// generated careers.

// templateGuide is the guide guidegen renders every career from, in -corpus-dir.
const templateGuide = "media-specialist.txt"

// paySpotChecks is how many careers the pay spot check asks about.
const paySpotChecks = 30

// writeGuides writes the -guides corpus into the run's temporary directory.
func (b *bench) writeGuides() (string, error) {
	dir := filepath.Join(b.tmp, "corpus")
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", err
	}
	careers, err := guidegen.Write(filepath.Join(b.o.corpusDir, templateGuide), dir, b.o.guides)
	if err != nil {
		return "", err
	}
	b.careers = careers
	b.questions = careerQuestions(careers)
	fmt.Fprintf(b.stdout, "- corpus: %d guides written by internal/guidegen (the scraped template of %s, distinct careers; temporary, for measurement only)\n",
		b.o.guides, filepath.Join(b.o.corpusDir, templateGuide))
	return dir, nil
}

// careerQuestions are benchQuestions about the generated careers instead of
// the template's: question i names career i×7 (mod N), so that consecutive
// asks name different careers and most careers are asked about.
func careerQuestions(careers []guidegen.Career) []string {
	n := max(len(careers), 1) * (len(benchQuestions) - 1)
	n = min(n, 1200)
	out := make([]string, 0, n+1)
	for i := range n {
		q := benchQuestions[i%(len(benchQuestions)-1)]
		c := careers[(i*7)%len(careers)]
		out = append(out, strings.ReplaceAll(q, "media specialist", strings.ToLower(c.Name)))
	}
	return append(out, benchQuestions[len(benchQuestions)-1]) // the off-topic one
}

// startup is what one start of the server took, measured from outside it.
type startup struct {
	ready     time.Duration // from exec to /readyz 200
	cpu       time.Duration // the server's CPU time until then
	rss, peak uint64        // resident memory when ready, and its peak until then
	progress  int           // build progress reports seen in /readyz
	last      string        // the last of them
}

func (s startup) String() string {
	out := fmt.Sprintf("ready %.2f s after start, server CPU %.2f s, peak RSS %s, RSS when ready %s",
		s.ready.Seconds(), s.cpu.Seconds(), mib(s.peak), mib(s.rss))
	if s.progress > 0 {
		out += fmt.Sprintf("; build progress in /readyz: %d reports, the last %q", s.progress, s.last)
	}
	return out
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// measureStart waits for p to be ready, logging the build's progress from
// /readyz on stderr, and measures the start.
func (b *bench) measureStart(ctx context.Context, p *loadgen.Process, base string, started time.Time) (startup, error) {
	var st startup
	pollCtx, stopPolling := context.WithCancel(ctx)
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		b.pollProgress(pollCtx, base, &st)
	}()
	err := p.WaitReady(ctx, base+"/readyz", 10*time.Minute)
	st.ready = time.Since(started)
	stopPolling()
	<-polled
	if err != nil {
		return st, err
	}
	if st.cpu, err = loadgen.CPUTime(p.PID()); err != nil {
		return st, err
	}
	if st.rss, st.peak, err = loadgen.Memory(p.PID()); err != nil {
		return st, err
	}
	return st, nil
}

// pollProgress reads /readyz (JSON) until ctx ends and logs each new build
// progress report.
func (b *bench) pollProgress(ctx context.Context, base string, st *startup) {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if err != nil {
			return
		}
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			continue
		}
		var r chat.Readiness
		err = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&r)
		resp.Body.Close()
		if err != nil || r.Index == nil || r.Index.Building == nil {
			continue
		}
		p := r.Index.Building
		line := fmt.Sprintf("phase=%s guides=%d/%d chunks=%d/%d reused=%d rate=%.0f/s eta=%.0fs",
			p.Phase, p.GuidesDone, p.Guides, p.ChunksDone, p.Chunks, p.Reused, p.Rate, p.ETASeconds)
		if line != st.last {
			st.progress++
			st.last = line
			b.logf("index: building %s", line)
		}
	}
}

// spotCheckPay asks "How much does a <career> earn?" about paySpotChecks
// careers picked at random (the same ones on every run of the same -guides)
// and reports how many answers hold that career's median.
func (b *bench) spotCheckPay(ctx context.Context, wsURL string) error {
	rng := rand.New(rand.NewPCG(uint64(len(b.careers)), paySpotChecks))
	picks := rng.Perm(len(b.careers))[:min(paySpotChecks, len(b.careers))]
	right := 0
	var misses []string
	for _, k := range picks {
		c := b.careers[k]
		text, err := loadgen.AskOnce(ctx, wsURL, "How much does a "+c.Name+" earn?")
		if err != nil {
			return fmt.Errorf("pay spot check: %w", err)
		}
		if strings.Contains(text, guidegen.Dollars(c.Median)) {
			right++
			continue
		}
		first, _, _ := strings.Cut(text, "\n")
		misses = append(misses, fmt.Sprintf("%s (median %s; answered %q)", c.Name, guidegen.Dollars(c.Median), first))
	}
	fmt.Fprintf(b.stdout, "- pay spot checks: **%d of %d** answers to \"How much does a <career> earn?\" hold that career's median", right, len(picks))
	if len(misses) > 0 {
		fmt.Fprintf(b.stdout, "; missed: %s", strings.Join(misses, "; "))
	}
	fmt.Fprintln(b.stdout)
	return nil
}
