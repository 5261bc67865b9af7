package rag

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A writer killed during an index write (kill -9) leaves its temp file;
// the next start removes it, but leaves alone one that another bot on the
// same data dir may be writing right now.
func TestOpenRemovesStaleTempIndexFiles(t *testing.T) {
	data := t.TempDir()
	stale := filepath.Join(data, ".index-123456.tmp")
	fresh := filepath.Join(data, ".index-654321.tmp")
	other := filepath.Join(data, "notes.tmp")
	for _, f := range []string{stale, fresh, other} {
		if err := os.WriteFile(f, []byte("half an index"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{stale, other} {
		if err := os.Chtimes(f, old, old); err != nil {
			t.Fatal(err)
		}
	}
	open(t, corpusDir(t, mediaFile), data)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp index file still there: %v", err)
	}
	for _, f := range []string{fresh, other} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(f), err)
		}
	}
}
