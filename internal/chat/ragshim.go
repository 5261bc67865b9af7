package chat

// Stand-ins for rag.Answer, rag.FollowUps, rag.Decline and rag.Standalone until
// internal/rag lands on main. Delete this file then and call rag directly.

import (
	"strings"

	"github.com/careerbot/careerbot/internal/rag"
)

func ragAnswer(question string, hits []rag.Hit) string {
	if len(hits) == 0 {
		return ""
	}
	return clip(strings.TrimSpace(hits[0].Text), 400)
}

func ragFollowUps(question string, hits []rag.Hit, n int) []string {
	var out []string
	seen := map[string]bool{}
	for _, h := range hits {
		if len(out) == n {
			break
		}
		if !seen[h.Section] {
			seen[h.Section] = true
			out = append(out, "Tell me more about "+h.Section)
		}
	}
	return out
}

func ragDecline(guides []string) string {
	return "Sorry, I can only help with questions covered by our career guides: " + strings.Join(guides, ", ") + ". Try asking about pay, skills, tools or how to get started."
}

func ragStandalone(question string, previous []string) string {
	if len(previous) == 0 {
		return question
	}
	q := strings.ToLower(strings.TrimSpace(question))
	if len(strings.Fields(q)) <= 4 || strings.HasPrefix(q, "and ") || strings.Contains(" "+q+" ", " they ") || strings.Contains(" "+q+" ", " those ") {
		return previous[len(previous)-1] + " " + question
	}
	return question
}
