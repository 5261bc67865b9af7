package testutil

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// EvalCase is one case of an eval set as the guard tests of hand
// optimisations replay it: its question and the conversation before it.
type EvalCase struct {
	Question string
	History  []string
}

// EvalCases reads every case of the DEV eval sets in dir (testdata/eval,
// *.dev.jsonl): guard tests replay them to hold code to code, and even so
// they do not read the TEST splits' or the blind holdouts' questions. A
// line that is no case (a "//" comment, a blank line) is skipped.
func EvalCases(t testing.TB, dir string) []EvalCase {
	t.Helper()
	return evalCases(t, dir, "*.dev.jsonl")
}

// evalCases reads the cases of the eval sets in dir matching pattern, but
// the blind holdouts'.
func evalCases(t testing.TB, dir, pattern string) []EvalCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no eval sets %s in %s: %v", pattern, dir, err)
	}
	var out []EvalCase
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "holdout") {
			continue // blind: not read here
		}
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var c struct {
				Question string   `json:"question"`
				History  []string `json:"history"`
			}
			if json.Unmarshal(sc.Bytes(), &c) == nil && c.Question != "" {
				out = append(out, EvalCase{Question: c.Question, History: c.History})
			}
		}
		err = sc.Err()
		fh.Close()
		if err != nil {
			t.Fatalf("reading %s: %v", f, err)
		}
	}
	return out
}

// EvalMessages are the questions of EvalCases and their histories, flat.
func EvalMessages(t testing.TB, dir string) []string {
	t.Helper()
	return messagesOf(EvalCases(t, dir))
}

// DevMessages are EvalMessages of the DEV sets (*.dev.jsonl) only: the
// questions a guard may replay without reading a TEST split's.
func DevMessages(t testing.TB, dir string) []string {
	t.Helper()
	out := messagesOf(evalCases(t, dir, "*.dev.jsonl"))
	if len(out) < 500 {
		t.Fatalf("only %d DEV eval questions read", len(out))
	}
	return out
}

func messagesOf(cases []EvalCase) []string {
	var out []string
	for _, c := range cases {
		out = append(append(out, c.Question), c.History...)
	}
	return out
}

// FileLines are the lines of every file matching the patterns, in order:
// texts (guides, eval sets) for a guard to replay.
func FileLines(t testing.TB, patterns ...string) []string {
	t.Helper()
	var out []string
	for _, pattern := range patterns {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("no files match %s (%v)", pattern, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.Split(string(data), "\n")...)
		}
	}
	return out
}
