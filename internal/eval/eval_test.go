package eval

import (
	"context"
	"os"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
)

func TestEvalQuality(t *testing.T) {
	ix, err := rag.Open(context.Background(), rag.Options{CorpusDir: "../../corpus", DataDir: t.TempDir(), MinScore: rag.DefaultMinScore})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../../testdata/eval.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadCases(f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), ix, cases)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("on-topic %d, off-topic %d: hit@1 %.2f hit@3 %.2f facts %.2f declines %.2f (false declines %d)",
		res.OnTopic, res.OffTopic, res.HitRate1(), res.HitRate3(), res.FactRate(), res.DeclineRate(), res.FalseDeclines)
	for _, f := range res.Failures {
		t.Log(f)
	}
	if res.OnTopic < 40 || res.OffTopic < 8 {
		t.Errorf("eval set too small: %d on-topic, %d off-topic", res.OnTopic, res.OffTopic)
	}
	if res.HitRate3() < 0.9 {
		t.Errorf("retrieval hit@3 = %.2f, want ≥ 0.9", res.HitRate3())
	}
	if res.FactRate() < 0.8 {
		t.Errorf("answer fact rate = %.2f, want ≥ 0.8", res.FactRate())
	}
	if res.DeclineRate() < 0.9 {
		t.Errorf("decline rate = %.2f, want ≥ 0.9", res.DeclineRate())
	}
}
