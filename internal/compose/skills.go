package compose

import (
	"slices"
	"strings"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"
)

// Kinds of skills list a guide's section holds, by its title.
const (
	noSkills = iota
	techSkills
	softSkills
)

// Items of each list in an answer that gives both kinds of skills.
const (
	maxTechItems = 6
	maxSoftItems = 5
)

// skillKind says whether a section title names a list of technical skills
// ("Tech Skills", "Advanced Technical Skills", "Hard skills") or of soft
// ones ("Soft Abilities", "Interpersonal skills", "Professional & Soft
// Skills").
// qualificationStem is "qualification" stemmed ("qualificat").
var qualificationStem = vocab.Stem("qualification")

func skillKind(section string) int {
	isSkills, soft, tech := false, false, false
	// ForEachWordIn: no word is kept, and this runs for hits on every
	// answer (~1.5% of its allocations, BenchmarkAnswerOffline/botbench,
	// 13:52 UTC); vocab's TestForEachWordInIsForEachWord holds the words equal.
	vocab.ForEachWordIn(sectionName(section), func(w string) {
		switch st := vocab.Stem(w); {
		case vocab.ConceptOf(st) == "skills" || st == "competencie" || st == qualificationStem:
			isSkills = true
		case vocab.ConceptOf(st) == "soft" || st == "personal":
			soft = true
		case st == "tech" || st == "technical" || st == "hard" || st == "foundational" || st == "core" || st == "digital":
			tech = true
		}
	})
	switch {
	case !isSkills:
		return noSkills
	case soft:
		return softSkills
	case tech:
		return techSkills
	}
	return noSkills
}

// asksSkillsInGeneral reports whether the question asks about skills
// without saying which kind: "what skills do I need", "skillset?", "what
// should I be good at".
func asksSkillsInGeneral(q *query, question string) bool {
	general := q.set["§skills"]
	prev := ""
	vocab.ForEachWord(question, func(w string) {
		if prev == "good" && w == "at" || w == "skillset" || prev == "skill" && w == "set" {
			general = true
		}
		prev = w
	})
	if !general || q.set["§soft"] {
		return false
	}
	for _, st := range []string{"tech", "technical", "hard", "soft", "personal", "interpersonal", "people"} {
		if q.set[st] {
			return false
		}
	}
	return true
}

// skillsAnswer answers a question about skills in general with both kinds
// the guide lists, the technical and the soft skills, when the top hit is
// about skills and both kinds were retrieved: the first list of the kind
// ranked first, and the other kind's list (or its answer, an FAQ entry),
// the sibling under the same heading first ("Skills and Qualifications ›
// Tech Skills" goes with "… › Soft Abilities"). A general question gets the
// basic list before an advanced one. Otherwise "".
func (w *Writer) skillsAnswer(hits []rag.Hit, q *query, question string) string {
	if skillKind(hits[0].Section) == noSkills || !asksSkillsInGeneral(q, question) {
		return ""
	}
	first := -1
	for k, h := range hits {
		if h.Guide == hits[0].Guide && skillKind(h.Section) != noSkills && w.isList(h) && (first < 0 || advanced(hits[first].Section) && !advanced(h.Section) && skillKind(h.Section) == skillKind(hits[first].Section)) {
			first = k
		}
	}
	if first < 0 {
		return ""
	}
	kind, parent := skillKind(hits[first].Section), parentOf(hits[first].Section)
	other := -1
	better := func(k int) bool {
		h, o := hits[k], hits[other]
		if w.isList(h) != w.isList(o) {
			return w.isList(h)
		}
		// The basic list before the sibling: a general question answered
		// with "Advanced Technical Skills" beside the soft skills missed the
		// guide's own "Tech Skills" list (DEV multi5: "skills for
		// construction project management").
		if advanced(h.Section) != advanced(o.Section) {
			return !advanced(h.Section)
		}
		return parentOf(h.Section) == parent && parentOf(o.Section) != parent
	}
	for k, h := range hits {
		if h.Guide == hits[0].Guide && skillKind(h.Section) != noSkills && skillKind(h.Section) != kind && (other < 0 || better(k)) {
			other = k
		}
	}
	if other < 0 {
		return ""
	}
	tech, soft := hits[first], hits[other]
	if kind == softSkills {
		tech, soft = soft, tech
	}
	return w.skillsPart(tech, q, maxTechItems) + "\n\n" + w.skillsPart(soft, q, maxSoftItems)
}

// advanced reports whether a skills section is about specialised skills,
// not the basics.
func advanced(section string) bool {
	adv := false
	vocab.ForEachWord(sectionName(section), func(w string) {
		adv = adv || w == "advanced" || strings.HasPrefix(w, "specialized") || strings.HasPrefix(w, "specialised")
	})
	return adv
}

// skillsPart is a hit's list of skills, or its first sentences when it
// is prose (an FAQ answer).
func (w *Writer) skillsPart(h rag.Hit, q *query, n int) string {
	if w.isList(h) {
		return w.listOf(h, q, n)
	}
	return sectionName(h.Section) + "\n" + firstSentences(h.Text, 1)
}

// isList reports whether a hit's text is mostly a list.
func (w *Writer) isList(h rag.Hit) bool {
	n := 0
	for _, u := range w.analysisOf(h.Chunk).units {
		if u.kind == itemUnit {
			n++
		}
	}
	return n >= 3
}

// listOf renders a hit's list under its section name: the items that match
// the question first, in guide order, at most n.
func (w *Writer) listOf(h rag.Hit, q *query, n int) string {
	units := w.answerUnits([]rag.Hit{h}, q)
	items := filter(units, func(u unit) bool { return u.kind == itemUnit })
	if len(items) > n {
		items = topUnits(items, n)
	}
	return render([]rag.Hit{h}, items)
}

// parentOf is the enclosing part of a section path ("" at the top level).
func parentOf(path string) string {
	if i := strings.LastIndex(path, " › "); i >= 0 {
		return path[:i]
	}
	return ""
}

// basicFirst puts a basic skills list first when an advanced one of the same
// kind is the top hit and the question does not ask for advanced skills:
// "what technical skills do I need" is answered with the foundations.
func (w *Writer) basicFirst(hits []rag.Hit, q *query) []rag.Hit {
	kind := skillKind(hits[0].Section)
	if kind == noSkills || !advanced(hits[0].Section) || q.set["advanc"] || q.set["specializ"] || q.set["specialis"] {
		return hits
	}
	for k := 1; k < min(3, len(hits)); k++ {
		if h := hits[k]; h.Guide == hits[0].Guide && skillKind(h.Section) == kind && !advanced(h.Section) && w.isList(h) {
			hits = slices.Clone(hits)
			hits[0], hits[k] = hits[k], hits[0]
			return hits
		}
	}
	return hits
}
