package conversation

// Throwaway eval driver (not committed): EVAL_FILE=... go test -run TestZZEvalDrive -v
import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag/ragtest"
	"github.com/careerbot/careerbot/protocol"
)

type zzCase struct {
	Question string   `json:"question"`
	Sections []string `json:"sections"`
	Facts    []string `json:"facts"`
	Decline  bool     `json:"decline"`
	Kind     string   `json:"kind"`
	History  []string `json:"history"`
	Careers  []string `json:"careers"`
	Forbid   []string `json:"forbid"`
	Expect   string   `json:"expect"`
}

func TestZZEvalDrive(t *testing.T) {
	file := os.Getenv("EVAL_FILE")
	if file == "" {
		t.Skip("EVAL_FILE")
	}
	quiet := strings.Contains(file, ".test.")
	files := []string{"../../corpus/media-specialist.txt"}
	if strings.Contains(filepath.Base(file), "multi") {
		more, _ := filepath.Glob("../../testdata/guides/*")
		files = append(files, more...)
	}
	ix := ragtest.Open(t, files...)
	var careers []string
	for _, c := range ix.Careers() {
		careers = append(careers, c.Name)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	pass, total := map[string]int{}, map[string]int{}
	only := os.Getenv("EVAL_KINDS")
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		var c zzCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatal(err)
		}
		if only != "" && !strings.Contains(only, c.Kind) {
			continue
		}
		svc := New(Config{}, Deps{Index: ix})
		sess, _ := svc.Open(context.Background(), "192.0.2.1", "")
		var r reply
		for i, h := range append(c.History, c.Question) {
			r = ask(t, sess, fmt.Sprint(i), h)
		}
		why := zzJudge(c, r, careers)
		key := c.Kind
		if c.Expect != "" {
			key += "/" + c.Expect
		}
		total[key]++
		if why == "" {
			pass[key]++
		} else if !quiet {
			var secs []string
			for _, s := range r.sources.Sources {
				secs = append(secs, rolePrefix(s.Guide)+":"+s.Section)
			}
			t.Logf("MISS [%s] %q (hist %q): %s\n   answer: %q\n   sources: %q\n   chips: %q", key, c.Question, c.History, why, r.done.Text, secs, r.done.Suggestions)
		}
	}
	var keys []string
	for k := range total {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	all, allp := 0, 0
	for _, k := range keys {
		t.Logf("%-22s %d/%d", k, pass[k], total[k])
		all += total[k]
		allp += pass[k]
	}
	t.Logf("%-22s %d/%d", "ALL", allp, all)
}

func rolePrefix(g string) string { return strings.TrimSuffix(g, " Career Path Guide") }

func zzJudge(c zzCase, r reply, careers []string) string {
	text := strings.ToLower(r.done.Text)
	for _, f := range c.Forbid {
		if strings.Contains(text, strings.ToLower(f)) {
			return "forbidden " + f
		}
	}
	declined := strings.Contains(text, "couldn't find that")
	switch c.Expect {
	case "decline":
		if !declined {
			return "not declined"
		}
		return ""
	case "smalltalk":
		if declined || len(r.done.Suggestions) == 0 {
			return "not small talk"
		}
		return ""
	case "uncovered":
		if !strings.Contains(text, "don't have a guide") {
			return "not uncovered"
		}
		return ""
	case "clarify":
		named := 0
		for _, c := range careers {
			for _, s := range r.done.Suggestions {
				if strings.Contains(strings.ToLower(s), strings.ToLower(c)) {
					named++
					break
				}
			}
		}
		if named < 2 || !strings.Contains(text, "?") {
			return fmt.Sprintf("not a clarify (chips naming careers: %d)", named)
		}
		return ""
	}
	if declined {
		return "declined"
	}
	var why []string
	secOK := len(c.Sections) == 0
	for _, s := range r.sources.Sources {
		for _, want := range c.Sections {
			if strings.Contains(strings.ToLower(s.Section), strings.ToLower(want)) {
				secOK = true
			}
		}
	}
	if !secOK {
		why = append(why, "section")
	}
	for _, f := range c.Facts {
		if !strings.Contains(text, strings.ToLower(f)) {
			why = append(why, "fact "+f)
		}
	}
	for _, name := range c.Careers {
		cited := false
		for _, s := range r.sources.Sources {
			if strings.HasPrefix(strings.ToLower(s.Guide), strings.ToLower(name)) {
				cited = true
			}
		}
		if !cited {
			why = append(why, "not cited "+name)
		}
		if len(careers) > 1 && !strings.Contains(text, strings.ToLower(name)) {
			why = append(why, "not named "+name)
		}
	}
	return strings.Join(why, "; ")
}

var _ = protocol.TypeDone
