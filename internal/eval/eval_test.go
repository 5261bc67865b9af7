package eval

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
)

// Corpora of the eval sets (testdata/eval/README.md), relative to this
// package.
var (
	oneGuide   = []string{"../../corpus"}
	multiGuide = []string{"../../corpus", "../../testdata/guides"}
)

// besideMedia is the corpus of a three-guide set: the media specialist
// beside the two guides of a testdata folder no tuning had seen when its
// set was written (multi3 … multi11: guides3 … guides11).
func besideMedia(folder string) []string {
	return []string{"../../corpus", "../../testdata/" + folder}
}

func openCorpus(t testing.TB, paths []string) *rag.Index {
	t.Helper()
	dir := t.TempDir()
	if err := Corpus(dir, paths...); err != nil {
		t.Fatal(err)
	}
	ix, err := rag.Open(context.Background(), rag.Options{CorpusDir: dir, DataDir: t.TempDir(), MinScore: rag.DefaultMinScore})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func readFile(t testing.TB, path string) []Case {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadCases(f)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// floors are what an eval set must keep scoring, as counts of cases: the
// figures of the day less a small margin (about one case in twenty, at
// least one; none where every case passes and the target is all of them:
// uncovered careers, off-topic on DEV), so that a regression fails. Counts,
// not rates, so that adding DEV cases never fails them. Raise them when the
// figures rise; never lower them to make a change pass without saying why
// in docs/retrieval.md.
type floors struct {
	file   string
	corpus []string
	test   bool           // a TEST split: only aggregates may be printed
	cases  int            // at least: the set is not quietly shrunk (DEV sets grow)
	ok     map[string]int // cases fully right, per kind and "all": at least
	hit3   int            // cases with their section in the first 3 shown: at least
	facts  int            // cases with every fact in the answer: at least
	reply  int            // cases that got the expected kind of reply: at least
	forbid int            // answers holding another career's figure: at most
	median int            // median plain-answer length in characters: at most
}

var evalFloors = []floors{
	{file: "../../testdata/eval.jsonl", corpus: oneGuide, cases: 61,
		ok: map[string]int{KindInGuide: 41, KindOfftopic: 11, "all": 54}, hit3: 44, facts: 41, reply: 11, forbid: 0, median: 500},
	{file: "../../testdata/eval/one-guide.dev.jsonl", corpus: oneGuide, cases: 388,
		ok:   map[string]int{KindInGuide: 198, KindFollowup: 35, KindUncovered: 8, KindOfftopic: 43, KindSmallTalk: 21, "all": 285},
		hit3: 274, facts: 228, reply: 72, forbid: 0, median: 500},
	// Answer-side DEV cases (issue 12, lines): the fact is one line of an
	// easily found section. Written before the line-choice tuning.
	{file: "../../testdata/eval/one-guide-answers.dev.jsonl", corpus: oneGuide, cases: 68,
		ok: map[string]int{KindInGuide: 54, "all": 54}, hit3: 60, facts: 54, reply: 0, forbid: 0, median: 500},
	{file: "../../testdata/eval/one-guide-phrasing.dev.jsonl", corpus: oneGuide, cases: 89,
		ok: map[string]int{KindInGuide: 60, "all": 60}, hit3: 70, facts: 27, reply: 0, forbid: 0, median: 500},
	// Visitor phrasing written blind (dev3, 2026-12-03): at writing all 0.79,
	// small talk 0.60, follow-ups 0.60, off-topic 0.89.
	{file: "../../testdata/eval/one-guide-visitors.dev.jsonl", corpus: oneGuide, cases: 170,
		ok:   map[string]int{KindInGuide: 76, KindFollowup: 12, KindUncovered: 12, KindOfftopic: 27, KindSmallTalk: 15, "all": 142},
		hit3: 97, facts: 86, reply: 54, forbid: 0, median: 500},
	// Non-retrieval kinds written blind (chat2, 2026-12-03): at writing all
	// 0.78 (one guide) and 0.88 (six).
	{file: "../../testdata/eval/chat2.dev.jsonl", corpus: oneGuide, cases: 110,
		ok:   map[string]int{KindInGuide: 11, KindUncovered: 19, KindOfftopic: 48, KindSmallTalk: 25, "all": 103},
		hit3: 11, facts: 9, reply: 92, forbid: 0, median: 500},
	{file: "../../testdata/eval/chat2-multi.dev.jsonl", corpus: multiGuide, cases: 40,
		ok:   map[string]int{KindUncovered: 15, KindOfftopic: 14, KindSmallTalk: 10, "all": 39},
		hit3: 0, facts: 0, reply: 39, forbid: 0, median: 600},
	// Follow-ups written blind (fu3, 2026-12-03): at writing 0.73 (one
	// guide) and 0.78 (six).
	{file: "../../testdata/eval/followups.dev.jsonl", corpus: oneGuide, cases: 70,
		ok: map[string]int{KindFollowup: 55, "all": 55}, hit3: 61, facts: 53, reply: 0, forbid: 0, median: 500},
	{file: "../../testdata/eval/followups-multi.dev.jsonl", corpus: multiGuide, cases: 40,
		ok: map[string]int{KindFollowup: 31, "all": 31}, hit3: 32, facts: 31, reply: 0, forbid: 0, median: 600},
	// Visitor phrasing across careers, written blind (multi3, 2026-12-03):
	// at writing all 0.77.
	{file: "../../testdata/eval/multi-visitors.dev.jsonl", corpus: multiGuide, cases: 110,
		ok:   map[string]int{KindInGuide: 46, KindCompare: 18, KindFollowup: 13, KindAmbiguous: 12, "all": 89},
		hit3: 93, facts: 83, reply: 14, forbid: 0, median: 600},
	// Written blind 2026-12-04 (data4, data5, data6): at writing (main
	// 0b78dfc for v3 and chat3, 8174f93 for chat4) one-guide-v3.dev 0.75,
	// chat3.dev 0.88, chat4.dev 0.82 (small talk 0.60).
	{file: "../../testdata/eval/one-guide-v3.dev.jsonl", corpus: oneGuide, cases: 120,
		ok: map[string]int{KindInGuide: 96, "all": 96}, hit3: 108, facts: 97, reply: 0, forbid: 0, median: 500},
	{file: "../../testdata/eval/chat3.dev.jsonl", corpus: oneGuide, cases: 90,
		ok:   map[string]int{KindFollowup: 32, KindUncovered: 12, KindOfftopic: 20, KindSmallTalk: 17, "all": 80},
		hit3: 34, facts: 33, reply: 48, forbid: 0, median: 500},
	{file: "../../testdata/eval/chat4.dev.jsonl", corpus: oneGuide, cases: 150,
		ok:   map[string]int{KindFollowup: 34, KindUncovered: 20, KindOfftopic: 46, KindSmallTalk: 38, "all": 137},
		hit3: 34, facts: 34, reply: 103, forbid: 0, median: 500},
	// Three careers, two of them in guides written with the sets (data7,
	// 2026-12-04, blind): at writing (main 1049894) DEV 0.64, TEST 0.65 —
	// "vet tech" was no name of the Veterinary Technician.
	{file: "../../testdata/eval/multi3.dev.jsonl", corpus: besideMedia("guides3"), cases: 100,
		ok: map[string]int{KindInGuide: 32, KindCompare: 6, KindFollowup: 12, KindAmbiguous: 7, KindUncovered: 7, KindOfftopic: 6,
			KindSmallTalk: 7, "all": 79},
		hit3: 68, facts: 59, reply: 28, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi3.test.jsonl", corpus: besideMedia("guides3"), test: true, cases: 100,
		ok: map[string]int{KindInGuide: 35, KindCompare: 7, KindFollowup: 11, KindAmbiguous: 5, KindUncovered: 8, KindOfftopic: 6,
			KindSmallTalk: 8, "all": 82},
		hit3: 68, facts: 59, reply: 29, forbid: 0, median: 600},
	// The same again with two other new guides (data8, 2026-12-04, blind):
	// at writing (main 1049894) DEV 0.64, TEST 0.53 — "hr" was an hour.
	{file: "../../testdata/eval/multi4.dev.jsonl", corpus: besideMedia("guides4"), cases: 100,
		ok: map[string]int{KindInGuide: 37, KindCompare: 8, KindFollowup: 12, KindAmbiguous: 7, KindUncovered: 7, KindOfftopic: 8,
			KindSmallTalk: 5, "all": 86},
		hit3: 71, facts: 65, reply: 28, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi4.test.jsonl", corpus: besideMedia("guides4"), test: true, cases: 100,
		ok: map[string]int{KindInGuide: 28, KindCompare: 6, KindFollowup: 12, KindAmbiguous: 6, KindUncovered: 8, KindOfftopic: 6,
			KindSmallTalk: 5, "all": 74},
		hit3: 70, facts: 53, reply: 27, forbid: 0, median: 600},
	// And with a third pair (data9, 2026-12-04, blind): at writing (main
	// 1049894) DEV 0.58, TEST 0.62 — "slp", "speech therapist" and
	// "construction pm" named no career, and five answers held another
	// career's figures.
	{file: "../../testdata/eval/multi5.dev.jsonl", corpus: besideMedia("guides5"), cases: 100,
		ok: map[string]int{KindInGuide: 35, KindCompare: 7, KindFollowup: 11, KindAmbiguous: 7, KindUncovered: 7, KindOfftopic: 5,
			KindSmallTalk: 7, "all": 81},
		hit3: 71, facts: 62, reply: 27, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi5.test.jsonl", corpus: besideMedia("guides5"), test: true, cases: 100,
		ok: map[string]int{KindInGuide: 36, KindCompare: 7, KindFollowup: 11, KindAmbiguous: 5, KindUncovered: 8, KindOfftopic: 5,
			KindSmallTalk: 6, "all": 81},
		hit3: 70, facts: 62, reply: 27, forbid: 0, median: 600},
	// Two more pairs (data10, data11, 2026-12-04, blind): at writing (main
	// 1049894) multi6 DEV 0.71, TEST 0.65 ("cyber security analyst",
	// "infosec", "ot assistant" named no career); multi7 DEV 0.69, TEST 0.71
	// ("realtor" was an occupation no guide covers).
	{file: "../../testdata/eval/multi6.dev.jsonl", corpus: besideMedia("guides6"), cases: 100,
		ok: map[string]int{KindInGuide: 33, KindCompare: 8, KindFollowup: 11, KindAmbiguous: 7, KindUncovered: 7, KindOfftopic: 7,
			KindSmallTalk: 7, "all": 82},
		hit3: 67, facts: 60, reply: 28, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi6.test.jsonl", corpus: besideMedia("guides6"), test: true, cases: 100,
		ok: map[string]int{KindInGuide: 29, KindCompare: 8, KindFollowup: 14, KindAmbiguous: 6, KindUncovered: 7, KindOfftopic: 7,
			KindSmallTalk: 6, "all": 81},
		hit3: 70, facts: 59, reply: 29, forbid: 1, median: 600},
	{file: "../../testdata/eval/multi7.dev.jsonl", corpus: besideMedia("guides7"), cases: 100,
		ok: map[string]int{KindInGuide: 34, KindCompare: 7, KindFollowup: 10, KindAmbiguous: 5, KindUncovered: 7, KindOfftopic: 6,
			KindSmallTalk: 7, "all": 78},
		hit3: 61, facts: 57, reply: 28, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi7.test.jsonl", corpus: besideMedia("guides7"), test: true, cases: 100,
		ok: map[string]int{KindInGuide: 28, KindCompare: 6, KindFollowup: 12, KindAmbiguous: 6, KindUncovered: 6, KindOfftopic: 6,
			KindSmallTalk: 6, "all": 74},
		hit3: 60, facts: 53, reply: 27, forbid: 0, median: 600},
	// Two pairs written late in the round (data13, data14, 2026-12-04,
	// blind): at writing (main 1049894) multi8 DEV 0.73, TEST 0.62 ("lab
	// tech" was an occupation no guide covers); multi9 DEV 0.78, TEST 0.79
	// ("trucking", "lvn").
	{file: "../../testdata/eval/multi8.dev.jsonl", corpus: besideMedia("guides8"), cases: 100,
		ok: map[string]int{KindInGuide: 33, KindCompare: 7, KindFollowup: 13, KindAmbiguous: 7, KindUncovered: 7, KindOfftopic: 5,
			KindSmallTalk: 8, "all": 82},
		hit3: 66, facts: 62, reply: 28, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi8.test.jsonl", corpus: besideMedia("guides8"), test: true, cases: 100,
		ok: map[string]int{KindInGuide: 30, KindCompare: 8, KindFollowup: 10, KindAmbiguous: 5, KindUncovered: 6, KindOfftopic: 4,
			KindSmallTalk: 6, "all": 73},
		hit3: 66, facts: 56, reply: 24, forbid: 1, median: 600},
	{file: "../../testdata/eval/multi9.dev.jsonl", corpus: besideMedia("guides9"), cases: 100,
		ok: map[string]int{KindInGuide: 32, KindCompare: 8, KindFollowup: 9, KindAmbiguous: 7, KindUncovered: 8, KindOfftopic: 5,
			KindSmallTalk: 7, "all": 78},
		hit3: 67, facts: 57, reply: 28, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi9.test.jsonl", corpus: besideMedia("guides9"), test: true, cases: 100,
		ok: map[string]int{KindInGuide: 34, KindCompare: 7, KindFollowup: 10, KindAmbiguous: 5, KindUncovered: 5, KindOfftopic: 5,
			KindSmallTalk: 7, "all": 77},
		hit3: 67, facts: 59, reply: 26, forbid: 0, median: 600},
	// The last two pairs of the round (data15, data16, blind, 80+80
	// cases each). multi10 at writing (main 1049894): DEV 0.66, TEST 0.79
	// ("programmer", "coder" named no career; "physician" was the PA's);
	// with the round's work before it was read DEV 0.75, TEST 0.85.
	{file: "../../testdata/eval/multi10.dev.jsonl", corpus: besideMedia("guides10"), cases: 80,
		ok: map[string]int{KindInGuide: 26, KindCompare: 5, KindFollowup: 10, KindAmbiguous: 5, KindUncovered: 6, KindOfftopic: 4,
			KindSmallTalk: 6, "all": 64},
		hit3: 56, facts: 47, reply: 22, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi10.test.jsonl", corpus: besideMedia("guides10"), test: true, cases: 80,
		ok: map[string]int{KindInGuide: 28, KindCompare: 5, KindFollowup: 9, KindAmbiguous: 5, KindUncovered: 4, KindOfftopic: 5,
			KindSmallTalk: 5, "all": 65},
		hit3: 57, facts: 48, reply: 22, forbid: 0, median: 600},
	// multi11 at writing
	// (main 1049894) DEV 0.80, TEST 0.84; with the round's work before
	// it was read DEV 0.78 (two answers with the teacher's figures for
	// high school teachers and teaching aides), TEST 0.88.
	{file: "../../testdata/eval/multi11.dev.jsonl", corpus: besideMedia("guides11"), cases: 80,
		ok: map[string]int{KindInGuide: 25, KindCompare: 5, KindFollowup: 7, KindAmbiguous: 6, KindUncovered: 6, KindOfftopic: 6,
			KindSmallTalk: 6, "all": 62},
		hit3: 52, facts: 43, reply: 23, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi11.test.jsonl", corpus: besideMedia("guides11"), test: true, cases: 80,
		ok: map[string]int{KindInGuide: 28, KindCompare: 5, KindFollowup: 10, KindAmbiguous: 5, KindUncovered: 4, KindOfftopic: 5,
			KindSmallTalk: 5, "all": 67},
		hit3: 58, facts: 48, reply: 22, forbid: 0, median: 600},
	// One guide again, a fourth blind in-guide set (data12, 2026-12-04):
	// at writing (main 1049894) DEV 0.80, TEST 0.80.
	{file: "../../testdata/eval/one-guide-v4.dev.jsonl", corpus: oneGuide, cases: 120,
		ok: map[string]int{KindInGuide: 67, KindFollowup: 24, "all": 92}, hit3: 104, facts: 93, reply: 0, forbid: 0, median: 500},
	{file: "../../testdata/eval/one-guide-v4.test.jsonl", corpus: oneGuide, test: true, cases: 120,
		ok: map[string]int{KindInGuide: 69, KindFollowup: 23, "all": 93}, hit3: 103, facts: 95, reply: 0, forbid: 0, median: 500},
	// multi12 (guides12: Financial Analyst, HVAC Technician; data17,
	// 2026-12-04), blind: at writing (main bb9ca9e) DEV 0.86, TEST 0.85;
	// with the work read on its DEV half DEV 0.89, TEST 0.86.
	{file: "../../testdata/eval/multi12.dev.jsonl", corpus: besideMedia("guides12"), cases: 80,
		ok: map[string]int{KindInGuide: 30, KindCompare: 5, KindFollowup: 9, KindAmbiguous: 5, KindUncovered: 5, KindOfftopic: 5,
			KindSmallTalk: 5, "all": 69},
		hit3: 54, facts: 48, reply: 22, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi12.test.jsonl", corpus: besideMedia("guides12"), test: true, cases: 80,
		ok: map[string]int{KindInGuide: 32, KindCompare: 6, KindFollowup: 8, KindAmbiguous: 4, KindUncovered: 4, KindOfftopic: 4,
			KindSmallTalk: 4, "all": 67},
		hit3: 54, facts: 49, reply: 20, forbid: 0, median: 600},
	// One guide, a fifth blind set (data20, 2026-12-04; every topic and
	// FAQ entry, follow-ups, uncovered, off-topic, small talk): at writing
	// (main bb9ca9e) DEV 0.88, TEST 0.87; with the work read on its DEV
	// half DEV 0.93, TEST 0.87.
	{file: "../../testdata/eval/one-guide-v5.dev.jsonl", corpus: oneGuide, cases: 120,
		ok:   map[string]int{KindInGuide: 72, KindFollowup: 19, KindUncovered: 5, KindOfftopic: 6, KindSmallTalk: 5, "all": 110},
		hit3: 97, facts: 91, reply: 18, forbid: 0, median: 500},
	{file: "../../testdata/eval/one-guide-v5.test.jsonl", corpus: oneGuide, test: true, cases: 120,
		ok:   map[string]int{KindInGuide: 65, KindFollowup: 18, KindUncovered: 5, KindOfftopic: 6, KindSmallTalk: 5, "all": 102},
		hit3: 90, facts: 83, reply: 18, forbid: 0, median: 500},
	// Small-talk probes written while tuning it (not blind): a guard only.
	{file: "../../testdata/eval/smalltalk-probes.dev.jsonl", corpus: oneGuide, cases: 94,
		ok: map[string]int{KindOfftopic: 1, KindSmallTalk: 88, "all": 89}, reply: 89, forbid: 0, median: 500},
	// The TEST halves of v3 and chat3 (blind, never tuned on): at writing
	// 0.77 and 0.87.
	{file: "../../testdata/eval/one-guide-v3.test.jsonl", corpus: oneGuide, test: true, cases: 120,
		ok: map[string]int{KindInGuide: 87, "all": 87}, hit3: 100, facts: 88, reply: 0, forbid: 0, median: 500},
	{file: "../../testdata/eval/chat3.test.jsonl", corpus: oneGuide, test: true, cases: 90,
		ok:   map[string]int{KindFollowup: 30, KindUncovered: 12, KindOfftopic: 17, KindSmallTalk: 15, "all": 75},
		hit3: 33, facts: 30, reply: 45, forbid: 0, median: 500},
	{file: "../../testdata/eval/one-guide.test.jsonl", corpus: oneGuide, test: true, cases: 92,
		ok:   map[string]int{KindInGuide: 38, KindFollowup: 7, KindUncovered: 4, KindOfftopic: 9, KindSmallTalk: 7, "all": 66},
		hit3: 56, facts: 43, reply: 21, forbid: 0, median: 500},
	{file: "../../testdata/eval/multi-guide.dev.jsonl", corpus: multiGuide, cases: 188,
		ok: map[string]int{KindInGuide: 56, KindCompare: 9, KindFollowup: 21, KindAmbiguous: 18, KindUncovered: 23, KindOfftopic: 12,
			KindSmallTalk: 14, "all": 162},
		// forbid 2 → 4: not a regression but 92 new DEV cases (evaldata,
		// testdata/eval/README.md), two of them answered with another
		// career's figures; a count "at most" rises as a set grows.
		// 4 → 2 (convo): covered careers' initials ("rn pay") and per-career
		// fact lines answered three of them with the right career's figures.
		// 2 → 0: a wider occupation vocabulary ("hvac techs") gives an
		// uncovered career the no-guide reply, never per-career figures.
		hit3: 111, facts: 104, reply: 65, forbid: 0, median: 600},
	// The non-retrieval kinds (chatkinds): off-topic of many kinds, small
	// talk, follow-ups, and answerable questions phrased like off-topic ones.
	{file: "../../testdata/eval/chat.dev.jsonl", corpus: oneGuide, cases: 160,
		ok:   map[string]int{KindInGuide: 16, KindFollowup: 29, KindOfftopic: 60, KindSmallTalk: 40, "all": 140},
		hit3: 50, facts: 36, reply: 100, forbid: 0, median: 500},
	{file: "../../testdata/eval/chat-multi.dev.jsonl", corpus: multiGuide, cases: 34,
		ok:   map[string]int{KindFollowup: 8, KindOfftopic: 12, KindSmallTalk: 12, "all": 31},
		hit3: 9, facts: 8, reply: 24, forbid: 0, median: 600},
	{file: "../../testdata/eval/multi-guide.test.jsonl", corpus: multiGuide, test: true, cases: 96,
		ok: map[string]int{KindInGuide: 35, KindCompare: 8, KindFollowup: 10, KindAmbiguous: 9, KindUncovered: 10, KindOfftopic: 5,
			KindSmallTalk: 6, "all": 87},
		hit3: 61, facts: 56, reply: 32, forbid: 0, median: 600},
}

// TestEvalFloors runs every eval set through the answer service and holds
// its floors. A TEST split's failure names figures only, never its cases:
// its misses must not be read while tuning.
func TestEvalFloors(t *testing.T) {
	indexes := map[string]*rag.Index{}
	for _, fl := range evalFloors {
		key := strings.Join(fl.corpus, "+")
		if indexes[key] == nil {
			indexes[key] = openCorpus(t, fl.corpus)
		}
		rep, err := Run(context.Background(), indexes[key], readFile(t, fl.file))
		if err != nil {
			t.Fatal(err)
		}
		t.Log(fl.file + "\n" + summary(rep))
		var fails []string
		check := func(what string, got, floor int) {
			if got < floor {
				fails = append(fails, fmt.Sprintf("%s %d, floor %d", what, got, floor))
			}
		}
		a := rep.All
		if a.Cases < fl.cases {
			fails = append(fails, fmt.Sprintf("%d cases, want at least %d", a.Cases, fl.cases))
		}
		for _, k := range append(Kinds, "all") {
			if floor, ok := fl.ok[k]; ok {
				got := a.Passed
				if k != "all" {
					got = rep.Kind(k).Passed
				}
				check(k+" ok", got, floor)
			}
		}
		check("hit@3", a.HitAt3, fl.hit3)
		check("facts", a.AllFacts, fl.facts)
		check("expected replies", a.ExpectOK, fl.reply)
		if a.Forbidden > fl.forbid {
			fails = append(fails, fmt.Sprintf("%d answers hold a forbidden string, at most %d", a.Forbidden, fl.forbid))
		}
		if m := a.MedianAnswerChars(); m > fl.median {
			fails = append(fails, fmt.Sprintf("median answer %d characters, at most %d", m, fl.median))
		}
		if len(fails) == 0 {
			continue
		}
		t.Errorf("%s below its floors: %s", fl.file, strings.Join(fails, "; "))
		if !fl.test {
			for _, m := range rep.Misses() {
				t.Log("  - " + m)
			}
		}
	}
}

// summary is a report's figures, a line per kind (aggregates only).
func summary(rep Report) string {
	var b strings.Builder
	for _, r := range append(rep.ByKind, Row{"all", rep.All}) {
		fmt.Fprintf(&b, "  %-10s %3d cases: ok %.2f hit@1 %.2f hit@3 %.2f facts %.2f careers %.2f reply %.2f forbidden %d median %d\n",
			r.Name, r.Cases, r.PassRate(), r.HitRate1(), r.HitRate3(), r.FactRate(), r.CareerRate(), r.ExpectRate(), r.Forbidden, r.MedianAnswerChars())
	}
	return b.String()
}
