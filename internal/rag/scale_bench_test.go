package rag

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/careerbot/careerbot/internal/guidegen"
)

// Benchmarks at the scale of a careers site: guidegen's realistic guides
// (the scraped template, distinct careers). Run with:
//
//	go test -run '^$' -bench 'Scale' -benchtime 1x ./internal/rag

// scaleCorpus writes n generated guides into a temp dir.
func scaleCorpus(tb testing.TB, n int) (string, []guidegen.Career) {
	tb.Helper()
	dir := tb.TempDir()
	careers, err := guidegen.Write(mediaFile, dir, n)
	if err != nil {
		tb.Fatal(err)
	}
	return dir, careers
}

// reportHeap reports the live heap after a GC, with ix kept alive.
func reportHeap(b *testing.B, ix *Index) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(ix.Stats().Chunks), "chunks")
	runtime.KeepAlive(ix)
}

func benchOpenScale(b *testing.B, guides int, withFile bool) {
	corpus, _ := scaleCorpus(b, guides)
	data := b.TempDir()
	if withFile {
		if _, err := Open(context.Background(), Options{CorpusDir: corpus, DataDir: data}); err != nil {
			b.Fatal(err)
		}
	}
	var ix *Index
	cpu := cpuTime()
	for b.Loop() {
		if !withFile {
			os.Remove(filepath.Join(data, indexFileName))
		}
		var err error
		ix, err = Open(context.Background(), Options{CorpusDir: corpus, DataDir: data})
		if err != nil {
			b.Fatal(err)
		}
		if ix.Stats().Rebuilt == withFile {
			b.Fatalf("rebuilt=%v with index file=%v", ix.Stats().Rebuilt, withFile)
		}
	}
	reportCPU(b, cpu)
	reportHeap(b, ix)
}

func BenchmarkScaleBuild1000Guides(b *testing.B) { benchOpenScale(b, 1000, false) }
func BenchmarkScaleLoad1000Guides(b *testing.B)  { benchOpenScale(b, 1000, true) }

// scale1000 is the 1,000-guide index, opened once per benchmark run.
var scale1000 = struct {
	once    sync.Once
	ix      *Index
	careers []guidegen.Career
	err     error
}{}

func openScale1000(b *testing.B) (*Index, []guidegen.Career) {
	scale1000.once.Do(func() {
		dir, err := os.MkdirTemp("", "rag-scale-")
		if err != nil {
			scale1000.err = err
			return
		}
		// Left for the OS's temp cleaner: the index lives as long as the
		// benchmark binary.
		if scale1000.careers, err = guidegen.Write(mediaFile, dir, 1000); err != nil {
			scale1000.err = err
			return
		}
		scale1000.ix, scale1000.err = Open(context.Background(), Options{CorpusDir: dir, MinScore: DefaultMinScore})
	})
	if scale1000.err != nil {
		b.Fatal(scale1000.err)
	}
	return scale1000.ix, scale1000.careers
}

// BenchmarkScaleSearch1000Guides is an answer's retrieval at 1,000 guides
// as the answer service does it: the careers the question names, then the
// search within them; questions name careers in turn.
func BenchmarkScaleSearch1000Guides(b *testing.B) {
	ix, careers := openScale1000(b)
	forms := []string{"How much does a %s earn?", "Which tools does a %s use?", "How do I become a %s?", "Can a %s work from home?"}
	ctx := context.Background()
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		q := fmt.Sprintf(forms[i%len(forms)], strings.ToLower(careers[(i*7)%len(careers)].Name))
		if _, err := ix.SearchCareers(ctx, q, ix.ResolveCareers(q).Covered); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu)
}

// BenchmarkScaleReload1000Guides is a reload after one of 1,000 guides
// changed (its median, alternately up and down): only that guide is parsed
// and embedded, the others' chunks and vectors are reused, and the index
// file is rewritten. Its own corpus and data dir, so that it can rewrite
// them.
func BenchmarkScaleReload1000Guides(b *testing.B) {
	corpus, careers := scaleCorpus(b, 1000)
	raw, err := os.ReadFile(mediaFile)
	if err != nil {
		b.Fatal(err)
	}
	tmpl := guidegen.Compile(string(raw))
	ix, err := Open(context.Background(), Options{CorpusDir: corpus, DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	c := careers[500]
	n := 0
	cpu := cpuTime()
	for b.Loop() {
		b.StopTimer()
		c.Median += 1000 * (1 - 2*(n%2)) // a different guide every time, as an owner's edit
		if err := os.WriteFile(filepath.Join(corpus, c.File), []byte(tmpl.Render(c)), 0o644); err != nil {
			b.Fatal(err)
		}
		n++
		b.StartTimer()
		next, err := ix.Reload(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if next == ix || next.Stats().Embedded == next.Stats().Chunks {
			b.Fatalf("reload embedded %d of %d chunks", next.Stats().Embedded, next.Stats().Chunks)
		}
		ix = next
	}
	reportCPU(b, cpu)
	reportHeap(b, ix)
}

// BenchmarkResolveFirstProductScan is the one pass over the corpus that
// the first question naming a one-word job title pays (productNames), at
// 1,000 guides.
func BenchmarkResolveFirstProductScan(b *testing.B) {
	ix, _ := openScale1000(b)
	wanted := ix.resolver.occupationWords()
	for b.Loop() {
		productNames(ix.resolver.texts, wanted)
	}
}
