package rag

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// corpusDir makes a corpus dir holding copies of the given files.
func corpusDir(t testing.TB, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	mediaFile = "../../corpus/media-specialist.txt"
	uxFile    = "../../testdata/guides/ux-researcher.md"
)

func open(t testing.TB, corpus, data string) *Index {
	t.Helper()
	ix, err := Open(context.Background(), Options{CorpusDir: corpus, DataDir: data, MinScore: DefaultMinScore})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return ix
}

func TestSearchFindsTheFigureAndItsSection(t *testing.T) {
	ix := open(t, corpusDir(t, mediaFile), t.TempDir())
	hits, err := ix.Search(context.Background(), "How much does a media specialist earn?")
	if err != nil {
		t.Fatal(err)
	}
	if hits[0].Section != "Annual Salary (US, USD)" {
		t.Errorf("top section = %q", hits[0].Section)
	}
	if len(hits) > 4 {
		t.Errorf("%d hits, want at most BOT_TOP_K=4", len(hits))
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("hits not sorted by score: %v", hits)
		}
	}
}

func TestSearchDeclinesOffTopicAndPageChrome(t *testing.T) {
	ix := open(t, corpusDir(t, mediaFile), t.TempDir())
	for _, q := range []string{
		"How much does the Plus plan cost per month?",
		"What do I get with Jobicy Plus?",
		"How do I bake sourdough bread?",
		// Requests for a task, not questions (even with a skill's name).
		"could you debug my sql query",
		"translate this into spanish please",
		// A weak expression of a topic alone ("weekend": balance) is not
		// enough when the rest is about something else.
		"will it rain this weekend",
		// Everyday words are not typos of guide words ("stock" is not
		// "stack", "president" not "present", "tire" no "tiring").
		"is the stock market going up",
		"who is the president of brazil",
		"how do i fix a flat tire",
		"",
		"the and of",
		"?!?!",
	} {
		hits, err := ix.Search(context.Background(), q)
		if !errors.Is(err, ErrNothingRelevant) {
			t.Errorf("Search(%q) = %d hits (top %v), err %v; want ErrNothingRelevant", q, len(hits), hits, err)
		}
	}
}

// Questions that name their topic only through everyday phrasing and
// career nouns ("this job"), or pay as an amount ("70k").
func TestSearchByTopicAlone(t *testing.T) {
	ix := open(t, corpusDir(t, mediaFile), t.TempDir())
	for _, tc := range []struct{ q, want string }{
		{"why would you choose this career", "Pros"},
		{"is 70k realistic", "Annual Salary"},
		{"hardest part of the job?", "Challenges"},
	} {
		hits, err := ix.Search(context.Background(), tc.q)
		if err != nil {
			t.Errorf("Search(%q): %v", tc.q, err)
			continue
		}
		if !strings.Contains(hits[0].Section, tc.want) {
			t.Errorf("Search(%q) → %s, want %s", tc.q, hits[0].Section, tc.want)
		}
	}
}

func TestMultiGuideCorpus(t *testing.T) {
	ix := open(t, corpusDir(t, mediaFile, uxFile), t.TempDir())
	if got := ix.Guides(); !slices.Equal(got, []string{"Media Specialist Career Path Guide", "UX Researcher Career Guide"}) {
		t.Errorf("guides = %q", got)
	}
	hits, err := ix.Search(context.Background(), "Which tools do UX researchers use for interviews?")
	if err != nil {
		t.Fatal(err)
	}
	if hits[0].Guide != "UX Researcher Career Guide" {
		t.Errorf("top hit from %q (%s)", hits[0].Guide, hits[0].Section)
	}
}

func TestTopKLargerThanTheCollectionIsClamped(t *testing.T) {
	ix, err := Open(context.Background(), Options{CorpusDir: corpusDir(t, uxFile), TopK: 500, MinScore: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := ix.Search(context.Background(), "salary of a UX researcher")
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || len(hits) > ix.Stats().Chunks {
		t.Errorf("%d hits from %d chunks", len(hits), ix.Stats().Chunks)
	}
}

func TestIndexFileIsReusedAndRebuiltWhenStale(t *testing.T) {
	corpus, data := corpusDir(t, mediaFile), t.TempDir()
	first := open(t, corpus, data)
	if !first.Stats().Rebuilt {
		t.Error("first open did not build")
	}
	if again := open(t, corpus, data); again.Stats().Rebuilt {
		t.Error("unchanged corpus was rebuilt; want the index file loaded")
	}
	// A new guide changes the fingerprint.
	if err := os.WriteFile(filepath.Join(corpus, "extra.md"), []byte("# Extra Guide\n\nSome text about a new career.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if changed := open(t, corpus, data); !changed.Stats().Rebuilt || changed.Stats().Guides != 2 {
		t.Errorf("changed corpus: rebuilt=%v guides=%d", changed.Stats().Rebuilt, changed.Stats().Guides)
	}
}

func TestBrokenIndexFilesAreRebuilt(t *testing.T) {
	corpus := corpusDir(t, mediaFile)
	good := func(t *testing.T) []byte {
		data := t.TempDir()
		open(t, corpus, data)
		b, err := os.ReadFile(filepath.Join(data, indexFileName))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}(t)
	tests := []struct {
		name    string
		content []byte
	}{
		{"zero bytes", []byte{}},
		{"truncated", good[:len(good)/2]},
		{"header only", good[:strings.IndexByte(string(good), '\n')+1]},
		{"flipped byte", flip(good, len(good)-10)},
		{"garbage", []byte("not an index\x00\x01\x02\n\xff\xfe")},
	}
	for i, tt := range tests {
		name, content := tt.name, tt.content
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			path := filepath.Join(data, indexFileName)
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			ix := open(t, corpus, data)
			if !ix.Stats().Rebuilt {
				t.Error("broken index was used")
			}
			if _, err := ix.Search(context.Background(), "starting salary"); err != nil {
				t.Errorf("search after rebuild: %v", err)
			}
			if i == 0 { // once is enough: the rebuilt file is written back
				if again := open(t, corpus, data); again.Stats().Rebuilt {
					t.Error("rebuilt index was not written back")
				}
			}
		})
	}
}

func flip(b []byte, i int) []byte {
	c := slices.Clone(b)
	c[i] ^= 0xff
	return c
}

func TestUnwritableDataDirKeepsServing(t *testing.T) {
	// A regular file where the data dir should be: no directory can be made
	// there, even as root.
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix := open(t, corpusDir(t, mediaFile), filepath.Join(blocker, "data"))
	if _, err := ix.Search(context.Background(), "starting salary"); err != nil {
		t.Errorf("in-memory index not serving: %v", err)
	}
}

func TestTwoBotsOnOneDataDir(t *testing.T) {
	corpus, data := corpusDir(t, mediaFile), t.TempDir()
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			ix, err := Open(context.Background(), Options{CorpusDir: corpus, DataDir: data, MinScore: DefaultMinScore})
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := ix.Search(context.Background(), "starting salary"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ix := open(t, corpus, data); ix.Stats().Rebuilt {
		t.Error("index file left unusable by concurrent writers")
	}
	leftovers, _ := filepath.Glob(filepath.Join(data, ".index-*"))
	if len(leftovers) > 0 {
		t.Errorf("temp files left: %v", leftovers)
	}
}

func TestCorpusErrorsNameTheDir(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	empty := t.TempDir()
	for _, dir := range []string{missing, empty} {
		_, err := Open(context.Background(), Options{CorpusDir: dir})
		if err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("Open(%s) error = %v, want one naming the dir", dir, err)
		}
	}
}

// TestBuildsAreDeterministic: two builds of one corpus in one process —
// every map made afresh — write the same index file and answer the same
// searches with the same scores to the bit (issue 16). The proof across
// processes is cmd/bot's TestDeterministicAnswersAcrossProcesses.
func TestBuildsAreDeterministic(t *testing.T) {
	corpus := multiGuideCorpus(t)
	a, b := open(t, corpus, t.TempDir()), open(t, corpus, t.TempDir())
	if a.Stats().Fingerprint != b.Stats().Fingerprint {
		t.Error("fingerprints differ")
	}
	payload := func(ix *Index) []byte {
		raw, err := os.ReadFile(ix.Stats().IndexFile)
		if err != nil {
			t.Fatal(err)
		}
		_, p, _ := bytes.Cut(raw, []byte("\n")) // the header holds the build time
		return p
	}
	if !bytes.Equal(payload(a), payload(b)) {
		t.Error("two builds of one corpus wrote different index files")
	}
	questions := []string{"starting pay", "remote work", "UX research methods", "what tools", "How much experience do they need?"}
	for _, f := range []string{"../../testdata/eval/one-guide.dev.jsonl", "../../testdata/eval/multi-guide.dev.jsonl"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			var c struct{ Question string }
			if json.Unmarshal([]byte(line), &c) == nil && c.Question != "" {
				questions = append(questions, c.Question)
			}
		}
	}
	same := func(a, b Hit) bool {
		return a.Chunk == b.Chunk && math.Float32bits(a.Score) == math.Float32bits(b.Score)
	}
	for _, q := range questions {
		ha, _ := a.Search(context.Background(), q)
		hb, _ := b.Search(context.Background(), q)
		if !slices.EqualFunc(ha, hb, same) {
			t.Errorf("%q: %v vs %v", q, ha, hb)
		}
		if na, nb := a.Normalize(q), b.Normalize(q); na != nb {
			t.Errorf("%q normalised as %q and %q", q, na, nb)
		}
		ma, mb := a.ResolveCareers(q), b.ResolveCareers(q)
		if !slices.Equal(ma.Covered, mb.Covered) || !slices.Equal(ma.Uncovered, mb.Uncovered) {
			t.Errorf("%q: careers %v vs %v", q, ma, mb)
		}
	}
}

func TestTermSetContains(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	sets := map[string][]uint64{"empty": nil, "one": {42}}
	var spread, skewed []uint64
	for range 300 {
		spread = append(spread, rng.Uint64())
		skewed = append(skewed, rng.Uint64N(1000)) // all near zero: the guess is always far off
	}
	sets["spread"], sets["skewed"] = spread, skewed
	sets["extremes"] = []uint64{0, 1, math.MaxUint64 - 1, math.MaxUint64}
	for name, hashes := range sets {
		set := termSet(slices.Compact(slices.Sorted(slices.Values(hashes))))
		in := map[uint64]bool{}
		for _, h := range hashes {
			in[h] = true
			if !set.contains(h) {
				t.Errorf("%s: %d not found", name, h)
			}
		}
		probes := []uint64{0, 1, 2, 999, 1000, math.MaxUint64, math.MaxUint64 - 1, math.MaxUint64 / 2}
		for range 1000 {
			probes = append(probes, rng.Uint64(), rng.Uint64N(1000))
		}
		for _, h := range probes {
			if set.contains(h) != in[h] {
				t.Errorf("%s: contains(%d) = %v, want %v", name, h, set.contains(h), in[h])
			}
		}
	}
}

// denseEmbedder stands in for an embeddings endpoint (internal/openai):
// dense, deterministic vectors.
type denseEmbedder struct{}

func (denseEmbedder) Name() string { return "dense-test" }

func (denseEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := []float32{float32(len(t)), 3, 4}
		Normalize(v)
		out[i] = v
	}
	return out, nil
}

// An index built with an embedder other than the built-in one answers
// searches, and its dense vectors stay on chromem-go's scan (the inverted
// index is for the built-in sparse vectors only).
func TestOtherEmbedderBuildsAnIndex(t *testing.T) {
	ix, err := Open(context.Background(), Options{CorpusDir: corpusDir(t, uxFile), DataDir: t.TempDir(), Embedder: denseEmbedder{}, MinScore: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Stats().Chunks == 0 {
		t.Fatal("empty index")
	}
	if _, err := ix.Search(context.Background(), "UX researcher salary"); err != nil {
		t.Errorf("search with a dense embedder: %v", err)
	}
	if _, ok := ix.vectors.(chromemSearch); !ok {
		t.Errorf("dense embeddings are searched with %T, want chromem-go's scan", ix.vectors)
	}
}

// A question plainly on a topic is answered although its other words are
// chat the guide never uses; one about the asker's own thing in a topic's
// words is not.
func TestPlainTopicOutweighsChatWords(t *testing.T) {
	ix := open(t, corpusDir(t, mediaFile), t.TempDir())
	for _, q := range []string{"real talk, any downsides ppl dont mention?", "is a masters worth it for this line of work or overkill",
		// Chat's fillers and idioms (bruh, lowkey, "make a decent living", "golden rules").
		"bruh do i need a fancy degree for this", "lowkey wondering if the hours are brutal",
		"can u make a decent living doing this or nah", "what do people love most about this career",
		"any golden rules for doing well in this job",
		// A career asked for one's family; whether the job fits someone.
		"my son wants to be a media specialist, what should he study", "could this be a job for him"} {
		if hits, err := ix.Search(context.Background(), q); err != nil || len(hits) == 0 {
			t.Errorf("Search(%q) = %v, %v; want an answer", q, hits, err)
		}
	}
	for _, q := range []string{"how do i fix my wifi at the office", "my gf is ignoring my texts what do i do", "what camera did kubrick use to film barry lyndon"} {
		if hits, err := ix.Search(context.Background(), q); err == nil {
			t.Errorf("Search(%q) = %v; want nothing relevant", q, hits)
		}
	}
}
