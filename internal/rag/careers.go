package rag

import (
	"github.com/careerbot/careerbot/internal/vocab"
	"sync"

	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Career is one career the corpus covers: the subject of one guide.
type Career struct {
	Name  string   // "Media Specialist", from the guide title or careers.csv
	Guide string   // the guide's title
	File  string   // the guide's file name in the corpus dir
	Forms []string // lower-case phrases people type for it, strongest first
}

// CareersFile is the optional corpus-level file where a site owner names a
// guide's career and adds aliases: CSV with the header "file,career,aliases",
// aliases separated by ";". A guide it does not list gets its career from
// its title. It is not a guide (the corpus reads only .txt and .md).
const CareersFile = "careers.csv"

// careerAliases is what careers.csv says about one guide file.
type careerAliases struct {
	name    string
	aliases []string
}

// readCareersFile reads dir/careers.csv; a missing file is no aliases.
func readCareersFile(dir string) (map[string]careerAliases, error) {
	f, err := os.Open(filepath.Join(dir, CareersFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", CareersFile, err)
	}
	defer f.Close()
	return parseCareersFile(f)
}

func parseCareersFile(r io.Reader) (map[string]careerAliases, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	out := map[string]careerAliases{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", CareersFile, err)
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "file") {
			continue // the header
		}
		if len(rec) < 2 || strings.TrimSpace(rec[0]) == "" {
			return nil, fmt.Errorf("%s line %d: want file,career[,aliases]", CareersFile, line)
		}
		ca := careerAliases{name: strings.TrimSpace(rec[1])}
		if len(rec) > 2 {
			for _, a := range strings.Split(rec[2], ";") {
				if a = strings.TrimSpace(a); a != "" {
					ca.aliases = append(ca.aliases, a)
				}
			}
		}
		out[strings.TrimSpace(rec[0])] = ca
	}
}

// newCareer derives a guide's career: its name from careers.csv or the
// title ("Media Specialist Career Path Guide" → "Media Specialist"), and
// the forms people type for it (see careerForms).
func newCareer(g Guide, aliases careerAliases) Career {
	name := aliases.name
	if name == "" {
		name = CareerName(g.Title)
	}
	c := Career{Name: name, Guide: g.Title, File: g.File}
	var forms []string
	for _, a := range aliases.aliases {
		forms = append(forms, careerForms(a)...)
	}
	forms = append(forms, careerForms(name)...)
	for _, syn := range synonymsOf(name) {
		forms = append(forms, careerForms(syn)...)
	}
	for _, f := range forms {
		if f != "" && !slices.Contains(c.Forms, f) {
			c.Forms = append(c.Forms, f)
		}
	}
	return c
}

// addForms adds forms to c, each once.
func (c *Career) addForms(forms ...string) {
	for _, f := range forms {
		if f != "" && !slices.Contains(c.Forms, f) {
			c.Forms = append(c.Forms, f)
		}
	}
}

// abbreviationChunks is how many of a guide's first chunks are read for
// the short form it defines for its career: guides define it where they
// first name the career, in the opening lines.
const abbreviationChunks = 3

// definedAbbreviation is the short form text defines for the career name,
// in capitals in brackets right after the name ("Speech-Language
// Pathologist (SLP)", "Speech-Language Pathologists (SLPs)"), lower-cased;
// or "".
func definedAbbreviation(name, text string) string {
	for rest := text; ; {
		i := strings.Index(rest, name)
		if i < 0 {
			return ""
		}
		rest = rest[i+len(name):]
		after := strings.TrimPrefix(rest, "s")
		after = strings.TrimLeft(after, " ")
		if !strings.HasPrefix(after, "(") {
			continue
		}
		inner, _, ok := strings.Cut(after[1:], ")")
		inner = strings.TrimSuffix(strings.TrimSpace(inner), "s")
		if !ok || len(inner) < 2 || len(inner) > 5 || strings.ToUpper(inner) != inner || strings.ContainsFunc(inner, func(r rune) bool { return r < 'A' || r > 'Z' }) {
			continue
		}
		return strings.ToLower(inner)
	}
}

// titleSynonyms are other English names of a job title, as people use them
// ("speech therapist" for a speech-language pathologist, "vet nurse" for a
// veterinary technician in the UK): general usage, both ways. A career
// named by one has the others' forms too.
var titleSynonyms = [][]string{
	{"speech language pathologist", "speech therapist", "speech pathologist", "speech and language therapist"},
	{"physical therapist", "physiotherapist", "physio"},
	{"veterinary technician", "veterinary nurse", "vet nurse"},
	{"construction project manager", "construction manager"},
	{"registered nurse", "staff nurse"},
	{"human resources specialist", "hr generalist", "people operations specialist"},
	{"physician assistant", "physician associate"},
	{"software developer", "software engineer", "programmer", "computer programmer", "coder", "software programmer"},
	{"lawyer", "attorney"},
	{"dental assistant", "dental nurse"},
	{"pharmacy technician", "pharmacy assistant"},
	{"real estate agent", "realtor", "estate agent", "real estate salesperson"},
	{"emergency medical technician", "ambulance technician"},
	{"police officer", "cop"},
	{"accountant", "bookkeeper"},
	{"truck driver", "trucker", "trucking", "lorry driver", "hgv driver", "cdl driver", "otr driver", "semi driver", "long haul driver"},
	{"licensed practical nurse", "licensed vocational nurse", "practical nurse", "vocational nurse", "lvn"},
	{"cybersecurity analyst", "information security analyst", "infosec analyst", "security analyst", "cyber analyst", "soc analyst"},
}

// synonymsOf are the other names of the title words name, if any.
func synonymsOf(name string) []string {
	joined := strings.Join(normalWords(name), " ")
	for _, set := range titleSynonyms {
		if slices.Contains(set, joined) {
			return slices.DeleteFunc(slices.Clone(set), func(s string) bool { return s == joined })
		}
	}
	return nil
}

// careerForms lists how people write a career's name: as named, in the
// plural, and as its field ("graphic designer" → "graphic design",
// "data analyst" → "data analytics", "nurse" → "nursing").
func careerForms(name string) []string {
	words := normalWords(name)
	if len(words) == 0 {
		return nil
	}
	head := words[len(words)-1]
	lead := strings.Join(words[:len(words)-1], " ")
	join := func(w string) string { return strings.TrimSpace(lead + " " + w) }
	forms := []string{strings.Join(words, " "), join(plural(head))}
	for _, f := range fieldsOf(head) {
		forms = append(forms, join(f))
	}
	// The first word as a possessive, as people write it ("physician's
	// assistant", read as "physicians assistant").
	if len(words) >= 2 && !strings.HasSuffix(words[0], "s") {
		forms = append(forms, inBothNumbers(slices.Concat([]string{words[0] + "s"}, words[1:]))...)
	}
	// A compound word of the name written as two ("cyber security analyst"
	// for Cybersecurity Analyst, "health care aide").
	for k, w := range words {
		if a, b, ok := splitCompound(w); ok {
			forms = append(forms, inBothNumbers(slices.Concat(words[:k], []string{a, b}, words[k+1:]))...)
		}
	}
	if a, ok := withFieldAcronym(words); ok && len(a) > 1 { // the letters alone are a weak form
		forms = append(forms, inBothNumbers(a)...)
	}
	// The clipped words people type for a title of several ("vet tech"
	// for Veterinary Technician, "lab tech", "pharma rep"): every mix of
	// full and clipped words, in the singular and the plural. A title of
	// one word keeps its own ("tech" alone is no career).
	if len(words) >= 2 {
		for _, v := range clippedVariants(words) {
			forms = append(forms, inBothNumbers(v)...)
		}
	}
	return forms
}

// inBothNumbers is a title's words joined, and joined with its last word
// in the plural: "vet tech", "vet techs".
func inBothNumbers(words []string) []string {
	last := len(words) - 1
	return []string{strings.Join(words, " "), strings.Join(append(slices.Clone(words[:last]), plural(words[last])), " ")}
}

// splitCompound splits a word of a career's name into the two words it is
// made of, as people also write it ("cybersecurity" → "cyber security",
// "healthcare" → "health care"): a word the English word list does not
// hold, or a compound it holds that people still write as two, whose halves
// of four letters or more are English words (or a combining form such as
// "cyber"). ok is false for any other word.
func splitCompound(w string) (a, b string, ok bool) {
	if len(w) < 8 || vocab.IsEnglishWord(w) && !compoundsToSplit[w] {
		return "", "", false
	}
	for k := 4; k+4 <= len(w); k++ {
		if a, b = w[:k], w[k:]; (vocab.IsEnglishWord(a) || combiningForms[a]) && vocab.IsEnglishWord(b) {
			return a, b, true
		}
	}
	return "", "", false
}

// compoundsToSplit are compounds the English word list holds as one word
// that people still write as two; combiningForms begin compounds without
// being words on their own.
var (
	compoundsToSplit = map[string]bool{"healthcare": true, "childcare": true, "bookkeeper": true}
	combiningForms   = map[string]bool{"cyber": true, "tele": true, "micro": true}
)

// clippedWords are the short forms English speakers use for words of job
// titles ("vet tech", "lab tech", "admin assistant", "pharma rep", "ops
// manager", "med tech"): general English clippings, not any corpus's.
var clippedWords = map[string][]string{
	"veterinary": {"vet"}, "technician": {"tech"}, "technologist": {"tech"}, "laboratory": {"lab"},
	"administrative": {"admin"}, "administrator": {"admin"}, "pharmaceutical": {"pharma"}, "representative": {"rep"},
	"operations": {"ops"}, "medical": {"med"}, "mathematics": {"math", "maths"}, "developer": {"dev"},
	"information": {"info"}, "executive": {"exec"}, "pharmacy": {"pharm"}, "cybersecurity": {"cybersec", "cyber"},
	"assistant": {"asst"}, "physical": {"phys"}, "psychology": {"psych"},
	"application": {"app"}, "applications": {"apps"}, "communications": {"comms"}, "maintenance": {"maint"},
	"financial": {"fin"}, "finance": {"fin"}, "manager": {"mgr"}, "management": {"mgmt"}, "engineer": {"eng"},
	"engineering": {"eng"}, "specialist": {"spec"}, "coordinator": {"coord"}, "marketing": {"mktg"},
	"mechanical": {"mech"}, "electrical": {"elec"}, "environmental": {"enviro"}, "associate": {"assoc"},
	"international": {"intl"}, "government": {"govt"}, "accounting": {"acct"},
}

// fieldLetters are fields people name by their initials ("hr" for human
// resources, "pr" for public relations): general English usage.
var fieldLetters = []struct{ field, letters string }{
	{"human resources", "hr"}, {"public relations", "pr"}, {"information technology", "it"},
	{"user experience", "ux"}, {"user interface", "ui"}, {"quality assurance", "qa"},
	{"search engine optimization", "seo"}, {"artificial intelligence", "ai"}, {"machine learning", "ml"},
	{"customer relationship management", "crm"}, {"emergency medical", "em"},
	{"occupational therapy", "ot"}, {"physical therapy", "pt"}, {"information security", "infosec"},
	// Roles by their initials inside a longer title: "construction pm".
	{"project manager", "pm"}, {"product manager", "pm"},
}

// withFieldAcronym is words with a field of fieldLetters replaced by its
// letters ("human resources specialist" → "hr specialist"), if it has one.
func withFieldAcronym(words []string) ([]string, bool) {
	for _, f := range fieldLetters {
		fw := strings.Fields(f.field)
		for k := 0; k+len(fw) <= len(words); k++ {
			if slices.Equal(words[k:k+len(fw)], fw) {
				return slices.Concat(words[:k], []string{f.letters}, words[k+len(fw):]), true
			}
		}
	}
	return nil, false
}

// clippedVariants lists words with one or more of them clipped (see
// clippedWords), each variant once, the unclipped name not among them.
func clippedVariants(words []string) [][]string {
	out := [][]string{nil}
	for _, w := range words {
		var next [][]string
		for _, v := range out {
			next = append(next, append(slices.Clone(v), w))
			for _, c := range clippedWords[w] {
				next = append(next, append(slices.Clone(v), c))
			}
		}
		out = next
	}
	return out[1:] // out[0] is the name itself
}

// weakForms are the shorter forms of a career's name that name it only when
// no other career shares them: the field alone ("media" for Media
// Specialist) and the head alone ("nurse" for Registered Nurse).
func weakForms(name string) []string {
	words := normalWords(name)
	if len(words) < 2 {
		return nil
	}
	var out []string
	if lead := words[:len(words)-1]; !genericModifiers[lead[len(lead)-1]] && !isOccupation(strings.Join(lead, " ")) && !allTopicWords(lead) {
		// The field alone ("media" for Media Specialist), unless it is a
		// job of its own ("physician" is no Physician Assistant) or a word
		// of a career topic ("what software should i learn" is no
		// question about the Software Developer).
		out = append(out, strings.Join(lead, " "))
		// The field by its letters too: "is hr stressful" for Human
		// Resources Specialist.
		if a, ok := withFieldAcronym(lead); ok {
			out = append(out, strings.Join(a, " "))
		}
	}
	if head := words[len(words)-1]; !genericHeads[head] {
		// The head alone and its field alone: "nurse", "nursing" for
		// Registered Nurse ("worst parts of nursing").
		out = append(out, head, plural(head))
		out = append(out, fieldsOf(head)...)
	}
	if len(words) == 3 && (genericModifiers[words[0]] || settingModifiers[words[0]]) {
		// A title of three words without a first word that only says
		// where or at what standing the work is done: "lab tech" for
		// Medical Laboratory Technician ("clinical lab technician" meets
		// it too), not "therapy assistant" for an Occupational Therapy
		// Assistant, whose first word is the field. Its clipped variants
		// always (no other occupation's name but this title's short one);
		// the two words as written only when they name no occupation of
		// their own.
		tail := words[1:]
		if !genericModifiers[tail[0]] && !isOccupation(strings.Join(tail, " ")) {
			out = append(out, inBothNumbers(tail)...)
		}
		for _, v := range clippedVariants(tail) {
			out = append(out, inBothNumbers(v)...)
		}
	}
	return out
}

// allTopicWords reports whether every word is a career concept's word
// ("software": tools).
func allTopicWords(words []string) bool {
	for _, w := range words {
		if vocab.ConceptOf(vocab.Stem(w)) == "" {
			return false
		}
	}
	return len(words) > 0
}

// isOccupation reports whether title (lower case, words) is a job title
// of the built-in occupation vocabulary.
func isOccupation(title string) bool {
	occupationOnce.Do(func() {
		occupationSet = map[string]bool{}
		for _, o := range occupations {
			occupationSet[strings.TrimSpace(o)] = true
		}
	})
	return occupationSet[title]
}

var (
	occupationOnce sync.Once
	occupationSet  map[string]bool
)

// genericHeads name a kind of job rather than a career: "specialist" alone
// says nothing about which.
var genericHeads = setOf(`specialist specialists manager managers assistant assistants officer officers associate associates
	coordinator coordinators consultant consultants technician technicians worker workers professional professionals
	representative representatives agent agents analyst analysts director directors lead leader head administrator
	executive executives expert experts operator operators clerk clerks supervisor supervisors`)

// settingModifiers say where a job is done, not what it is: "medical
// laboratory technician" is a lab tech.
var settingModifiers = setOf(`medical clinical hospital school corporate commercial residential industrial retail`)

// genericModifiers describe a level or a setting, not a field.
var genericModifiers = setOf(`senior junior chief head lead general assistant associate certified registered licensed
	social digital principal staff entry mid level`)

// normalWords lower-cases a name into its words (letters and digits).
func normalWords(s string) []string {
	var out []string
	vocab.ForEachWord(s, func(w string) { out = append(out, w) })
	return out
}

// plural is the English plural of a job-title head noun.
func plural(w string) string {
	switch {
	case strings.HasSuffix(w, "man"):
		return w[:len(w)-3] + "men"
	case w == "person":
		return "people"
	case strings.HasSuffix(w, "tech"):
		return w + "s" // a hard "ch": "hvac techs", "vet techs"
	case strings.HasSuffix(w, "y") && len(w) > 2 && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "sh"), strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "x"):
		return w + "es"
	}
	return w + "s"
}

// fieldsOf names the field of work of a job-title head: the noun people use
// for what the person does ("design", "nursing"). English morphology, with
// the common irregular heads listed.
func fieldsOf(head string) []string {
	if f, ok := irregularFields[head]; ok {
		return strings.Fields(f)
	}
	switch {
	case strings.HasSuffix(head, "ographer"): // photographer → photography
		return []string{strings.TrimSuffix(head, "er") + "y"}
	case strings.HasSuffix(head, "ologist"): // psychologist → psychology
		return []string{strings.TrimSuffix(head, "ist") + "y"}
	case strings.HasSuffix(head, "ician"): // statistician → statistics
		return []string{strings.TrimSuffix(head, "ian") + "s"}
	case strings.HasSuffix(head, "ist") && len(head) > 5: // journalist → journalism
		return []string{strings.TrimSuffix(head, "ist") + "ism"}
	case strings.HasSuffix(head, "er") && len(head) > 4: // designer → design, teacher → teaching
		base := strings.TrimSuffix(head, "er")
		return []string{base, base + "ing"}
	case strings.HasSuffix(head, "or") && len(head) > 4: // editor → editing
		return []string{strings.TrimSuffix(head, "or") + "ing"}
	case strings.HasSuffix(head, "ant") || strings.HasSuffix(head, "ent"): // accountant → accounting
		return []string{head[:len(head)-3] + "ing"}
	}
	return nil
}

var irregularFields = map[string]string{
	"analyst": "analytics analysis", "nurse": "nursing", "engineer": "engineering", "developer": "development",
	"manager": "management", "writer": "writing", "researcher": "research", "scientist": "science",
	"therapist": "therapy", "economist": "economics", "architect": "architecture", "pharmacist": "pharmacy",
	"programmer": "programming", "marketer": "marketing", "chef": "cooking", "cook": "cooking",
	"lawyer": "law", "attorney": "law", "doctor": "medicine", "physician": "medicine", "surgeon": "surgery",
	"dentist": "dentistry", "teacher": "teaching", "pilot": "flying aviation", "electrician": "electrical",
	"plumber": "plumbing", "librarian": "library", "specialist": "", "designer": "design",
	"administrator": "administration", "consultant": "consulting", "accountant": "accounting",
	"producer": "production", "editor": "editing", "strategist": "strategy", "auditor": "auditing",
	"mechanic": "mechanics", "technician": "", "officer": "", "assistant": "", "coordinator": "coordination",
	"paralegal": "", "scientists": "science", "veterinarian": "veterinary", "counselor": "counseling",
	"counsellor": "counselling", "recruiter": "recruiting recruitment", "journalist": "journalism",
	"photographer": "photography", "artist": "art", "animator": "animation", "musician": "music",
}

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// CareerMatch is what a question says about careers.
type CareerMatch struct {
	Covered   []int    // careers of the corpus it names (indexes into Careers()), in the order named
	Uncovered []string // careers it names that no guide covers, title-cased ("Plumber")
	// Self are the Uncovered careers the asker says they are or were ("im
	// a teacher, could i switch into this", "as a journalist, would my
	// skills transfer"): who is asking, not what is asked about.
	Self []string
	rest string // the question without the careers' names, for topic scoring
}

// careerPhrase is one way of naming a career, as a run of words.
type careerPhrase struct {
	words  []string
	career int    // index into the corpus's careers; -1 for an occupation the corpus does not cover
	weak   bool   // a short form: loses to any other reading of the same words
	name   string // the occupation's title, for uncovered ones
}

// careerResolver finds careers in questions.
type careerResolver struct {
	byFirst map[string][]careerPhrase
	// fields maps the field of a two-word job title of the occupation
	// vocabulary ("data science", "ux design") to the title.
	fields map[string]string

	// texts are the corpus's texts, and products the one-word job titles
	// the corpus writes only as names ("Adobe Illustrator": "illustrator"),
	// read from them on the first question that needs it (see products).
	texts        func(yield func(string))
	productsOnce sync.Once
	products     map[string]bool
}

func newCareerResolver(careers []Career) *careerResolver {
	r := &careerResolver{byFirst: map[string][]careerPhrase{}}
	add := func(p careerPhrase) {
		if len(p.words) > 0 {
			r.byFirst[p.words[0]] = append(r.byFirst[p.words[0]], p)
		}
	}
	strong := map[string]bool{}
	for i, c := range careers {
		for _, f := range c.Forms {
			strong[f] = true
			add(careerPhrase{words: strings.Fields(f), career: i})
		}
	}
	// A weak form names a career only when no other career shares it.
	owners := map[string][]int{}
	for i, c := range careers {
		for _, f := range weakForms(c.Name) {
			if !slices.Contains(owners[f], i) {
				owners[f] = append(owners[f], i)
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(owners)) { // phrases in a defined order, not map order
		who := owners[f]
		if len(who) == 1 && !strong[f] && !namedInOther(careers, who[0], f) {
			add(careerPhrase{words: strings.Fields(f), career: who[0], weak: true})
		}
	}
	// Abbreviations people type for a job title ("rn"): a form of the
	// corpus's career of that title, else an occupation it does not cover.
	for _, a := range titleAbbreviations {
		career := -1
		for i, c := range careers {
			if slices.Contains(c.Forms, a.title) {
				career = i
				break
			}
		}
		for _, w := range []string{a.abbr, a.abbr + "s"} {
			if !strong[w] {
				add(careerPhrase{words: []string{w}, career: career, name: a.title})
			}
		}
	}
	r.fields = map[string]string{}
	for _, o := range occupations {
		o = strings.TrimSpace(o)
		if o == "" || strong[o] {
			continue
		}
		if f := strings.Fields(o); len(f) == 2 {
			for _, field := range fieldsOf(f[1]) {
				if form := f[0] + " " + field; !strong[form] {
					if _, taken := r.fields[form]; !taken {
						r.fields[form] = o
					}
				}
			}
		}
		words := strings.Fields(o)
		add(careerPhrase{words: words, career: -1, name: o})
		pl := slices.Clone(words)
		pl[len(pl)-1] = plural(pl[len(pl)-1])
		if !strong[strings.Join(pl, " ")] {
			add(careerPhrase{words: pl, career: -1, name: o})
		}
	}
	for _, list := range r.byFirst {
		// Longest first; at equal length a covered career before an
		// occupation, a strong form before a weak one.
		slices.SortStableFunc(list, func(a, b careerPhrase) int {
			if len(a.words) != len(b.words) {
				return len(b.words) - len(a.words)
			}
			return rankOfPhrase(a) - rankOfPhrase(b)
		})
	}
	return r
}

// namedInOther reports whether the words of form f occur in the name of a
// career other than own: "media" is no short form of Media Specialist when
// the corpus also has a Social Media Manager.
func namedInOther(careers []Career, own int, f string) bool {
	fw := strings.Fields(f)
	for i, c := range careers {
		if i == own {
			continue
		}
		words := normalWords(c.Name)
		for k := 0; k+len(fw) <= len(words); k++ {
			if slices.Equal(words[k:k+len(fw)], fw) {
				return true
			}
		}
	}
	return false
}

func rankOfPhrase(p careerPhrase) int {
	switch {
	case p.career >= 0 && !p.weak:
		return 0
	case p.career >= 0:
		return 1
	}
	return 2
}

// resolve finds the careers a question names: the corpus's careers by
// their forms, other occupations by the built-in vocabulary and by the
// patterns people use ("become a …", "as a …", "… salary", "do … earn").
func (r *careerResolver) resolve(question string) CareerMatch {
	// The question's words as substrings of it (ForEachWordIn): nothing
	// kept outlives the answer, and a string per word was ~2.5% of an
	// offline answer's allocations (same profile as CareerName).
	var words []string
	vocab.ForEachWordIn(question, func(w string) { words = append(words, w) })
	var m CareerMatch
	used := make([]bool, len(words))
	for i := 0; i < len(words); i++ {
		p, ok := r.longestAt(words, i)
		if !ok {
			continue
		}
		if p.career < 0 && len(p.words) == 1 && !titleContext(words, i) && r.isProduct(p.words[0]) {
			continue // "is illustrator needed": the guides' tool, not the career
		}
		if p.career < 0 && len(p.words) == 1 && usedAsVerb(words, i) {
			continue // "how do they judge if it went well": the verb, not the career
		}
		for k := i; k < i+len(p.words); k++ {
			used[k] = true
		}
		m.add(p)
		if p.career < 0 && describesSelf(words, i) {
			m.addSelf(p.name)
		}
		i += len(p.words) - 1
	}
	r.fieldsOfWork(words, used, &m)
	r.namedFields(words, used, &m)
	for _, span := range jobTitleSpans(words, used) {
		for k := span[0]; k < span[1]; k++ {
			used[k] = true
		}
		title := slices.Clone(words[span[0]:span[1]])
		title[len(title)-1] = singular(title[len(title)-1])
		m.addUncovered(strings.Join(title, " "))
		if describesSelf(words, span[0]) {
			m.addSelf(strings.Join(title, " "))
		}
	}
	var rest []string
	for k, w := range words {
		if !used[k] {
			rest = append(rest, w)
		}
	}
	m.rest = strings.Join(rest, " ")
	return m
}

// add records the career phrase p names: a covered career once, or the
// occupation it is.
func (m *CareerMatch) add(p careerPhrase) {
	if p.career < 0 {
		m.addUncovered(p.name)
	} else if !slices.Contains(m.Covered, p.career) {
		m.Covered = append(m.Covered, p.career)
	}
}

func (m *CareerMatch) addSelf(name string) {
	if t := titleCase(name); !slices.Contains(m.Self, t) {
		m.Self = append(m.Self, t)
	}
}

// describesSelf reports whether the job title at words[i] is the asker's
// own: "im a …", "i am a …", "i work as a …", "i used to be a …", "i was a
// …", "currently a …", or "as a …" opening the message.
func describesSelf(words []string, i int) bool {
	k := i
	if k > 0 && (words[k-1] == "a" || words[k-1] == "an") {
		k--
	}
	if k == 0 {
		return false
	}
	before := words[k-1]
	switch {
	case before == "im", before == "currently", before == "am" && k >= 2 && words[k-2] == "i":
		return true
	case before == "as":
		return k == 1 || k >= 2 && (words[k-2] == "work" || words[k-2] == "working" || words[k-2] == "worked")
	case before == "be" || before == "was":
		return k >= 3 && (words[k-2] == "to" && words[k-3] == "used" || words[k-2] == "i")
	}
	return false
}

// usedAsVerb reports whether the one-word job title at words[i] is the verb
// of the same spelling, as its subject or "to" before it shows: "how do
// they judge if a post went well", "you guide the team", "i want to
// coach". A title named as a career takes an article, a plural or a
// pattern ("a judge", "judges", "become a coach"); a bare singular right
// after a subject pronoun is what the person does.
func usedAsVerb(words []string, i int) bool {
	if i == 0 {
		return false
	}
	switch words[i-1] {
	case "i", "you", "u", "we", "they", "he", "she", "to":
		return i+1 >= len(words) || !titleContext(words, i)
	}
	return false
}

func (m *CareerMatch) addUncovered(name string) {
	t := titleCase(name)
	if !slices.Contains(m.Uncovered, t) {
		m.Uncovered = append(m.Uncovered, t)
	}
}

func (r *careerResolver) longestAt(words []string, i int) (careerPhrase, bool) {
	for _, p := range r.byFirst[words[i]] {
		if i+len(p.words) <= len(words) && slices.Equal(words[i:i+len(p.words)], p.words) {
			return p, true
		}
	}
	return careerPhrase{}, false
}

// jobTitleSpans finds job titles the vocabulary does not know, from the
// patterns people use: "become a(n) X", "as a(n) X", "being a(n) X", "work
// as X", "want to be a(n) X", "career in X" (X ends like a job title: -er,
// -ist, -ian…), and "X salary", "X income", "X jobs", "do X earn/make/get
// paid". Words already read as careers are
// skipped.
func jobTitleSpans(words []string, used []bool) [][2]int {
	var spans [][2]int
	free := func(a, b int) bool {
		for k := a; k < b; k++ {
			if used[k] {
				return false
			}
		}
		return true
	}
	addIfTitle := func(a, b int) {
		if a < 0 || b > len(words) || a >= b || !free(a, b) || !titleEnds(words[a:b]) {
			return
		}
		for k, w := range words[a:b] {
			if k == b-a-1 && b-a >= 2 && genericHeads[w] {
				continue // "marketing specialist": the kind of job after its field (titleEnds)
			}
			if notJobTitles[w] || fillerStems[vocab.Stem(w)] {
				return // "a better communicator", "a more senior designer"
			}
		}
		for _, s := range spans {
			if a < s[1] && s[0] < b {
				return
			}
		}
		spans = append(spans, [2]int{a, b})
	}
	for i, w := range words {
		next := i + 1
		switch w {
		case "become", "becoming", "being", "be", "as", "im", "am", "hire", "hiring":
			if next < len(words) && (words[next] == "a" || words[next] == "an") {
				next++
			}
			if next == i+1 && w != "as" {
				continue // "being happy", "am tired": a job title takes an article
			}
			// The title is the longest run of up to three content words.
			end := next
			for end < len(words) && end-next < 3 && !vocab.IsStopWord(words[end]) && !used[end] {
				end++
			}
			for b := end; b > next; b-- {
				if titleEnds(words[next:b]) {
					addIfTitle(next, b)
					break
				}
			}
		case "salary", "salaries", "pay", "wage", "wages", "jobs", "job", "earn", "earns", "make", "makes", "income", "earnings", "paid", "get":
			// "plumber salary", "do electricians earn", "welder jobs"
			if i > 0 && !used[i-1] && !vocab.IsStopWord(words[i-1]) {
				start := i - 1
				if start > 0 && (!vocab.IsStopWord(words[start-1]) || fieldAcronyms[words[start-1]]) && !used[start-1] && !looksLikeJobTitle(words[start-1]) {
					start-- // "truck driver salary"
				}
				if titleEnds(words[start:i]) {
					addIfTitle(start, i)
				}
			}
		}
	}
	return spans
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if len(w) <= 3 && (fieldAcronyms[w] || w == "emt") {
			words[i] = strings.ToUpper(w)
			continue
		}
		words[i] = upperFirst(w)
	}
	return strings.Join(words, " ")
}

// CareerName derives the career from a guide title: "Media Specialist
// Career Path Guide" → "Media Specialist".
func CareerName(title string) string {
	role := title
	// An ASCII title's suffix is compared without lower-casing a copy of
	// it for each suffix: CareerName runs several times per answer (the
	// writer, the chips, the replies) and its copies were ~4% of an
	// offline answer's allocations (BenchmarkAnswerOffline/botbench,
	// 13:52 UTC). TestCareerNameASCIIFastPath holds it to the lower-casing
	// version.
	hasSuffix := func(role, suffix string) bool { return strings.HasSuffix(strings.ToLower(role), suffix) }
	if isASCII(title) {
		hasSuffix = func(role, suffix string) bool {
			return len(role) >= len(suffix) && strings.EqualFold(role[len(role)-len(suffix):], suffix)
		}
	}
	for _, suffix := range []string{"career path guide", "career guide", "career path", "guide"} {
		if hasSuffix(role, suffix) {
			role = strings.TrimSpace(role[:len(role)-len(suffix)])
		}
	}
	role = strings.TrimRight(role, " :-–—")
	if role == "" {
		return title
	}
	return role
}

// fieldsOfWork reads a field of work named by its gerund where a career is
// meant — "is welding a good trade", "a career in teaching", "getting into
// plumbing", "acting as a career", "welding jobs" — as the career of the
// one who does it (welder, teacher, plumber, actor), when that is a
// career of the corpus or of the occupation vocabulary. Outside such
// patterns a gerund is a task ("editing videos"), not a career.
func (r *careerResolver) fieldsOfWork(words []string, used []bool, m *CareerMatch) {
	for i, w := range words {
		if used[i] || len(w) < 6 || !strings.HasSuffix(w, "ing") || !namesAField(words, i) {
			continue
		}
		p, ok := r.agentOf(strings.TrimSuffix(w, "ing"))
		if !ok {
			continue
		}
		used[i] = true
		m.add(p)
	}
}

// careerNounsAfter are what a field of work is called in "is X a good …".
var careerNounsAfter = setOf(`career careers job jobs trade trades profession field path option choice line living industry`)

// namesAField reports whether the gerund at words[i] stands where a career
// does (see fieldsOfWork).
func namesAField(words []string, i int) bool {
	at := func(k int) string {
		if k < 0 || k >= len(words) {
			return ""
		}
		return words[k]
	}
	prev, next := at(i-1), at(i+1)
	switch {
	case prev == "in" && careerNounsAfter[at(i-2)], // "a career in teaching"
		prev == "into" || prev == "in" && (at(i-2) == "get" || at(i-2) == "getting"),                                 // "getting into plumbing"
		careerNounsAfter[next] || next == "salary" || next == "salaries" || next == "pay",                            // "welding jobs", "nursing salary"
		next == "as" && careerNounsAfter[at(i+2)] || next == "as" && at(i+2) == "a" && careerNounsAfter[at(i+3)],     // "acting as a career"
		(prev == "is" || prev == "does") && (next == "a" || next == "an") && careerNounsAfter[lastOfRun(words, i+2)]: // "is welding a good trade"
		return true
	}
	return false
}

// lastOfRun is the first word from k on that is not an adjective of a
// "good career" phrase: "a (really) good/decent/solid trade".
func lastOfRun(words []string, k int) string {
	for k < len(words) && isCareerAdjective(words[k]) {
		k++
	}
	if k < len(words) {
		return words[k]
	}
	return ""
}

func isCareerAdjective(w string) bool {
	switch w {
	case "good", "great", "decent", "solid", "bad", "ok", "okay", "safe", "stable", "smart", "wise", "viable", "real", "really", "very",
		"well", "paying", "paid", "long", "term", "future", "proof", "worthwhile", "rewarding", "promising", "reliable":
		return true
	}
	return false
}

// agentOf finds the career of one who does stem's work: stem+"er"
// (weld → welder), stem+"or" (act → actor), stem+"e" (nurs → nurse),
// stem+"ant" (account → accountant), stem+"ian" (electric → electrician),
// or stem itself (engineer).
func (r *careerResolver) agentOf(stem string) (careerPhrase, bool) {
	for _, f := range []string{stem + "er", stem + "or", stem + "e", stem + "ant", stem + "ian", stem} {
		for _, p := range r.byFirst[f] {
			if len(p.words) == 1 {
				return p, true
			}
		}
	}
	return careerPhrase{}, false
}

// titleEnds reports whether words end like a job title: a last word that
// looks like one ("welder", "falconer"), or a kind of job after the field
// it is in ("marketing specialist", "seo analyst", "procurement
// coordinator"), which names a career though "specialist" alone does not.
func titleEnds(words []string) bool {
	n := len(words)
	if n == 0 {
		return false
	}
	if looksLikeJobTitle(words[n-1]) {
		return true
	}
	if n < 2 || !genericHeads[words[n-1]] {
		return false
	}
	field := words[n-2]
	if fieldAcronyms[field] {
		return true // "it specialist", "hr manager", "pr coordinator"
	}
	return !genericModifiers[field] && !vocab.IsStopWord(field) && !notJobTitles[field]
}

// fieldAcronyms are fields people name by their letters before a kind of
// job ("it specialist", "hr manager", "pr coordinator"); "it" is a stop
// word elsewhere.
var fieldAcronyms = map[string]bool{"it": true, "hr": true, "pr": true, "qa": true, "ux": true, "ui": true, "ai": true,
	"seo": true, "crm": true, "erp": true, "ml": true}

// titleContext reports whether words[i] stands where a job title does:
// after "a"/"an"/"as"/"become"/"being", or before "salary", "jobs", "earn"…
func titleContext(words []string, i int) bool {
	if i > 0 {
		switch words[i-1] {
		case "a", "an", "as", "become", "becoming", "being", "be", "for":
			return true
		}
	}
	if i+1 < len(words) {
		switch words[i+1] {
		case "salary", "salaries", "pay", "paid", "job", "jobs", "earn", "earns", "make", "makes", "career", "careers",
			"income", "wage", "wages", "work", "works":
			return true
		}
	}
	return false
}

// isProduct reports whether the corpus writes the one-word job title w
// only as a name — capitalised inside a sentence ("Photoshop, Illustrator")
// and never in lower case — as it writes a product: a question naming it
// outside a job title's place ("is illustrator needed", "do i need to know
// illustrator") asks about the tool.
func (r *careerResolver) isProduct(w string) bool {
	r.productsOnce.Do(func() {
		r.products = productNames(r.texts, r.occupationWords())
	})
	return r.products[w]
}

// occupationWords are the job titles of the occupation vocabulary that are
// one word.
func (r *careerResolver) occupationWords() map[string]bool {
	m := map[string]bool{}
	for w, list := range r.byFirst {
		for _, p := range list {
			if p.career < 0 && len(p.words) == 1 {
				m[w] = true
			}
		}
	}
	return m
}

// productNames reads texts for the words of wanted (lower case) that are
// only ever written capitalised after a comma, a bracket or inside a
// sentence, never in lower case. One pass over the corpus, on the first
// question that names a one-word title, without an allocation per word
// (BenchmarkResolveFirstProductScan: 7 ms at 1,000 guides, tools sections only).
func productNames(texts func(yield func(string)), wanted map[string]bool) map[string]bool {
	out := map[string]bool{}
	if texts == nil || len(wanted) == 0 {
		return out
	}
	lower := map[string]bool{}
	var buf [32]byte
	texts(func(t string) {
		for i := 0; i < len(t); {
			if !isASCIILetter(t[i]) {
				i++
				continue
			}
			j := i
			for j < len(t) && isASCIILetter(t[j]) {
				j++
			}
			if n := j - i; n >= 4 && n <= len(buf) {
				for k := 0; k < n; k++ {
					buf[k] = t[i+k] | 0x20 // ASCII letters only: lower case
				}
				if wanted[string(buf[:n])] {
					lw := string(buf[:n])
					switch {
					case t[i] >= 'a':
						lower[lw] = true
					case midSentence(t, i):
						out[lw] = true
					}
				}
			}
			i = j
		}
	})
	for w := range lower {
		delete(out, w)
	}
	return out
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// midSentence reports whether the word at t[i] follows a comma, a bracket,
// a slash or another word on its line: not a sentence's or a list item's
// first word, where any word is capitalised.
func midSentence(t string, i int) bool {
	for k := i - 1; k >= 0; k-- {
		switch c := t[k]; {
		case c == ' ' || c == '\t':
			continue
		case c == ',' || c == '(' || c == '/' || c == '&':
			return true
		case isASCIILetter(c):
			return true
		default:
			return false // ".", ":", a new line, a bullet: a start
		}
	}
	return false
}

// namedFields reads the field of a two-word job title ("data science", "ux
// design", "web development") as that career where a career is meant —
// "tell me about data science", "is data science a good field", "how do i
// get into ux design", "a career in web development" — and not elsewhere:
// "data analytics" in "which skills: data analytics" is a skill of the
// guide's own career.
func (r *careerResolver) namedFields(words []string, used []bool, m *CareerMatch) {
	for i := 0; i+1 < len(words); i++ {
		if used[i] || used[i+1] {
			continue
		}
		title, ok := r.fields[words[i]+" "+words[i+1]]
		if !ok || !fieldContext(words, i, i+2) {
			continue
		}
		used[i], used[i+1] = true, true
		m.addUncovered(title)
	}
}

// fieldContext reports whether words[a:b], a field of work, stands where a
// career does: after "about", "into", "study", "in" after a career noun, or
// before a career noun ("… a good field", "… jobs").
func fieldContext(words []string, a, b int) bool {
	at := func(k int) string {
		if k < 0 || k >= len(words) {
			return ""
		}
		return words[k]
	}
	switch prev := at(a - 1); {
	case prev == "about" || prev == "into" || prev == "study" || prev == "studying" || prev == "pursue" || prev == "pursuing":
		return true
	case prev == "in" && careerNounsAfter[at(a-2)]:
		return true
	}
	next := at(b)
	return careerNounsAfter[next] || (next == "a" || next == "an") && careerNounsAfter[lastOfRun(words, b+1)]
}
