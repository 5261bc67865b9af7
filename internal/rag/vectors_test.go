package rag

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	chromem "github.com/philippgille/chromem-go"
)

// twoPaths is one index searched two ways: through the inverted index and
// through chromem-go's exhaustive scan of the same stored vectors.
type twoPaths struct {
	name          string
	sparse, dense *Index
}

func newTwoPaths(t *testing.T, name string, ix *Index, coll *chromem.Collection) twoPaths {
	t.Helper()
	vs, err := chooseVectorSearch(context.Background(), coll, ix.chunks, ix.byID)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := vs.(*sparseIndex)
	if !ok {
		t.Fatalf("%s: the built-in embedder's vectors did not get the inverted index (got %T)", name, vs)
	}
	t.Logf("%s: %d chunks, density %.3f, inverted index %d bytes", name, s.chunks, s.density(), s.bytes())
	sparse, dense := *ix, *ix
	sparse.vectors = s
	dense.vectors = chromemSearch{coll: coll, byID: ix.byID}
	return twoPaths{name: name, sparse: &sparse, dense: &dense}
}

// openedTwoPaths opens a corpus through Open (so the index file is written
// and read as in production) and reads the collection back from that file.
func openedTwoPaths(t *testing.T, name string, files ...string) twoPaths {
	t.Helper()
	ix := open(t, corpusDir(t, files...), t.TempDir())
	if _, ok := ix.vectors.(*sparseIndex); !ok {
		t.Fatalf("Open chose %T for the built-in embedder, want the inverted index", ix.vectors)
	}
	_, rows, err := loadIndexFile(ix.stats.IndexFile, ix.settings, ix.opts)
	if err != nil {
		t.Fatal(err)
	}
	vectors := make([][]float32, rows.len())
	for i := range vectors {
		vectors[i] = rows.dense(i, make([]float32, rows.width))
	}
	_, coll, err := newCollection(context.Background(), ix.chunks, vectors)
	if err != nil {
		t.Fatal(err)
	}
	return newTwoPaths(t, name, ix, coll)
}

func syntheticTwoPaths(t *testing.T, n int) twoPaths {
	t.Helper()
	ix, coll, err := syntheticCollection(n)
	if err != nil {
		t.Fatal(err)
	}
	return newTwoPaths(t, fmt.Sprintf("synthetic %d", n), ix, coll)
}

// evalQuestions are the questions of the eval set (internal/eval reads the
// whole format; rag cannot import it).
func evalQuestions(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../../testdata/eval.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		var c struct{ Question string }
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatal(err)
		}
		qs = append(qs, c.Question)
	}
	return qs
}

// TestInvertedIndexMatchesChromem: for every eval question, over the real
// guide, the two-guide corpus and synthetic corpora, the inverted index
// yields chromem-go's candidates (same chunks, same order, same
// similarities) and Search the same hits.
func TestInvertedIndexMatchesChromem(t *testing.T) {
	corpora := []twoPaths{
		openedTwoPaths(t, "guide", mediaFile),
		openedTwoPaths(t, "two guides", mediaFile, uxFile),
		syntheticTwoPaths(t, 300),
		syntheticTwoPaths(t, 1000),
	}
	questions := evalQuestions(t)
	ctx := context.Background()
	for _, c := range corpora {
		t.Run(c.name, func(t *testing.T) {
			exact := 0
			for _, q := range questions {
				wantHits, want, wantErr := c.dense.search(ctx, q)
				gotHits, got, gotErr := c.sparse.search(ctx, q)
				if !errors.Is(gotErr, wantErr) {
					t.Errorf("%q: Search error %v, chromem-go path %v", q, gotErr, wantErr)
				}
				if len(got) != len(want) {
					t.Fatalf("%q: %d candidates, chromem-go %d", q, len(got), len(want))
				}
				same := true
				for i := range want {
					if got[i].chunk != want[i].chunk || math.Abs(float64(got[i].similarity-want[i].similarity)) > 1e-5 {
						t.Errorf("%q: candidate %d is %s (%.7f), chromem-go's %s (%.7f)", q, i,
							c.sparse.chunks[got[i].chunk].ID, got[i].similarity, c.dense.chunks[want[i].chunk].ID, want[i].similarity)
						break
					}
					same = same && got[i].similarity == want[i].similarity
				}
				if same {
					exact++
				}
				if len(gotHits) != len(wantHits) {
					t.Errorf("%q: %d hits, chromem-go path %d", q, len(gotHits), len(wantHits))
					continue
				}
				for i := range wantHits {
					if gotHits[i].ID != wantHits[i].ID || math.Abs(float64(gotHits[i].Score-wantHits[i].Score)) > 1e-5 {
						t.Errorf("%q: hit %d is %s (%.6f), chromem-go path %s (%.6f)", q, i,
							gotHits[i].ID, gotHits[i].Score, wantHits[i].ID, wantHits[i].Score)
					}
				}
			}
			t.Logf("%d of %d questions: similarities bit for bit equal", exact, len(questions))
		})
	}
}

// TestSparseNearestOnRandomVectors compares the two searches on random
// sparse vectors with negative values, duplicates (exact ties) and a
// question that needs chromem-go's normalisation.
func TestSparseNearestOnRandomVectors(t *testing.T) {
	const dims, n = 96, 500
	rng := rand.New(rand.NewPCG(7, 8))
	vectors := make([][]float32, n)
	for i := range vectors {
		if i%50 == 49 {
			vectors[i] = slices.Clone(vectors[i-7]) // a tie
			continue
		}
		v := make([]float32, dims)
		for range 1 + rng.IntN(20) {
			v[rng.IntN(dims)] = float32(rng.NormFloat64())
		}
		Normalize(v)
		vectors[i] = v
	}
	chunks := make([]Chunk, n)
	byID := map[string]int{}
	for i := range chunks {
		chunks[i] = Chunk{ID: fmt.Sprintf("c%03d", i), Ordinal: i}
		byID[chunks[i].ID] = i
	}
	ctx := context.Background()
	_, coll, err := newCollection(ctx, chunks, vectors)
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSparseIndex(storedVectors(ctx, coll, chunks), n)
	if err != nil {
		t.Fatal(err)
	}
	dense := chromemSearch{coll: coll, byID: byID}
	for trial := range 200 {
		q := make([]float32, dims)
		for range 1 + rng.IntN(10) {
			q[rng.IntN(dims)] = float32(rng.NormFloat64())
		}
		if trial%2 == 0 {
			Normalize(q)
		} // else: chromem-go normalises it
		k := 1 + rng.IntN(n)
		want, err := dense.nearest(ctx, q, k)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.nearest(ctx, q, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("trial %d: %d neighbours, want %d", trial, len(got), len(want))
		}
		for i := range want {
			if got[i].similarity != want[i].similarity {
				t.Fatalf("trial %d: neighbour %d similarity %v, chromem-go %v", trial, i, got[i].similarity, want[i].similarity)
			}
		}
		// Equal similarities at the cut too: the earlier chunks are kept,
		// whatever order chromem-go met the documents in (issue 16).
		for i := range want {
			if got[i].chunk != want[i].chunk {
				t.Fatalf("trial %d: neighbour %d is chunk %d, chromem-go %d", trial, i, got[i].chunk, want[i].chunk)
			}
		}
		for i := 1; i < len(got); i++ {
			if compareNeighbours(got[i-1], got[i]) >= 0 {
				t.Fatalf("trial %d: neighbours %d and %d out of order: %v %v", trial, i-1, i, got[i-1], got[i])
			}
		}
	}
	if _, err := s.nearest(ctx, make([]float32, dims), n+1); err == nil {
		t.Error("asking for more neighbours than vectors: no error")
	}
	if _, err := s.nearest(ctx, make([]float32, dims+1), 1); err == nil {
		t.Error("a question vector of the wrong width: no error")
	}
}

// TestChromemNearestKeepsTiesAtTheCutByChunk: chromem-go keeps whichever
// of the documents tied at the n-th similarity its map order and goroutines
// meet first; the search must keep the earliest chunks, every time.
func TestChromemNearestKeepsTiesAtTheCutByChunk(t *testing.T) {
	const dims, n = 8, 60
	vectors := make([][]float32, n)
	for i := range vectors {
		v := make([]float32, dims)
		v[0], v[1+i%3] = 1, float32(i%3)*0.25 // three similarities, twenty chunks each
		Normalize(v)
		vectors[i] = v
	}
	chunks := make([]Chunk, n)
	byID := map[string]int{}
	for i := range chunks {
		chunks[i] = Chunk{ID: fmt.Sprintf("c%03d", i), Ordinal: i}
		byID[chunks[i].ID] = i
	}
	ctx := context.Background()
	q := []float32{1, 0, 0, 0, 0, 0, 0, 0}
	var first []neighbour
	for trial := range 20 {
		// A new collection each time: a new map, a new iteration order.
		_, coll, err := newCollection(ctx, chunks, vectors)
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromemSearch{coll: coll, byID: byID}.nearest(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 10 {
			t.Fatalf("%d neighbours, want 10", len(got))
		}
		for i, nb := range got {
			if nb.chunk != 3*i { // the most similar are chunks 0, 3, 6, …
				t.Fatalf("trial %d: neighbour %d is chunk %d, want %d: %v", trial, i, nb.chunk, 3*i, got)
			}
		}
		if first == nil {
			first = got
		} else if !slices.Equal(got, first) {
			t.Fatalf("trial %d: %v, first trial %v", trial, got, first)
		}
	}
}

func TestTopNeighboursBreaksTiesByChunk(t *testing.T) {
	scores := []float32{0.5, 0.9, 0.5, 0, 0.9, -0.2, 0.5}
	got := topNeighbours(scores, 4)
	want := []neighbour{{1, 0.9}, {4, 0.9}, {0, 0.5}, {2, 0.5}}
	if !slices.Equal(got, want) {
		t.Errorf("topNeighbours = %v, want %v", got, want)
	}
	if got := topNeighbours(scores, len(scores)); got[len(got)-1] != (neighbour{5, -0.2}) {
		t.Errorf("all neighbours: last is %v, want the negative one", got[len(got)-1])
	}
	// Sorting by keys keeps each similarity and orders as compareNeighbours,
	// with -0 equal to +0.
	negZero := float32(math.Copysign(0, -1))
	ns := []neighbour{{3, negZero}, {1, 0}, {2, -1.5}, {0, float32(math.Inf(1))}, {4, math.SmallestNonzeroFloat32}, {5, -math.SmallestNonzeroFloat32}, {6, 0.25}}
	want = slices.Clone(ns)
	slices.SortFunc(want, compareNeighbours)
	sortNeighbours(ns)
	if !slices.Equal(ns, want) {
		t.Errorf("sortNeighbours = %v, want %v", ns, want)
	}
}

// TestDenseVectorsKeepChromem: an embedder whose vectors are dense (as
// OpenAI's are) keeps chromem-go's scan.
func TestDenseVectorsKeepChromem(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	chunks := make([]Chunk, 40)
	vectors := make([][]float32, len(chunks))
	byID := map[string]int{}
	for i := range chunks {
		chunks[i] = Chunk{ID: fmt.Sprintf("c%02d", i)}
		byID[chunks[i].ID] = i
		v := make([]float32, 64)
		for d := range v {
			v[d] = float32(rng.NormFloat64())
		}
		Normalize(v)
		vectors[i] = v
	}
	ctx := context.Background()
	_, coll, err := newCollection(ctx, chunks, vectors)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := chooseVectorSearch(ctx, coll, chunks, byID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := vs.(chromemSearch); !ok {
		t.Errorf("dense vectors got %T, want chromem-go's scan", vs)
	}
}

// TestConcurrentSearchesAgree runs searches from several goroutines (the
// chat server's pattern) on the inverted index; run with -race.
func TestConcurrentSearchesAgree(t *testing.T) {
	ix := open(t, corpusDir(t, mediaFile), "")
	questions := evalQuestions(t)
	ctx := context.Background()
	want := make([][]Hit, len(questions))
	for i, q := range questions {
		want[i], _ = ix.Search(ctx, q)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(questions))
	for g := range 8 {
		wg.Go(func() {
			for k := range questions {
				i := (k + g*7) % len(questions)
				got, _ := ix.Search(ctx, questions[i])
				if len(got) != len(want[i]) {
					errs <- fmt.Sprintf("%q: %d hits, alone %d", questions[i], len(got), len(want[i]))
					continue
				}
				for j := range got {
					if got[j].ID != want[i][j].ID || got[j].Score != want[i][j].Score {
						errs <- fmt.Sprintf("%q: hit %d %s %v, alone %s %v", questions[i], j, got[j].ID, got[j].Score, want[i][j].ID, want[i][j].Score)
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestNormalizeTouchedIsNormalize: the embedder's shortcut gives normalize's
// bits, whatever the number of features.
func TestNormalizeTouchedIsNormalize(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := range 300 {
		vec := make([]float32, BuiltinDims)
		var touched [BuiltinDims / 64]uint64
		for range 1 + rng.IntN(600) {
			d := rng.IntN(BuiltinDims)
			touched[d/64] |= 1 << (d % 64)
			if rng.IntN(10) > 0 { // some touched dimensions stay zero (signs cancel)
				vec[d] += float32(rng.NormFloat64() * 3)
			}
		}
		want := slices.Clone(vec)
		Normalize(want)
		normalizeTouched(vec, &touched)
		for d := range vec {
			if math.Float32bits(vec[d]) != math.Float32bits(want[d]) {
				t.Fatalf("trial %d: dimension %d is %v, normalize gives %v", trial, d, vec[d], want[d])
			}
		}
	}
}

// nearestIn reads only the given runs' postings, found by rank; it must
// give, bit for bit, what scoring every chunk and keeping the runs' best
// gave (the code it replaced), over runs that start and end inside, on and
// across bitmap words and rank blocks.
func TestSparseNearestInMatchesFullScores(t *testing.T) {
	const dims, n = 64, 3000 // 47 bitmap words, 6 rank blocks
	rng := rand.New(rand.NewPCG(15, 16))
	vectors := make([][]float32, n)
	for i := range vectors {
		v := make([]float32, dims)
		for range 1 + rng.IntN(12) {
			v[rng.IntN(dims)] = float32(rng.NormFloat64())
		}
		Normalize(v)
		vectors[i] = v
	}
	s, err := newSparseIndex(func(i int) ([]float32, error) { return vectors[i], nil }, n)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for trial := range 300 {
		q := make([]float32, dims)
		for range 1 + rng.IntN(10) {
			q[rng.IntN(dims)] = float32(rng.NormFloat64())
		}
		var runs [][2]int
		for range 1 + rng.IntN(3) {
			lo := rng.IntN(n)
			hi := lo + 1 + rng.IntN(min(n-lo, 700))
			if trial%5 == 0 {
				lo, hi = 64*rng.IntN(n/64), 0
				hi = min(n, lo+512*(1+rng.IntN(2)))
			}
			runs = append(runs, [2]int{lo, hi})
		}
		k := 1 + rng.IntN(80)
		bufp, err := s.similarities(ctx, q, k)
		if err != nil {
			t.Fatal(err)
		}
		var want []neighbour
		for _, r := range runs {
			for _, nb := range topNeighbours((*bufp)[r[0]:r[1]], k) {
				nb.chunk += r[0]
				want = append(want, nb)
			}
		}
		s.scores.Put(bufp)
		sortNeighbours(want)
		want = want[:min(k, len(want))]
		got, err := s.nearestIn(ctx, q, k, runs)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d, runs %v, k %d:\n got %v\nwant %v", trial, runs, k, got, want)
		}
	}
	for c := range n { // rank against a plain count
		for _, d := range []int{0, 17, dims - 1} {
			want := 0
			for x := range c {
				if vectors[x][d] != 0 {
					want++
				}
			}
			if got := s.rank(d, c); got != want {
				t.Fatalf("rank(%d, %d) = %d, want %d", d, c, got, want)
			}
		}
	}
}
