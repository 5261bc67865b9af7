package compose

import (
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// SmallTalk kinds: what a visitor says that is not a career question.
const (
	SmallTalkGreeting = "greeting"
	SmallTalkThanks   = "thanks"
	SmallTalkBye      = "bye"
	SmallTalkAbout    = "about" // who are you, what can you do, help
)

// smallTalkPhrases are whole messages (lower case, words only) of each kind.
var smallTalkPhrases = map[string][]string{
	SmallTalkGreeting: {"hi", "hello", "hey", "hiya", "howdy", "yo", "good morning", "good afternoon", "good evening",
		"hi there", "hello there", "hey there", "greetings", "sup", "whats up", "how are you", "hows it going", "heya", "hey ya",
		"hullo", "good day", "morning", "evening", "hi hi", "hey hey", "how are you doing", "nice to meet you"},
	SmallTalkThanks: {"thanks", "thank you", "thx", "ty", "thanks a lot", "thank you so much", "many thanks", "cheers",
		"great thanks", "ok thanks", "okay thanks", "perfect thanks", "awesome", "cool", "great", "nice", "ok", "okay", "got it", "helpful",
		"thank you very much", "thanks so much", "much appreciated", "appreciate it", "that helps", "that was helpful", "thanks for the help", "thanks for your help"},
	SmallTalkBye: {"bye", "goodbye", "good bye", "see you", "see ya", "later", "cya", "good night", "bye bye", "thats all",
		"gotta go", "i have to go", "i need to go", "see you later", "talk later", "talk to you later", "catch you later", "im done", "that is all"},
	SmallTalkAbout: {"who are you", "what are you", "what can you do", "what do you do", "help", "what can i ask",
		"what can you help with", "how does this work", "are you a bot", "are you human", "are you a robot", "what is this",
		"who made you", "who built you", "who created you", "what do you know", "what do you know about", "can you help", "can you help me",
		"what can i ask you", "what should i ask", "what are you for", "how can you help", "how can you help me", "what is your name", "whats your name"},
}

// SmallTalk reports whether a message is small talk rather than a career
// question, and of which kind: a greeting, thanks, goodbye, or a question
// about the bot. Only short messages that are nothing else qualify ("hi,
// how much do nurses make?" is a career question).
func SmallTalk(message string) (string, bool) {
	var words []string
	vocab.ForEachWordIn(message, func(w string) {
		switch w { // chat shorthand
		case "u", "ya":
			w = "you"
		case "ur":
			w = "your"
		case "r":
			w = "are"
		case "thx", "thnx", "tnx":
			w = "thanks"
		}
		words = append(words, w)
	})
	if len(words) == 0 || len(words) > 8 {
		return "", false
	}
	// Drop a trailing "bot", "there", "again", "so much" and friendly fillers.
	// The phrases are matched before the fillers go as well as after:
	// stripping " bot " turned "are you a bot" into "are you a", which
	// matched nothing and was declined.
	whole := strings.Join(words, " ")
	text := " " + whole + " "
	for _, filler := range []string{" bot ", " again ", " mate ", " guys ", " very much ", " so much ", " lol ", " :) "} {
		text = strings.ReplaceAll(text, filler, " ")
	}
	text = strings.TrimSpace(text)
	for _, kind := range []string{SmallTalkAbout, SmallTalkThanks, SmallTalkBye, SmallTalkGreeting} {
		for _, p := range smallTalkPhrases[kind] {
			if text == p || whole == p {
				return kind, true
			}
		}
	}
	// "hi there, thanks!" and similar pairs.
	if first, rest, ok := strings.Cut(text, " "); ok {
		k1, ok1 := SmallTalk(first)
		k2, ok2 := SmallTalk(rest)
		if ok1 && ok2 {
			if k2 == SmallTalkAbout {
				return k2, true
			}
			return k1, true
		}
	}
	return "", false
}

// SmallTalkReply is the friendly answer to small talk: it says what the bot
// can do and for which careers (the starters follow as suggestions). It
// never reads as a decline.
func SmallTalkReply(kind string, guides []string) string {
	careers := careerList(guides)
	switch kind {
	case SmallTalkThanks:
		return "You're welcome! Ask me anything else about " + careers + ": pay, skills, education, the day-to-day or how to get started."
	case SmallTalkBye:
		return "Goodbye, and good luck with your career plans! Come back any time with questions about " + careers + "."
	case SmallTalkAbout:
		return "I'm a career guide bot. I answer questions about " + careers + " from our career guides: pay, skills and tools, education and certifications, career growth, and what the work is like day to day. I cite the guide sections I use."
	}
	return "Hi! I answer questions about " + careers + " from our career guides: pay, skills, tools, education, day-to-day work and how to get started. What would you like to know?"
}

// Uncovered is the reply to a question about careers no guide covers: it
// says so and names the careers that are covered (offered as chips), with
// no figures from any guide.
func Uncovered(names, guides []string) string {
	what := "that career"
	if len(names) > 0 {
		what = strings.Join(names, " or ")
	}
	return "Sorry, I don't have a guide for " + what + ". I can answer questions about " + careerList(guides) + "."
}

func careerList(guides []string) string {
	roles := make([]string, len(guides))
	for i, g := range guides {
		roles[i] = RoleOf(g)
	}
	switch len(roles) {
	case 0:
		return "careers"
	case 1:
		return "the " + roles[0] + " career"
	}
	return strings.Join(roles[:len(roles)-1], ", ") + " and " + roles[len(roles)-1]
}
