package loadgen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/careerbot/careerbot/internal/rag"
)

// Synthesize writes n guides into dst for measuring how cost grows with the
// corpus: the real guides of srcDir are copied as they are (so the usual
// questions keep their answers), and the rest are made by recombining their
// sections — a deterministic shuffle of a random ~80% of them under a new
// career name — so every synthetic guide is distinct text of realistic shape.
// For measurement only: never commit the output as corpus.
func Synthesize(srcDir, dst string, n int) error {
	entries, err := os.ReadDir(srcDir)
	if err != nil {
		return fmt.Errorf("synthesizing guides: %w", err)
	}
	type source struct {
		role     string
		sections []rag.Section
	}
	var sources []source
	written := 0
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".txt" && ext != ".md") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(srcDir, e.Name()))
		if err != nil {
			return fmt.Errorf("synthesizing guides: %w", err)
		}
		g := rag.ParseGuide(e.Name(), string(data), nil)
		if len(g.Sections) == 0 {
			continue
		}
		sources = append(sources, source{role: strings.TrimSuffix(g.Title, " Career Path Guide"), sections: g.Sections})
		if written < n {
			if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
				return fmt.Errorf("synthesizing guides: %w", err)
			}
			written++
		}
	}
	if len(sources) == 0 {
		return fmt.Errorf("synthesizing guides: no guide with sections in %s", srcDir)
	}
	rng := rand.New(rand.NewPCG(1, 2)) // the same corpus on every run
	for k := written; k < n; k++ {
		src := sources[k%len(sources)]
		role := careerName(k)
		var b strings.Builder
		fmt.Fprintf(&b, "# %s Career Path Guide\n\n", role)
		for _, i := range rng.Perm(len(src.sections)) {
			if rng.IntN(5) == 0 {
				continue // leave out about a fifth
			}
			sec := src.sections[i]
			heading := strings.ReplaceAll(sec.Path, " › ", " - ")
			text := strings.ReplaceAll(sec.Text, src.role, role)
			fmt.Fprintf(&b, "## %s\n\n%s\n\n", strings.ReplaceAll(heading, src.role, role), text)
		}
		name := fmt.Sprintf("synthetic-%05d.md", k)
		if err := os.WriteFile(filepath.Join(dst, name), []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("synthesizing guides: %w", err)
		}
	}
	return nil
}

var (
	fields = []string{"Data", "Sound", "Film", "Brand", "Content", "Print", "Event", "Social", "Video", "Archive", "Museum", "Health", "Retail", "Travel", "Sports", "Game", "Legal", "Supply", "Energy", "Garden"}
	roles  = []string{"Producer", "Analyst", "Coordinator", "Editor", "Planner", "Curator", "Technician", "Strategist", "Designer", "Manager"}
)

// careerName is a made-up career, unique per k.
func careerName(k int) string {
	name := fields[k%len(fields)] + " " + roles[(k/len(fields))%len(roles)]
	if round := k / (len(fields) * len(roles)); round > 0 {
		name += fmt.Sprintf(" %d", round+1)
	}
	return name
}
