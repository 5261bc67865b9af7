package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// runBot runs the binary's run function with a clean environment plus env.
func runWithEnv(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), args, getenv, strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), err
}

func testEnv(t *testing.T) map[string]string {
	return map[string]string{"BOT_CORPUS_DIR": "../../corpus", "BOT_DATA_DIR": t.TempDir()}
}

func TestIndexAskEvalCommands(t *testing.T) {
	env := testEnv(t)
	out, err := runWithEnv(t, env, "index")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Index built", "1 guides", "chunks", "Media Specialist Career Path Guide"} {
		if !strings.Contains(out, want) {
			t.Errorf("index output lacks %q:\n%s", want, out)
		}
	}
	if out, _ := runWithEnv(t, env, "index"); !strings.Contains(out, "loaded (up to date)") {
		t.Errorf("second index did not reuse the file:\n%s", out)
	}

	out, err = runWithEnv(t, env, "ask", "How much does a media specialist earn?")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"$65,000", "Sources:", "Annual Salary (US, USD)"} {
		if !strings.Contains(out, want) {
			t.Errorf("ask output lacks %q:\n%s", want, out)
		}
	}
	out, err = runWithEnv(t, env, "ask", "How much does the Plus plan cost per month?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "I can help with") || strings.Contains(out, "Sources:") {
		t.Errorf("off-topic ask did not decline politely:\n%s", out)
	}
	// ask answers as the server does (the answer service's routing): a
	// career no guide covers gets no other career's figures.
	out, err = runWithEnv(t, env, "ask", "how much does a plumber earn")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Plumber") || strings.Contains(out, "$") {
		t.Errorf("ask about an uncovered career:\n%s", out)
	}

	out, err = runWithEnv(t, env, "eval", "../../testdata/eval.jsonl", "../../testdata/eval/one-guide.dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Eval ../../testdata/eval.jsonl: 61 cases, 1 guide\n", "Eval ../../testdata/eval/one-guide.dev.jsonl: ",
		"hit@1", "hit@3", "facts", "false declines", "median chars", "in-guide", "followup", "smalltalk", "expect decline", "all"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Misses") {
		t.Errorf("eval without -v lists misses:\n%s", out)
	}
}

func TestEvalCommand(t *testing.T) {
	env := testEnv(t)
	// The multi-guide set on corpus/ plus testdata/guides, as JSON, with misses.
	out, err := runWithEnv(t, env, "eval", "-json", "-v", "-guides", "../../testdata/guides", "../../testdata/eval/multi-guide.dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		File   string `json:"file"`
		Guides int    `json:"guides"`
		All    struct {
			Cases  int      `json:"cases"`
			HitAt3 *float64 `json:"hit_at_3"`
		} `json:"all"`
		ByKind []struct {
			Name  string   `json:"name"`
			Reply *float64 `json:"reply"`
		} `json:"by_kind"`
		Misses []string `json:"misses"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("eval -json: %v\n%s", err, out)
	}
	if got.Guides != 6 || got.All.Cases < 96 || got.All.HitAt3 == nil || len(got.ByKind) != 7 || got.ByKind[0].Name != "in-guide" || got.ByKind[0].Reply != nil {
		t.Errorf("eval -json: %+v", got)
	}
	if len(got.Misses) == 0 || !strings.HasPrefix(got.Misses[0], "[") || !strings.Contains(got.Misses[0], "wanted") {
		t.Errorf("eval -json -v misses: %q", got.Misses)
	}
	// A TEST split's misses come with the warning (the test does not read them).
	out, err = runWithEnv(t, env, "eval", "-v", "../../testdata/eval/one-guide.test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "do not read these while tuning") {
		t.Errorf("eval -v of a TEST split without the warning")
	}
	if _, err := runWithEnv(t, env, "eval"); err == nil {
		t.Error("eval without files: no error")
	}
	if _, err := runWithEnv(t, env, "eval", "-guides", "/nonexistent/guides", "../../testdata/eval.jsonl"); err == nil || !strings.Contains(err.Error(), "/nonexistent/guides") {
		t.Errorf("eval with missing guides: err %v", err)
	}
}

func TestCommandErrors(t *testing.T) {
	env := testEnv(t)
	env["BOT_CORPUS_DIR"] = "/nonexistent/guides"
	if _, err := runWithEnv(t, env, "ask", "pay?"); err == nil || !strings.Contains(err.Error(), "/nonexistent/guides") || !strings.Contains(err.Error(), "BOT_CORPUS_DIR") {
		t.Errorf("missing corpus: err = %v, want it to name the dir", err)
	}
	if _, err := runWithEnv(t, testEnv(t), "frobnicate"); err == nil {
		t.Error("unknown command accepted")
	}
	if _, err := runWithEnv(t, testEnv(t), "ask"); err == nil {
		t.Error("ask without a question accepted")
	}
	env = testEnv(t)
	env["BOT_TOP_K"] = "many"
	if _, err := runWithEnv(t, env, "ask", "pay?"); err == nil || !strings.Contains(err.Error(), "BOT_TOP_K") {
		t.Errorf("bad BOT_TOP_K: err = %v", err)
	}
	out, _ := runWithEnv(t, testEnv(t), "-h")
	if !strings.Contains(out, "Usage: bot") {
		t.Errorf("-h output:\n%s", out)
	}
}
