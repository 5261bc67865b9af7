package rag

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"testing"
)

// go test -run TestDBG ./internal/rag  with DBGQ=/tmp/q.txt (one question per line), DBGMULTI=1
func TestDBG(t *testing.T) {
	path := os.Getenv("DBGQ")
	if path == "" {
		t.Skip()
	}
	dir := corpusDir(t, mediaFile)
	if os.Getenv("DBGMULTI") != "" {
		dir = multiGuideCorpus(t)
	}
	ix := openCorpus(t, dir)
	if os.Getenv("DBGMIN") != "" {
		ix.opts.MinScore = 0
	}
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		q := sc.Text()
		if q == "" {
			continue
		}
		fmt.Printf("Q: %s\n  norm: %s\n  topics: %v\n", q, ix.Normalize(q), ix.QuestionTopics(q))
		hits, err := ix.SearchCareers(context.Background(), q, nil)
		if err != nil {
			fmt.Printf("  err: %v\n", err)
		}
		for i, h := range hits {
			if i >= 5 {
				break
			}
			fmt.Printf("  %.3f %s\n", h.Score, h.Chunk.Section)
		}
	}
}
