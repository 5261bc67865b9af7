package guidegen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCareersAreDistinctWithTheirOwnFigures(t *testing.T) {
	dir := t.TempDir()
	careers, err := Write(filepath.Join("..", "..", "corpus", "media-specialist.txt"), dir, 300)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, c := range careers {
		if names[c.Name] {
			t.Fatalf("career %q generated twice", c.Name)
		}
		names[c.Name] = true
	}
	for _, c := range careers[:5] {
		raw, err := os.ReadFile(filepath.Join(dir, c.File))
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		if !strings.HasPrefix(text, c.Name+" Career Path Guide\n") {
			t.Errorf("%s: title line %q", c.File, strings.SplitN(text, "\n", 2)[0])
		}
		if strings.Contains(strings.ToLower(text), "media specialist") {
			t.Errorf("%s still names the template's career", c.File)
		}
		if want := "Median: $" + thousands(c.Median); !strings.Contains(text, want) {
			t.Errorf("%s lacks %q", c.File, want)
		}
		if want := "$" + thousands(c.Entry); !strings.Contains(text, "Entry-Level\n"+want) {
			t.Errorf("%s lacks entry pay %q", c.File, want)
		}
	}
	if _, err := Write("x", dir, MaxCareers+1); err == nil {
		t.Error("more careers than names: no error")
	}
}

func TestMaxCareersMatchesTheNameLists(t *testing.T) {
	if got := len(industries) * len(specialties) * len(roles); got != MaxCareers {
		t.Fatalf("the name lists make %d careers, MaxCareers says %d", got, MaxCareers)
	}
	if careerName(0) == careerName(MaxCareers-1) {
		t.Fatal("first and last career share a name")
	}
}
