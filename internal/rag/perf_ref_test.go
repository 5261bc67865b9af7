package rag

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestClockTopicSkipsWords holds clockTopic (no Atoi for a word that does
// not open with a digit or a sign) to the version before, on every position
// of 20,000 random runs of hours, signed and padded numbers, units, leads,
// am/pm and words.
func TestClockTopicSkipsWords(t *testing.T) {
	pool := []string{"1", "3", "4", "6", "7", "9", "11", "12", "13", "0", "00", "07", "+7", "-3", "+", "-", "1a", "٣", "",
		"at", "around", "between", "and", "after", "by", "am", "pm", "year", "hours", "percent", "meet", "morning", "salari"}
	rng := rand.New(rand.NewPCG(15, 1))
	for range 20000 {
		stems := make([]string, 1+rng.IntN(6))
		for k := range stems {
			stems[k] = pool[rng.IntN(len(pool))]
		}
		for i := range stems {
			if got, want := clockTopic(stems, i), refClockTopic(stems, i); got != want {
				t.Fatalf("clockTopic(%q, %d) = %d, want %d", stems, i, got, want)
			}
		}
	}
}

// TestCareerNameASCIIFastPath holds CareerName (an ASCII title's suffix
// compared in place) to the version before, which lower-cased a copy: on
// titles of the template and others cased every way, with the suffixes
// doubled, trimmed or alone, and with non-ASCII letters (whose lower case
// may differ in length: those take the old path).
func TestCareerNameASCIIFastPath(t *testing.T) {
	heads := []string{"Media Specialist", "Registered Nurse", "UX Researcher", "", " ", "Guide", "K", "Ünïcode Rôle", "İstanbul Guide", "\u212a Guide", "Data Analyst:", "A – B —"}
	tails := []string{" Career Path Guide", " career guide", " CAREER PATH", " Guide", "guide", " Career Path Guide Guide", " Career Guide —", "", " GUİDE", " Career Path Gu\u0130de"}
	var titles []string
	for _, h := range heads {
		for _, tl := range tails {
			titles = append(titles, h+tl, strings.ToUpper(h+tl), strings.ToLower(h+tl), tl+h)
		}
	}
	rng := rand.New(rand.NewPCG(15, 2))
	parts := []string{"career", "Career", "PATH", "path", "guide", "Guide", "GUIDE", " ", "-", ":", "—", "x", "İ"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(7) {
			b.WriteString(parts[rng.IntN(len(parts))])
			if rng.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		titles = append(titles, b.String())
	}
	for _, title := range titles {
		if got, want := CareerName(title), refCareerName(title); got != want {
			t.Fatalf("CareerName(%q) = %q, want %q", title, got, want)
		}
	}
}

// TestQueryTermsIsPure is what rankRead's reading the rest's terms once
// relies on: queryTerms of a text gives the same terms every time, on the
// question's rest for every eval question.
func TestQueryTermsIsPure(t *testing.T) {
	ix := openCorpus(t, multiGuideCorpus(t))
	for _, q := range []string{"How much does a media specialist earn?", "what do nurses and electricians do at 3 pm",
		"whats the median salary for a ux researcher?", "which tools r used by data analysts", ""} {
		rest := ix.readQuestion(q).match.rest
		a, b := queryTerms(rest), queryTerms(rest)
		if !slices.Equal(a, b) {
			t.Fatalf("queryTerms(%q) = %v, then %v", rest, a, b)
		}
	}
}

// The versions before (commit 90d5e76).

func refClockTopic(stems []string, i int) int {
	h, err := strconv.Atoi(stems[i])
	if err != nil || h < 1 || h > 12 {
		return -1
	}
	next := ""
	if i+1 < len(stems) {
		next = stems[i+1]
	}
	if clockUnits[next] {
		return -1
	}
	if next != "am" && next != "pm" && (i == 0 || !clockLeads[stems[i-1]]) {
		return -1
	}
	switch {
	case next == "am" && h != 12, next != "pm" && h >= 7 && h <= 11:
		return topicIndex("morning")
	case h == 12 || h <= 3:
		return topicIndex("afternoon")
	}
	return topicIndex("evening")
}

func refCareerName(title string) string {
	role := title
	for _, suffix := range []string{"career path guide", "career guide", "career path", "guide"} {
		if strings.HasSuffix(strings.ToLower(role), suffix) {
			role = strings.TrimSpace(role[:len(role)-len(suffix)])
		}
	}
	role = strings.TrimRight(role, " :-–—")
	if role == "" {
		return title
	}
	return role
}
