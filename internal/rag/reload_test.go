package rag

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/guidegen"
)

// retrievedOf is what Search finds for question, as text: each hit's chunk
// id, section and text, best first, or "" when declined. Scores are left
// out: the answer written from the hits (internal/compose) depends only on
// which chunks they are and their order.
func retrievedOf(t *testing.T, ix *Index, question string) string {
	t.Helper()
	hits, err := ix.Search(context.Background(), question)
	if errors.Is(err, ErrNothingRelevant) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, h := range hits {
		b.WriteString(h.ID + " › " + h.Section + "\n" + h.Text + "\n\n")
	}
	return b.String()
}

// TestIndexFileRoundTrip: an index read back from its file is the one that
// was written — chunks, term sets, IDF table and vectors — so it answers
// every eval question with the same sections as the built one (guards the raw array
// layout of store.go).
func TestIndexFileRoundTrip(t *testing.T) {
	corpus, data := corpusDir(t, mediaFile, uxFile), t.TempDir()
	built := open(t, corpus, data)
	loaded := open(t, corpus, data)
	if loaded.Stats().Rebuilt {
		t.Fatal("the index file was not loaded")
	}
	if b, l := built.Stats(), loaded.Stats(); l.Sections != b.Sections || b.Sections != 46+6 || l.Guides != b.Guides || l.Chunks != b.Chunks {
		t.Errorf("stats built %s, loaded %s; want the same, with the guides' 46+6 sections", b, l)
	}
	if !slices.Equal(built.chunks, loaded.chunks) || !slices.Equal(built.Guides(), loaded.Guides()) {
		t.Fatal("chunks or guides differ after the round trip")
	}
	for i := range built.terms {
		if !slices.Equal(built.terms[i], loaded.terms[i]) || !slices.Equal(built.titles[i], loaded.titles[i]) {
			t.Fatalf("chunk %d: term sets differ after the round trip", i)
		}
	}
	if len(built.df) != len(loaded.df) {
		t.Fatalf("IDF table: %d features built, %d loaded", len(built.df), len(loaded.df))
	}
	bs, ls := built.vectors.(*sparseIndex), loaded.vectors.(*sparseIndex)
	if !slices.Equal(bs.values, ls.values) || !slices.Equal(bs.bitmap, ls.bitmap) || bs.nonzero() != len(ls.values) {
		t.Fatal("inverted index differs after the round trip")
	}
	for _, q := range evalQuestions(t) {
		if a, b := retrievedOf(t, built, q), retrievedOf(t, loaded, q); a != b {
			t.Errorf("%q: built answers %q, loaded %q", q, a, b)
		}
	}
}

// chunksOf is how many chunks the index holds of the guide in file.
func chunksOf(t *testing.T, ix *Index, file string) int {
	t.Helper()
	for g, guide := range ix.guides {
		if guide.File == file {
			return ix.sources[g].chunks
		}
	}
	t.Fatalf("no guide %s in the index", file)
	return 0
}

func payQuestion(c guidegen.Career) string { return "What is the median salary of a " + c.Name + "?" }

// changeMedian rewrites c's guide with another median salary.
func changeMedian(t *testing.T, corpus string, c guidegen.Career, median int) guidegen.Career {
	t.Helper()
	raw, err := os.ReadFile(mediaFile)
	if err != nil {
		t.Fatal(err)
	}
	c.Median = median
	if err := os.WriteFile(filepath.Join(corpus, c.File), []byte(guidegen.Render(string(raw), c)), 0o644); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReloadEmbedsOnlyChangedGuides(t *testing.T) {
	// Eight guides: changing one is under maxSinceFit, so the others keep
	// their vectors.
	corpus, careers := scaleCorpus(t, 8)
	data := t.TempDir()
	before := open(t, corpus, data)
	if same, err := before.Reload(context.Background()); err != nil || same != before {
		t.Fatalf("unchanged corpus: Reload = %p, %v; want the same index", same, err)
	}
	changed := changeMedian(t, corpus, careers[1], 123_000)
	after, err := before.Reload(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st, own := after.Stats(), chunksOf(t, after, changed.File)
	if st.Sections != before.Stats().Sections {
		t.Errorf("a reload that changed a figure counts %d sections, the index before it %d", st.Sections, before.Stats().Sections)
	}
	if st.Embedded != own || st.Reused != st.Chunks-own {
		t.Errorf("reload reused %d and embedded %d chunks of %d; want only the changed guide's %d embedded", st.Reused, st.Embedded, st.Chunks, own)
	}
	if got := retrievedOf(t, after, payQuestion(changed)); !strings.Contains(got, "123,000") {
		t.Errorf("after the reload, %q is answered %q; want the new median", payQuestion(changed), got)
	}
	if got := retrievedOf(t, before, payQuestion(changed)); strings.Contains(got, "123,000") {
		t.Errorf("the old index changed under its readers: %q", got)
	}
	// An unchanged guide answers as before.
	if a, b := retrievedOf(t, before, payQuestion(careers[2])), retrievedOf(t, after, payQuestion(careers[2])); a != b {
		t.Errorf("unchanged guide: %q before, %q after the reload", a, b)
	}
	// The index file was rewritten: a restart loads it as is.
	if again := open(t, corpus, data); again.Stats().Rebuilt || retrievedOf(t, again, payQuestion(changed)) != retrievedOf(t, after, payQuestion(changed)) {
		t.Error("a restart after the reload did not load the rewritten index file as is")
	}
}

// A guide changed while the bot was down: the next start embeds only it.
func TestOpenReusesTheIndexFileForUnchangedGuides(t *testing.T) {
	corpus, careers := scaleCorpus(t, 6)
	data := t.TempDir()
	open(t, corpus, data)
	os.Remove(filepath.Join(corpus, careers[0].File))
	changeMedian(t, corpus, careers[2], 99_000)
	ix := open(t, corpus, data)
	st := ix.Stats()
	if own := chunksOf(t, ix, careers[2].File); !st.Rebuilt || st.Guides != 5 || st.Embedded != own || st.Reused != st.Chunks-own {
		t.Errorf("stats %+v: want four guides reused, the changed one's %d chunks embedded", st, own)
	}
	if got := retrievedOf(t, ix, payQuestion(careers[2])); !strings.Contains(got, "99,000") {
		t.Errorf("changed guide answered %q", got)
	}
}

// A reload that fails — a guide without text, an empty corpus dir — keeps
// the old index serving and names the file.
func TestFailedReloadKeepsTheOldIndex(t *testing.T) {
	corpus, careers := scaleCorpus(t, 2)
	before := open(t, corpus, t.TempDir())
	want := retrievedOf(t, before, payQuestion(careers[0]))
	if err := os.WriteFile(filepath.Join(corpus, "broken.txt"), []byte("\n\n\xff\xfe\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := before.Reload(context.Background())
	var ge *GuideError
	if !errors.As(err, &ge) || ge.File != "broken.txt" || !strings.Contains(err.Error(), "broken.txt") {
		t.Errorf("reload with a guide without text: %v; want a GuideError naming broken.txt", err)
	}
	for _, f := range []string{"broken.txt", careers[0].File, careers[1].File} {
		os.Remove(filepath.Join(corpus, f))
	}
	if _, err := before.Reload(context.Background()); err == nil {
		t.Error("reload of an empty corpus dir: no error")
	}
	if got := retrievedOf(t, before, payQuestion(careers[0])); got != want {
		t.Errorf("the old index answers %q after failed reloads, %q before", got, want)
	}
}
