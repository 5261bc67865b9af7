package rag

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"
	"unsafe"
)

// The index is ONE file holding everything a search and an answer need —
// guides, chunk texts, term sets, the IDF table and the vectors — so that a
// restart reads it instead of re-deriving it from the corpus: a JSON header
// line, then a binary payload of length-prefixed arrays in this machine's
// (little-endian) byte order. The header carries the fingerprint the index
// was built for and a CRC-32C of the payload, so a stale, truncated or
// corrupt file is detected before any of it is used.
//
// Format 1 was chromem-go's export (gob, gzip): at 1,000 guides writing it
// took ~9 s of a 17.8 s build and reading it back ~5 s of a 5.9 s restart
// (BenchmarkScaleBuild1000Guides, docs/benchmarks.md, Scale).
const (
	indexFileName    = "index.bin"
	oldIndexFileName = "index.chromem" // format 1, removed when format 2 is written
	indexFormat      = "careerbot-index/2"
)

type indexHeader struct {
	Format      string `json:"format"`
	Fingerprint string `json:"fingerprint"` // corpus, chunker, stop headings, embedder
	Settings    string `json:"settings"`    // chunker, stop headings, embedder: what reusing vectors needs to match
	Guides      int    `json:"guides"`
	Chunks      int    `json:"chunks"`
	Dims        int    `json:"dims"`
	IDFDocs     int    `json:"idf_docs"`  // chunks the IDF table was fitted on
	SinceFit    int    `json:"since_fit"` // chunks embedded since, against the extended table
	BuiltAt     int64  `json:"built_at"`  // unix seconds
	PayloadLen  int64  `json:"payload_bytes"`
	PayloadCRC  uint32 `json:"payload_crc32c"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// staleTempAge is how long a temp index file must have gone unmodified to
// count as left behind by a writer that died (kill -9, a crash, a full
// disk). A live writer keeps writing to its file and renames it within
// seconds; another bot on the same data dir may be doing it right now, so
// younger files are left alone.
const staleTempAge = 2 * time.Minute

// removeStaleTemps deletes the .index-*.tmp files of dead writers in dir,
// so that a crash loop during index writes cannot fill the disk.
func removeStaleTemps(dir string, now time.Time, log *slog.Logger) {
	names, _ := filepath.Glob(filepath.Join(dir, ".index-*.tmp"))
	for _, name := range names {
		info, err := os.Lstat(name)
		if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) < staleTempAge {
			continue
		}
		if err := os.Remove(name); err != nil {
			log.Warn("could not remove a stale temp index file", "file", name, "err", err)
			continue
		}
		log.Info("removed a temp index file left by an interrupted write", "file", name, "bytes", info.Size())
	}
}

// littleEndian: the payload's arrays are written and read as this
// machine's memory. On a big-endian machine the file is refused (and the
// index rebuilt at every start) rather than read wrong.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// saveIndexFile writes ix atomically: a temp file in the same directory,
// fsync, rename over the old file, fsync the directory. Readers (including
// another bot on the same data dir) see the old file or the new one, never
// a mix.
func saveIndexFile(path string, ix *Index, rows *sparseRows) error {
	if !littleEndian {
		return errors.New("the index file format needs a little-endian machine")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating data dir: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".index-*.tmp")
	if err != nil {
		return fmt.Errorf("creating temp index file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	// The payload goes first, after room for the header: its length and
	// CRC are known only at the end. The header is then written in front
	// by rewriting the file head, so the payload is never held in memory.
	crc := crc32.New(castagnoli)
	w := bufio.NewWriterSize(io.MultiWriter(tmp, crc), 1<<20)
	if _, err := tmp.Write(make([]byte, headerRoom)); err != nil {
		tmp.Close()
		return fmt.Errorf("writing temp index file: %w", err)
	}
	n, err := writePayload(w, ix, rows)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		tmp.Close()
		return fmt.Errorf("writing temp index file: %w", err)
	}
	h := ix.header(rows.width)
	h.PayloadLen, h.PayloadCRC = n, crc.Sum32()
	line, err := json.Marshal(h)
	if err != nil {
		tmp.Close()
		return err
	}
	if len(line) >= headerRoom {
		tmp.Close()
		return fmt.Errorf("index header of %d bytes does not fit in %d", len(line), headerRoom)
	}
	// The header line is padded with spaces up to the payload.
	head := bytes.Repeat([]byte{' '}, headerRoom)
	copy(head, line)
	head[headerRoom-1] = '\n'
	if _, err := tmp.WriteAt(head, 0); err != nil {
		tmp.Close()
		return fmt.Errorf("writing temp index file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("syncing temp index file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("closing temp index file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing index file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: makes the rename durable on Linux
		d.Close()
	}
	os.Remove(filepath.Join(dir, oldIndexFileName))
	return nil
}

// headerRoom is the fixed size of the header line, padding included.
const headerRoom = 1024

func (ix *Index) header(dims int) indexHeader {
	return indexHeader{
		Format:      indexFormat,
		Fingerprint: ix.stats.Fingerprint,
		Settings:    ix.settings,
		Guides:      len(ix.guides),
		Chunks:      len(ix.chunks),
		Dims:        dims,
		IDFDocs:     ix.table.docs,
		SinceFit:    ix.sinceFit,
		BuiltAt:     ix.stats.BuiltAt.Unix(),
	}
}

// writePayload writes the arrays in the order readPayload reads them.
func writePayload(w io.Writer, ix *Index, rows *sparseRows) (int64, error) {
	cw := &countingWriter{w: w}
	var strs []string
	for _, g := range ix.guides {
		strs = append(strs, g.File, g.Title)
	}
	for _, c := range ix.chunks {
		strs = append(strs, c.ID, c.Section, c.Text)
	}
	lens := make([]uint32, len(strs))
	total := 0
	for i, s := range strs {
		lens[i] = uint32(len(s))
		total += len(s)
	}
	putArray(cw, lens)
	putLen(cw, total)
	for _, s := range strs {
		io.WriteString(cw, s)
	}
	sums := make([]byte, 0, 32*len(ix.sources))
	counts := make([]uint32, len(ix.sources))
	for i, s := range ix.sources {
		sums = append(sums, s.sum[:]...)
		counts[i] = uint32(s.chunks)
	}
	putArray(cw, sums)
	putArray(cw, counts)
	ordinals := make([]uint32, len(ix.chunks))
	for i, c := range ix.chunks {
		ordinals[i] = uint32(c.Ordinal)
	}
	putArray(cw, ordinals)
	for _, sets := range [][]termSet{ix.terms, ix.titles} {
		off, flat := flattenSets(sets)
		putArray(cw, off)
		putArray(cw, flat)
	}
	// In key order, not map order: the same index is the same file, byte
	// for byte (and checksum), whichever process wrote it.
	keys := slices.Sorted(maps.Keys(ix.table.idf))
	vals := make([]float32, len(keys))
	for i, k := range keys {
		vals[i] = ix.table.idf[k]
	}
	putArray(cw, keys)
	putArray(cw, vals)
	putArray(cw, rows.off)
	putArray(cw, rows.dims)
	putArray(cw, rows.vals)
	return cw.n, cw.err
}

// loadIndexFile reads the index at path, checks it was written for
// settings (chunker, stop headings, embedder) and is whole, and returns it
// as an index without its vector search (see Index.finish) and its vectors.
func loadIndexFile(path, settings string, opts Options) (*Index, sparseRows, error) {
	if !littleEndian {
		return nil, sparseRows{}, errors.New("the index file format needs a little-endian machine")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, sparseRows{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, sparseRows{}, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	line, err := br.ReadSlice('\n')
	if err != nil {
		return nil, sparseRows{}, errors.New("no header (empty or truncated file)")
	}
	var h indexHeader
	if err := json.Unmarshal(line, &h); err != nil {
		return nil, sparseRows{}, fmt.Errorf("bad header: %w", err)
	}
	if h.Format != indexFormat {
		return nil, sparseRows{}, fmt.Errorf("format %q, want %q", h.Format, indexFormat)
	}
	if h.Settings != settings {
		return nil, sparseRows{}, errors.New("built with another chunker, stop headings or embedder")
	}
	if rest := info.Size() - int64(len(line)); rest != h.PayloadLen {
		return nil, sparseRows{}, fmt.Errorf("payload of %d bytes, header says %d (truncated or corrupt file)", rest, h.PayloadLen)
	}
	crc := crc32.New(castagnoli)
	r := &arrayReader{r: io.TeeReader(br, crc), left: h.PayloadLen}
	ix, rows, err := readPayload(r, h, opts)
	if err != nil {
		return nil, sparseRows{}, fmt.Errorf("reading the payload: %w", err)
	}
	if r.left != 0 || crc.Sum32() != h.PayloadCRC {
		return nil, sparseRows{}, errors.New("checksum mismatch (truncated or corrupt file)")
	}
	return ix, rows, nil
}

func readPayload(r *arrayReader, h indexHeader, opts Options) (*Index, sparseRows, error) {
	lens := getArray[uint32](r)
	blob := getArray[byte](r)
	if r.err != nil {
		return nil, sparseRows{}, r.err
	}
	if len(lens) != 2*h.Guides+3*h.Chunks {
		return nil, sparseRows{}, fmt.Errorf("%d strings for %d guides and %d chunks", len(lens), h.Guides, h.Chunks)
	}
	// All strings share the blob's memory: one allocation instead of three
	// per chunk. The blob is never written after this.
	all := unsafe.String(unsafe.SliceData(blob), len(blob))
	pos := 0
	next := func(i int) (string, bool) {
		n := int(lens[i])
		if n > len(all)-pos {
			return "", false
		}
		s := all[pos : pos+n]
		pos += n
		return s, true
	}
	sums := getArray[byte](r)
	counts := getArray[uint32](r)
	ordinals := getArray[uint32](r)
	termOff, termFlat := getArray[uint32](r), getArray[uint64](r)
	titleOff, titleFlat := getArray[uint32](r), getArray[uint64](r)
	keys, vals := getArray[uint64](r), getArray[float32](r)
	rows := sparseRows{width: h.Dims, off: getArray[uint32](r), dims: getArray[uint16](r), vals: getArray[float32](r)}
	if r.err != nil {
		return nil, sparseRows{}, r.err
	}
	if len(sums) != 32*h.Guides || len(counts) != h.Guides || len(ordinals) != h.Chunks || len(keys) != len(vals) {
		return nil, sparseRows{}, errors.New("array lengths disagree with the header")
	}
	terms, err := unflattenSets(termOff, termFlat, h.Chunks)
	if err != nil {
		return nil, sparseRows{}, err
	}
	titles, err := unflattenSets(titleOff, titleFlat, h.Chunks)
	if err != nil {
		return nil, sparseRows{}, err
	}
	if err := rows.check(h.Chunks); err != nil {
		return nil, sparseRows{}, err
	}
	guides := make([]Guide, h.Guides)
	sources := make([]guideSource, h.Guides)
	chunks := make([]Chunk, 0, h.Chunks)
	s := 0
	for g := range guides {
		file, ok1 := next(s)
		title, ok2 := next(s + 1)
		if !ok1 || !ok2 {
			return nil, sparseRows{}, errors.New("string table overruns its blob")
		}
		s += 2
		guides[g] = Guide{File: file, Title: title}
		copy(sources[g].sum[:], sums[32*g:])
		sources[g].chunks = int(counts[g])
	}
	for g := range guides {
		for range sources[g].chunks {
			if len(chunks) == h.Chunks {
				return nil, sparseRows{}, errors.New("guides hold more chunks than the header says")
			}
			id, ok1 := next(s)
			section, ok2 := next(s + 1)
			text, ok3 := next(s + 2)
			if !ok1 || !ok2 || !ok3 {
				return nil, sparseRows{}, errors.New("string table overruns its blob")
			}
			s += 3
			chunks = append(chunks, Chunk{ID: id, Guide: guides[g].Title, Section: section, Ordinal: int(ordinals[len(chunks)]), Text: text})
		}
	}
	if len(chunks) != h.Chunks || pos != len(all) {
		return nil, sparseRows{}, errors.New("guides hold fewer chunks than the header says")
	}
	idf := make(map[uint64]float32, len(keys))
	for i, k := range keys {
		idf[k] = vals[i]
	}
	ix := newIndexShell(opts, guides, chunks)
	ix.sources, ix.terms, ix.titles = sources, terms, titles
	ix.setTable(idfTable{idf: idf, docs: h.IDFDocs})
	ix.sinceFit = h.SinceFit
	ix.settings = h.Settings
	ix.stats.Fingerprint = h.Fingerprint
	ix.stats.BuiltAt = time.Unix(h.BuiltAt, 0)
	return ix, rows, nil
}

// flattenSets stores term sets as offsets into one array.
func flattenSets(sets []termSet) ([]uint32, []uint64) {
	off := make([]uint32, len(sets)+1)
	total := 0
	for i, s := range sets {
		total += len(s)
		off[i+1] = uint32(total)
	}
	flat := make([]uint64, 0, total)
	for _, s := range sets {
		flat = append(flat, s...)
	}
	return off, flat
}

// unflattenSets is flattenSets' inverse: the sets share flat's memory
// (capped, so that nothing can append into a neighbour).
func unflattenSets(off []uint32, flat []uint64, n int) ([]termSet, error) {
	if len(off) != n+1 || off[0] != 0 || int(off[n]) != len(flat) {
		return nil, errors.New("term set offsets disagree with their array")
	}
	sets := make([]termSet, n)
	for i := range sets {
		lo, hi := off[i], off[i+1]
		if lo > hi {
			return nil, errors.New("term set offsets go backwards")
		}
		sets[i] = termSet(flat[lo:hi:hi])
	}
	return sets, nil
}

type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

type element interface {
	~byte | ~uint16 | ~uint32 | ~uint64 | ~float32
}

// asBytes is s's memory: arrays are written and read without a copy or a
// per-element loop (TestIndexFileRoundTrip guards the layout).
func asBytes[T element](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(zero)))
}

func putLen(w io.Writer, n int) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(n))
	w.Write(b[:])
}

func putArray[T element](w io.Writer, s []T) {
	putLen(w, len(s))
	w.Write(asBytes(s))
}

// arrayReader reads length-prefixed arrays, refusing any length the rest of
// the payload cannot hold (a corrupt length must not allocate gigabytes).
type arrayReader struct {
	r    io.Reader
	left int64
	err  error
}

func getArray[T element](r *arrayReader) []T {
	if r.err != nil {
		return nil
	}
	var b [8]byte
	if _, err := io.ReadFull(r.r, b[:]); err != nil {
		r.err = fmt.Errorf("truncated: %w", err)
		return nil
	}
	r.left -= 8
	n := binary.LittleEndian.Uint64(b[:])
	var zero T
	size := uint64(unsafe.Sizeof(zero))
	if r.left < 0 || n > uint64(r.left)/size {
		r.err = errors.New("an array is longer than the file")
		return nil
	}
	s := make([]T, n)
	if _, err := io.ReadFull(r.r, asBytes(s)); err != nil {
		r.err = fmt.Errorf("truncated: %w", err)
		return nil
	}
	r.left -= int64(n * size)
	return s
}
