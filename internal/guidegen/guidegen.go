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
func Render(template string, c Career) string { return Compile(template).Render(c) }

// Template is a template guide with its career's names and figures marked,
// so that rendering a career is a concatenation of its parts: replacing
// the names (a strings.Replacer) and then the figures (a regexp) in every
// guide made Write take 10 s for 1,000 guides (131 s under the race
// detector, which botbench's tests run under); with the parts, 1.6–3.1 s
// (4.3 s under race), mostly writing the files.
// TestCompiledTemplateRendersAsDirectReplacement holds the output to that
// direct replacement.
type Template struct {
	marked string
	parts  []string // marked split at the NULs: text, a mark's letter, text, …
}

// The marks: NUL never occurs in a guide's text, and a mark's letter says
// which name form or figure goes there.
const (
	markPlural      = "\x00P\x00"
	markName        = "\x00N\x00"
	markLowerPlural = "\x00p\x00"
	markLower       = "\x00n\x00"
	markUpper       = "\x00U\x00"
	markLow         = "\x00L\x00"
	markHigh        = "\x00H\x00"
	markMedian      = "\x00M\x00"
	markEntry       = "\x00E\x00"
	markSenior      = "\x00S\x00"
	markGrowth      = "\x00G\x00"
)

// Compile marks template's career and figures.
func Compile(template string) *Template {
	r := strings.NewReplacer(
		templateCareer+"s", markPlural,
		templateCareer, markName,
		strings.ToLower(templateCareer)+"s", markLowerPlural,
		strings.ToLower(templateCareer), markLower,
		strings.ToUpper(templateCareer), markUpper,
	)
	text := r.Replace(template)
	figure := map[string]string{"45,000": markLow, "85,000": markHigh, "65,000": markMedian, "51,000": markEntry, "79,000": markSenior}
	t := &Template{marked: templateFigures.ReplaceAllStringFunc(text, func(m string) string {
		if m == "8%" {
			return markGrowth + "%"
		}
		mark, ok := figure[strings.TrimPrefix(m, "$")]
		if !ok {
			return m
		}
		if strings.HasPrefix(m, "$") {
			return "$" + mark
		}
		return mark
	})}
	t.parts = strings.Split(t.marked, "\x00")
	return t
}

// Render returns the guide of c.
func (t *Template) Render(c Career) string {
	value := map[string]string{
		"P": pluralOf(c.Name), "N": c.Name, "p": strings.ToLower(pluralOf(c.Name)), "n": strings.ToLower(c.Name), "U": strings.ToUpper(c.Name),
		"L": thousands(c.Low), "H": thousands(c.High), "M": thousands(c.Median), "E": thousands(c.Entry), "S": thousands(c.Senior),
		"G": strconv.Itoa(c.GrowthPc),
	}
	var b strings.Builder
	b.Grow(len(t.marked) + len(t.marked)/8)
	for i, part := range t.parts {
		if i%2 == 0 {
			b.WriteString(part)
		} else {
			b.WriteString(value[part])
		}
	}
	return b.String()
}

func pluralOf(name string) string {
	if strings.HasSuffix(name, "y") {
		return name[:len(name)-1] + "ies"
	}
	return name + "s"
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
	t := Compile(string(raw))
	careers := make([]Career, n)
	for k := range careers {
		c := NewCareer(k)
		careers[k] = c
		if err := os.WriteFile(filepath.Join(dir, c.File), []byte(t.Render(c)), 0o644); err != nil {
			return nil, fmt.Errorf("guidegen: %w", err)
		}
	}
	return careers, nil
}
