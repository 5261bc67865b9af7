// Package ragtest opens real indexes for the tests of packages that use
// retrieval (answer writing, the answer service, eval), so that they test
// against the guides users are answered from rather than a fake.
package ragtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
)

// Guide files of the repository, relative to a package two levels down
// (internal/x).
const (
	MediaSpecialist = "../../corpus/media-specialist.txt"
	UXResearcher    = "../../testdata/guides/ux-researcher.md"
)

// Open opens an index, with the tuned minimum score, over a corpus of
// copies of the given guide files and a data dir of its own.
func Open(t testing.TB, files ...string) *rag.Index {
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
	ix, err := rag.Open(context.Background(), rag.Options{CorpusDir: dir, DataDir: t.TempDir(), MinScore: rag.DefaultMinScore})
	if err != nil {
		t.Fatalf("opening an index of %v: %v", files, err)
	}
	return ix
}

// Search returns ix's hits for question, failing the test when there are
// none.
func Search(t testing.TB, ix *rag.Index, question string) []rag.Hit {
	t.Helper()
	hits, err := ix.Search(context.Background(), question)
	if err != nil {
		t.Fatalf("Search(%q): %v", question, err)
	}
	return hits
}
