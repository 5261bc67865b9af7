package conversation

import (
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"
)

// People name a career of two or more words by its initials: "starting
// salary for an rn", "rn pay senior level", "how about rns then". Chat
// shorthand reads "rn" as "right now" before careers are resolved, so the
// initials of a covered career are read out first — only where a job title
// stands: after "a", "an", "the", "as", "become"…, before a word about the
// job ("rn pay", "rn jobs"), or in the plural ("rns"). "what's the pay rn"
// stays "right now". Initials that are English words or other shorthand
// ("ur" is "your") are never read as a career.

// titleBefore are words a job title follows; titleAfter words that follow
// one.
var (
	titleBefore = map[string]bool{"a": true, "an": true, "the": true, "as": true, "become": true, "becoming": true,
		"being": true, "new": true, "travel": true, "senior": true, "junior": true, "entry": true, "any": true, "other": true}
	titleAfter = map[string]bool{"pay": true, "salary": true, "salaries": true, "wage": true, "wages": true, "job": true,
		"jobs": true, "earn": true, "earns": true, "make": true, "makes": true, "shift": true, "shifts": true, "school": true,
		"license": true, "licence": true, "career": true, "careers": true, "degree": true, "program": true, "programs": true,
		"role": true, "roles": true, "work": true, "duties": true, "skills": true, "certification": true, "vs": true, "or": true}
	// notInitials are two-letter words and shorthand that initials must not take.
	notInitials = map[string]bool{"ur": true, "u": true, "ya": true, "im": true, "id": true, "it": true, "us": true, "we": true,
		"me": true, "my": true, "no": true, "so": true, "do": true, "go": true, "to": true, "in": true, "on": true, "or": true,
		"an": true, "as": true, "at": true, "be": true, "by": true, "he": true, "if": true, "is": true, "of": true, "up": true,
		"am": true, "hi": true, "ok": true, "oh": true, "yo": true, "ty": true, "pm": true}
)

// expandInitials rewrites the initials of covered careers in question as
// their names, where a job title stands (see above).
func expandInitials(question string, careers []rag.Career) string {
	return expandInitialsWith(question, initialsOf(careers))
}

// initialsOf is careersByInitials(careers), remembered for the last
// careers slice asked about: an index's careers are one slice, built with
// it and never changed, and reading every career's name on every answer
// was ~1.5% of an offline answer's CPU with one guide (botbench -clients 50
// -profile-dir, 13:57 UTC) and grows with the corpus (a thousand names per
// answer with a thousand guides). A reload makes a new slice, read afresh.
// TestInitialsOfIsCareersByInitials.
func initialsOf(careers []rag.Career) map[string]string {
	if len(careers) == 0 {
		return nil
	}
	if m := lastInitials.Load(); m != nil && m.first == &careers[0] && m.n == len(careers) {
		return m.byInitials
	}
	m := &careerInitials{first: &careers[0], n: len(careers), byInitials: careersByInitials(careers)}
	lastInitials.Store(m)
	return m.byInitials
}

type careerInitials struct {
	first      *rag.Career // the slice it was read from: its first element and length
	n          int
	byInitials map[string]string // read only
}

var lastInitials atomic.Pointer[careerInitials]

// careersByInitials maps the initials of careers of two or more words to
// their names ("" for initials two careers share).
func careersByInitials(careers []rag.Career) map[string]string {
	byInitials := map[string]string{}
	for _, c := range careers {
		words := strings.Fields(c.Name)
		if len(words) < 2 {
			continue
		}
		var b strings.Builder
		for _, w := range words {
			r := []rune(w)
			b.WriteRune(unicode.ToLower(r[0]))
		}
		in := b.String()
		if notInitials[in] || vocab.IsStopWord(in) {
			continue
		}
		if _, taken := byInitials[in]; taken {
			byInitials[in] = "" // two careers share them: neither
			continue
		}
		byInitials[in] = c.Name
	}
	return byInitials
}

// expandInitials with the careers' initials read (careersByInitials).
func expandInitialsWith(question string, byInitials map[string]string) string {
	if len(byInitials) == 0 {
		return question
	}
	fields := strings.Fields(question)
	lower := make([]string, len(fields))
	for i, f := range fields {
		lower[i] = strings.ToLower(strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
	}
	changed := false
	for i, w := range lower {
		name, plural := byInitials[w], false
		if name == "" && strings.HasSuffix(w, "s") {
			name, plural = byInitials[strings.TrimSuffix(w, "s")], true
		}
		if name == "" {
			continue
		}
		title := plural || i > 0 && titleBefore[lower[i-1]] || i+1 < len(lower) && titleAfter[lower[i+1]]
		if !title {
			continue
		}
		if plural {
			name += "s"
		}
		// Keep the punctuation around the word ("rn?" → "Registered Nurse?").
		f := fields[i]
		start := strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		end := strings.LastIndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		fields[i] = f[:start] + name + f[end+1:]
		changed = true
	}
	if !changed {
		return question
	}
	return strings.Join(fields, " ")
}
