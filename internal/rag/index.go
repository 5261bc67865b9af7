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
	"sync/atomic"
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
	df       map[uint64]float32              // feature → IDF, for "is this word in the corpus at all"
	analyses []atomic.Pointer[chunkAnalysis] // answer units per chunk, made on first use
	vectors  vectorSearch                    // finds the candidates: an inverted index or chromem-go's scan
	stats    Stats
	careerIndex
}

// Stats describe an opened index.
type Stats struct {
	Guides      int
	Sections    int
	Chunks      int
	Rebuilt     bool          // false when the index file was loaded as is
	Took        time.Duration // time to load or build
	IndexFile   string
	Fingerprint string
}

// Open reads the corpus, then loads the index file from DataDir when its
// fingerprint (corpus bytes, chunker version, stop headings, embedder) matches,
// and otherwise embeds the chunks and writes a new index file. A missing,
// truncated or corrupt index is rebuilt with a warning; a failure to write it
// leaves the in-memory index in service with a warning.
func Open(ctx context.Context, opts Options) (*Index, error) {
	start := time.Now()
	if opts.TopK <= 0 {
		opts.TopK = 4
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
	var guides []Guide
	var chunks []Chunk
	sections := 0
	for _, f := range files {
		g := ParseGuide(f.name, string(f.data), opts.StopHeadings)
		guides = append(guides, g)
		sections += len(g.Sections)
		chunks = append(chunks, ChunkGuide(g, slugOf(f.name), 0)...)
	}
	if len(chunks) == 0 {
		return nil, fmt.Errorf("corpus dir %q: the guides hold no text to index", opts.CorpusDir)
	}
	ix, texts := newIndex(opts, guides, chunks)
	ix.stats.Sections = sections

	fp := fingerprint(files, opts.StopHeadings, ix.embedder.Name())
	ix.stats.Fingerprint = fp
	ix.stats.Guides, ix.stats.Chunks = len(ix.guides), len(ix.chunks)
	if opts.DataDir != "" {
		ix.stats.IndexFile = filepath.Join(opts.DataDir, indexFileName)
	}

	var coll *chromem.Collection
	if ix.stats.IndexFile != "" {
		loaded, err := loadIndexFile(ix.stats.IndexFile, fp, ix.chunks)
		switch {
		case err == nil:
			coll = loaded
		case errors.Is(err, fs.ErrNotExist):
			ix.log.Info("no index file yet; building it", "file", ix.stats.IndexFile)
		default:
			ix.log.Warn("index file unusable; rebuilding it", "file", ix.stats.IndexFile, "err", err)
		}
	}
	if coll == nil {
		vectors, err := embedAll(ctx, ix.embedder, texts)
		if err != nil {
			return nil, err
		}
		db, built, err := newCollection(ctx, ix.chunks, vectors)
		if err != nil {
			return nil, err
		}
		coll, ix.stats.Rebuilt = built, true
		if ix.stats.IndexFile != "" {
			if err := saveIndexFile(ix.stats.IndexFile, fp, len(ix.chunks), db); err != nil {
				ix.log.Warn("could not write the index file; serving the in-memory index", "file", ix.stats.IndexFile, "err", err)
			}
		}
	}
	if err := ix.searchCollection(ctx, coll); err != nil {
		return nil, err
	}
	ix.stats.Took = time.Since(start)
	return ix, nil
}

// newIndex prepares an index over chunks (everything but the vectors) and
// returns the texts to embed, in chunk order.
func newIndex(opts Options, guides []Guide, chunks []Chunk) (*Index, []string) {
	ix := &Index{opts: opts, log: opts.Logger, guides: guides, chunks: chunks, byID: make(map[string]int, len(chunks))}
	if ix.log == nil {
		ix.log = slog.New(slog.DiscardHandler)
	}
	texts := make([]string, len(chunks))
	ix.terms = make([]termSet, len(chunks))
	ix.titles = make([]termSet, len(chunks))
	ix.analyses = make([]atomic.Pointer[chunkAnalysis], len(chunks))
	for i, c := range chunks {
		ix.byID[c.ID] = i
		texts[i] = embeddingText(c)
		ix.terms[i] = termHashes(texts[i])
		ix.titles[i] = termHashes(c.Section)
	}
	builtin := NewBuiltinEmbedder(texts)
	ix.idf = builtin.idfOf
	ix.df = builtin.idf
	ix.embedder = opts.Embedder
	if ix.embedder == nil {
		ix.embedder = builtin
	}
	ix.indexCareers(texts)
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

// analysisOf returns chunk i split into answer units, computing it on first
// use (two racing first uses compute it twice and keep one; both are equal).
func (ix *Index) analysisOf(i int) *chunkAnalysis {
	if a := ix.analyses[i].Load(); a != nil {
		return a
	}
	a := analyzeChunk(ix.chunks[i].Text)
	ix.analyses[i].CompareAndSwap(nil, a)
	return ix.analyses[i].Load()
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
}

func readCorpus(dir string) ([]corpusFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus dir %q: %w (set BOT_CORPUS_DIR to the folder of guides)", dir, err)
	}
	var files []corpusFile
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".txt" && ext != ".md") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading guide: %w", err)
		}
		files = append(files, corpusFile{name: e.Name(), data: data})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("corpus dir %q holds no .txt or .md guides", dir)
	}
	slices.SortFunc(files, func(a, b corpusFile) int { return cmp.Compare(a.name, b.name) })
	return files, nil
}

func fingerprint(files []corpusFile, stop []string, embedder string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%q\n", ChunkerVersion, embedder, stop)
	for _, f := range files {
		fmt.Fprintf(h, "%s\n%d\n", f.name, len(f.data))
		h.Write(f.data)
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
const unseenWeight = 2.5

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
// docs/retrieval.md): below it, the bot declines.
const DefaultMinScore = 0.2

// format helpers for commands.
func (s Stats) String() string {
	return "guides=" + strconv.Itoa(s.Guides) + " sections=" + strconv.Itoa(s.Sections) + " chunks=" + strconv.Itoa(s.Chunks)
}
