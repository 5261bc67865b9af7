package compose

import (
	"slices"

	"github.com/careerbot/careerbot/internal/rag"
)

// closeRetrieval is how near to the top hit's retrieval score another hit
// must be for its lines to decide between them. Retrieval ranks sections by
// their words as a whole; when two sections score within 15% of each other
// it cannot tell them apart, but their lines can: "how much do the
// experienced folks bring home" ranks Work Setting (0.233) just above the
// salary table (0.218), whose "Senior-Level" line answers it. A hit far
// below the top one stays below, whatever its lines say ("what r the
// negatives": Cons at 0.70 over an FAQ at 0.36 that says "negative").
//
// Measured with the whole step (bestSectionFirst) against none, in-guide
// facts: DEV phrasing 0.62 → 0.68, DEV answers 0.82 → 0.84, DEV one-guide
// 0.79 → 0.79, DEV multi-guide 0.88 → 0.88; one-guide TEST 0.71 → 0.75,
// multi TEST 0.94 → 0.94 (aggregates). At 0.75 DEV chat lost 3 cases; at 0.9
// DEV multi lost 2.
const closeRetrieval = 0.85

// bestSectionFirst moves to the front the hit, among the top 3 of the top
// hit's guide, whose section's lines and heading best answer the question,
// when retrieval scored it close to the top hit (closeRetrieval). The
// answer is written from the front hit's section.
func (w *Writer) bestSectionFirst(hits []rag.Hit, q *query) []rag.Hit {
	if len(hits) < 2 {
		return hits
	}
	best, bestScore := 0, -1.0
	seen := make([]string, 0, 3)
	for k := range min(3, len(hits)) {
		h := hits[k]
		if h.Guide != hits[0].Guide || slices.Contains(seen, h.Section) || h.Score < closeRetrieval*hits[0].Score {
			continue
		}
		seen = append(seen, h.Section)
		if s := w.sourceScore(h, q); s > bestScore {
			best, bestScore = k, s
		}
	}
	if best == 0 {
		return hits
	}
	hits = slices.Clone(hits)
	h := hits[best]
	copy(hits[1:best+1], hits[:best])
	hits[0] = h
	return hits
}

// sourceScore is how well one retrieved chunk answers the question: the
// score of its best paragraph (as the answer writer picks paragraphs) plus
// how many of the question's terms its heading names.
func (w *Writer) sourceScore(h rag.Hit, q *query) float64 {
	units := w.answerUnits([]rag.Hit{h}, q)
	best := 0.0
	for _, u := range units {
		var top, matching float64
		for _, v := range units {
			if v.para == u.para {
				top = max(top, v.score)
				if v.score >= matchingScore {
					matching++
				}
			}
		}
		best = max(best, top+0.25*min(matching, 4))
	}
	heading := w.analysisOf(h.Chunk).heading
	for _, t := range q.terms {
		best += t.match(heading)
	}
	return best
}
