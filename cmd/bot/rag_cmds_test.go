package main

import (
	"bytes"
	"context"
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

	out, err = runWithEnv(t, env, "eval", "../../testdata/eval.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"hit@1", "hit@3", "answer facts", "declined off-topic"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
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
