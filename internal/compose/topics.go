package compose

import (
	"slices"
	"strings"

	"github.com/careerbot/careerbot/internal/rag"
)

// RoleOf derives the career name from a guide title: "Media Specialist Career
// Path Guide" → "Media Specialist".
func RoleOf(title string) string { return rag.CareerName(title) }

// topic is a kind of question users ask about any career.
type topic struct {
	concept  string
	question string // %s is the role
	related  []string
}

var topics = []topic{
	{"pay", "How much does a %s earn?", []string{"promotion", "skills", "demand"}},
	{"become", "How do I become a %s?", []string{"education", "portfolio", "skills"}},
	{"day", "What does a typical day look like for a %s?", []string{"stress", "tools", "remote"}},
	{"tools", "Which tools and software does a %s use?", []string{"skills", "certify", "day"}},
	{"skills", "What skills does a %s need?", []string{"tools", "certify", "become"}},
	{"education", "What degree do I need to become a %s?", []string{"certify", "become", "pay"}},
	{"remote", "Can a %s work remotely?", []string{"day", "stress", "pay"}},
	{"promotion", "How does a %s move up to senior roles?", []string{"pay", "skills", "portfolio"}},
	{"demand", "What is the job outlook for a %s?", []string{"pay", "abroad", "remote"}},
	{"portfolio", "What should a %s portfolio include?", []string{"become", "skills", "tools"}},
	{"certify", "Which certifications help a %s?", []string{"education", "skills", "pay"}},
	{"stress", "How stressful is the work of a %s?", []string{"day", "remote", "pay"}},
	{"abroad", "Where in the world are %s jobs?", []string{"remote", "demand", "pay"}},
}

// about is the topic's question about role: fmt.Sprintf(t.question, role)
// without fmt, which was a third of FollowUps (a dozen candidate chips per
// answer; BenchmarkAnswerOffline/botbench profile, 13:48 UTC). Every
// question has one %s and no other verb (TestTopicAboutIsSprintf).
func (t topic) about(role string) string {
	before, after, _ := strings.Cut(t.question, "%s")
	return before + role + after
}

func topicByConcept(c string) (topic, bool) {
	for _, t := range topics {
		if t.concept == c {
			return t, true
		}
	}
	return topic{}, false
}

// FollowUps suggests n questions related to the one just answered: topics
// that usually come next (after pay: promotion, skills, outlook), skipping
// what was just asked.
func FollowUps(question string, hits []rag.Hit, n int) []string {
	role := "this career"
	if len(hits) > 0 {
		role = RoleOf(hits[0].Guide)
	}
	asked := questionTerms(question)
	var current []string
	for _, t := range topics {
		if asked["§"+t.concept] {
			current = append(current, t.concept)
		}
	}
	if len(current) == 0 && len(hits) > 0 {
		section := questionTerms(hits[0].Section)
		for _, t := range topics {
			if section["§"+t.concept] {
				current = append(current, t.concept)
			}
		}
	}
	var out []string
	add := func(c string) {
		if len(out) >= n || slices.Contains(current, c) {
			return
		}
		if t, ok := topicByConcept(c); ok {
			q := t.about(role)
			if !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
	}
	for _, c := range current {
		if t, ok := topicByConcept(c); ok {
			for _, r := range t.related {
				add(r)
			}
		}
	}
	for _, t := range topics {
		add(t.concept)
	}
	return out
}

// Starters are the questions offered before the first one: the commonest
// topics, for each guide (by title) in turn.
func Starters(guides []string, n int) []string {
	var out []string
	for i := 0; len(out) < n && i < len(topics); i++ {
		for _, g := range guides {
			if len(out) < n {
				out = append(out, topics[i].about(RoleOf(g)))
			}
		}
	}
	return out
}

// Decline is the friendly reply when nothing in the guides is relevant.
func Decline(guides []string) string {
	roles := make([]string, len(guides))
	for i, g := range guides {
		roles[i] = RoleOf(g)
	}
	var list string
	switch len(roles) {
	case 0:
		list = "careers"
	case 1:
		list = "the " + roles[0] + " career"
	default:
		list = "these careers: " + strings.Join(roles[:len(roles)-1], ", ") + " and " + roles[len(roles)-1]
	}
	return "Sorry, I couldn't find that in my career guides. I can help with questions about " + list +
		": pay, skills and tools, education and how to get in, career growth, and what the work is like day to day."
}

// AskedTopicQuestions returns the suggestion questions about guide's career
// on the topics that question asks about (pay, tools, …), in topic order:
// the chips that a user who asked question, in whatever words, does not
// need ("what's the pay?" asks "How much does a Media Specialist earn?").
func AskedTopicQuestions(question, guide string) []string {
	role := RoleOf(guide)
	asked := questionTerms(question)
	var out []string
	for _, t := range topics {
		if asked["§"+t.concept] {
			out = append(out, t.about(role))
		}
	}
	return out
}
