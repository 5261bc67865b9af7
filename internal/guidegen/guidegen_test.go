package guidegen

import (
	"os"
	"path/filepath"
	"strconv"
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

// renderDirect is how Render worked before Template: the names replaced in
// the template, then the figures. The compiled template must render the
// same text.
func renderDirect(template string, c Career) string {
	plural := c.Name + "s"
	if strings.HasSuffix(c.Name, "y") {
		plural = c.Name[:len(c.Name)-1] + "ies"
	}
	r := strings.NewReplacer(
		templateCareer+"s", plural,
		templateCareer, c.Name,
		strings.ToLower(templateCareer)+"s", strings.ToLower(plural),
		strings.ToLower(templateCareer), strings.ToLower(c.Name),
		"MEDIA SPECIALIST", strings.ToUpper(c.Name),
	)
	text := r.Replace(template)
	figure := map[string]int{"45,000": c.Low, "85,000": c.High, "65,000": c.Median, "51,000": c.Entry, "79,000": c.Senior}
	return templateFigures.ReplaceAllStringFunc(text, func(m string) string {
		if m == "8%" {
			return strconv.Itoa(c.GrowthPc) + "%"
		}
		v, ok := figure[strings.TrimPrefix(m, "$")]
		if !ok {
			return m
		}
		if strings.HasPrefix(m, "$") {
			return "$" + thousands(v)
		}
		return thousands(v)
	})
}

func TestCompiledTemplateRendersAsDirectReplacement(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "corpus", "media-specialist.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := Compile(string(raw))
	for _, k := range []int{0, 1, 77, 999, 4321, MaxCareers - 1} {
		c := NewCareer(k)
		if got, want := tmpl.Render(c), renderDirect(string(raw), c); got != want {
			t.Errorf("career %d (%s): the compiled template renders %d bytes, direct replacement %d", k, c.Name, len(got), len(want))
		}
	}
	c := Career{Name: "Data Technology", Median: 70_000, Low: 1_000, High: 999_000, Entry: 2_000, Senior: 3_000, GrowthPc: 4}
	if got, want := tmpl.Render(c), renderDirect(string(raw), c); got != want {
		t.Errorf("a name ending in y: compiled and direct renderings differ")
	}
}
