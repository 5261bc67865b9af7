// Package eval measures answer quality: it runs an eval set (JSONL, see
// ReadCases) through retrieval and the extractive answer and counts how
// often the right section is found, how many expected facts the answer
// holds, and how often off-topic questions are declined. `bot eval` prints
// its figures; docs/retrieval.md has them.
package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/careerbot/careerbot/internal/compose"
	"github.com/careerbot/careerbot/internal/rag"
)

// Case is one line of an eval set (JSONL). An on-topic case names the
// sections that answer it (any one, matched as a substring of the section
// path) and facts a correct answer contains; an off-topic case has decline.
type Case struct {
	Question string   `json:"question"`
	Sections []string `json:"sections,omitempty"`
	Facts    []string `json:"facts,omitempty"`
	Decline  bool     `json:"decline,omitempty"`
}

// Result aggregates an eval run.
type Result struct {
	OnTopic, OffTopic int
	HitAt1, HitAt3    int // on-topic cases whose section was retrieved at rank 1 / within 3
	FactsWanted       int
	FactsFound        int
	Declined          int // off-topic cases declined
	FalseDeclines     int // on-topic cases declined
	Failures          []string
}

func (r Result) HitRate1() float64    { return ratio(r.HitAt1, r.OnTopic) }
func (r Result) HitRate3() float64    { return ratio(r.HitAt3, r.OnTopic) }
func (r Result) FactRate() float64    { return ratio(r.FactsFound, r.FactsWanted) }
func (r Result) DeclineRate() float64 { return ratio(r.Declined, r.OffTopic) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ReadCases parses a JSONL eval set; blank lines and lines starting with
// "//" are skipped.
func ReadCases(r io.Reader) ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		var c Case
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("eval line %d: %w", n, err)
		}
		if c.Question == "" || (!c.Decline && len(c.Sections) == 0) {
			return nil, fmt.Errorf("eval line %d: want a question and sections (or decline)", n)
		}
		cases = append(cases, c)
	}
	return cases, sc.Err()
}

// Searcher is the retrieval under test (a *rag.Index).
type Searcher interface {
	Search(ctx context.Context, question string) ([]rag.Hit, error)
}

// Run runs every case through Search and the extractive answer
// (compose.Writer).
func Run(ctx context.Context, s Searcher, cases []Case) (Result, error) {
	var res Result
	var w compose.Writer
	for _, c := range cases {
		hits, err := s.Search(ctx, c.Question)
		declined := errors.Is(err, rag.ErrNothingRelevant)
		if err != nil && !declined {
			return res, err
		}
		if c.Decline {
			res.OffTopic++
			if declined {
				res.Declined++
			} else {
				res.Failures = append(res.Failures, fmt.Sprintf("not declined: %q → %s (%.3f)", c.Question, hits[0].Section, hits[0].Score))
			}
			continue
		}
		res.OnTopic++
		res.FactsWanted += len(c.Facts)
		if declined {
			res.FalseDeclines++
			res.Failures = append(res.Failures, fmt.Sprintf("declined: %q", c.Question))
			continue
		}
		rank := -1
		for i, h := range hits {
			if sectionMatches(h.Section, c.Sections) {
				rank = i
				break
			}
		}
		if rank == 0 {
			res.HitAt1++
		}
		if rank >= 0 && rank < 3 {
			res.HitAt3++
		} else {
			res.Failures = append(res.Failures, fmt.Sprintf("missed: %q → %s (%.3f)", c.Question, hits[0].Section, hits[0].Score))
		}
		answer := strings.ToLower(w.Answer(c.Question, hits))
		for _, f := range c.Facts {
			if strings.Contains(answer, strings.ToLower(f)) {
				res.FactsFound++
			} else {
				res.Failures = append(res.Failures, fmt.Sprintf("fact %q missing: %q → %q", f, c.Question, answer))
			}
		}
	}
	return res, nil
}

func sectionMatches(section string, wanted []string) bool {
	s := strings.ToLower(section)
	for _, w := range wanted {
		if strings.Contains(s, strings.ToLower(w)) {
			return true
		}
	}
	return false
}
