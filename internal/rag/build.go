package rag

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"time"
)

// GuideError is a guide that could not be read or held no text to index.
// A reload refuses the whole corpus with it, so the index in service is
// kept; Open only warns, so a bot still starts with its other guides.
type GuideError struct {
	File string // file name within the corpus dir
	Err  error
}

func (e *GuideError) Error() string { return fmt.Sprintf("guide %s: %v", e.File, e.Err) }
func (e *GuideError) Unwrap() error { return e.Err }

// errNoText: a guide whose every section is empty or page chrome.
var errNoText = errors.New("no text to index (empty, or only page chrome)")

// guideSource is what a reload compares and reuses per guide.
type guideSource struct {
	sum    [32]byte // SHA-256 of the guide's bytes
	chunks int      // its chunks, consecutive in Index.chunks
}

// Progress reports a build while it runs (Options.Progress): guides parsed,
// chunks embedded, the embedding rate and the time left at that rate.
type Progress struct {
	Phase      string // "reading", "embedding" or "indexing"
	Guides     int    // guides in the corpus
	GuidesDone int    // parsed or reused so far
	Chunks     int    // chunks to embed in this build
	ChunksDone int
	Reused     int // chunks whose vectors come from the previous index
	Elapsed    time.Duration
	Rate       float64       // chunks embedded per second so far
	ETA        time.Duration // at that rate; 0 when unknown
}

// progressEvery is how often a running build reports.
const progressEvery = time.Second

type progressReporter struct {
	fn    func(Progress)
	start time.Time
	last  time.Time
	p     Progress
}

func (r *progressReporter) report(force bool) {
	if r.fn == nil {
		return
	}
	now := time.Now()
	if !force && now.Sub(r.last) < progressEvery {
		return
	}
	r.last = now
	r.p.Elapsed = now.Sub(r.start)
	if r.p.ChunksDone > 0 {
		r.p.Rate = float64(r.p.ChunksDone) / r.p.Elapsed.Seconds()
		r.p.ETA = time.Duration(float64(r.p.Chunks-r.p.ChunksDone) / r.p.Rate * float64(time.Second))
	}
	r.fn(r.p)
}

// maxSinceFit is the share of the corpus that may be embedded against an
// extended IDF table (see idfTable.extend) before a reload refits the table
// and embeds every chunk again: past it, the frozen frequencies would have
// drifted too far from the corpus's.
const maxSinceFit = 0.25

// build makes the index of files. Guides whose bytes are unchanged since
// old (nil for none) are taken from it as they are — chunks, term sets and,
// from oldRows, vectors; the others are parsed, chunked and embedded. With
// strict, a guide without text is an error (a reload); otherwise a warning.
//
// With the built-in embedder the vectors depend on the IDF table. A reload
// keeps the old table, extended with the features only the changed guides
// have (so unchanged chunks keep valid vectors), until more than
// maxSinceFit of the corpus was embedded that way; then it refits the
// table and embeds everything. Other embedders' vectors do not depend on
// the table, so it is refitted at every build and only changed guides are
// embedded.
func build(ctx context.Context, opts Options, settings, fp string, files []corpusFile, old *Index, oldRows func(context.Context) (sparseRows, error), strict bool) (*Index, sparseRows, error) {
	prog := &progressReporter{fn: opts.Progress, start: time.Now(), p: Progress{Phase: "reading", Guides: len(files)}}
	prog.report(true)
	type oldGuide struct{ g, first int }
	reusable := map[string]oldGuide{}
	if old != nil {
		first := 0
		for g, src := range old.sources {
			reusable[old.guides[g].File] = oldGuide{g, first}
			first += src.chunks
		}
	}
	var guides []Guide
	var sources []guideSource
	var chunks []Chunk
	var terms, titles []termSet
	var from []int // per chunk: its index in old, or -1 when new
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, sparseRows{}, err
		}
		if o, ok := reusable[f.name]; ok && old.sources[o.g].sum == f.sum {
			n := old.sources[o.g].chunks
			guides = append(guides, old.guides[o.g])
			sources = append(sources, old.sources[o.g])
			chunks = append(chunks, old.chunks[o.first:o.first+n]...)
			terms = append(terms, old.terms[o.first:o.first+n]...)
			titles = append(titles, old.titles[o.first:o.first+n]...)
			for i := range n {
				from = append(from, o.first+i)
			}
			prog.p.GuidesDone++
			continue
		}
		g := ParseGuide(f.name, string(f.data), opts.StopHeadings)
		cs := ChunkGuide(g, slugOf(f.name), 0)
		if len(cs) == 0 {
			if strict {
				return nil, sparseRows{}, &GuideError{File: f.name, Err: errNoText}
			}
			opts.Logger.Warn("guide has no text to index", "file", f.name)
		}
		// Only titles are kept: the sections' text lives on in the chunks.
		guides = append(guides, Guide{File: g.File, Title: g.Title})
		sources = append(sources, guideSource{sum: f.sum, chunks: len(cs)})
		for _, c := range cs {
			chunks = append(chunks, c)
			terms = append(terms, termHashes(embeddingText(c)))
			titles = append(titles, termHashes(c.Section))
			from = append(from, -1)
		}
		prog.p.GuidesDone++
		prog.report(false)
	}
	if len(chunks) == 0 {
		return nil, sparseRows{}, fmt.Errorf("corpus dir %q: the guides hold no text to index", opts.CorpusDir)
	}
	fresh := 0
	for _, o := range from {
		if o < 0 {
			fresh++
		}
	}
	texts := func(all bool) []string {
		var out []string
		for i, c := range chunks {
			if all || from[i] < 0 {
				out = append(out, embeddingText(c))
			}
		}
		return out
	}
	builtin := opts.Embedder == nil
	var table idfTable
	sinceFit := 0
	refit := old == nil || !builtin || float64(old.sinceFit+fresh) > maxSinceFit*float64(len(chunks))
	if refit {
		table = fitTable(texts(true))
	} else {
		table = old.table.extend(texts(false))
		sinceFit = old.sinceFit + fresh
	}
	if refit && builtin {
		// Every vector depends on the new table: nothing can be reused.
		for i := range from {
			from[i] = -1
		}
		fresh = len(chunks)
	}

	ix := newIndexShell(opts, guides, chunks)
	ix.sources, ix.terms, ix.titles = sources, compactSets(terms), compactSets(titles)
	ix.settings, ix.sinceFit = settings, sinceFit
	ix.setTable(table)
	ix.stats.Fingerprint = fp
	ix.stats.Rebuilt, ix.stats.BuiltAt = true, time.Now()
	ix.stats.Embedded, ix.stats.Reused = fresh, len(chunks)-fresh

	var previous sparseRows
	if fresh < len(chunks) {
		var err error
		if previous, err = oldRows(ctx); err != nil {
			return nil, sparseRows{}, fmt.Errorf("reading the previous vectors: %w", err)
		}
		if previous.len() != len(old.chunks) {
			return nil, sparseRows{}, fmt.Errorf("the previous index has %d vectors for %d chunks", previous.len(), len(old.chunks))
		}
	}
	prog.p.Phase, prog.p.Chunks, prog.p.Reused = "embedding", fresh, len(chunks)-fresh
	prog.report(true)
	rows := newSparseRows(previous.width, len(chunks))
	var batch []int // chunks waiting to be embedded, in order
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		in := make([]string, len(batch))
		for k, i := range batch {
			in[k] = embeddingText(chunks[i])
		}
		vecs, err := ix.embedder.Embed(ctx, in)
		if err != nil {
			return fmt.Errorf("embedding the corpus with %s: %w", ix.embedder.Name(), err)
		}
		if len(vecs) != len(in) {
			return fmt.Errorf("embedding the corpus with %s: got %d vectors for %d texts", ix.embedder.Name(), len(vecs), len(in))
		}
		for _, v := range vecs {
			if err := rows.add(v); err != nil {
				return fmt.Errorf("embedding the corpus with %s: %w", ix.embedder.Name(), err)
			}
		}
		prog.p.ChunksDone += len(batch)
		prog.report(false)
		batch = batch[:0]
		return nil
	}
	for i, o := range from {
		if o < 0 {
			batch = append(batch, i)
			if len(batch) == embedBatch {
				if err := flush(); err != nil {
					return nil, sparseRows{}, err
				}
			}
			continue
		}
		if err := flush(); err != nil {
			return nil, sparseRows{}, err
		}
		if rows.width == 0 {
			rows.width = previous.width
		}
		rows.addRow(&previous, o)
	}
	if err := flush(); err != nil {
		return nil, sparseRows{}, err
	}
	prog.p.Phase = "indexing"
	prog.report(true)
	return ix, rows, nil
}

// compactSets copies term sets into one array: one allocation instead of
// one per chunk, and no spare capacity.
func compactSets(sets []termSet) []termSet {
	off, flat := flattenSets(sets)
	out, _ := unflattenSets(off, flat, len(sets))
	return out
}

// Reload returns the index of the corpus as it is now, built in the
// background of ix's service: guides whose bytes are unchanged keep their
// chunks and vectors, the others are parsed and embedded, and the index
// file is rewritten (atomically). ix itself is not modified and may serve
// searches meanwhile. When nothing changed it returns ix. A guide without
// text (GuideError), an empty corpus or a failed embedding call is an error,
// and ix should stay in service.
func (ix *Index) Reload(ctx context.Context) (*Index, error) {
	start := time.Now()
	files, err := readCorpus(ix.opts.CorpusDir)
	if err != nil {
		return nil, err
	}
	fp := fingerprint(files, ix.settings)
	if fp == ix.stats.Fingerprint {
		return ix, nil
	}
	next, rows, err := build(ctx, ix.opts, ix.settings, fp, files, ix, ix.vectorRows, true)
	if err != nil {
		return nil, err
	}
	next.stats.IndexFile = ix.stats.IndexFile
	if err := next.finish(ctx, &rows, start); err != nil {
		return nil, err
	}
	next.save(&rows)
	return next, nil
}

// vectorRows reads back the vectors the index searches, by chunk.
func (ix *Index) vectorRows(ctx context.Context) (sparseRows, error) {
	switch vs := ix.vectors.(type) {
	case *sparseIndex:
		return rowsFromInverted(vs), nil
	case chromemSearch:
		rows := newSparseRows(ix.dims, len(ix.chunks))
		vector := storedVectors(ctx, vs.coll, ix.chunks)
		for i := range ix.chunks {
			v, err := vector(i)
			if err != nil {
				return sparseRows{}, err
			}
			if err := rows.add(v); err != nil {
				return sparseRows{}, err
			}
		}
		return rows, nil
	}
	return sparseRows{}, fmt.Errorf("no vectors to read back from %T", ix.vectors)
}

// rowsFromInverted is invertedFromRows' inverse.
func rowsFromInverted(s *sparseIndex) sparseRows {
	counts := make([]uint32, s.chunks+1)
	for d := range s.dims {
		for w, word := range s.bitmap[d*s.words : (d+1)*s.words] {
			for ; word != 0; word &= word - 1 {
				counts[w*64+bits.TrailingZeros64(word)+1]++
			}
		}
	}
	for c := range s.chunks {
		counts[c+1] += counts[c]
	}
	r := sparseRows{width: s.dims, off: counts, dims: make([]uint16, len(s.values)), vals: make([]float32, len(s.values))}
	next := make([]uint32, s.chunks)
	copy(next, counts[:s.chunks])
	for d := range s.dims {
		k := s.start[d]
		for w, word := range s.bitmap[d*s.words : (d+1)*s.words] {
			for ; word != 0; word &= word - 1 {
				c := w*64 + bits.TrailingZeros64(word)
				r.dims[next[c]] = uint16(d)
				r.vals[next[c]] = s.values[k]
				next[c]++
				k++
			}
		}
	}
	return r
}
