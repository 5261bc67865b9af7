package rag

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/testutil"
)

// The operator learns from the log what went wrong with the index file: a
// broken one is rebuilt with a warning naming it, and one that cannot be
// written leaves the in-memory index serving with a warning.
func TestIndexFileFaultsAreWarnings(t *testing.T) {
	corpus := corpusDir(t, mediaFile)
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, indexFileName), []byte("{\"format\":\"careerbot-index/1\"}\ngarbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, dataDir, warning string }{
		{"unwritable", filepath.Join(blocker, "data"), "could not write the index file; serving the in-memory index"},
		{"broken", broken, "index file unusable; rebuilding it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			logs := &testutil.Buffer{}
			ix, err := Open(context.Background(), Options{CorpusDir: corpus, DataDir: tt.dataDir, MinScore: DefaultMinScore,
				Logger: slog.New(slog.NewTextHandler(logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ix.Search(context.Background(), "starting salary"); err != nil {
				t.Errorf("not serving: %v", err)
			}
			log := logs.String()
			if !strings.Contains(log, "level=WARN") || !strings.Contains(log, tt.warning) || !strings.Contains(log, indexFileName) {
				t.Errorf("want a warning %q naming the file, got:\n%s", tt.warning, log)
			}
		})
	}
}
