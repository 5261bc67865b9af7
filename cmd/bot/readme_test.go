package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The settings are documented three times: allSettings() (which drives the
// flags and `bot serve -h`), .env.example and the README's configuration
// table. These tests fail when any of them drifts from allSettings().

// settingsTable renders allSettings() as the README's table.
func settingsTable() string {
	var b strings.Builder
	b.WriteString("| Variable | Default | What it does |\n|---|---|---|\n")
	for _, s := range allSettings() {
		def := "(unset)"
		if s.def != "" {
			def = "`" + s.def + "`"
		}
		b.WriteString("| `" + s.env + "` | " + def + " | " + strings.ReplaceAll(s.help, "|", `\|`) + " |\n")
	}
	return b.String()
}

func TestREADMEConfigurationTableMatchesTheSettings(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := settingsTable()
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md's configuration table differs from allSettings() in cmd/bot/config.go; it should read:\n\n%s", want)
	}
}

// TestREADMEConfigurationTableMatchesEnvExample checks the table against
// .env.example directly too (envexample_test.go checks .env.example against
// allSettings()).
func TestREADMEConfigurationTableMatchesEnvExample(t *testing.T) {
	readme := readFile(t, "../../README.md")
	assignment := regexp.MustCompile(`(?m)^([A-Z][A-Z0-9_]*)=(.*)$`)
	matches := assignment.FindAllStringSubmatch(readFile(t, "../../.env.example"), -1)
	if len(matches) == 0 {
		t.Fatal("no settings found in .env.example")
	}
	for _, m := range matches {
		def := "(unset)"
		if m[2] != "" {
			def = "`" + m[2] + "`"
		}
		if row := "| `" + m[1] + "` | " + def + " |"; !strings.Contains(readme, row) {
			t.Errorf(".env.example sets %s=%s, but README.md's table has no row starting %q", m[1], m[2], row)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestREADMEGoExampleIsTheOneThatBuilds(t *testing.T) {
	readme := readFile(t, "../../README.md")
	example := readFile(t, "../../examples/goclient/main.go")
	if !strings.Contains(readme, "```go\n"+example+"```\n") {
		t.Errorf("README.md's Go example differs from examples/goclient/main.go (which go vet builds); paste the file into the ```go block")
	}
}

func TestREADMETestCommandIsWhatCIRuns(t *testing.T) {
	const command = "go vet ./... && go test -race ./..."
	if !strings.Contains(readFile(t, "../../README.md"), "\n"+command+" ") {
		t.Errorf("README.md's quick start should show the test command %q", command)
	}
	ci := "\n" + readFile(t, "../../.ci/run")
	for _, step := range strings.Split(command, " && ") {
		if !strings.Contains(ci, "\n"+step+"\n") && !strings.Contains(ci, "\n"+command+"\n") {
			t.Errorf(".ci/run does not run %q, which README.md's quick start presents as the tests", step)
		}
	}
}

func TestREADMEListsEveryWidgetAttribute(t *testing.T) {
	readme := readFile(t, "../../README.md")
	attrs := regexp.MustCompile("(?m)^\\| `(data-[a-z-]+)` \\|").FindAllStringSubmatch(readFile(t, "../../docs/widget.md"), -1)
	if len(attrs) == 0 {
		t.Fatal("no data- attributes found in docs/widget.md's table")
	}
	for _, m := range attrs {
		if !strings.Contains(readme, "| `"+m[1]+"` |") {
			t.Errorf("README.md's widget table lacks %s (documented in docs/widget.md)", m[1])
		}
	}
}

func TestREADMELinksPointToFilesThatExist(t *testing.T) {
	readme := readFile(t, "../../README.md")
	for _, m := range regexp.MustCompile(`\]\(([^)#:]+)(#[^)]*)?\)`).FindAllStringSubmatch(readme, -1) {
		if _, err := os.Stat("../../" + m[1]); err != nil {
			t.Errorf("README.md links to %s, which does not exist", m[1])
		}
	}
}
