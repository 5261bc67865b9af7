package compose

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"
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
	var buf [16]topicQuestion
	var out []string
	for _, c := range followUps(buf[:0], question, hits) {
		if len(out) >= n {
			break
		}
		out = append(out, c.question)
	}
	return out
}

// followUps appends to dst FollowUps(question, hits, everyCandidate) with
// their chip keys: the topics' questions about the career and their keys
// come from topicQuestionsAbout, and the question's concepts are looked up
// in its words and phrases (namesConcept) instead of a map of its terms.
// Writing all 13 topic questions and keying them on every answer, and the
// terms' map, were ~40k of ~720k instructions per offline answer, with
// pick (BenchmarkAnswerOffline/botbench under callgrind).
// TestFollowUpsMatchReference and TestForAnswerMatchesRebuiltMemory hold
// it to the version before.
func followUps(dst []topicQuestion, question string, hits []rag.Hit) []topicQuestion {
	role := "this career"
	if len(hits) > 0 {
		role = RoleOf(hits[0].Guide)
	}
	var currentBuf [16]int
	current := currentBuf[:0] // indexes in topics
	words, phrases := questionWords(question), vocab.PhraseConcepts(question)
	for i, t := range topics {
		if namesConcept(words, phrases, t.concept) {
			current = append(current, i)
		}
	}
	if len(current) == 0 && len(hits) > 0 {
		words, phrases = questionWords(hits[0].Section), vocab.PhraseConcepts(hits[0].Section)
		for i, t := range topics {
			if namesConcept(words, phrases, t.concept) {
				current = append(current, i)
			}
		}
	}
	qs := topicQuestionsAbout(role)
	from := len(dst)
	add := func(c string) {
		i := topicIndex(c)
		if i < 0 || slices.Contains(current, i) {
			return
		}
		for _, o := range dst[from:] {
			if o.question == qs[i].question {
				return
			}
		}
		dst = append(dst, qs[i])
	}
	for _, i := range current {
		for _, r := range topics[i].related {
			add(r)
		}
	}
	for _, t := range topics {
		add(t.concept)
	}
	return dst
}

// topicIndex is the index in topics of concept c's topic, or -1.
func topicIndex(c string) int {
	for i, t := range topics {
		if t.concept == c {
			return i
		}
	}
	return -1
}

// topicQuestion is a topic's question about a career and its chip key.
type topicQuestion struct {
	question string
	key      []byte // appendChipKey(nil, question); never written to
}

// topicQuestionCache holds topicQuestionsAbout's answers by career name:
// a function of the guides' titles, never of what visitors ask. It is
// emptied past maxCachedRoles careers (ten thousand guides name as many).
var (
	topicQuestionCache sync.Map // role → []topicQuestion
	topicQuestionRoles atomic.Int64
)

const maxCachedRoles = 1024

// topicQuestionsAbout returns the topics' questions about role, in topic
// order, with their chip keys.
func topicQuestionsAbout(role string) []topicQuestion {
	if qs, ok := topicQuestionCache.Load(role); ok {
		return qs.([]topicQuestion)
	}
	qs := make([]topicQuestion, len(topics))
	for i, t := range topics {
		q := t.about(role)
		qs[i] = topicQuestion{q, appendChipKey(nil, q)}
	}
	if topicQuestionRoles.Add(1) > maxCachedRoles {
		topicQuestionCache.Clear()
		topicQuestionRoles.Store(0)
	}
	topicQuestionCache.Store(role, qs)
	return qs
}

// namesConcept is questionTerms(q)["§"+concept] for q's questionWords and
// vocab.PhraseConcepts, without the map.
func namesConcept(words []vocab.Term, phrases []string, concept string) bool {
	for _, t := range words {
		if t.Concept == concept {
			return true
		}
	}
	return slices.Contains(phrases, concept)
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
