package rag

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDbg(t *testing.T) {
	ix := openCorpus(t, "../../corpus")
	ix.opts.MinScore = 0
	qs := strings.Split(os.Getenv("QS"), "|")
	for _, q := range qs {
		hits, _ := ix.Search(context.Background(), q)
		fmt.Printf("Q: %s\n", q)
		for _, h := range hits {
			fmt.Printf("   %.3f %s\n", h.Score, h.Section)
		}
	}
}
