// Package guidegen writes realistic career guides for measuring the bot at
// scale: each one is the scraped template of a real guide (the page layout
// of corpus/media-specialist.txt, mojibake and all) about a distinct made-up
// career ("Aerospace Data Analyst") with its own pay and growth figures, so
// a pay question naming that career has one right answer. For measurement
// only: the output is written to a temporary directory, never committed.
package guidegen

import (
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Career is one generated guide's subject and the figures its guide states.
type Career struct {
	Name     string // e.g. "Aerospace Data Analyst"
	File     string // file name in the corpus dir, e.g. "aerospace-data-analyst.txt"
	Median   int    // median salary in USD
	Entry    int
	Mid      int
	Senior   int
	Low      int // bottom of the salary range
	High     int // top of the range (and the "top 10%" figure)
	GrowthPc int // growth rate in percent
}

// MaxCareers is how many distinct careers Name can make.
const MaxCareers = 50 * 20 * 10 // len(industries) × len(specialties) × len(roles), checked by a test

var (
	industries = []string{"Aerospace", "Agricultural", "Automotive", "Banking", "Biotech", "Broadcast", "Chemical", "Civic", "Clinical", "Coastal",
		"Construction", "Consumer", "Cultural", "Defense", "Dental", "Digital", "Educational", "Electoral", "Environmental", "Fashion",
		"Financial", "Forensic", "Forestry", "Gaming", "Geospatial", "Healthcare", "Hospitality", "Humanitarian", "Industrial", "Insurance",
		"Legal", "Logistics", "Manufacturing", "Marine", "Maritime", "Medical", "Mining", "Municipal", "Museum", "Music",
		"Nonprofit", "Nuclear", "Nutrition", "Pharmaceutical", "Publishing", "Railway", "Renewable", "Retail", "Sports", "Veterinary"}
	specialties = []string{"Data", "Compliance", "Content", "Quality", "Safety", "Operations", "Research", "Systems", "Supply Chain", "Security",
		"Marketing", "Design", "Training", "Policy", "Finance", "Risk", "Network", "Product", "Community", "Procurement"}
	roles = []string{"Analyst", "Specialist", "Coordinator", "Manager", "Engineer", "Consultant", "Technician", "Strategist", "Officer", "Planner"}
)

// careerName is the k-th distinct career name (k < MaxCareers); the
// industry varies fastest so that the first hundred are already varied.
func careerName(k int) string {
	i := k % len(industries)
	s := (k / len(industries)) % len(specialties)
	r := (k / (len(industries) * len(specialties))) % len(roles)
	return industries[i] + " " + specialties[s] + " " + roles[r]
}

// NewCareer is the k-th career with its figures (deterministic in k).
func NewCareer(k int) Career {
	name := careerName(k)
	h := fnv.New32a()
	h.Write([]byte(name))
	v := h.Sum32()
	median := 42_000 + int(v%97)*1_000 // $42,000–$138,000
	return Career{
		Name:     name,
		File:     slug(name) + ".txt",
		Median:   median,
		Entry:    round(median * 78 / 100),
		Mid:      median,
		Senior:   round(median * 122 / 100),
		Low:      round(median * 69 / 100),
		High:     round(median * 131 / 100),
		GrowthPc: 3 + int(v>>8)%15,
	}
}

func round(x int) int { return (x + 500) / 1000 * 1000 }

func slug(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), " ", "-")
}

// The template's own career and figures, replaced in every generated guide.
const (
	templateCareer = "Media Specialist"
)

var templateFigures = regexp.MustCompile(`\$?\d{1,3},\d{3}|\b8%`)

// Render returns the guide of c in the layout of template (the text of
// corpus/media-specialist.txt).
func Render(template string, c Career) string {
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
		dollar := strings.HasPrefix(m, "$")
		v, ok := figure[strings.TrimPrefix(m, "$")]
		if !ok {
			return m
		}
		if dollar {
			return Dollars(v)
		}
		return thousands(v)
	})
}

// Dollars is a figure as the guides write it: "$65,000".
func Dollars(v int) string { return "$" + thousands(v) }

func thousands(v int) string {
	return fmt.Sprintf("%d,%03d", v/1000, v%1000)
}

// Write writes n guides (careers 0…n-1) rendered from the template file
// into dir and returns their careers.
func Write(templateFile, dir string, n int) ([]Career, error) {
	if n > MaxCareers {
		return nil, fmt.Errorf("guidegen: at most %d distinct careers, asked for %d", MaxCareers, n)
	}
	raw, err := os.ReadFile(templateFile)
	if err != nil {
		return nil, fmt.Errorf("guidegen: reading the template: %w", err)
	}
	careers := make([]Career, n)
	for k := range careers {
		c := NewCareer(k)
		careers[k] = c
		if err := os.WriteFile(filepath.Join(dir, c.File), []byte(Render(string(raw), c)), 0o644); err != nil {
			return nil, fmt.Errorf("guidegen: %w", err)
		}
	}
	return careers, nil
}
