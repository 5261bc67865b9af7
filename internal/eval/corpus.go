package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/careerbot/careerbot/internal/rag"
)

// Corpus copies guides into dir to make one corpus of several sources (the
// multi-guide eval corpus is corpus/ plus testdata/guides/): each path is a
// guide file or a folder whose guides (.txt, .md) and rag.CareersFile are
// copied. A later file of the same name replaces an earlier one.
func Corpus(dir string, paths ...string) error {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("eval corpus: %w", err)
		}
		files := []string{p}
		if st.IsDir() {
			entries, err := os.ReadDir(p)
			if err != nil {
				return fmt.Errorf("eval corpus: %w", err)
			}
			files = files[:0]
			for _, e := range entries {
				name := e.Name()
				if ext := strings.ToLower(filepath.Ext(name)); !e.IsDir() && (ext == ".txt" || ext == ".md" || name == rag.CareersFile) {
					files = append(files, filepath.Join(p, name))
				}
			}
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return fmt.Errorf("eval corpus: %w", err)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
				return fmt.Errorf("eval corpus: %w", err)
			}
		}
	}
	return nil
}
