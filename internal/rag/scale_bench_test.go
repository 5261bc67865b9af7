package rag

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
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
