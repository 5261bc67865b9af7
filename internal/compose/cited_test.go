package compose

import (
	"slices"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
	"github.com/careerbot/careerbot/internal/vocab"
)

func TestCitedFindsTheLinesSources(t *testing.T) {
	hits := []rag.Hit{
		{Chunk: rag.Chunk{Section: "Annual Salary", Text: "Median: $71,350\nEntry-Level: $52,120\n\nPay rises with SQL and dashboard skills."}},
		{Chunk: rag.Chunk{Section: "Work Setting", Text: "Most analysts work in offices. Many roles are hybrid or fully remote."}},
		{Chunk: rag.Chunk{Section: "Annual Salary", Text: "Median: $81,220\nEntry-Level: $62,730"}},
		{Chunk: rag.Chunk{Section: "Tools", Text: "- Excel\n- SQL\n- Tableau or Power BI"}},
	}
	for _, tt := range []struct {
		answer string
		want   []int
	}{
		{"Many roles are hybrid or fully remote.", []int{1}},
		// A sentence of one hit joined to one of another.
		{"Pay rises with SQL and dashboard skills. Most analysts work in offices.", []int{0, 1}},
		// Labels a writer adds, and a "$" it restores, hide nothing.
		{"Data Analyst: Median: $71,350\nRegistered Nurse: Median: $81,220", []int{0, 2}},
		{"Tools:\n- Excel\n- SQL\n- Tableau or Power BI", []int{3}},
		{"Typical day:\n- Morning — Excel, SQL, Tableau or Power BI…", []int{3}},
		// Words that are in every guide do not cite one.
		{"Median pay", nil},
		{"Sorry, I couldn't find that in my career guides.", nil},
		{"", nil},
	} {
		if got := new(Writer).Cited(tt.answer, hits); !slices.Equal(got, tt.want) {
			t.Errorf("Cited(%q) = %v, want %v", tt.answer, got, tt.want)
		}
	}
}

// The offline answer cites the hit it was written from, whatever its rank.
func TestCitedOfWrittenAnswers(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	for _, q := range []string{"How much does a media specialist earn?", "Which tools does a media specialist use?", "What does a typical day look like?"} {
		hits := ragtest.Search(t, ix, q)
		answer := new(Writer).Answer(q, hits)
		cited := new(Writer).Cited(answer, hits)
		if len(cited) == 0 {
			t.Errorf("%q: nothing cited for %q", q, answer)
		}
		for _, i := range cited {
			// Every cited hit holds a line of the answer.
			found := false
			for _, line := range strings.Split(answer, "\n") {
				line = strings.TrimPrefix(line, "- ")
				if _, rest, ok := strings.Cut(line, " — "); ok {
					line = rest
				}
				if len(line) > 12 && strings.Contains(wordString(hits[i].Text), wordString(strings.TrimSuffix(line, "…"))) {
					found = true
				}
			}
			if !found {
				t.Errorf("%q: cites %s, which holds no line of %q", q, hits[i].Section, answer)
			}
		}
	}
}

// Cited builds its word strings in buffers (vocab.AppendWords), a hand
// optimisation: it must cite exactly what the string version did, for
// written answers and for lines cut from the hits in every way a writer
// does (labels, list items, a summary after " — ", a line that is in no hit).
func TestCitedMatchesWordStrings(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	questions := []string{"How much does a media specialist earn?", "Which tools does a media specialist use?",
		"What does a typical day look like?", "what degree do i need", "is it stressful", "can i work remotely",
		"how do i get promoted", "what skills matter most", "whats the job outlook", "pros and cons", "entry level pay?"}
	checked := 0
	for _, q := range questions {
		hits := ragtest.Search(t, ix, q)
		answers := []string{new(Writer).Answer(q, hits), "", "Sorry, nothing here."}
		for _, h := range hits {
			lines := strings.Split(h.Text, "\n")
			answers = append(answers, h.Text, "Media Specialist: "+lines[0], "- "+lines[len(lines)-1],
				"Morning — "+h.Text[len(h.Text)/2:], strings.ToUpper(h.Text))
		}
		for _, a := range answers {
			for _, hs := range [][]rag.Hit{hits, hits[:len(hits)/2], nil} {
				got, want := new(Writer).Cited(a, hs), citedReference(a, hs)
				if !slices.Equal(got, want) {
					t.Fatalf("Cited(%q) = %v, the string version cites %v", a, got, want)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d answers checked", checked)
	}
}

// citedReference is Cited as it was before its word strings moved into
// buffers (commit 8047da0).
func citedReference(answer string, hits []rag.Hit) []int {
	if len(hits) == 0 || answer == "" {
		return nil
	}
	texts := make([]string, len(hits))
	for i, h := range hits {
		texts[i] = wordString(h.Text)
	}
	used := make([]bool, len(hits))
	mark := func(piece string, minWords int) bool {
		w := wordString(piece)
		if strings.Count(w, " ")-1 < minWords {
			return false
		}
		found := false
		for i, t := range texts {
			if strings.Contains(t, w) {
				used[i], found = true, true
			}
		}
		return found
	}
	for _, line := range strings.Split(answer, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
		if line == "" {
			continue
		}
		for _, s := range vocab.SplitSentences(line) {
			if mark(s, minCitedWords) {
				continue
			}
			for _, sep := range []string{": ", " — "} {
				if _, rest, ok := strings.Cut(s, sep); ok && mark(rest, minPartWords) {
					break
				}
			}
		}
	}
	var out []int
	for i, u := range used {
		if u {
			out = append(out, i)
		}
	}
	return out
}

// wordString is the words of s (vocab.ForEachWord) joined by single
// spaces, with a space before and after: the string version's word string.
func wordString(s string) string {
	var b strings.Builder
	b.WriteByte(' ')
	vocab.ForEachWord(s, func(w string) {
		b.WriteString(w)
		b.WriteByte(' ')
	})
	return b.String()
}
