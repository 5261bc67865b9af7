package compose

import (
	"strings"
	"testing"
)

func TestSmallTalk(t *testing.T) {
	for _, tc := range []struct {
		message, kind string
	}{
		{"hi", SmallTalkGreeting}, {"Hello there!", SmallTalkGreeting}, {"hey bot", SmallTalkGreeting},
		{"thanks!", SmallTalkThanks}, {"thank you so much", SmallTalkThanks}, {"ok thanks", SmallTalkThanks},
		{"bye", SmallTalkBye}, {"see ya", SmallTalkBye},
		{"who are you?", SmallTalkAbout}, {"what can you do", SmallTalkAbout}, {"help", SmallTalkAbout}, {"hi, what can you do?", SmallTalkAbout}, {"what do u do", SmallTalkAbout}, {"thank u", SmallTalkThanks},
		{"are you a bot?", SmallTalkAbout}, {"r u a bot", SmallTalkAbout}, {"are you a robot", SmallTalkAbout},
		// Runs of small talk, acknowledgements, emoji.
		{"gotta go, later", SmallTalkBye}, {"ok thanks, bye!", SmallTalkBye}, {"cool thanks lol", SmallTalkThanks},
		{"ok", SmallTalkThanks}, {"lol", SmallTalkThanks}, {"got it, thanks again mate", SmallTalkThanks},
		{"yo whats up", SmallTalkGreeting}, {"hey there, how are you?", SmallTalkGreeting}, {"👍", SmallTalkThanks},
		{"👋", SmallTalkGreeting}, {"?", SmallTalkAbout}, {"hello! who are you and what can you do?", SmallTalkAbout},
		{"how old are you?", SmallTalkAbout}, {"do you like pizza", SmallTalkAbout}, {"im bored", SmallTalkAbout},
		{"what's your favorite movie", SmallTalkAbout}, {"never mind", SmallTalkGreeting}, {"no thanks", SmallTalkBye},
		{"hiiii", SmallTalkGreeting}, {"heyyy there", SmallTalkGreeting}, {"thanksss!", SmallTalkThanks}, {"byeee", SmallTalkBye},
		{"cooool thanks", SmallTalkThanks}, {"good job", SmallTalkThanks}, {"i need career advice", SmallTalkAbout},
		{"thanks for that", SmallTalkThanks}, {"have a nice day", SmallTalkBye}, {"Good morning!", SmallTalkGreeting},
		// Chat shorthand, testing the widget, coming back, venting at the bot.
		{"gm", SmallTalkGreeting}, {"gn", SmallTalkBye}, {"gtg, thx", SmallTalkBye}, {"testing 123", SmallTalkGreeting},
		{"im back!", SmallTalkGreeting}, {"who created this?", SmallTalkAbout}, {"this is dumb", SmallTalkAbout},
		// Judgements of the bot, by grammar: praise is thanked, a complaint
		// gets what the bot does.
		{"this bot is really good", SmallTalkThanks}, {"your answers are super helpful!", SmallTalkThanks},
		{"you rock", SmallTalkThanks}, {"that answer was useless", SmallTalkAbout}, {"ur not helping", SmallTalkAbout},
		{"this chat is kinda slow tbh", SmallTalkAbout}, {"you're awesome, thanks!", SmallTalkThanks},
		// Other languages, goodbyes, who is this.
		{"hola que tal", SmallTalkGreeting}, {"hallo wie gehts", SmallTalkGreeting}, {"salut ça va", SmallTalkGreeting},
		{"namaste", SmallTalkGreeting}, {"how far, wetin dey happen", SmallTalkGreeting}, {"kamusta", SmallTalkGreeting}, {"good morning po", SmallTalkGreeting}, {"thank you po", SmallTalkThanks}, {"gracias amigo", SmallTalkThanks}, {"danke schön", SmallTalkThanks},
		{"have a good one", SmallTalkBye}, {"take it easy", SmallTalkBye}, {"who am i chatting with", SmallTalkAbout},
		{"what is this thing for", SmallTalkAbout},
		// Greetings and thanks in their own scripts; "to you"; British thanks.
		{"こんにちは", SmallTalkGreeting}, {"привет!", SmallTalkGreeting}, {"你好", SmallTalkGreeting}, {"شكرا", SmallTalkThanks},
		{"good evening to you", SmallTalkGreeting}, {"cheers for that mate", SmallTalkThanks},
		// Held-down letters (only runs of three are), a doubled last letter,
		// a typo, slang, a mark-bearing script, judgements in a row.
		{"HELLOOOO ANYONE THERE", SmallTalkGreeting}, {"hiii how are youu", SmallTalkGreeting}, {"helo ther", SmallTalkGreeting},
		{"yooo whats good fam", SmallTalkGreeting}, {"नमस्ते", SmallTalkGreeting}, {"hallo zusammen", SmallTalkGreeting},
		{"ugh ur so slowww", SmallTalkAbout}, {"ur pretty smart for a bot lol", SmallTalkThanks},
		{"you're kinda useless tbh, that last answer made no sense", SmallTalkAbout}, {"that makes sense", SmallTalkThanks},
		{"thx a bunch, appreciated", SmallTalkThanks}, {"hey! thanks for earlier, bye", SmallTalkBye},
		{"so what can u do for me", SmallTalkAbout}, {"gracias, adiós", SmallTalkBye},
		{"good morning! how are you today?", SmallTalkGreeting}, {"whatsup", SmallTalkGreeting}, {"xin chao", SmallTalkGreeting},
		{"much obliged", SmallTalkThanks}, {"talk soon", SmallTalkBye}, {"i don't get it", SmallTalkAbout},
		{"can you repeat that", SmallTalkAbout}, {"???!!!", SmallTalkAbout}, {"!!!", SmallTalkThanks}, {"sorry", SmallTalkAck}, {"my bad", SmallTalkAck}, {"you're welcome", SmallTalkAck},
		// Pleasantries, checking anyone is there, who made it, not knowing
		// what to ask; approving emoji and emoticons.
		{"hey, hope youre doing well", SmallTalkGreeting}, {"how you going mate", SmallTalkGreeting},
		{"hello? anybody around", SmallTalkGreeting}, {"who developed this app", SmallTalkAbout},
		{"hmm, am i speaking with a human or ai", SmallTalkAbout}, {"not sure what to ask tbh", SmallTalkAbout},
		{"🙏🙏", SmallTalkThanks}, {":-) thanks", SmallTalkThanks}, {"❤️", SmallTalkThanks},
		// Praise after thanks, interjections before a judgement, what can be
		// asked, asking for a human, saying one is new or has questions.
		{"thank you, that was useful", SmallTalkThanks}, {"wow ur actually really good at this", SmallTalkThanks},
		{"ugh ur so slow", SmallTalkAbout}, {"you've been very helpful", SmallTalkThanks}, {"you're a lifesaver", SmallTalkThanks},
		{"what kind of stuff can i ask you", SmallTalkAbout}, {"which jobs have u got info on", SmallTalkAbout},
		{"what topics can you help with", SmallTalkAbout}, {"what else can you do?", SmallTalkAbout},
		{"are u chatgpt or something else", SmallTalkAbout}, {"can i talk to a human?", SmallTalkAbout},
		{"Hello! I'm new here", SmallTalkGreeting}, {"hi, i'm looking for career advice", SmallTalkAbout},
		{"you didnt really answer my question", SmallTalkAbout}, {"hola, qué tal?", SmallTalkGreeting},
		{"Hi, I'm Sarah", SmallTalkGreeting}, {"my name is john", SmallTalkGreeting}, {"Hello, I'm a student", SmallTalkGreeting},
		{"Thank you so much, this really helped me a lot!", SmallTalkThanks}, {"Awesome, appreciate the help", SmallTalkThanks},
		{"What kinds of things can you answer?", SmallTalkAbout}, {"im confused", SmallTalkAbout}, {"See you next time!", SmallTalkBye},
		// Any short question whose subject is the bot, and nothing of a career.
		{"do you have a name?", SmallTalkAbout}, {"what model are you", SmallTalkAbout}, {"can you speak french?", SmallTalkAbout},
		{"how smart are you", SmallTalkAbout}, {"are you powered by chatgpt?", SmallTalkAbout}, {"thank you kindly", SmallTalkThanks},
		{"i have no more questions", SmallTalkBye}, {"is this free?", SmallTalkAbout},
	} {
		if kind, ok := SmallTalk(tc.message); !ok || kind != tc.kind {
			t.Errorf("SmallTalk(%q) = %q %v, want %q", tc.message, kind, ok, tc.kind)
		}
	}
	for _, q := range []string{"hi, how much do nurses make?", "help me become a nurse", "what do you earn as a designer", "thanks, and what about remote work?",
		"and the morning?", "later?", "evening?", "ok so what about seniors", "cool, how long does it take",
		"do you like working with data", "do you have a guide for nurses", "wrong answer, what do they earn", "who created this campaign",
		// A judgement asked as a question, or of the career, is a question.
		"is it good?", "is that good pay", "are they helpful to clients", "this job is good?", "that salary is good right",
		"your pay is good as a senior?", "the money is bad?", "its good for beginners?",
		// A symbol that neither approves nor waves is no thanks.
		"🫠", "🤔🤔", "🍕",
		// Asking what else there is about the answer, or what a career's
		// people can be asked, is a follow-up.
		"anything else?", "what else do they use", "what can i ask at an interview", "which jobs pay more",
		// Saying who one is, with a question or a career: a question.
		"i'm a nurse, how much do seniors make", "im thinking about becoming a media specialist", "what if im shy",
		// Asked of the bot, but about a career, a topic or a task.
		"can you tell me the salary", "do you think the pay is good", "what gets you there", "how do you get there", "helo what is the pay", "is it good for a junior", "can you write me a cover letter", "what do you earn as a nurse"} {
		if kind, ok := SmallTalk(q); ok {
			t.Errorf("SmallTalk(%q) = %q, want a career question", q, kind)
		}
	}
	guides := []string{"Media Specialist Career Path Guide", "UX Researcher Career Guide"}
	for _, kind := range []string{SmallTalkGreeting, SmallTalkThanks, SmallTalkBye, SmallTalkAbout, SmallTalkAck} {
		r := SmallTalkReply(kind, guides)
		if !strings.Contains(r, "Media Specialist and UX Researcher") || strings.Contains(r, "couldn't find") {
			t.Errorf("%s reply %q: want the careers, never the decline", kind, r)
		}
	}
	if r := Uncovered([]string{"Plumber"}, guides); !strings.Contains(r, "Plumber") || !strings.Contains(r, "UX Researcher") || strings.ContainsAny(r, "$0123456789") {
		t.Errorf("Uncovered = %q", r)
	}
}

func TestWithoutSmallTalk(t *testing.T) {
	for _, tc := range []struct{ message, want string }{
		{"hi, what does a media specialist earn?", "what does a media specialist earn?"},
		{"Thanks! How much do they make", "How much do they make"},
		{"hey there can you tell me about the pay", "can you tell me about the pay"},
		{"ok cool, and for seniors?", "and for seniors?"},
		{"what degree do i need? thanks", "what degree do i need?"},
		{"how much do nurses make, thank you!", "how much do nurses make"},
		// Unchanged: only small talk, none, or words a question opens with.
		{"hi there", "hi there"}, {"how much do they make", "how much do they make"},
		{"right now is it a good time to start", "right now is it a good time to start"},
		{"yes or no: do i need a degree", "yes or no: do i need a degree"},
		// A time of day is a greeting only when set off as one.
		{"evening tasks for a media specialist?", "evening tasks for a media specialist?"},
		{"morning routine of a nurse", "morning routine of a nurse"},
		{"Morning! what do nurses earn", "what do nurses earn"}, {"evening, what do they do", "what do they do"},
	} {
		if got := WithoutSmallTalk(tc.message); got != tc.want {
			t.Errorf("WithoutSmallTalk(%q) = %q, want %q", tc.message, got, tc.want)
		}
	}
}

// BenchmarkSplitSmallTalkLongMessage is a message of 500 filler words, the
// longest a question may be: the cuts tried around a question are bounded
// by a small-talk message's length (it took 73 ms before).
func BenchmarkSplitSmallTalkLongMessage(b *testing.B) {
	m := strings.Repeat("a ", 500)
	for b.Loop() {
		SplitSmallTalk(m)
	}
}
