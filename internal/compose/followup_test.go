package compose

import (
	"strings"
	"testing"
)

func TestFollowUpIntents(t *testing.T) {
	for _, tc := range []struct{ question, prev, want string }{
		// The next rung of the ladder.
		{"what comes next", "tell me about junior media specialists", "mid level"},
		{"and what's above that", "tell me about senior nurses", "lead manager"},
		{"what's after that", "what does an apprentice electrician do", "journeyman"},
		// How long getting there takes.
		{"how long does that take", "how do i become a nurse", "how long does it take to become"},
		{"how many years is that", "what degree do i need", "how long does it take to become"},
		{"and how long till i'm senior", "how much does a junior make", "experience to become senior (career path tier)"},
		// How to avoid what was listed.
		{"how do i avoid them", "what are common mistakes", "tips and advice"},
		// The other side, whether it is worth it, where to post it.
		{"ok and the bad stuff", "what are the pros", "cons"},
		{"any upsides?", "what are the cons", "pros"},
		{"is it worth it", "do i need a degree", "degree"},
		{"is it worth it", "how much do data analysts make", "pros and cons"},
		{"where should i post it", "graphic designer portfolio", "website"},
		{"why is it growing", "whats the job outlook", "driven by"},
		{"why so low", "how much do they make", "how much do make"},
		// A rung named after "after that" is the rung asked about, not the
		// next one; years of experience asked in chat shorthand; where a
		// figure comes from.
		{"how long does it take to get to senior after that", "how long are you a junior for", "to become senior (career path tier)"},
		{"and how many years exp do u need for that", "what does a senior media specialist do", "(career path tier) (senior"},
		{"where's that number from", "how fast is it growing", "according to statistics"},
		{"whats the source for that", "what is the job outlook", "according to statistics"},
		{"why not tho", "will ai replace graphic designers", "reasons driven by because"},
		// "that job" after a question naming a rung is that rung.
		{"what does that job involve", "can a media specialist become a manager", "manager (career path tier)"},
		{"how long till i reach that level", "what does a senior data analyst do", "senior (career path tier)"},
		// More of the same: the previous question again.
		{"go on", "any tips for starting out", "(any tips for starting out)"},
		{"more detail pls", "what mistakes do beginners make", "(what mistakes do beginners make)"},
		{"anything else?", "what does a media specialist do", "(what does a media specialist do)"},
		{"like what?", "which soft skills matter", "(which soft skills matter)"},
	} {
		got, ok := FollowUp(tc.question, tc.prev)
		if !ok || !strings.Contains(got, tc.want) {
			t.Errorf("FollowUp(%q after %q) = %q %v, want it to hold %q", tc.question, tc.prev, got, ok, tc.want)
		}
	}
	// Questions of their own, and intents with nothing to apply to.
	for _, tc := range []struct{ question, prev string }{
		{"how long is the apprenticeship", "how do i become an electrician"},
		{"what tools do they use", "how much do they make"},
		{"what comes next", ""},
		{"do they need a degree", "what are the pros"},
	} {
		if got, ok := FollowUp(tc.question, tc.prev); ok {
			t.Errorf("FollowUp(%q after %q) = %q, want no rewrite", tc.question, tc.prev, got)
		}
	}
	if AboutItems("which of those two is growing more") || !AboutItems("which of those are for audio") {
		t.Error("'those two' points at the careers compared, 'those' alone at the answer's items")
	}
	if got, _ := FollowUp("and how long till i'm senior", "how much does a junior make"); strings.Contains(got, "junior") {
		t.Errorf("the previous level is carried: %q", got)
	}
	if !OnlyQualifies("what about at senior level") || !OnlyQualifies("and for newbies?") || OnlyQualifies("what do seniors earn") {
		t.Error("OnlyQualifies: a level alone qualifies the previous topic; a topic of its own does not")
	}
	// Being new is a level too; asking how to get in is a topic.
	if !OnlyQualifies("what about starting out, like my first job") || OnlyQualifies("how do i get started in each") {
		t.Error("OnlyQualifies: 'starting out' qualifies, 'how do i get started' asks how to get in")
	}
}

// A follow-up of only a level asks the last question at that level; one
// that asks something of a level does not.
func TestAsksALevelOnly(t *testing.T) {
	for q, want := range map[string]bool{
		"and a senior one?": true, "what about mid-level ones": true, "for juniors?": true, "and the lead level?": true,
		"do they train the juniors": false, "how much do seniors make": false, "and remote?": false,
	} {
		if got := AsksALevelOnly(q); got != want {
			t.Errorf("AsksALevelOnly(%q) = %v, want %v", q, got, want)
		}
	}
	if got := WithoutLevels("what does a junior media specialist do"); strings.Contains(got, "junior") {
		t.Errorf("WithoutLevels = %q", got)
	}
}
