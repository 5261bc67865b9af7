package rag

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	chromem "github.com/philippgille/chromem-go"
)

const collectionName = "chunks"

// Index is the searchable corpus: parsed guides, their chunks, and a
// chromem-go collection of the chunks' vectors. It is safe for concurrent use.
type Index struct {
	opts     Options
	log      *slog.Logger
	guides   []Guide
	chunks   []Chunk
	byID     map[string]int
	terms    []termSet // content-term hashes per chunk, for re-ranking
	titles   []termSet // content-term hashes of each chunk's section path
	embedder Embedder
	idf      func(uint64) float32
	df       map[uint64]float32 // feature → IDF, for "is this word in the corpus at all"
	vectors  vectorSearch       // finds the candidates: an inverted index or chromem-go's scan
	stats    Stats
	careerIndex

	// What a reload and the index file need besides the above.
	settings string        // chunker, stop headings and embedder (see settingsOf)
	sources  []guideSource // per guide: the bytes' hash and how many chunks it has
	table    idfTable      // the IDF statistics behind idf, df and the built-in embedder
	sinceFit int           // chunks embedded against table since it was fitted (see build)
	dims     int           // vector width
}

// Stats describe an opened index.
type Stats struct {
	Guides      int
	Sections    int // sections with text, counted from the chunks (so the same whether built, reused or loaded)
	Chunks      int
	Rebuilt     bool          // false when the index file was loaded as is
	Embedded    int           // chunks embedded by this build
	Reused      int           // chunks whose vectors were taken from the previous index
	Took        time.Duration // time to load or build
	BuiltAt     time.Time     // when these vectors were put together (kept across restarts)
	IndexFile   string
	Fingerprint string
}

// Open reads the corpus, then loads the index file from DataDir when its
// fingerprint (corpus bytes, chunker version, stop headings, embedder)
// matches. When only some guides changed, the file's unchanged guides are
// reused (chunks, term sets and vectors) and only the changed ones are
// parsed and embedded; with no usable file everything is built and a new
// index file written. A missing, truncated or corrupt index file is rebuilt
// with a warning; a failure to write it leaves the in-memory index in
// service with a warning.
func Open(ctx context.Context, opts Options) (*Index, error) {
	start := time.Now()
	if opts.TopK <= 0 {
		opts.TopK = DefaultTopK
	}
	if opts.StopHeadings == nil {
		opts.StopHeadings = DefaultStopHeadings
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	files, err := readCorpus(opts.CorpusDir)
	if err != nil {
		return nil, err
	}
	settings := settingsOf(opts)
	fp := fingerprint(files, settings)
	indexFile := ""
	if opts.DataDir != "" {
		indexFile = filepath.Join(opts.DataDir, indexFileName)
		removeStaleTemps(opts.DataDir, time.Now(), opts.Logger)
	}
	var old *Index
	var oldRows sparseRows
	if indexFile != "" {
		loaded, rows, err := loadIndexFile(indexFile, settings, opts)
		switch {
		case err == nil && loaded.stats.Fingerprint == fp:
			loaded.stats.IndexFile = indexFile
			if err := loaded.finish(ctx, &rows, start); err != nil {
				return nil, err
			}
			return loaded, nil
		case err == nil:
			old, oldRows = loaded, rows
			opts.Logger.Info("guides changed since the index file was written; reusing the unchanged ones", "file", indexFile)
		case errors.Is(err, fs.ErrNotExist):
			opts.Logger.Info("no index file yet; building it", "file", indexFile)
		default:
			opts.Logger.Warn("index file unusable; rebuilding it", "file", indexFile, "err", err)
		}
	}
	ix, rows, err := build(ctx, opts, settings, fp, files, old, func(context.Context) (sparseRows, error) { return oldRows, nil }, false)
	if err != nil {
		return nil, err
	}
	oldRows = sparseRows{}
	ix.stats.IndexFile = indexFile
	if err := ix.finish(ctx, &rows, start); err != nil {
		return nil, err
	}
	ix.save(&rows)
	return ix, nil
}

// save writes the index file, warning (and serving on) when it cannot.
func (ix *Index) save(rows *sparseRows) {
	if ix.stats.IndexFile == "" {
		return
	}
	if err := saveIndexFile(ix.stats.IndexFile, ix, rows); err != nil {
		ix.log.Warn("could not write the index file; serving the in-memory index", "file", ix.stats.IndexFile, "err", err)
	}
}

// finish makes ix searchable over rows (see vectorSearchOf) and completes
// its stats.
func (ix *Index) finish(ctx context.Context, rows *sparseRows, start time.Time) error {
	vs, err := vectorSearchOf(ctx, rows, ix.chunks, ix.byID)
	if err != nil {
		return fmt.Errorf("indexing the vectors: %w", err)
	}
	ix.vectors = vs
	ix.dims = rows.width
	if s, ok := vs.(*sparseIndex); ok {
		ix.log.Debug("searching an inverted index of the stored vectors", "chunks", s.chunks, "density", math.Round(s.density()*1000)/1000, "bytes", s.bytes())
	} else {
		ix.log.Debug("searching with chromem-go's exhaustive scan", "chunks", len(ix.chunks))
	}
	ix.stats.Guides, ix.stats.Chunks = len(ix.guides), len(ix.chunks)
	ix.stats.Sections = countSections(ix.chunks)
	ix.stats.Took = time.Since(start)
	return nil
}

// countSections counts the sections the chunks come from: a section's
// chunks are consecutive. Counted when the index was built only, it was 0
// for an index loaded from its file (and left out reused guides after a
// reload).
func countSections(chunks []Chunk) int {
	n := 0
	for i, c := range chunks {
		if i == 0 || c.Guide != chunks[i-1].Guide || c.Section != chunks[i-1].Section {
			n++
		}
	}
	return n
}

// newIndexShell is an index of chunks without term sets, IDF table, embedder
// or vectors: build and loadIndexFile fill those in.
func newIndexShell(opts Options, guides []Guide, chunks []Chunk) *Index {
	ix := &Index{opts: opts, log: opts.Logger, guides: guides, chunks: chunks, byID: make(map[string]int, len(chunks))}
	if ix.log == nil {
		ix.log = slog.New(slog.DiscardHandler)
	}
	for i, c := range chunks {
		ix.byID[c.ID] = i
	}
	ix.indexCareers()
	return ix
}

// setTable makes table the index's IDF statistics: for re-ranking, and for
// the built-in embedder's vectors unless another embedder is configured.
func (ix *Index) setTable(table idfTable) {
	ix.table = table
	ix.idf = table.idfOf
	ix.df = table.idf
	ix.embedder = ix.opts.Embedder
	if ix.embedder == nil {
		ix.embedder = &BuiltinEmbedder{idf: table.idf, docs: table.docs}
	}
}

// newIndex prepares an index over chunks (everything but the vectors) and
// returns the texts to embed, in chunk order.
func newIndex(opts Options, guides []Guide, chunks []Chunk) (*Index, []string) {
	ix := newIndexShell(opts, guides, chunks)
	texts := make([]string, len(chunks))
	ix.terms = make([]termSet, len(chunks))
	ix.titles = make([]termSet, len(chunks))
	for i, c := range chunks {
		texts[i] = embeddingText(c)
		ix.terms[i] = termHashes(texts[i])
		ix.titles[i] = termHashes(c.Section)
	}
	ix.setTable(fitTable(texts))
	return ix, texts
}

// searchCollection sets how Search finds candidates in coll (see
// chooseVectorSearch) and logs the choice.
func (ix *Index) searchCollection(ctx context.Context, coll *chromem.Collection) error {
	vs, err := chooseVectorSearch(ctx, coll, ix.chunks, ix.byID)
	if err != nil {
		return err
	}
	ix.vectors = vs
	if s, ok := vs.(*sparseIndex); ok {
		ix.log.Debug("searching an inverted index of the stored vectors", "chunks", s.chunks, "density", math.Round(s.density()*1000)/1000, "bytes", s.bytes())
	} else {
		ix.log.Debug("searching with chromem-go's exhaustive scan", "chunks", coll.Count())
	}
	return nil
}

// embeddingText is what gets embedded for a chunk: the guide, the section
// path and the text, so that "salary" in a heading counts for its figures.
func embeddingText(c Chunk) string {
	return c.Guide + "\n" + c.Section + "\n" + c.Text
}

// embedBatch bounds how many texts go to the embedder in one call.
const embedBatch = 64

func embedAll(ctx context.Context, e Embedder, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += embedBatch {
		end := min(start+embedBatch, len(texts))
		vecs, err := e.Embed(ctx, texts[start:end])
		if err != nil {
			return nil, fmt.Errorf("embedding the corpus with %s: %w", e.Name(), err)
		}
		if len(vecs) != end-start {
			return nil, fmt.Errorf("embedding the corpus with %s: got %d vectors for %d texts", e.Name(), len(vecs), end-start)
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func newCollection(ctx context.Context, chunks []Chunk, vectors [][]float32) (*chromem.DB, *chromem.Collection, error) {
	db := chromem.NewDB()
	coll, err := db.CreateCollection(collectionName, nil, refuseEmbedding)
	if err != nil {
		return nil, nil, fmt.Errorf("creating the vector collection: %w", err)
	}
	ids := make([]string, len(chunks))
	for i, c := range chunks {
		ids[i] = c.ID
	}
	// Chunk texts live in memory (re-derived from the corpus), so the vector
	// store holds only ids and vectors.
	if err := coll.Add(ctx, ids, vectors, nil, nil); err != nil {
		return nil, nil, fmt.Errorf("adding chunks to the vector collection: %w", err)
	}
	return db, coll, nil
}

// refuseEmbedding is the collection's embedding function: the index always
// passes vectors itself, so chromem-go must never call out to embed.
func refuseEmbedding(context.Context, string) ([]float32, error) {
	return nil, errors.New("rag: the collection embeds nothing itself")
}

type corpusFile struct {
	name string
	data []byte
	sum  [32]byte // SHA-256 of data: an unchanged guide is reused on reload
}

func readCorpus(dir string) ([]corpusFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus dir %q: %w", dir, err)
	}
	var files []corpusFile
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".txt" && ext != ".md") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, &GuideError{File: e.Name(), Err: fmt.Errorf("reading guide: %w", err)}
		}
		files = append(files, corpusFile{name: e.Name(), data: data, sum: sha256.Sum256(data)})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("corpus dir %q holds no .txt or .md guides", dir)
	}
	slices.SortFunc(files, func(a, b corpusFile) int { return cmp.Compare(a.name, b.name) })
	return files, nil
}

// settingsOf identifies what, besides the guides, shapes chunks and
// vectors: the chunker, the stop headings and the embedder. An index built
// with other settings is rebuilt, not reused.
func settingsOf(opts Options) string {
	embedder := (&BuiltinEmbedder{}).Name()
	if opts.Embedder != nil {
		embedder = opts.Embedder.Name()
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s\n%s\n%q\n", ChunkerVersion, embedder, opts.StopHeadings))
	return hex.EncodeToString(h[:])
}

// fingerprint identifies the corpus (names and bytes) under settings.
func fingerprint(files []corpusFile, settings string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", settings)
	for _, f := range files {
		fmt.Fprintf(h, "%s\n%x\n", f.name, f.sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func slugOf(name string) string {
	base := strings.TrimSuffix(name, filepath.Ext(name))
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// Stats reports what Open loaded or built.
func (ix *Index) Stats() Stats { return ix.stats }

// Guides returns the guide titles, in corpus order.
func (ix *Index) Guides() []string {
	out := make([]string, len(ix.guides))
	for i, g := range ix.guides {
		out[i] = g.Title
	}
	return out
}

// Chunks returns all chunks in corpus order. The slice must not be modified.
func (ix *Index) Chunks() []Chunk { return ix.chunks }

// Search returns the TopK chunks most relevant to question, best first, or
// ErrNothingRelevant when none scores at least MinScore.
//
// Scoring is hybrid: the cosine similarity of the embeddings picks
// candidates (computed by the inverted index or chromem-go's scan, see
// chooseVectorSearch: the same candidates either way), and each candidate's score blends that similarity with the
// share of the question's content words (and concepts), IDF-weighted, that
// the chunk contains. The blend keeps a long chunk that mentions every asked
// word above a short one that is merely similar, and it makes off-topic
// questions — whose rare words appear nowhere — fall below the threshold.
func (ix *Index) Search(ctx context.Context, question string) ([]Hit, error) {
	hits, _, err := ix.search(ctx, question)
	return hits, err
}

// search is Search that also returns the candidates it re-ranked.
func (ix *Index) search(ctx context.Context, question string) ([]Hit, []neighbour, error) {
	return ix.rank(ctx, question, nil)
}

// unseenWeight multiplies the weight of a question word that no chunk
// contains: "capital" in "What is the capital of France?" says more about
// the question being off-topic than "France" (named once in the guide) says
// about it being on-topic.
const unseenWeight = 1.5

// inCorpus reports whether any chunk contains the word feature.
func (ix *Index) inCorpus(h uint64) bool {
	_, ok := ix.df[h]
	return ok
}

// relativeCut drops hits scoring under this share of the best hit's score.
const relativeCut = 0.5

// candidatePool is how many nearest chunks are re-ranked.
const candidatePool = 64

func has(set termSet, t queryTerm) bool {
	return set.contains(t.word) || t.concept != 0 && set.contains(t.concept)
}

// DefaultMinScore is the tuned threshold for the built-in embedder (see
// docs/retrieval.md): below it, the bot declines. It is the BOT_MIN_SCORE
// setting's default; Options.MinScore 0 means no threshold.
const DefaultMinScore = 0.2

// format helpers for commands.
func (s Stats) String() string {
	return "guides=" + strconv.Itoa(s.Guides) + " sections=" + strconv.Itoa(s.Sections) + " chunks=" + strconv.Itoa(s.Chunks)
}
