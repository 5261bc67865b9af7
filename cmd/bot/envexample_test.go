package main

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestEnvExampleMatchesSettings keeps .env.example in step with allSettings:
// every setting appears once as NAME=default, right after a "# help" line.
func TestEnvExampleMatchesSettings(t *testing.T) {
	f, err := os.Open("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type entry struct{ value, comment string }
	found := map[string]entry{}
	prev := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, value, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			if _, dup := found[name]; dup {
				t.Errorf("%s appears twice", name)
			}
			found[name] = entry{value, prev}
		}
		prev = line
	}
	for _, s := range allSettings() {
		e, ok := found[s.env]
		if !ok {
			t.Errorf("%s missing from .env.example", s.env)
			continue
		}
		if e.value != s.def {
			t.Errorf("%s=%q in .env.example, default is %q", s.env, e.value, s.def)
		}
		if e.comment != "# "+s.help {
			t.Errorf("%s: the line above should be %q, is %q", s.env, "# "+s.help, e.comment)
		}
		delete(found, s.env)
	}
	for name := range found {
		t.Errorf(".env.example sets %s, which is not a setting", name)
	}
	for _, preset := range []string{"# OPENAI_API_KEY=", "# OPENAI_BASE_URL=http://localhost:11434/v1"} {
		data, _ := os.ReadFile("../../.env.example")
		if !strings.Contains(string(data), preset) {
			t.Errorf(".env.example lacks the ready-made line %q", preset)
		}
	}
}
