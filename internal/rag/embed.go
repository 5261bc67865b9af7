package rag

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/careerbot/careerbot/internal/vocab"
)

// BuiltinDims is the vector size of the built-in embedder.
const BuiltinDims = 1024

// Feature weights of the built-in embedder, relative to a word.
const (
	weightWord    = 1.0
	weightConcept = 1.0
	weightBigram  = 0.6
	weightTrigram = 0.1
)

// BuiltinEmbedder is the default, offline embedder: pure Go, deterministic, no
// network and no model files. A text becomes hashed features — stemmed words,
// career-concept synonyms ("salary", "earn" and "pay" share one feature),
// word bigrams and character trigrams (for typos and word forms) — weighted by
// TF-IDF over the corpus chunks, hashed into BuiltinDims signed buckets and
// L2-normalised.
//
// Where it falls short: it knows words, not meaning. A question phrased with
// words that neither the guide nor the synonym map contain ("What's the
// vibe at work?") finds little; negation and word order beyond bigrams are
// ignored; the synonym map is English-only.
type BuiltinEmbedder struct {
	mu   sync.RWMutex
	idf  map[uint64]float32 // feature hash → inverse document frequency
	docs int
}

// NewBuiltinEmbedder returns an embedder fitted to the given corpus texts (the
// IDF statistics). Fit it on the chunk texts of the whole corpus.
func NewBuiltinEmbedder(corpus []string) *BuiltinEmbedder {
	e := &BuiltinEmbedder{}
	e.Fit(corpus)
	return e
}

// Fit recomputes the IDF statistics from corpus.
func (e *BuiltinEmbedder) Fit(corpus []string) {
	t := fitTable(corpus)
	e.mu.Lock()
	e.idf, e.docs = t.idf, t.docs
	e.mu.Unlock()
}

// idfTable is the built-in embedder's statistics: each feature's inverse
// document frequency over the chunk texts it was fitted on. The same table
// weighs a question's words in re-ranking. It is never modified once made
// (a reload makes a new one), so readers need no lock.
type idfTable struct {
	idf  map[uint64]float32 // feature hash → inverse document frequency
	docs int                // chunks fitted on
}

func fitTable(corpus []string) idfTable {
	df := documentFrequencies(corpus, nil)
	idf := make(map[uint64]float32, len(df))
	n := float64(len(corpus))
	for h, d := range df {
		idf[h] = inverseFrequency(n, d)
	}
	return idfTable{idf: idf, docs: len(corpus)}
}

func inverseFrequency(n float64, df int) float32 {
	return float32(math.Log((n+1)/(float64(df)+1)) + 1)
}

// documentFrequencies counts, for each feature, the texts that have it;
// with skip, only features skip does not hold.
func documentFrequencies(corpus []string, skip map[uint64]float32) map[uint64]int {
	df := map[uint64]int{}
	seen := map[uint64]bool{}
	for _, text := range corpus {
		clear(seen)
		forEachFeature(text, func(h uint64, _ float32) {
			if _, old := skip[h]; !old {
				seen[h] = true
			}
		})
		for h := range seen {
			df[h]++
		}
	}
	return df
}

// extend returns a copy of t that also knows the features of texts that t
// has never seen, each with its IDF among texts (over t's document count).
// Features t knows keep their IDF: the vectors of the chunks t was fitted
// on stay valid, because every feature of those chunks is in t and keeps
// its weight. A reload embeds only changed guides this way; see build.
func (t idfTable) extend(texts []string) idfTable {
	fresh := documentFrequencies(texts, t.idf)
	if len(fresh) == 0 {
		return t
	}
	idf := make(map[uint64]float32, len(t.idf)+len(fresh))
	for h, v := range t.idf {
		idf[h] = v
	}
	for h, d := range fresh {
		idf[h] = inverseFrequency(float64(t.docs), d)
	}
	return idfTable{idf: idf, docs: t.docs}
}

// idfOf returns a feature's IDF; an unseen feature is as rare as it gets.
func (t idfTable) idfOf(h uint64) float32 {
	if idf, ok := t.idf[h]; ok {
		return idf
	}
	return float32(math.Log(float64(t.docs+1))) + 1
}

// Name identifies the embedder and its feature set in the index fingerprint.
// v4: combining marks belong to their letter's word (vocab's word scanner),
// which changes the features of a text holding them. v5: working hours
// are a concept of their own (vocab), no longer the stress concept, and
// "advanced" is a stem of its own, no longer promotion's "advanc", "lead" is no
// longer the senior concept, and
// comparatives of "hard" and "tough" are the challenge concept. v6:
// "workday" is the day concept. v7: a noun in "-ation" stems as its verb
// ("negotiations" as "negotiate").
func (e *BuiltinEmbedder) Name() string {
	return fmt.Sprintf("builtin-hashed-tfidf-v7-d%d", BuiltinDims)
}

// Embed returns one normalised vector per text.
func (e *BuiltinEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[i] = e.Vector(t)
	}
	return out, nil
}

// EmbeddingFunc adapts the embedder to chromem-go.
func (e *BuiltinEmbedder) EmbeddingFunc() func(ctx context.Context, text string) ([]float32, error) {
	return func(_ context.Context, text string) ([]float32, error) { return e.Vector(text), nil }
}

// Vector embeds one text. Features are added to the vector in the order the
// text first names them, so that a text always gets the same vector to the
// last bit (float addition is not associative, and features share buckets).
func (e *BuiltinEmbedder) Vector(text string) []float32 {
	return e.vectorInto(text, make([]float32, BuiltinDims))
}

// vectorInto is Vector written into vec, BuiltinDims zeros long.
func (e *BuiltinEmbedder) vectorInto(text string, vec []float32) []float32 {
	var touched [BuiltinDims / 64]uint64 // dimensions with a feature
	tf := termFrequencies.Get().(*termFrequency)
	defer termFrequencies.Put(tf)
	tf.reset()
	forEachFeature(text, tf.add)
	e.mu.RLock()
	maxIDF := float32(math.Log(float64(e.docs+1))) + 1
	for k, h := range tf.features {
		idf, ok := e.idf[h]
		if !ok {
			idf = maxIDF // unseen in the corpus: as rare as it gets
		}
		weight := (1 + float32(math.Log(float64(1+tf.weights[k])))) * idf
		if h>>63 == 1 {
			weight = -weight
		}
		b := h % BuiltinDims
		vec[b] += weight
		touched[b/64] |= 1 << (b % 64)
	}
	e.mu.RUnlock()
	normalizeTouched(vec, &touched)
	return vec
}

// normalizeTouched is Normalize(vec) for a vector whose nonzero values are
// all at touched dimensions: the same sums in the same (ascending) order, so
// the same bits, without walking 1,024 dimensions for a question's ~17.
func normalizeTouched(vec []float32, touched *[BuiltinDims / 64]uint64) {
	var sum float64
	for w, word := range touched {
		for ; word != 0; word &= word - 1 {
			x := float64(vec[w*64+bits.TrailingZeros64(word)])
			sum += x * x
		}
	}
	if sum == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(sum))
	for w, word := range touched {
		for ; word != 0; word &= word - 1 {
			vec[w*64+bits.TrailingZeros64(word)] *= inv
		}
	}
}

// termFrequency sums the weights of a text's features, keeping the order
// in which they first appear.
type termFrequency struct {
	index    map[uint64]int // feature → its position in features
	features []uint64
	weights  []float32
}

// termFrequencies are reused across Vector calls: a question's would
// otherwise be a fresh map per search.
var termFrequencies = sync.Pool{New: func() any {
	return &termFrequency{index: make(map[uint64]int, 64)}
}}

func (tf *termFrequency) reset() {
	clear(tf.index)
	tf.features, tf.weights = tf.features[:0], tf.weights[:0]
}

func (tf *termFrequency) add(h uint64, w float32) {
	if k, ok := tf.index[h]; ok {
		tf.weights[k] += w
		return
	}
	tf.index[h] = len(tf.features)
	tf.features = append(tf.features, h)
	tf.weights = append(tf.weights, w)
}

// Normalize scales v to unit length (L2), as Embedder requires; a zero vector
// stays zero.
func Normalize(v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
}

// forEachFeature reports every feature of text with its weight.
//
// Its words are read without a string each (vocab.ForEachWordIn; none is
// kept past the call but prev, a string either way) and a word's trigrams
// hashed without writing "^"+word+"$" (trigramHash): a string per word and
// one more per word of four letters or more were most of embedding the
// question, ~38k of ~700k instructions per offline answer, and every
// chunk's embedding at index time (BenchmarkAnswerOffline/botbench under
// callgrind). TestForEachFeatureMatchesReference holds it to the version
// before.
func forEachFeature(text string, fn func(h uint64, weight float32)) {
	prev := ""
	vocab.ForEachWordIn(text, func(word string) {
		if vocab.IsStopWord(word) {
			prev = ""
			return
		}
		st := vocab.Stem(word)
		fn(hashParts('w', st, ""), weightWord)
		if c := vocab.ConceptOf(st); c != "" {
			fn(hashParts('c', c, ""), weightConcept)
		}
		if prev != "" {
			fn(hashParts('b', prev, st), weightBigram)
		}
		prev = st
		if n := len(word); n >= 4 {
			// The trigrams of "^"+word+"$": the first and the last
			// with the marks, the rest inside the word.
			fn(trigramHash('^', word[0], word[1]), weightTrigram)
			for i := 0; i+3 <= n; i++ {
				fn(trigramHash(word[i], word[i+1], word[i+2]), weightTrigram)
			}
			fn(trigramHash(word[n-2], word[n-1], '$'), weightTrigram)
		}
	})
	for _, c := range vocab.PhraseConcepts(text) {
		fn(hashParts('c', c, ""), weightConcept)
	}
}

// trigramHash is hashParts('g', string([]byte{a, b, c}), "").
func trigramHash(a, b, c byte) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	h = (h ^ 'g') * prime
	h = (h ^ uint64(a)) * prime
	h = (h ^ uint64(b)) * prime
	return (h ^ uint64(c)) * prime
}

// termSet is a set of term hashes, sorted. Every search looks a question's
// terms up in each candidate chunk's set. Maps (one for a chunk's text, one
// for its section path) took 2.8 KB of heap per chunk, 284 MB for 100,000
// chunks; sorted hashes take 1.3 KB (docs/benchmarks.md, Retrieval).
type termSet []uint64

// contains looks h up where it would sit if the hashes were evenly spread
// (FNV-1a's are, near enough), then walks to it: a few steps over one or two
// cache lines, measured faster than a map lookup (a plain binary search was
// slower).
func (s termSet) contains(h uint64) bool {
	if len(s) == 0 {
		return false
	}
	i := int((h >> 32) * uint64(len(s)) >> 32)
	if s[i] < h {
		for i++; i < len(s) && s[i] < h; i++ {
		}
		return i < len(s) && s[i] == h
	}
	for ; i >= 0 && s[i] > h; i-- {
	}
	return i >= 0 && s[i] == h
}

// termHashes returns the word and concept feature hashes of text's content
// terms, for lexical re-ranking.
func termHashes(text string) termSet {
	var set termSet
	for _, t := range vocab.Terms(text) {
		set = append(set, hashParts('w', t.Stem, ""))
		if t.Concept != "" {
			set = append(set, hashParts('c', t.Concept, ""))
		}
	}
	for _, c := range vocab.PhraseConcepts(text) {
		set = append(set, hashParts('c', c, ""))
	}
	slices.Sort(set)
	return slices.Clip(slices.Compact(set))
}

// queryTerm is one content word of a question: it counts as found in a chunk
// when the word or its concept is there.
type queryTerm struct {
	word, concept uint64 // concept is 0 when the word has none
	stem          string // the word's stem ("" for a phrase's concept)
}

func queryTerms(question string) []queryTerm {
	var out []queryTerm
	seen := map[uint64]bool{}
	for _, t := range vocab.Terms(question) {
		qt := queryTerm{word: hashParts('w', t.Stem, ""), stem: t.Stem}
		if t.Concept != "" {
			qt.concept = hashParts('c', t.Concept, "")
		}
		if !seen[qt.word] {
			seen[qt.word] = true
			out = append(out, qt)
		}
	}
	for _, c := range vocab.PhraseConcepts(question) {
		h := hashParts('c', c, "")
		if !seen[h] {
			seen[h] = true
			out = append(out, queryTerm{word: h})
		}
	}
	return out
}

// hashParts is 64-bit FNV-1a over kind, a, a separator and b, without
// building the concatenated string.
func hashParts(kind byte, a, b string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	h = (h ^ uint64(kind)) * prime
	for i := 0; i < len(a); i++ {
		h = (h ^ uint64(a[i])) * prime
	}
	if b != "" {
		h = (h ^ ' ') * prime
		for i := 0; i < len(b); i++ {
			h = (h ^ uint64(b[i])) * prime
		}
	}
	return h
}
