package rag

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
)

// sparseRows holds vectors by chunk, only their nonzero values: chunk i's
// are dims[off[i]:off[i+1]] and vals[off[i]:off[i+1]], dimensions
// ascending. It is what the index file stores and what a reload reuses for
// unchanged guides; the search itself uses the inverted index built from it
// (or, for dense vectors, chromem-go's collection).
type sparseRows struct {
	width int // vector dimensions
	off   []uint32
	dims  []uint16
	vals  []float32
}

func newSparseRows(width, chunks int) sparseRows {
	return sparseRows{width: width, off: make([]uint32, 1, chunks+1)}
}

func (r *sparseRows) len() int { return len(r.off) - 1 }

// add appends vector v.
func (r *sparseRows) add(v []float32) error {
	if r.width == 0 {
		r.width = len(v)
	}
	if len(v) != r.width {
		return fmt.Errorf("vector %d has %d dimensions, the others %d", r.len(), len(v), r.width)
	}
	if len(v) > 1<<16 {
		return fmt.Errorf("vectors of %d dimensions: at most 65,536 are supported", len(v))
	}
	for d, x := range v {
		if x != 0 {
			r.dims = append(r.dims, uint16(d))
			r.vals = append(r.vals, x)
		}
	}
	r.off = append(r.off, uint32(len(r.vals)))
	return nil
}

// addRow appends row i of from.
func (r *sparseRows) addRow(from *sparseRows, i int) {
	lo, hi := from.off[i], from.off[i+1]
	r.dims = append(r.dims, from.dims[lo:hi]...)
	r.vals = append(r.vals, from.vals[lo:hi]...)
	r.off = append(r.off, uint32(len(r.vals)))
}

// dense writes row i into dst (len width) and returns it.
func (r *sparseRows) dense(i int, dst []float32) []float32 {
	clear(dst)
	for k := r.off[i]; k < r.off[i+1]; k++ {
		dst[r.dims[k]] = r.vals[k]
	}
	return dst
}

func (r *sparseRows) density() float64 {
	if r.len() == 0 || r.width == 0 {
		return 0
	}
	return float64(len(r.vals)) / float64(r.len()*r.width)
}

// check validates rows read from a file: n rows, offsets in order,
// dimensions ascending and inside the width.
func (r *sparseRows) check(n int) error {
	if len(r.off) != n+1 || r.off[0] != 0 || int(r.off[n]) != len(r.vals) || len(r.dims) != len(r.vals) {
		return errors.New("vector offsets disagree with their arrays")
	}
	if r.width <= 0 || r.width > 1<<16 {
		return fmt.Errorf("vectors of %d dimensions", r.width)
	}
	for i := range n {
		lo, hi := r.off[i], r.off[i+1]
		if lo > hi {
			return errors.New("vector offsets go backwards")
		}
		for k := lo; k < hi; k++ {
			if int(r.dims[k]) >= r.width || k > lo && r.dims[k] <= r.dims[k-1] {
				return errors.New("vector dimensions out of order or range")
			}
		}
	}
	return nil
}

// invertedFromRows builds the inverted index of rows directly (the same
// index newSparseIndex builds from dense vectors: values per dimension in
// chunk order).
func invertedFromRows(r *sparseRows) (*sparseIndex, error) {
	n := r.len()
	if n == 0 {
		return nil, errors.New("no vectors")
	}
	s := &sparseIndex{chunks: n, dims: r.width, words: (n + 63) / 64}
	counts := make([]int, s.dims)
	for _, d := range r.dims {
		counts[d]++
	}
	s.start = make([]int, s.dims+1)
	for d, k := range counts {
		s.start[d+1] = s.start[d] + k
	}
	s.bitmap = make([]uint64, s.dims*s.words)
	s.values = make([]float32, len(r.vals))
	next := counts // reused as the next free slot per dimension
	copy(next, s.start[:s.dims])
	for c := range n {
		for k := r.off[c]; k < r.off[c+1]; k++ {
			d := int(r.dims[k])
			s.bitmap[d*s.words+c/64] |= 1 << (c % 64)
			s.values[next[d]] = r.vals[k]
			next[d]++
		}
	}
	s.scores.New = func() any {
		scores := make([]float32, s.chunks)
		return &scores
	}
	s.indexRanks()
	return s, nil
}

// vectorSearchOf picks how Search finds candidates over rows: the inverted
// index when they are sparse enough (see maxSparseDensity), otherwise
// chromem-go's scan of a collection made from them.
func vectorSearchOf(ctx context.Context, rows *sparseRows, chunks []Chunk, byID map[string]int) (vectorSearch, error) {
	if rows.density() <= maxSparseDensity {
		return invertedFromRows(rows)
	}
	vectors := make([][]float32, rows.len())
	for i := range vectors {
		vectors[i] = rows.dense(i, make([]float32, rows.width))
	}
	_, coll, err := newCollection(ctx, chunks, vectors)
	if err != nil {
		return nil, err
	}
	return chromemSearch{coll: coll, byID: byID}, nil
}

// popcount helpers keep the rows' and the inverted index's counts honest in
// tests.
func (s *sparseIndex) nonzero() int {
	n := 0
	for _, w := range s.bitmap {
		n += bits.OnesCount64(w)
	}
	return n
}
