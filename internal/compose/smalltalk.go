package compose

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/careerbot/careerbot/internal/vocab"
)

// SmallTalk kinds: what a visitor says that is not a career question.
const (
	SmallTalkGreeting = "greeting"
	SmallTalkThanks   = "thanks"
	SmallTalkBye      = "bye"
	SmallTalkAbout    = "about" // who are you, what can you do, help
	// SmallTalkAck is a courtesy that asks nothing: "sorry", "my bad",
	// "you're welcome", "no problem".
	SmallTalkAck = "ack"
)

// smallTalkPhrases are small-talk phrases (lower case, words only) of each
// kind. A message is small talk when it is a run of them, with fillers
// between ("hi there, thanks!", "gotta go, later", "cool thanks lol").
var smallTalkPhrases = map[string][]string{
	SmallTalkGreeting: {"hi", "hello", "hey", "hiya", "howdy", "yo", "good morning", "good afternoon", "good evening",
		"hi there", "hello there", "hey there", "greetings", "sup", "whats up", "wassup", "how are you", "hows it going", "heya", "hey ya",
		"hullo", "good day", "morning", "evening", "how are you doing", "nice to meet you", "hows your day", "how is it going",
		"whats new", "how do you do", "hola", "hallo", "ello", "hai", "hii", "hiii", "heyy", "heyyy", "bonjour", "salut", "ciao", "mornin", "evenin", "gday", "morning all",
		"whats going on", "hey whats going on", "test", "testing", "hello world", "start over", "restart", "go back",
		"how are you today", "hows your day going", "anyone there", "is anyone there", "are you there", "anybody there", "you there",
		"quick question", "i have a question", "i have a few questions", "can i ask you something", "can i ask you a question",
		"can i ask a question", "never mind", "nevermind", "nvm", "forget it",
		"gm", "im back", "i am back", "back again", "hello again", "hey again", "hi again", "whats good", "hru", "how r you",
		"how about you", "and you", "you good", "hope you are well", "hope your well", "hope youre well", "hope you are doing well", "hope youre doing well", "hope your doing well", "hope all is well", "hope you are having a good day", "hope your having a good day", "hope youre having a good day", "hope you have a good day", "hope your day is going well", "hope your day is good", "how have you been", "long time no see", "how are you going", "how you going", "hows things", "how are things", "hows life", "how is life", "hows your day been", "how is your day", "good day to you", "hello friend", "i hope you are well", "i hope youre well", "i hope your well", "hope you are doing good", "thanks for being here", "im just browsing", "just checking this out", "checking this out", "just looking around", "just curious", "im just curious", "im new here", "i am new here", "new here", "first time here", "just looking", "just browsing", "anyone about", "anybody about", "anyone around", "anybody around", "anyone home", "anybody home", "anyone here", "is this working", "is this thing on", "is this on", "testing 123", "test 123", "test test", "knock knock", "lets start", "lets begin", "lets go",
		// Greetings in the languages visitors most often open with.
		"hola que tal", "que tal", "qué tal", "hola qué tal", "buenos dias", "buenas tardes", "buenas noches", "buenas", "como estas", "hola como estas",
		"bonjour", "bonsoir", "salut ça va", "salut ca va", "ça va", "ca va", "coucou",
		"guten tag", "guten morgen", "hallo wie gehts", "wie gehts", "wie geht es dir", "servus", "moin",
		"buongiorno", "buonasera", "come stai", "olá", "ola", "oi", "tudo bem", "bom dia", "boa tarde",
		"namaste", "namaskar", "salaam", "salam", "assalamualaikum", "salam alaikum", "shalom", "merhaba", "privet", "zdravstvuyte",
		"konnichiwa", "ni hao", "nihao", "annyeong", "annyeonghaseyo", "hej", "hoi", "ahoj", "sawubona", "jambo", "habari",
		// ...and in their own scripts: Japanese, Chinese, Korean, Russian,
		// Ukrainian, Arabic, Hindi, Hebrew, Greek, Thai.
		"こんにちは", "こんばんは", "おはよう", "おはようございます", "もしもし", "你好", "您好", "大家好", "嗨", "안녕", "안녕하세요",
		"привет", "здравствуйте", "добрый день", "вітаю", "привіт", "مرحبا", "السلام عليكم", "اهلا", "أهلا", "नमस्ते", "नमस्कार",
		"שלום", "γεια", "γεια σου", "สวัสดี",
		"hello to you", "hi to you", "good morning to you", "good afternoon to you", "good evening to you", "same to you", "you too",
		"よろしく", "よろしくお願いします", "hallo zusammen", "hola a todos", "bonjour à tous", "bonjour a tous", "ciao a tutti",
		"hope you are keeping well", "i hope you are keeping well", "hope youre keeping well", "keeping well", "hope all is good",
		"whats good fam", "whats crackin", "whats cracking", "whats happening", "hows everyone", "how is everyone",
		"whatsup", "wazzup", "wassup", "hola amigo", "hola amiga", "namaste ji", "assalamu alaikum", "assalamualaikum",
		"as salaam alaikum", "salam aleikum", "sawadee", "sawasdee", "xin chao", "halo", "selamat pagi", "kumusta", "marhaba",
		"shalom aleichem", "ahoj", "dzien dobry", "god morgon", "goedemorgen", "kaixo",
		// Nigerian Pidgin, Filipino, Hinglish and Singlish openers.
		"how far", "wetin dey happen", "wetin dey", "how body", "how you dey", "how una dey", "how now",
		"kamusta", "kumusta ka", "kamusta ka", "musta", "kya haal hai", "kaise ho", "kya hal hai", "hello ji", "hi ji"},
	SmallTalkAck: {"sorry", "my bad", "oops", "oopsie", "whoops", "my mistake", "sorry about that", "sorry my bad", "soz",
		"youre welcome", "you are welcome", "my pleasure", "np", "no prob", "no probs", "all good mate"},
	// Thanks and acknowledgements: "ok", "lol", "cool", "got it" say that
	// an answer arrived, and get the same "you're welcome, ask me more".
	SmallTalkThanks: {"thanks", "thank you", "thx", "ty", "tysm", "thanks a lot", "thank you so much", "many thanks", "cheers",
		"great thanks", "ok thanks", "okay thanks", "perfect thanks", "awesome", "cool", "great", "nice", "ok", "okay", "got it", "helpful",
		"thank you very much", "thanks so much", "much appreciated", "appreciate it", "i appreciate it", "that helps", "that was helpful", "thanks for the help", "thanks for your help",
		"k", "kk", "okey", "okie", "oki", "alright", "all right", "sure", "yes", "yeah", "yep", "yup", "no worries", "no problem",
		"lol", "haha", "hahaha", "hehe", "lmao", "wow", "i see", "makes sense", "that makes sense", "interesting", "good to know",
		"sounds good", "fair enough", "nice one", "hmm", "hm", "ah", "oh", "oh ok", "right", "perfect", "excellent", "amazing",
		"very helpful", "super helpful", "that is helpful", "thats helpful", "thats great", "that is great", "great answer", "good answer",
		"thanks for that", "thanks for this", "thank you for that", "thank you for this", "thanks for the info", "thanks for the answer",
		"tyvm", "thnks", "thanku", "thank ya", "good job", "well done", "nice work", "great job", "youre amazing", "you are amazing",
		"thats all i needed", "thats everything", "that is everything", "perfect thanks so much", "awesome thanks", "nice thanks",
		"thanks a bunch", "thanks a million", "thanks heaps", "thanks loads", "ta", "many thanks", "big thanks",
		"for your help", "for the help", "for helping", "merci", "gracias", "danke", "obrigado", "grazie",
		"you are great", "youre great", "you are helpful", "youre helpful", "you are awesome", "youre awesome", "youre the best",
		"you are the best", "this is great", "this is helpful", "this is useful", "thats useful", "sounds great", "that helped",
		"thank you kindly", "thanks for answering", "thanks for answering my questions", "thanks for the answers", "appreciate your time", "i appreciate your time", "thanks for your time", "thank you for your time", "you answered my question", "youve answered my question", "this really helped", "that really helped", "really helped", "helped me a lot", "this helped me a lot", "that helped me a lot", "really helped me a lot", "this really helped me a lot", "exactly what i was looking for", "thats exactly what i was looking for", "what i was looking for", "appreciate the help", "appreciate your help", "i appreciate the help", "thats what i needed", "that is what i needed", "exactly what i needed", "just what i needed", "im good", "im fine",
		"i am good", "i am fine", "good thanks", "fine thanks", "not bad", "no", "nope", "nah", "no problem", "all good",
		"love it", "brilliant", "neat", "sweet", "noted", "understood", "gotcha", "good", "very good", "wonderful", "fantastic",
		"thanks a ton", "thanks a bunch", "thanks man", "ta very much", "cheers mate", "legend", "lifesaver", "you rock", "you rule",
		"you helped a lot", "you helped", "that worked", "it worked", "love this", "love you",
		// Thanks in other languages.
		"gracias amigo", "muchas gracias", "merci beaucoup", "danke schön", "danke schon", "danke schoen", "vielen dank",
		"grazie mille", "obrigada", "muito obrigado", "shukran", "dhanyavad", "dhanyavaad", "shukriya", "arigato", "arigatou",
		"xie xie", "xiexie", "spasibo", "tesekkurler", "teşekkürler", "dank je", "dankjewel", "tack", "takk", "gamsahamnida", "asante",
		"ありがとう", "ありがとうございます", "谢谢", "謝謝", "감사합니다", "고마워", "спасибо", "дякую", "شكرا", "धन्यवाद", "תודה", "ευχαριστώ",
		// "cheers" is thanks in British and Australian English, with what
		// "thanks" takes.
		"cheers for that", "cheers for this", "cheers for the help", "cheers for the info", "cheers for your help",
		"thanks for everything", "thank you for everything", "cheers for everything", "ta for that",
		"appreciated", "very much appreciated", "greatly appreciated", "helped heaps", "that helped heaps", "thanks heaps for that",
		"thanks for earlier", "thank you for earlier", "thanks for before", "thanks for the chat", "thank you for the chat",
		"much obliged", "obliged", "thats exactly what i needed", "that is exactly what i needed", "your the best", "ur the best",
		"youre a legend", "your a legend", "you are a legend", "that was quick", "good stuff"},
	SmallTalkBye: {"bye", "goodbye", "good bye", "see you", "see ya", "later", "cya", "good night", "bye bye", "thats all",
		"gotta go", "got to go", "i have to go", "i need to go", "i must go", "see you later", "see you soon", "talk later", "talk to you later",
		"catch you later", "im done", "that is all", "take care", "have a good day", "have a nice day", "have a great day", "bye for now",
		"ttyl", "peace", "farewell", "later then", "nothing else", "no more questions", "thats it", "that is it",
		"for now", "thats all for now", "bye now", "goodnight", "night", "nighty night", "see you tomorrow", "gotta run",
		"im off", "catch ya", "gn", "gtg", "g2g", "brb", "laters", "adios", "au revoir", "so long",
		"have a good one", "take it easy", "have a good night", "have a good weekend", "have a nice weekend", "have a good evening",
		"have a great weekend", "enjoy your day", "until next time", "see you next time", "see you around", "see ya later", "later alligator", "thats all for today", "that will be all", "thatll be all", "i have no more questions", "no further questions", "no more questions thanks", "hasta luego", "hasta la vista", "chao", "tschüss", "tschuss",
		"auf wiedersehen", "arrivederci", "a bientot", "à bientôt", "tchau", "sayonara", "zaijian", "adiós", "hasta pronto",
		"さようなら", "再见", "пока", "до свидания", "안녕히 가세요", "مع السلامة", "अलविदा",
		"talk soon", "speak soon", "chat soon", "catch you later alligator", "see you later alligator", "in a while crocodile",
		"until then", "ciao for now", "cheerio", "ta ta", "toodles", "ok ciao", "im done for today", "done for today", "ok bye", "bye then", "no thanks", "no thank you", "not now", "signing off", "im leaving"},
	SmallTalkAbout: {"who are you", "what are you", "what can you do", "what do you do", "help", "what can i ask",
		"what can you help with", "how does this work", "are you a bot", "are you human", "are you a robot", "are you real", "are you ai",
		"are you an ai", "are you chatgpt", "is this a bot", "is this ai", "what is this",
		"who made you", "who built you", "who created you", "what do you know", "what do you know about", "can you help", "can you help me",
		"what can i ask you", "what should i ask", "what are you for", "how can you help", "how can you help me", "what is your name", "whats your name",
		"help me", "i need help", "what do you cover", "what careers do you cover", "what careers do you know", "what topics", "menu", "options",
		"how do i use this", "how do i use you", "what are my options", "commands",
		"what careers", "which careers", "what jobs do you cover", "what can you tell me", "what can you tell me about",
		"whats your purpose", "what is your purpose", "what do you help with", "what can you answer", "what questions can i ask",
		"what kind of questions can you answer", "what kind of questions can i ask", "what sort of questions can i ask",
		"what questions can you answer", "tell me about yourself", "what are you able to do", "introduce yourself",
		"who am i talking to", "who am i talking with", "what is careerbot", "what can this do", "what can this bot do", "what does this bot do", "what is this bot", "are you a real person",
		"are you a person", "are you smart", "do you like your job", "how do you work", "what are your capabilities",
		"what are you capable of", "what", "huh", "idk", "i dont understand", "im confused", "confused", "i dont know",
		"who is this", "whos this", "what is this thing", "what are you exactly", "what exactly do you do",
		"what can you help me with today", "can you help me with something", "i need some help", "i need advice", "i need some advice",
		"i need career advice", "can you give me career advice", "career advice", "i need help with my career", "can you help me please",
		"what careers do you know about", "what careers do you know", "what jobs do you know about", "what jobs do you know",
		"what careers do you have", "what jobs do you have", "what guides do you have", "which careers do you cover",
		"what careers can you help with", "what can you help me with", "what topics do you cover", "help me out",
		"who created this", "who made this", "who built this", "who wrote you", "who owns you", "who runs this",
		"this is dumb", "this is stupid", "you are dumb", "youre dumb", "you are stupid", "youre stupid", "stupid bot", "dumb bot", "wrong", "thats wrong",
		"you suck", "this is useless", "useless", "you are useless", "that didnt help", "not helpful", "what do you mean",
		"who am i chatting with", "who am i speaking to", "who am i speaking with", "who am i talking to right now",
		"what is this for", "what is this thing for", "what are you for", "what is this site", "what is this chat",
		"looking for career advice", "im looking for career advice", "i am looking for career advice", "looking for advice", "i want career advice", "need career advice", "career questions", "i have career questions", "i have some career questions", "i have a career question", "can you help me with career questions", "can you answer career questions", "can you help with career questions", "help with my career", "who owns this", "is this free", "is it free", "does this cost anything", "is this private", "is my data private", "do you save my chats", "do you store my data", "what do i type", "can i ask anything", "can i ask you anything", "id like some career advice", "i would like some career advice", "quick question about careers", "a question about careers", "questions about careers", "career question", "uh", "um", "erm", "who are you exactly", "what are you able to help me with", "what are you able to help with", "can you tell me what you do", "tell me what you do", "whats this", "what is this exactly", "you didnt answer my question", "you didnt answer", "didnt answer my question", "didnt answer the question", "you didnt really answer", "that didnt answer my question", "that doesnt answer my question", "not what i asked", "thats not what i asked", "that is not what i asked", "thats not my question", "answer my question", "read my question", "you missed the point", "that makes no sense", "makes no sense",
		"what to ask", "idk what to ask", "not sure what to ask", "dont know what to ask", "i dont know what to ask", "no idea what to ask",
		"what should i ask you", "what do i ask", "what can i even ask", "what can you do for me", "what can you do for me today",
		"what do you do for me", "how can you help me today", "what are you good for",
		"i dont get it", "i dont get that", "i dont follow", "can you repeat that", "repeat that", "say that again",
		"come again", "pardon", "sorry what", "what do you mean by that", "not helpful at all", "not helpful", "no help at all",
		"can we start again", "lets start again", "start again", "from the top", "can we start over", "begin again", "who developed this", "who designed this", "who programmed you", "who developed you", "who designed you", "who is behind this", "who is behind you"},
}

// smallTalkFillers are words that go with small talk without changing it
// ("hey bot", "thanks again mate", "ok so bye"); on their own they are not
// small talk.
var smallTalkFillers = map[string]bool{
	"bot": true, "again": true, "mate": true, "guys": true, "man": true, "dude": true, "buddy": true, "friend": true, "pal": true,
	"so": true, "much": true, "very": true, "a": true, "lot": true, "there": true, "well": true, "um": true, "uh": true, "just": true,
	"really": true, "please": true, "pls": true, "plz": true, "all": true, "and": true,
	"you": true, "everyone": true, "partner": true, "anyone": true, "today": true, "here": true, "out": true, "thing": true,
	"or": true, "folks": true, "chatbot": true, "careerbot": true, "xd": true,
	// Courtesy particles of other Englishes: Filipino "po", Hinglish "ji",
	// Singlish "lah", Nigerian "o".
	"po": true, "ji": true, "lah": true, "o": true,
	"lol": true, "haha": true, "hehe": true, "oh": true, "ah": true, "ok": true, "okay": true,
	// What the bot is called by visitors ("who built this chat thing"), and
	// what they open with before asking it something ("wait, are you a bot?").
	"chat": true, "widget": true, "assistant": true, "app": true, "site": true, "website": true, "thingy": true,
	"wait": true, "sorry": true, "hmm": true, "umm": true, "tbh": true, "ngl": true, "honestly": true,
	"bro": true, "sir": true, "maam": true, "madam": true, "fam": true, "yall": true, "everybody": true, "people": true,
	"zusammen": true, "todos": true, "to": true,
	"super": true, "actually": true, "pretty": true, "quite": true, "ugh": true, "omg": true, "bruh": true, "wow": true, "aw": true, "aww": true,
}

// smallTalkOf maps each phrase to its kind; maxPhraseWords is the longest.
var smallTalkOf, maxPhraseWords = func() (map[string]string, int) {
	m := map[string]string{}
	longest := 0
	// Kinds in priority order: a phrase listed under two kinds is the first's.
	for _, kind := range []string{SmallTalkAbout, SmallTalkThanks, SmallTalkBye, SmallTalkAck, SmallTalkGreeting} {
		for _, p := range smallTalkPhrases[kind] {
			if _, ok := m[p]; !ok {
				m[p] = kind
			}
			longest = max(longest, len(strings.Fields(p)))
		}
	}
	return m, longest
}()

// smallTalkWord holds every word of a small-talk phrase and every filler:
// a message with another word is not all small talk, and no run of small
// talk spans that word.
var smallTalkWord = func() map[string]bool {
	m := map[string]bool{}
	for p := range smallTalkOf {
		for _, w := range strings.Split(p, " ") {
			m[w] = true
		}
	}
	for w := range smallTalkFillers {
		m[w] = true
	}
	return m
}()

// maxSmallTalkWords bounds a small-talk message: a longer one is a question.
const maxSmallTalkWords = 12

// smallTalkWords are the message's words with chat shorthand for small talk
// read out ("u" → "you", "thx" → "thanks").
func smallTalkWords(message string) []string {
	var words []string
	vocab.ForEachWordIn(message, func(w string) {
		switch w { // chat shorthand
		case "u", "ya":
			w = "you"
		case "ur":
			w = "your"
		case "r":
			w = "are"
		case "thx", "thnx", "tnx", "thanx", "thankyou":
			w = "thanks"
		case "ok", "okk", "okkk":
			w = "ok"
		case "bbye", "byee", "byeee":
			w = "bye"
		}
		if !knownSmallTalkWord(w) {
			w = unstretch(w) // "hiiii", "heyyy", "thanksss", "byeee"
		}
		words = append(words, w)
	})
	return words
}

// unstretch undoes a word typed with its letters held down: a run of three
// or more of one letter becomes one ("hiiii" → "hi", "byeee" → "bye"), and
// when that is no small-talk word, two ("sooo" → "so", "cooool" → "cool").
//
// Only runs of three or more are held-down letters: "helloooo" is "hello",
// not "helo" (its "ll" is the word's own). A doubled last letter is one
// too when the word without it is small talk's ("youu", "thankss").
func unstretch(w string) string {
	// runs collapses each run of three or more of one byte to keep bytes.
	runs := func(keep int) string {
		var b []byte
		for i := 0; i < len(w); {
			j := i
			for j < len(w) && w[j] == w[i] {
				j++
			}
			n := j - i
			if n >= 3 {
				n = keep
			}
			for range n {
				b = append(b, w[i])
			}
			i = j
		}
		return string(b)
	}
	if !hasRun(w, 3) {
		if n := len(w); n >= 3 && w[n-1] == w[n-2] && knownSmallTalkWord(w[:n-1]) {
			return w[:n-1]
		}
		return w
	}
	one := runs(1)
	if knownSmallTalkWord(one) {
		return one
	}
	two := runs(2)
	if knownSmallTalkWord(two) {
		return two
	}
	if n := len(one); n >= 3 && one[n-1] == one[n-2] && knownSmallTalkWord(one[:n-1]) {
		return one[:n-1]
	}
	return two
}

// maxTypoWords bounds the messages whose typos are looked for: a greeting
// is a few words, and the search is a scan of small talk's words.
const maxTypoWords = 4

// typoTargets are small talk's words of four letters or more, sorted, so
// that a typo one edit from two of them always gets the same.
var typoTargets = func() []string {
	var out []string
	for w := range smallTalkWord {
		if len(w) >= 4 {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}()

// smallTalkTypos returns words with each word of four letters or more that
// is neither small talk's nor an English word replaced by the small-talk
// word one letter longer, or else as long, one edit away, if one is;
// changed says whether any was.
func smallTalkTypos(words []string) ([]string, bool) {
	if len(words) > maxTypoWords {
		return words, false
	}
	var out []string
	for i, w := range words {
		if len(w) < 4 || knownSmallTalkWord(w) || vocab.IsEnglishWord(w) {
			continue
		}
		// A dropped letter first ("helo" is "hello", not "help"), then a
		// changed or swapped one.
		for _, n := range []int{len(w) + 1, len(w)} {
			k := slices.IndexFunc(typoTargets, func(cand string) bool { return len(cand) == n && oneEdit(w, cand) })
			if k >= 0 {
				if out == nil {
					out = slices.Clone(words)
				}
				out[i] = typoTargets[k]
				break
			}
		}
	}
	if out == nil {
		return words, false
	}
	return out, true
}

// oneEdit reports whether a and b differ by one inserted, deleted or
// changed byte, or two neighbours swapped.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// knownSmallTalkWord reports whether w is a word of small talk: of a
// phrase, a filler, or a judgement ("slow", "useless").
func knownSmallTalkWord(w string) bool {
	if smallTalkWord[w] {
		return true
	}
	_, judge := judgeWords[w]
	return judge || judgeLinks[w] || judgeSubjects[w] || judgeNouns[w]
}

// hasRun reports whether w holds n or more of one byte in a row.
func hasRun(w string, n int) bool {
	run := 1
	for i := 1; i < len(w); i++ {
		if w[i] == w[i-1] {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

// SmallTalk reports whether a message is small talk rather than a career
// question, and of which kind: a greeting, thanks (or an acknowledgement:
// "ok", "lol", "cool"), goodbye, or a question about the bot ("who are
// you", "help"). A message is small talk when all of it is small-talk
// phrases and fillers ("hi, what can i ask you?", "gotta go, later"), or
// only emoji and punctuation ("👍", "?"). "hi, how much do nurses make?"
// is a career question: see WithoutSmallTalk.
func SmallTalk(message string) (string, bool) {
	return smallTalkOfWords(message, smallTalkWords(message))
}

// SplitSmallTalk is SmallTalk(message) and WithoutSmallTalk(message) from
// one reading of the message's words: every answer needs both, and reading
// the words (smallTalkWords) twice and judging the whole message twice was
// about a third of their cost (BenchmarkAnswerOffline/botbench CPU profile,
// 13:39 UTC: WithoutSmallTalk 7.2% and SmallTalk 5.0% of an offline
// answer). TestSplitSmallTalkIsSmallTalkAndWithout holds it to the two.
func SplitSmallTalk(message string) (question, kind string, only bool) {
	words := smallTalkWords(message)
	kind, only = smallTalkOfWords(message, words)
	return withoutSmallTalk(message, words, only), kind, only
}

// smallTalkOfWords is SmallTalk, given the message's smallTalkWords.
func smallTalkOfWords(message string, words []string) (string, bool) {
	if len(words) == 0 {
		return emojiOnly(message)
	}
	if len(words) > maxSmallTalkWords {
		return "", false
	}
	if aboutTheBot(message, words) {
		return SmallTalkAbout, true
	}
	if kind, ok := judgement(withoutLeadingFillers(words)); ok {
		return kind, true
	}
	if asksWhatToAsk(message, words) {
		return SmallTalkAbout, true
	}
	if introducesThemself(message, words) {
		return SmallTalkGreeting, true
	}
	// Small talk, then a judgement: "thank you, that was useful".
	for i := 1; i < len(words)-1; i++ {
		if _, ok := segmentSmallTalk(words[:i]); !ok {
			continue
		}
		if kind, ok := judgement(words[i:]); ok {
			return kind, true
		}
	}
	kinds, ok := segmentSmallTalk(words)
	if !ok {
		// Fillers inside a phrase: "what can this thing do", "help me out here".
		kinds, ok = segmentSmallTalk(slices.DeleteFunc(slices.Clone(words), func(w string) bool { return smallTalkFillers[w] }))
	}
	if !ok {
		// A typo in a short greeting: "helo ther", "thnaks".
		if fixed, changed := smallTalkTypos(words); changed {
			kinds, ok = segmentSmallTalk(fixed)
		}
	}
	if !ok && askedOfTheBot(message, words) {
		return SmallTalkAbout, true
	}
	if !ok || strings.Contains(message, "?") && hasBareTimeWord(words) && !slices.ContainsFunc(kinds, func(k string) bool { return k != SmallTalkGreeting && k != SmallTalkBye }) {
		// "morning?", "and later?" ask about a time of the working day.
		return "", false
	}
	// About the bot says most, then goodbye ("thanks, bye"), then thanks
	// ("hi there, thanks!"), then a greeting.
	for _, kind := range []string{SmallTalkAbout, SmallTalkBye, SmallTalkThanks, SmallTalkAck, SmallTalkGreeting} {
		if slices.Contains(kinds, kind) {
			return kind, true
		}
	}
	return "", false
}

// personalOpenings ask the bot about itself ("what's your favorite
// movie", "do you like pizza", "are you happy"): with no career word in the
// rest, the answer is what the bot is and does.
var personalOpenings = []string{"whats your favorite", "what is your favorite", "whats your favourite", "what is your favourite",
	"do you like", "do you love", "do you enjoy", "are you happy", "are you ok", "are you okay", "are you alive", "are you sentient",
	"how old are you", "where do you live", "where are you from", "where are you located", "can you feel", "do you have feelings",
	"im bored", "i am bored", "im sad", "im tired", "i am sad", "i am tired", "i love you", "i like you"}

// botWords are what people ask whether the bot is ("are you human or ai",
// "is this a real person or a bot").
var botWords = map[string]bool{"a": true, "an": true, "human": true, "ai": true, "bot": true, "robot": true, "real": true,
	"person": true, "machine": true, "computer": true, "chatbot": true, "chatgpt": true, "gpt": true, "or": true,
	"program": true, "live": true, "agent": true, "actual": true, "just": true, "artificial": true, "intelligence": true,
	"something": true, "else": true, "like": true, "some": true, "kind": true, "of": true, "sort": true, "other": true,
	"model": true, "llm": true, "openai": true, "claude": true, "gemini": true, "siri": true, "alexa": true, "copilot": true}

func aboutTheBot(message string, words []string) bool {
	if len(words) > maxSmallTalkWords {
		return false
	}
	// "(wait,) are you a bot", "is this a real person", "am i talking to
	// a human or a bot": what follows is only what the bot might be.
	lead := withoutLeadingFillers(words)
	var rest []string
	switch {
	case len(lead) >= 3 && (lead[0] == "are" && lead[1] == "you" || lead[0] == "is" && lead[1] == "this"):
		rest = lead[2:]
	case len(lead) >= 5 && (lead[0] == "am" || lead[0] == "can") && lead[1] == "i" &&
		(lead[2] == "talking" || lead[2] == "chatting" || lead[2] == "speaking" || lead[2] == "talk" || lead[2] == "chat" || lead[2] == "speak") &&
		(lead[3] == "to" || lead[3] == "with"):
		rest = lead[4:] // "am i talking to a bot", "can i speak to a human"
	}
	if len(rest) > 0 && !slices.ContainsFunc(rest, func(w string) bool { return !botWords[w] }) {
		return true
	}
	joined := strings.Join(words, " ")
	for _, p := range personalOpenings {
		if opensWith(joined, p) {
			return !hasCareerWord(message, words, false)
		}
	}
	return false
}

// opensWith reports whether the words joined open with the words p: joined
// is p or starts with p and a space (strings.HasPrefix(joined+" ", p+" "),
// without writing either string for every opening of every message).
func opensWith(joined, p string) bool {
	return len(joined) >= len(p) && joined[:len(p)] == p && (len(joined) == len(p) || joined[len(p)] == ' ')
}

// A judgement of the bot or its answers is small talk, however it is
// worded: a subject that is the bot or what it said ("you", "this bot",
// "your answers", "that"), optionally a verb of being and adverbs, then
// words that judge ("this bot is really good", "that answer was useless",
// "ur not helping", "you rock"). A grammar rather than a phrase list: any
// subject, any adverbs, any judging word, in any order the grammar allows.
// A question ("is it good?", "are they helpful") is a follow-up, not a
// judgement. Praise is thanked; a complaint gets what the bot can do.

// judgeSubjects open a judgement: the bot, or what it just said.
var judgeSubjects = map[string]bool{"you": true, "youre": true, "youve": true, "youd": true, "your": true, "ure": true, "this": true, "that": true,
	"thats": true, "thisis": true, "its": true, "it": true, "the": true, "these": true, "those": true}

// judgeNouns are what a judgement is about: the bot and its answers.
var judgeNouns = map[string]bool{"bot": true, "chatbot": true, "chat": true, "answer": true, "answers": true, "reply": true,
	"replies": true, "response": true, "responses": true, "thing": true, "app": true, "site": true, "website": true,
	"tool": true, "service": true, "ai": true, "assistant": true, "info": true, "information": true, "advice": true,
	"one": true, "careerbot": true, "widget": true, "help": true}

// judgeLinks go between a subject and its judgement: verbs of being,
// negation, adverbs of degree.
var judgeLinks = map[string]bool{"is": true, "was": true, "are": true, "were": true, "am": true, "be": true, "been": true,
	"seems": true, "seem": true, "looks": true, "feels": true, "sounds": true, "isnt": true, "wasnt": true, "arent": true,
	"werent": true, "dont": true, "doesnt": true, "didnt": true, "not": true, "re": true, "s": true, "kinda": true, "just": true,
	"so": true, "really": true, "very": true, "pretty": true, "super": true, "quite": true, "too": true, "a": true, "an": true,
	"bit": true, "little": true, "such": true, "totally": true, "actually": true, "most": true, "honestly": true,
	"literally": true, "kind": true, "of": true, "sort": true, "lol": true, "haha": true, "tbh": true, "ngl": true,
	"absolutely": true, "extremely": true, "incredibly": true, "rather": true, "fairly": true, "all": true, "at": true,
	"much": true, "real": true, "bloody": true, "freaking": true, "damn": true, "always": true, "never": true, "being": true,
	"this": true, "for": true, "last": true, "previous": true, "made": true, "makes": true, "make": true, "no": true}

// judgeWords judge, praising (true) or complaining (false).
var judgeWords = map[string]bool{
	"good": true, "great": true, "helpful": true, "amazing": true, "awesome": true, "smart": true, "cool": true, "nice": true,
	"fine": true, "clear": true, "perfect": true, "incredible": true, "fantastic": true, "excellent": true, "brilliant": true,
	"impressive": true, "wonderful": true, "best": true, "accurate": true, "correct": true, "helping": true, "working": true,
	"dope": true, "sick": true, "lit": true, "fire": true, "solid": true, "genius": true, "clever": true, "cute": true,
	"friendly": true, "polite": true, "fast": true, "quick": true, "legit": true, "decent": true, "interesting": true,
	"useful": true, "rocks": true, "rock": true, "rules": true, "rule": true, "helps": true, "helped": true, "works": true,
	"worked": true, "goated": true, "lifesaver": true, "legend": true, "star": true, "champ": true, "gem": true, "hero": true, "okay": true, "ok": true, "alright": true, "superb": true, "lovely": true, "neat": true,
	"bad": false, "useless": false, "unhelpful": false, "awful": false, "terrible": false, "dumb": false, "stupid": false,
	"wrong": false, "boring": false, "slow": false, "weird": false, "confusing": false, "trash": false, "garbage": false,
	"rubbish": false, "annoying": false, "broken": false, "poor": false, "lame": false, "meh": false, "horrible": false,
	"pointless": false, "worst": false, "incorrect": false, "vague": false, "rude": false, "idiot": false, "crap": false,
	"disappointing": false, "frustrating": false, "fake": false, "wack": false, "mid": false, "unclear": false,
	"inaccurate": false, "outdated": false, "limited": false, "bogus": false, "ridiculous": false, "sucks": false,
	"suck": false, "dumbest": false, "worthless": false, "pathetic": false, "glitchy": false, "buggy": false, "off": false,
	"sense": true, "laggy": false, "nonsense": false, "repetitive": false, "robotic": false,
}

// questionOpeners make a message a question, never a judgement.
var questionOpeners = map[string]bool{"is": true, "are": true, "was": true, "were": true, "does": true, "do": true,
	"can": true, "could": true, "will": true, "would": true, "should": true, "how": true, "what": true, "why": true,
	"which": true, "when": true, "where": true, "who": true}

// judgement reports whether words judge the bot or its answers (see
// above), and the kind of small talk that makes them. Small talk may follow
// ("this bot is great, thanks!").
func judgement(words []string) (string, bool) {
	if len(words) < 2 || questionOpeners[words[0]] || !judgeSubjects[words[0]] && !judgeNouns[words[0]] {
		return "", false
	}
	praise, judged := true, false
	i := 1
	for i < len(words) && judgeNouns[words[i]] {
		i++
	}
	for ; i < len(words); i++ {
		w := words[i]
		if good, ok := judgeWords[w]; ok {
			judged = true
			praise = praise && good
			continue
		}
		if w == "not" || w == "isnt" || w == "wasnt" || w == "arent" || w == "dont" || w == "doesnt" || w == "didnt" || w == "never" || w == "no" {
			praise = false // "ur not helping", "this isnt working"
			continue
		}
		if judgeLinks[w] || judgeNouns[w] {
			continue
		}
		break
	}
	if !judged {
		return "", false
	}
	if i < len(words) {
		if _, ok := segmentSmallTalk(words[i:]); !ok {
			// Another judgement may follow: "you're kinda useless tbh,
			// that last answer made no sense".
			kind, ok := judgement(words[i:])
			if !ok {
				return "", false
			}
			praise = praise && kind == SmallTalkThanks
		}
	}
	if praise {
		return SmallTalkThanks, true
	}
	return SmallTalkAbout, true
}

// hasBareTimeWord reports whether words hold a time of day that is not a
// greeting's ("good morning! how are you today?" greets; "and later?",
// "morning?" ask about the working day).
func hasBareTimeWord(words []string) bool {
	for i, w := range words {
		if isTimeWord(w) && (i == 0 || words[i-1] != "good") {
			return true
		}
	}
	return false
}

// isTimeWord: a greeting or goodbye that is also a time of day, which a
// follow-up asks about with a question mark.
func isTimeWord(w string) bool {
	return w == "morning" || w == "evening" || w == "afternoon" || w == "later" || w == "night"
}

// segmentSmallTalk cuts words into small-talk phrases and fillers, longest
// phrase first, and returns the kinds of the phrases; false when some word
// is neither, or when there are only fillers.
func segmentSmallTalk(words []string) ([]string, bool) {
	// A word of no phrase and no filler cannot be segmented: most
	// questions stop here, before any phrase is looked up.
	for _, w := range words {
		if !smallTalkWord[w] {
			return nil, false
		}
	}
	// best[i]: the kinds of a segmentation of words[i:], ok[i] whether one exists.
	n := len(words)
	var keyBuf [64]byte
	best := make([][]string, n+1)
	ok := make([]bool, n+1)
	ok[n] = true
	for i := n - 1; i >= 0; i-- {
		for k := min(maxPhraseWords, n-i); k >= 1; k-- {
			if !ok[i+k] {
				continue
			}
			// The phrase's key in a buffer, not strings.Join: a map look-up
			// of string(bytes) allocates nothing.
			key := append(keyBuf[:0], words[i]...)
			for _, w := range words[i+1 : i+k] {
				key = append(append(key, ' '), w...)
			}
			if kind, isPhrase := smallTalkOf[string(key)]; isPhrase {
				best[i], ok[i] = append([]string{kind}, best[i+k]...), true
				break
			}
		}
		if !ok[i] && smallTalkFillers[words[i]] && ok[i+1] {
			best[i], ok[i] = best[i+1], true
		}
	}
	return best[0], ok[0] && len(best[0]) > 0
}

// emojiOnly reads a message without words: a wave is a greeting, a lone
// question mark asks what the bot does, and a message of only approving
// symbols (👍, 🙏, ":)") is an acknowledgement. Any other symbol (🫠, 🤔,
// 🍕) says nothing the bot can thank for or answer: it is not small talk,
// and gets the reply that says what the bot can help with. Only short
// messages: a pasted block of symbols is not small talk.
func emojiOnly(message string) (string, bool) {
	m := strings.TrimSpace(message)
	if m == "" || utf8.RuneCountInString(m) > 16 {
		return "", false
	}
	switch {
	case strings.ContainsRune(m, '👋'):
		return SmallTalkGreeting, true
	case strings.Trim(m, "?¿!. ") == "" && strings.ContainsAny(m, "?¿"):
		return SmallTalkAbout, true // "?", "???!!!": lost, not thankful
	}
	rest := m
	for _, a := range approvingSymbols {
		rest = strings.ReplaceAll(rest, a, "")
	}
	if strings.TrimFunc(rest, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '\uFE0F' || r == '\u200D' || unicode.Is(unicode.Sk, r)
	}) == "" {
		return SmallTalkThanks, true
	}
	return "", false
}

// approvingSymbols are the emoji and emoticons that say "thanks" or "got
// it": thumbs and hands, hearts, smiles, stars, ticks. Longer ones first,
// so ":-)" is removed whole before ":)" could be.
var approvingSymbols = []string{":-)", ":-D", ";-)", ":)", ":D", ";)", "(:", "<3", "xD", "XD", "=)", "^^", "^_^",
	"👍", "👌", "🙏", "👏", "🙌", "🤝", "💪", "✌", "🤙", "👊",
	"❤", "♥", "💙", "💚", "💜", "🧡", "💛", "🤍", "🖤", "💖", "💕", "💗", "😍", "🥰", "😘",
	"😊", "🙂", "😀", "😃", "😄", "😁", "😆", "😎", "😉", "😂", "🤣", "☺", "🤩", "🥳", "😇", "😌", "🤗",
	"🎉", "✨", "⭐", "🌟", "💯", "✅", "✔", "☑", "🔥", "🚀", "👀"}

// WithoutSmallTalk is the question of a message that opens or ends with
// small talk: "hi, what does a media specialist earn?" asks what a media
// specialist earns, "thanks! and for seniors?" asks "and for seniors?".
// The greeting, thanks or acknowledgement before the question and a
// "thanks"/"please" after it are dropped; a message that is only small
// talk, or has none, is returned as it is.
func WithoutSmallTalk(message string) string {
	words := smallTalkWords(message)
	if len(words) < 2 {
		return message
	}
	_, only := smallTalkOfWords(message, words)
	return withoutSmallTalk(message, words, only)
}

// withoutSmallTalk is WithoutSmallTalk, given the message's smallTalkWords
// and whether it is all small talk.
func withoutSmallTalk(message string, words []string, only bool) string {
	if len(words) < 2 || only {
		return message
	}
	// Only words of some phrase or filler can be small talk: no run at the
	// start reaches past the first other word, and none at the end starts
	// before the last one. Trying every cut there was ~half of
	// WithoutSmallTalk's CPU (same profile as SplitSmallTalk).
	firstOther, lastOther := len(words), -1
	for i, w := range words {
		if !smallTalkWord[w] {
			firstOther = min(firstOther, i)
			lastOther = i
		}
	}
	// The longest run of small talk at the start that leaves a question.
	// Small talk around a question is a few words: a run longer than a
	// small-talk message is none, which bounds the cuts tried ("a a a …"
	// of 500 fillers took 73 ms before).
	lead := 0
	for i := 1; i < len(words) && i <= firstOther && i <= maxSmallTalkWords; i++ {
		if kinds, ok := segmentSmallTalk(words[:i]); ok && !slices.Contains(kinds, SmallTalkAbout) && !hasOwnWords(words[:i]) {
			lead = i
		}
	}
	if lead == 1 && isTimeWord(words[0]) && !greetingMark(message) {
		lead = 0 // "evening tasks for a media specialist?": a time of the day, not "Evening!"
	}
	trail := 0
	for i := len(words) - 1; i > lead && i > lastOther && i >= len(words)-maxSmallTalkWords; i-- {
		if kinds, ok := segmentSmallTalk(words[i:]); ok && !slices.Contains(kinds, SmallTalkAbout) && !slices.Contains(kinds, SmallTalkGreeting) && !hasOwnWords(words[i:]) {
			trail = len(words) - i
		}
	}
	if lead == 0 && trail == 0 || lead+trail >= len(words) {
		return message
	}
	return cutWords(message, lead, len(words)-trail)
}

// greetingMark reports whether the message's first word is set off as a
// greeting is: by punctuation after it ("Morning! what do they…",
// "evening, quick question").
func greetingMark(message string) bool {
	t := strings.TrimLeft(message, " ")
	i := strings.IndexFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
	if i < 0 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	return strings.ContainsRune(",!.;:-—", r)
}

// hasOwnWords reports whether words hold one a question can open with as a
// word of its own ("right", "sure", "yes", "later"): such small talk is kept,
// so "right now" and "yes or no" stay whole.
func hasOwnWords(words []string) bool {
	for _, w := range words {
		switch w {
		case "hi", "hello", "hey", "hiya", "heya", "yo", "thanks", "thank", "ty", "cheers", "ok", "okay", "cool", "great",
			"awesome", "nice", "perfect", "got", "it", "lol", "haha", "good", "morning", "afternoon", "evening", "there", "you",
			"bot", "again", "so", "much", "a", "lot", "very", "helpful", "please", "pls", "plz", "alright", "k", "kk":
			continue
		}
		return true
	}
	return false
}

// cutWords returns message from its from-th word up to (not including) its
// to-th, as written; the message itself when its words cannot be found
// (shorthand read out, a number with separators).
func cutWords(message string, from, to int) string {
	lower := strings.ToLower(message)
	if len(lower) != len(message) {
		return message // a letter whose lower case is longer: positions differ
	}
	var starts, ends []int
	pos := 0
	failed := false
	vocab.ForEachWord(message, func(w string) {
		if failed {
			return
		}
		i := strings.Index(lower[pos:], w)
		if i < 0 {
			failed = true
			return
		}
		starts = append(starts, pos+i)
		pos += i + len(w)
		ends = append(ends, pos)
	})
	if failed || to > len(starts) || from >= to {
		return message
	}
	end := len(message)
	if to < len(starts) {
		end = ends[to-1]
		// Keep the question's own punctuation ("…earn?"), not a comma before the thanks.
		if rest := strings.TrimLeft(message[end:], " ,.!;:-"); strings.HasPrefix(rest, "?") {
			end = len(message) - len(rest) + 1
		}
	}
	return strings.TrimSpace(message[starts[from]:end])
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
	case SmallTalkAck:
		return "No problem! Ask me anything about " + careers + ": pay, skills, education, the day-to-day or how to get started."
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

// NoGuideFor is the line an answer about covered careers opens with when
// the question also named careers no guide covers.
func NoGuideFor(names []string) string {
	return "I don't have a guide for " + strings.Join(names, " or ") + "; here is what the guides say."
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

// withoutLeadingFillers drops the fillers and interjections a message opens
// with ("wow ur good at this", "ugh ur so slow", "wait, are you a bot").
func withoutLeadingFillers(words []string) []string {
	for len(words) > 0 && smallTalkFillers[words[0]] {
		words = words[1:]
	}
	return words
}

// whatToAskWords are the words of a question about what the bot can be
// asked or which careers it knows, besides "what/which … ask" or
// "… jobs/careers … you": "what kind of stuff can i ask you", "which jobs
// have u got info on".
var whatToAskWords = map[string]bool{"what": true, "which": true, "kind": true, "sort": true, "type": true, "types": true,
	"kinds": true, "of": true, "stuff": true, "things": true, "thing": true, "questions": true, "can": true, "could": true,
	"should": true, "do": true, "i": true, "you": true, "your": true, "ask": true, "about": true, "have": true, "got": true,
	"info": true, "information": true, "on": true, "know": true, "cover": true, "covered": true, "there": true, "are": true,
	"is": true, "the": true, "any": true, "other": true, "jobs": true, "careers": true, "guides": true, "professions": true,
	"topics": true, "else": true, "me": true, "to": true, "we": true, "talk": true, "chat": true, "a": true, "an": true,
	"help": true, "with": true, "answer": true, "able": true, "tell": true}

// asksWhatToAsk reports whether a short message asks what the bot can be
// asked, or which careers it has guides for, and nothing else: it opens
// with "what"/"which" and is only such words, with "ask", or a plural of
// careers next to "you". A career or topic word makes it a question.
func asksWhatToAsk(message string, words []string) bool {
	if len(words) < 3 || len(words) > 10 || words[0] != "what" && words[0] != "which" {
		return false
	}
	var ask, careers, you bool
	for _, w := range words {
		if !whatToAskWords[w] {
			return false
		}
		switch w {
		case "ask", "help", "answer":
			ask = true
		case "jobs", "careers", "guides", "professions", "topics":
			careers = true
		case "you", "your":
			you = true
		}
	}
	// "what else can you do": what the bot does, asked again.
	doing := you && words[len(words)-1] == "do"
	return ask || careers && you || doing
}

// introducesThemself reports whether a short message is the visitor saying
// who they are, after a greeting or not: "hi, i'm sarah", "my name is
// john", "nice to meet you, i'm alex", "hello, i'm a student". A career or
// career topic in it ("i'm a nurse, how much do seniors make") makes it a
// question.
func introducesThemself(message string, words []string) bool {
	if len(words) > 8 || hasCareerWord(message, words, false) {
		return false
	}
	if _, ok := segmentSmallTalk(words); ok {
		return false // small talk already, of its own kind ("im confused", "im back")
	}
	for i := 0; i < len(words); i++ {
		var rest []string
		switch {
		case words[i] == "im" || words[i] == "i" && i+1 < len(words) && words[i+1] == "am":
			rest = words[i+1:]
			if words[i] == "i" {
				rest = words[i+2:]
			}
		case words[i] == "my" && i+2 < len(words) && words[i+1] == "name" && words[i+2] == "is":
			rest = words[i+3:]
		case words[i] == "call" && i+1 < len(words) && words[i+1] == "me":
			rest = words[i+2:]
		default:
			continue
		}
		if _, ok := segmentSmallTalk(words[:i]); i > 0 && !ok {
			return false // "what if i'm…": not an introduction
		}
		// A name, or "a student", "a parent": one or two words.
		if len(rest) == 0 || len(rest) > 3 || rest[0] == "not" || rest[0] == "looking" || rest[0] == "thinking" ||
			rest[0] == "interested" || rest[0] == "trying" || rest[0] == "wondering" {
			return false
		}
		return true
	}
	return false
}

// askedOfTheBot reports whether a short question is about the bot itself,
// whatever it asks: it opens like a question, its subject is "you" ("do
// you have a name", "what model are you", "how smart are you", "can you
// speak french", "what can't you do"), and nothing in it is a career, a
// career topic, a task or an everyday subject — "can you tell me the
// salary" asks for pay, "can you write me a poem" for a task.
func askedOfTheBot(message string, words []string) bool {
	if len(words) < 2 || len(words) > 8 || !questionOpeners[words[0]] {
		return false
	}
	if !slices.Contains(words, "you") && !slices.Contains(words, "your") && !slices.Contains(words, "youre") {
		return false
	}
	// A word pointing back makes "you" anyone's: "what gets you there"
	// after a pay question asks how to reach the top pay.
	if slices.ContainsFunc(words, func(w string) bool {
		return w == "there" || w == "that" || w == "those" || w == "these" || w == "they" || w == "them"
	}) {
		return false
	}
	for _, w := range words {
		if taskVerbs[w] || pureTasks[w] || w == "tell" || w == "give" || w == "show" || w == "recommend" || w == "suggest" {
			return false // a request, answered or declined as one
		}
		if w == "guide" || w == "guides" || w == "for" || w == "about" {
			return false // "do you have a guide for nurses": what the guides cover, which routing answers
		}
	}
	return !hasCareerWord(message, words, false) && !OffTopic(message, false)
}
