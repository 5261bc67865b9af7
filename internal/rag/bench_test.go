package rag

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/vocab"
	chromem "github.com/philippgille/chromem-go"
)

// Benchmarks for the retrieval hot paths; figures and commands are in
// docs/benchmarks.md. Run with:
//
//	go test -run '^$' -bench . -benchmem ./internal/rag

var benchQuestions = []string{
	"How much does a media specialist earn?",
	"Can I do this from home?",
	"Which software should I learn?",
	"What does a normal day look like?",
}

func BenchmarkIndexGuide(b *testing.B) {
	corpus := corpusDir(b, mediaFile)
	for b.Loop() {
		if _, err := Open(context.Background(), Options{CorpusDir: corpus}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEmbedQuery(b *testing.B) {
	ix := open(b, corpusDir(b, mediaFile), "")
	e := ix.embedder.(*BuiltinEmbedder)
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		e.Vector(benchQuestions[i%len(benchQuestions)])
		i++
	}
	reportCPU(b, cpu)
}

// benchSearch times Search over the benchmark questions in turn and reports
// CPU per search and the inverted index's size.
func benchSearch(b *testing.B, ix *Index) {
	ctx := context.Background()
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		ix.Search(ctx, benchQuestions[i%len(benchQuestions)])
		i++
	}
	reportCPU(b, cpu)
	reportIndexBytes(b, ix)
}

func BenchmarkSearchGuide(b *testing.B) {
	ix := open(b, corpusDir(b, mediaFile), "")
	benchSearch(b, ix)
}

// synthetic100k is built once: embedding 100,000 chunks takes seconds.
var synthetic100k = sync.OnceValues(func() (synthetic, error) {
	ix, coll, err := syntheticCollection(100_000)
	if err != nil {
		return synthetic{}, err
	}
	start, cpu := time.Now(), cpuTime()
	err = ix.searchCollection(context.Background(), coll)
	return synthetic{ix: ix, searchBuild: time.Since(start), searchBuildCPU: cpuTime() - cpu}, err
})

// synthetic is a synthetic index and what choosing and building its vector
// search (the inverted index) took.
type synthetic struct {
	ix                          *Index
	searchBuild, searchBuildCPU time.Duration
}

// syntheticCollection recombines the guide's sentences into n chunks of about
// the guide's chunk size, each under one of its sections, and returns their
// index (before its vector search is chosen: see Index.searchCollection) and
// the chromem-go collection of their vectors.
func syntheticCollection(n int) (*Index, *chromem.Collection, error) {
	raw, err := os.ReadFile(mediaFile)
	if err != nil {
		return nil, nil, err
	}
	g := ParseGuide("media-specialist.txt", string(raw), nil)
	var sentences []string
	for _, s := range g.Sections {
		sentences = append(sentences, vocab.SplitSentences(strings.ReplaceAll(s.Text, "\n", " "))...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	chunks := make([]Chunk, n)
	for i := range chunks {
		var b strings.Builder
		for b.Len() < 700 {
			b.WriteString(sentences[rng.IntN(len(sentences))])
			b.WriteByte(' ')
		}
		s := g.Sections[rng.IntN(len(g.Sections))]
		chunks[i] = Chunk{ID: fmt.Sprintf("synthetic#%06d", i), Guide: g.Title, Section: s.Path, Ordinal: i, Text: b.String()}
	}
	ix, texts := newIndex(Options{TopK: 4, MinScore: DefaultMinScore}, []Guide{g}, chunks)
	vectors, err := embedAll(context.Background(), ix.embedder, texts)
	if err != nil {
		return nil, nil, err
	}
	_, coll, err := newCollection(context.Background(), chunks, vectors)
	return ix, coll, err
}

func BenchmarkSearch100kChunks(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 100,000-chunk collection")
	}
	syn, err := synthetic100k()
	if err != nil {
		b.Fatal(err)
	}
	ix := syn.ix
	benchSearch(b, ix)
	// The load-time cost of choosing and building the inverted index, once.
	b.ReportMetric(float64(syn.searchBuild.Milliseconds()), "build-ms")
	b.ReportMetric(float64(syn.searchBuildCPU.Milliseconds()), "build-cpu-ms")
}

// cpuTime is the CPU time this process has used (all threads). Reported per
// op next to ns/op it shows the work a search costs even when the machine is
// busy with other things and wall-clock figures are inflated.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportIndexBytes reports the memory the inverted index holds, when
// Search uses one.
func reportIndexBytes(b *testing.B, ix *Index) {
	if s, ok := ix.vectors.(*sparseIndex); ok {
		b.ReportMetric(float64(s.bytes()), "index-B")
	}
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkNearestByDensity compares the inverted index with chromem-go's
// scan on random unit vectors of several densities (the share of nonzero
// values), with questions as dense as the stored vectors: the worst case for
// the inverted index. It is what maxSparseDensity is set from.
func BenchmarkNearestByDensity(b *testing.B) {
	const n, dims = 10_000, BuiltinDims
	for _, density := range []float64{0.05, 0.25, 0.5, 0.75, 1} {
		rng := rand.New(rand.NewPCG(5, 6))
		random := func() []float32 {
			v := make([]float32, dims)
			for d := range v {
				if rng.Float64() < density {
					v[d] = float32(rng.NormFloat64())
				}
			}
			Normalize(v)
			return v
		}
		chunks := make([]Chunk, n)
		vectors := make([][]float32, n)
		byID := make(map[string]int, n)
		for i := range chunks {
			chunks[i] = Chunk{ID: fmt.Sprintf("c%05d", i)}
			byID[chunks[i].ID] = i
			vectors[i] = random()
		}
		questions := make([][]float32, 16)
		for i := range questions {
			questions[i] = random()
		}
		ctx := context.Background()
		_, coll, err := newCollection(ctx, chunks, vectors)
		if err != nil {
			b.Fatal(err)
		}
		sparse, err := newSparseIndex(storedVectors(ctx, coll, chunks), n)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range []struct {
			name string
			vs   vectorSearch
		}{{"chromem", chromemSearch{coll: coll, byID: byID}}, {"inverted", sparse}} {
			b.Run(fmt.Sprintf("density=%.2f/%s", density, s.name), func(b *testing.B) {
				i := 0
				cpu := cpuTime()
				for b.Loop() {
					if _, err := s.vs.nearest(ctx, questions[i%len(questions)], candidatePool); err != nil {
						b.Fatal(err)
					}
					i++
				}
				reportCPU(b, cpu)
			})
		}
	}
}
