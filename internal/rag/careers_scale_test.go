package rag

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/guidegen"
)

// A section whose heading names the career ("Pros & Cons for Civic Supply
// Chain Analyst › Cons") must not outrank the section of the question's
// topic when the question names that career. With careers of four words
// it did: at 1,000 guidegen guides every "… Supply Chain Analyst" pay
// question was answered from Cons, their rare name words weighing more
// than the pay topic. Here two of them among 60 careers of three words.
func TestHeadingNamingTheCareerDoesNotOutweighTheTopic(t *testing.T) {
	raw, err := os.ReadFile(mediaFile)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := guidegen.Compile(string(raw))
	corpus := t.TempDir()
	var careers []guidegen.Career
	for k := range 62 {
		if k >= 60 {
			k += 400 - 60 // 400, 401: "Aerospace Supply Chain Analyst", "Agricultural …"
		}
		c := guidegen.NewCareer(k)
		careers = append(careers, c)
		if err := os.WriteFile(filepath.Join(corpus, c.File), []byte(tmpl.Render(c)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := Open(context.Background(), Options{CorpusDir: corpus, MinScore: DefaultMinScore})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range careers {
		for _, q := range []string{"How much does a " + c.Name + " earn?", "What is the salary of a " + strings.ToLower(c.Name) + "?"} {
			hits, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if h := hits[0]; h.Guide != c.Name+" Career Path Guide" || h.Section != "Annual Salary (US, USD)" {
				t.Errorf("%q: best hit %s › %s, want %s › Annual Salary (US, USD)", q, h.Guide, h.Section, c.Name)
			}
		}
	}
}
