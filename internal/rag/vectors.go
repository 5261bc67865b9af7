package rag

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"

	chromem "github.com/philippgille/chromem-go"
)

// neighbour is a chunk (its index in Index.chunks) and the cosine similarity
// of its stored vector to the question's.
type neighbour struct {
	chunk      int
	similarity float32
}

// vectorSearch finds the chunks whose stored vectors are nearest a question's.
// Two implementations: chromem-go's exhaustive scan (any embedder) and an
// inverted index over the same stored vectors (sparse embedders such as the
// built-in one), which returns the same neighbours with the same similarities.
type vectorSearch interface {
	// nearest returns the n chunks most similar to q, most similar first,
	// ties in lower chunk index first.
	nearest(ctx context.Context, q []float32, n int) ([]neighbour, error)
	// size is the number of stored vectors.
	size() int
}

// chromemSearch is chromem-go's QueryEmbedding: one dot product per stored
// vector.
type chromemSearch struct {
	coll *chromem.Collection
	byID map[string]int
}

func (s chromemSearch) size() int { return s.coll.Count() }

func (s chromemSearch) nearest(ctx context.Context, q []float32, n int) ([]neighbour, error) {
	// chromem-go meets the documents in map order, spread over goroutines,
	// and keeps the n best by similarity alone: of several documents tied
	// at the n-th similarity, which ones it keeps changes from call to
	// call (issue 16). So ask for more until the last one asked for is
	// strictly less similar than the n-th — then every document tied with
	// the n-th is in — and cut at n in compareNeighbours' order.
	size := s.coll.Count()
	ask := min(n+1, size)
	for {
		results, err := s.coll.QueryEmbedding(ctx, q, ask, nil, nil)
		if err != nil {
			return nil, err
		}
		if ask < size && len(results) == ask && n > 0 && results[ask-1].Similarity == results[n-1].Similarity {
			ask = min(2*ask, size)
			continue
		}
		out := make([]neighbour, 0, len(results))
		for _, r := range results {
			if i, ok := s.byID[r.ID]; ok {
				out = append(out, neighbour{chunk: i, similarity: r.Similarity})
			}
		}
		sortNeighbours(out)
		return out[:min(n, len(out))], nil
	}
}

func compareNeighbours(a, b neighbour) int {
	if c := cmp.Compare(b.similarity, a.similarity); c != 0 {
		return c
	}
	return cmp.Compare(a.chunk, b.chunk)
}

// sparseIndex is an inverted index over the stored vectors: for each
// dimension, which chunks have a nonzero value there (a bitmap over chunks)
// and those values (in chunk order). A question touches only the postings of
// its own nonzero dimensions: with the built-in embedder a question has ~17
// nonzero dimensions of 1,024 and a chunk ~330–440, so a search reads ~0.6% of
// the values chromem-go's exhaustive scan multiplies.
//
// Similarities are bit-for-bit chromem-go's: a chunk's products are added in
// ascending dimension order, as chromem-go's loop adds them, and the products
// it skips are ±0, which leave a float sum unchanged.
type sparseIndex struct {
	chunks int      // number of stored vectors
	dims   int      // vector width
	words  int      // uint64 words per dimension's bitmap: ceil(chunks/64)
	bitmap []uint64 // dims × words: bit c of dimension d's bitmap is set when chunk c has a nonzero value at d
	values []float32
	start  []int // dimension d's values are values[start[d]:start[d+1]]
	// ranks[d*blocks+b] counts the set bits of dimension d's bitmap before
	// its word b×rankWords, so that the values of any run of chunks can be
	// found without reading the postings before it (see similaritiesIn).
	ranks  []uint32
	blocks int // ceil(words/rankWords)
	scores sync.Pool
}

// rankWords is how many bitmap words one rank entry covers: finding where
// a chunk's values start then takes at most rankWords popcounts, for
// 4 bytes per 512 chunks and dimension (430 KB at 53,000 chunks).
const rankWords = 8

// indexRanks fills s.ranks from s.bitmap.
func (s *sparseIndex) indexRanks() {
	s.blocks = (s.words + rankWords - 1) / rankWords
	s.ranks = make([]uint32, s.dims*s.blocks)
	for d := range s.dims {
		n := uint32(0)
		row := s.bitmap[d*s.words : (d+1)*s.words]
		for w, word := range row {
			if w%rankWords == 0 {
				s.ranks[d*s.blocks+w/rankWords] = n
			}
			n += uint32(bits.OnesCount64(word))
		}
	}
}

// rank is how many chunks before chunk c have a nonzero value at d: the
// offset of c's value (or of the next chunk's) within d's values.
func (s *sparseIndex) rank(d, c int) int {
	row := s.bitmap[d*s.words : (d+1)*s.words]
	w := c / 64
	n := int(s.ranks[d*s.blocks+w/rankWords])
	for _, word := range row[w/rankWords*rankWords : w] {
		n += bits.OnesCount64(word)
	}
	if c%64 != 0 {
		n += bits.OnesCount64(row[w] & (1<<(c%64) - 1))
	}
	return n
}

// maxSparseDensity is the share of nonzero stored values above which the
// exhaustive scan is kept: a denser inverted index holds more than the
// vectors themselves and saves little work (see docs/retrieval.md).
const maxSparseDensity = 0.5

// densitySample is how many stored vectors decide whether the embedder is
// sparse, before the whole collection is read.
const densitySample = 256

// storedVectors reads the vectors chromem-go holds, in chunk order: they are
// what its query compares against (it normalises vectors that are not).
func storedVectors(ctx context.Context, coll *chromem.Collection, chunks []Chunk) func(i int) ([]float32, error) {
	return func(i int) ([]float32, error) {
		doc, err := coll.GetByID(ctx, chunks[i].ID)
		if err != nil {
			return nil, err
		}
		return doc.Embedding, nil
	}
}

// density returns the share of nonzero values among the first n vectors.
func density(vector func(int) ([]float32, error), n int) (float64, error) {
	var nonzero, total int
	for i := range n {
		v, err := vector(i)
		if err != nil {
			return 0, err
		}
		for _, x := range v {
			if x != 0 {
				nonzero++
			}
		}
		total += len(v)
	}
	if total == 0 {
		return 0, nil
	}
	return float64(nonzero) / float64(total), nil
}

// newSparseIndex builds the inverted index over n vectors.
func newSparseIndex(vector func(int) ([]float32, error), n int) (*sparseIndex, error) {
	if n == 0 {
		return nil, errors.New("no vectors")
	}
	first, err := vector(0)
	if err != nil {
		return nil, err
	}
	s := &sparseIndex{chunks: n, dims: len(first), words: (n + 63) / 64}
	if s.dims == 0 {
		return nil, errors.New("empty vectors")
	}
	// Two passes, so that the values are allocated once at their final size.
	counts := make([]int, s.dims)
	s.bitmap = make([]uint64, s.dims*s.words)
	for c := range n {
		v, err := vector(c)
		if err != nil {
			return nil, err
		}
		if len(v) != s.dims {
			return nil, fmt.Errorf("vector %d has %d dimensions, vector 0 has %d", c, len(v), s.dims)
		}
		for d, x := range v {
			if x != 0 {
				counts[d]++
				s.bitmap[d*s.words+c/64] |= 1 << (c % 64)
			}
		}
	}
	s.start = make([]int, s.dims+1)
	for d, k := range counts {
		s.start[d+1] = s.start[d] + k
	}
	s.values = make([]float32, s.start[s.dims])
	next := slices.Clone(s.start[:s.dims])
	for c := range n {
		v, err := vector(c)
		if err != nil {
			return nil, err
		}
		for d, x := range v {
			if x != 0 {
				s.values[next[d]] = x
				next[d]++
			}
		}
	}
	s.scores.New = func() any {
		scores := make([]float32, s.chunks)
		return &scores
	}
	s.indexRanks()
	return s, nil
}

func (s *sparseIndex) size() int { return s.chunks }

// bytes is the memory the index holds (not counting one score buffer of
// 4 bytes per chunk per concurrent search, pooled).
func (s *sparseIndex) bytes() int {
	return 8*len(s.bitmap) + 4*len(s.values) + 8*len(s.start) + 4*len(s.ranks)
}

// density is the share of stored values that are nonzero.
func (s *sparseIndex) density() float64 {
	return float64(len(s.values)) / float64(s.chunks*s.dims)
}

func (s *sparseIndex) nearest(ctx context.Context, q []float32, n int) ([]neighbour, error) {
	bufp, err := s.similarities(ctx, q, n)
	if err != nil {
		return nil, err
	}
	defer s.scores.Put(bufp)
	return topNeighbours(*bufp, n), nil
}

// similarities returns every chunk's similarity to q in a pooled buffer
// (put it back in s.scores when done).
func (s *sparseIndex) similarities(ctx context.Context, q []float32, n int) (*[]float32, error) {
	var nonzeroBuf [64]int
	q, nonzero, err := s.prepare(q, n, nonzeroBuf[:0])
	if err != nil {
		return nil, err
	}
	bufp := s.scores.Get().(*[]float32)
	scores := *bufp
	clear(scores)
	for _, d := range nonzero {
		if err := ctx.Err(); err != nil {
			s.scores.Put(bufp)
			return nil, err
		}
		qd := q[d]
		values := s.values[s.start[d]:s.start[d+1]]
		k := 0
		for w, word := range s.bitmap[d*s.words : (d+1)*s.words] {
			base := w * 64
			for word != 0 {
				scores[base+bits.TrailingZeros64(word)] += qd * values[k]
				k++
				word &= word - 1
			}
		}
	}
	return bufp, nil
}

// prepare checks q and n as chromem-go's QueryEmbedding does, normalises q
// as it does, and appends q's nonzero dimensions, ascending, to nonzero.
func (s *sparseIndex) prepare(q []float32, n int, nonzero []int) ([]float32, []int, error) {
	if len(q) == 0 {
		return nil, nil, errors.New("queryEmbedding is empty")
	}
	if n <= 0 {
		return nil, nil, errors.New("nResults must be > 0")
	}
	if n > s.chunks {
		return nil, nil, errors.New("nResults must be <= the number of documents in the collection")
	}
	if len(q) != s.dims {
		return nil, nil, fmt.Errorf("the question's vector has %d dimensions, the index %d", len(q), s.dims)
	}
	// One pass finds the question's nonzero dimensions and its squared norm
	// (the zeros add exactly nothing to chromem-go's sum over all of them).
	//
	// Four dimensions at a time are skipped when all are zero (all their
	// bits but the sign's are: x != 0 is false for -0 too). A question's
	// vector has a few dozen nonzero dimensions of 1,024; testing each one
	// was 13.4k instructions per offline answer, this 9.4k
	// (BenchmarkAnswerOffline/botbench under callgrind).
	// TestPrepareMatchesReference holds it to the loop over every dimension.
	var sqSum float64
	d := 0
	for ; d+4 <= len(q); d += 4 {
		if (math.Float32bits(q[d])|math.Float32bits(q[d+1])|math.Float32bits(q[d+2])|math.Float32bits(q[d+3]))&^(1<<31) == 0 {
			continue
		}
		for i, x := range q[d : d+4] {
			if x != 0 {
				nonzero = append(nonzero, d+i)
				sqSum += float64(x) * float64(x)
			}
		}
	}
	for ; d < len(q); d++ {
		if x := q[d]; x != 0 {
			nonzero = append(nonzero, d)
			sqSum += float64(x) * float64(x)
		}
	}
	if math.Abs(math.Sqrt(sqSum)-1) >= normalizedTolerance {
		q = normalizeVector(q)
	}
	return q, nonzero, nil
}

// nearestIn is nearest among the chunks of the given runs ([start, end)
// chunk ranges, as a career's chunks are): the best n of each run, merged
// and cut to n. It reads only the runs' postings, found by rank: a search
// within one career of 1,000 guides scored every chunk's similarity, which
// was 95% of its CPU (1.2 ms of 1.27 ms, BenchmarkScaleSearch1000Guides
// before this). The similarities are the ones similarities computes (the
// same products added in the same order); TestSparseNearestInMatchesFullScores
// holds it.
func (s *sparseIndex) nearestIn(ctx context.Context, q []float32, n int, runs [][2]int) ([]neighbour, error) {
	var nonzeroBuf [64]int
	q, nonzero, err := s.prepare(q, n, nonzeroBuf[:0])
	if err != nil {
		return nil, err
	}
	var out []neighbour
	var buf []float32
	for _, r := range runs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lo, hi := r[0], r[1]
		if lo < 0 || hi > s.chunks || lo >= hi {
			continue
		}
		buf = slices.Grow(buf[:0], hi-lo)[:hi-lo]
		clear(buf)
		for _, d := range nonzero {
			qd := q[d]
			values := s.values[s.start[d]+s.rank(d, lo) : s.start[d+1]]
			row := s.bitmap[d*s.words : (d+1)*s.words]
			k := 0
			for w := lo / 64; w <= (hi-1)/64; w++ {
				word := row[w]
				if w == lo/64 {
					word &^= 1<<(lo%64) - 1 // chunks before lo
				}
				if w == (hi-1)/64 && hi%64 != 0 {
					word &= 1<<(hi%64) - 1 // chunks from hi on
				}
				base := w*64 - lo
				for word != 0 {
					buf[base+bits.TrailingZeros64(word)] += qd * values[k]
					k++
					word &= word - 1
				}
			}
		}
		for _, nb := range topNeighbours(buf, n) {
			nb.chunk += lo
			out = append(out, nb)
		}
	}
	sortNeighbours(out)
	return out[:min(n, len(out))], nil
}

// topNeighbours returns the n highest scores, highest first, ties in lower
// index first. A min-heap of the best n so far, worst at the root; scanning
// in index order, a later score must beat the root strictly to enter.
func topNeighbours(scores []float32, n int) []neighbour {
	if n >= len(scores) {
		all := make([]neighbour, len(scores))
		for c, sim := range scores {
			all[c] = neighbour{chunk: c, similarity: sim}
		}
		sortNeighbours(all)
		return all
	}
	heap := make([]neighbour, 0, n)
	for c, sim := range scores {
		if len(heap) < n {
			heap = append(heap, neighbour{chunk: c, similarity: sim})
			for i := len(heap) - 1; i > 0; {
				p := (i - 1) / 2
				if !ranksBelow(heap[i], heap[p]) {
					break
				}
				heap[i], heap[p] = heap[p], heap[i]
				i = p
			}
			continue
		}
		if sim <= heap[0].similarity {
			continue
		}
		heap[0] = neighbour{chunk: c, similarity: sim}
		for i := 0; ; {
			m := 2*i + 1
			if m >= n {
				break
			}
			if r := m + 1; r < n && ranksBelow(heap[r], heap[m]) {
				m = r
			}
			if !ranksBelow(heap[m], heap[i]) {
				break
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	sortNeighbours(heap)
	return heap
}

// sortNeighbours sorts by compareNeighbours' order, as uint64 keys: with a
// comparison function, sorting the guide's 53 candidates was a fifth of a
// search's CPU.
func sortNeighbours(ns []neighbour) {
	var buf [64]uint64
	keys := buf[:0]
	for _, nb := range ns {
		keys = append(keys, rankKey(nb))
	}
	slices.Sort(keys)
	for i, k := range keys {
		ns[i] = neighbour{chunk: int(uint32(k)), similarity: similarityOfKey(k)}
	}
}

// rankKey orders neighbours as compareNeighbours does: the similarity's bits
// made to sort as unsigned integers, inverted so that higher similarities
// come first, then the chunk.
func rankKey(nb neighbour) uint64 {
	sim := nb.similarity
	if sim == 0 {
		sim = 0 // -0 ranks as +0
	}
	b := math.Float32bits(sim)
	if b>>31 == 1 {
		b = ^b
	} else {
		b |= 1 << 31
	}
	return uint64(^b)<<32 | uint64(uint32(nb.chunk))
}

func similarityOfKey(k uint64) float32 {
	b := ^uint32(k >> 32)
	if b>>31 == 1 {
		b &^= 1 << 31
	} else {
		b = ^b
	}
	return math.Float32frombits(b)
}

// ranksBelow reports whether a ranks below b: a lower similarity, or the
// same one in a later chunk.
func ranksBelow(a, b neighbour) bool {
	return a.similarity < b.similarity || a.similarity == b.similarity && a.chunk > b.chunk
}

// normalizedTolerance and normalizeVector are chromem-go's (vector.go,
// v0.7.0): the sparse search normalises a question's vector exactly when and
// as chromem-go's query does.
const normalizedTolerance = 1e-6

func normalizeVector(v []float32) []float32 {
	var norm float32
	for _, val := range v {
		norm += val * val
	}
	norm = float32(math.Sqrt(float64(norm)))
	res := make([]float32, len(v))
	for i, val := range v {
		res[i] = val / norm
	}
	return res
}

// chooseVectorSearch picks how Search finds candidates over coll: the
// inverted index when the stored vectors are sparse enough, chromem-go's
// scan otherwise. With the inverted index, chromem-go's in-memory copy of
// the vectors is no longer referenced (the index file stays chromem-go's).
func chooseVectorSearch(ctx context.Context, coll *chromem.Collection, chunks []Chunk, byID map[string]int) (vectorSearch, error) {
	dense := chromemSearch{coll: coll, byID: byID}
	vector := storedVectors(ctx, coll, chunks)
	sample, err := density(vector, min(len(chunks), densitySample))
	if err != nil {
		return nil, fmt.Errorf("reading the stored vectors: %w", err)
	}
	if sample > maxSparseDensity {
		return dense, nil
	}
	s, err := newSparseIndex(vector, len(chunks))
	if err != nil {
		return nil, fmt.Errorf("building the inverted index: %w", err)
	}
	if s.density() > maxSparseDensity {
		return dense, nil
	}
	return s, nil
}
