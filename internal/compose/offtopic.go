package compose

import (
	"slices"
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// Off-topic questions the retrieval score alone lets through. A guide
// mentions many everyday things (shows, music, a "Contextual Advice" list),
// so "recommend a good netflix show" can score above the threshold on
// "recommend" alone. OffTopic recognises, in general, what is not a career
// question: a question about entertainment, food, the weather, sport,
// games, health, home tech support, general knowledge or maths, or a bare
// request for a recommendation, with no career word in it. A career word —
// a career topic (pay, skills, tools, degree…), the job itself, work,
// employers, hiring, learning — keeps it a career question however odd the
// rest is: "what music software do they use", "do designers work on movie
// posters", "best laptop for learning design". The caller checks that the
// question names no career (covered or not) first.

// offTopicWords are the stems of words that belong to everyday subjects the
// guides are not about. Only words that are not career vocabulary too: no
// "film" (video production), "podcast", "youtube" (learning online),
// "laptop", "book", "language", "time", "vacation" (paid time off).
var offTopicWords = func() map[string]bool {
	m := map[string]bool{}
	vocab.ForEachWord(`
	netflix hulu hbo disney primevideo tv television sitcom anime cartoon cartoons episode episodes movie movies
	song songs music playlist spotify album albums singer rapper concert concerts lyrics celebrity celebrities
	joke jokes riddle riddles meme memes horoscope zodiac poem poems
	videogame videogames gaming fortnite minecraft roblox playstation xbox nintendo pokemon
	football soccer basketball baseball hockey tennis golf cricket nba nfl nhl mlb fifa lakers olympics superbowl
	recipe recipes cookie cookies cake cakes pizza lasagna pasta spaghetti burger burgers sandwich soup egg eggs
	chocolate dessert restaurant restaurants dinner breakfast cuisine vegan boil fry
	weather forecast snow snowing rain raining rainy sunny humid
	wifi router printer bluetooth password passwords
	president election elections senator ww1 ww2 wwi wwii dinosaur dinosaurs planet planets galaxy universe
	richest
	headache fever flu cough sore toothache allergy allergies
	girlfriend dating crush wedding
	equation equations algebra calculus arithmetic integral derivative trigonometry quadratic
	game games news alarm reminder timer weekend puppy puppies dog dogs cat cats pet pets coffee beer wine cocktail
	friends boyfriend marriage bitcoin crypto stocks horoscope shoes clothes outfit fashionable haircut taxes walmart amazon
	thriller comedy novel novels flight flights hotel hotels airport politics political religion religious god
	photosynthesis gravity spider spiders animal animals faucet homework essay lottery casino gambling
	miles kilometers kilometres celsius fahrenheit inches ounces moon earth rice chicken steak salad bread beatles
	salmon tuna shrimp oven microwave grill bake baking roast noodles sushi taco tacos curry banana apple tomato tomatoes calories vegetable vegetables fruit
	car cars brake brakes engine tire tires tyre tyres mechanic transmission mileage motorcycle
	ibuprofen tylenol aspirin paracetamol symptom symptoms covid vaccine rash diabetes cholesterol diarrhea nausea migraine pregnant pregnancy
	landlord tenant lawsuit divorce custody alimony sue speeding ticket parking
	visa passport itinerary sightseeing honeymoon cruise beach
	breakup ex crush wife husband divorce
	chess checkers poker sudoku crossword puzzle puzzles trivia
	iphone android samsung windows macos linux antivirus
	toilet sink plumbing lawn garden gardening ants cockroach mice laundry stain
	costco ikea ebay starbucks mcdonalds
	painting painted sculpture mona hamlet shakespeare
	quantum physics chemistry biology atom atoms molecule dna bacteria virus sky ocean volcano
	marathon gym workout workouts yoga pilates jogging treadmill abs biceps cardio hiking camping fishing knitting crochet
	guitar piano violin drums ukulele saxophone trumpet cello karaoke
	sofa couch mattress fridge freezer dishwasher kettle vacuum thermostat
	`, func(w string) {
		if st := vocab.Stem(w); ordinaryStems[st] {
			m[w] = true // the word only: "news" stems to "new" ("tell someone new …")
		} else {
			m[st] = true
		}
	})
	return m
}()

// ordinaryStems are stems of an everyday subject's word that are words of
// any question too: "news" is "new".
var ordinaryStems = map[string]bool{"new": true}

// offTopicPhrases are word sequences (lower case, as vocab.ForEachWord
// gives them) that ask something outside careers.
var offTopicPhrases = []string{
	"capital of", "who won", "who wrote", "who invented", "who discovered", "what year did", "when did ww",
	"rid of a cold", "have a cold", "catch a cold", "the flu", "the time in", "time is it", "how old is", "how tall is", "tell me a", "sing me", "sing a",
	"play some", "play me", "reverse a string", "sort an array", "hello world", "meaning of life",
	"what day is it", "set an", "set a timer", "remind me", "population of", "tie a tie", "tell me something",
	"center a div", "stand for", "how much is a", "how much is the", "price of", "where can i buy", "where to buy",
	"how do you say", "fix my", "to watch", "should i watch", "should i eat", "should i wear", "should i buy", "how big is",
	"broke up", "break up with", "cant sleep", "fall asleep",
	"streaming service", "streaming services",
	"largest country", "biggest country", "tallest building", "what time does", "what time do", "do my", "opening hours", "how far is", "how many people live", "what is love", "lose weight", "make friends",
}

// plainlyOffTopic are phrases that make a question off-topic even beside a
// career word ("what day is it" has "day", "the capital of" "capital").
var plainlyOffTopic = []string{"what day is it", "what time is it", "capital of", "who won the", "who wrote", "meaning of life",
	"tell me a joke", "whats the weather", "what is the weather", "set an alarm", "set a timer",
	"tell me something funny", "say something funny", "make me laugh", "entertain me", "tell me a story", "tell me a fun fact",
	// The visitor's own job search and workplace, which no guide is about
	// (the caller has checked that no career is named: "how do media
	// specialists ask for a raise" is still asked).
	// A résumé is still asked about ("can you fix my resume"): the bot says
	// what it can do.
	"ask for a raise", "ask my boss", "tell my boss", "quit my job", "leave my job", "wear to an interview", "wear to work", "difficult coworker",
	"my coworker", "my coworkers", "my colleague", "my colleagues", "my boss", "my manager", "get fired", "got fired", "fired from",
	"credit card", "pay off my", "my debt", "my loan", "my mortgage",
	// The visitor's own accounts and devices: help with them is no career
	// question ("how do i grow my instagram", "my laptop keeps crashing").
	"my instagram", "my insta", "my tiktok", "my youtube", "my channel", "my followers", "my account", "my phone",
	"my laptop", "my computer", "my iphone", "my pc", "more followers", "get followers", "gain followers"}

// codeLanguages are programming languages: "how do i … in python" asks for
// code, not about a career.
var codeLanguages = map[string]bool{"css": true, "html": true, "java": true, "javascript": true, "js": true, "python": true,
	"php": true, "ruby": true, "rust": true, "golang": true, "typescript": true, "c": true, "cpp": true, "kotlin": true, "swift": true}

// requestWords ask for a recommendation: with no career word, "recommend a
// good book" or "suggest something fun" is not about a career.
var requestWords = map[string]bool{"recommend": true, "recommendation": true, "recommendations": true, "suggest": true, "suggestion": true, "suggestions": true}

// careerWords make a question a career question whatever else it names,
// beside the career topics (vocab concepts and phrases).
var careerWords = func() map[string]bool {
	m := map[string]bool{}
	vocab.ForEachWord(`job jobs career careers profession occupation work working worker workers employ employer employers
	employee employment hire hired hiring interview interviews resume cv company companies industry industries field role roles
	position positions boss manager colleague colleagues coworker coworkers client clients freelance freelancer freelancing
	contract contractor license licence union apprentice apprenticeship training train course courses class classes learn
	learning teach taught bootcamp exam exams certification qualify qualified specialise specialize specialist specialty
	project projects team teams business professional professionally office shift shifts`, func(w string) { m[vocab.Stem(w)] = true })
	return m
}()

// taskVerbs open a request for a task rather than a question: "translate
// …", "solve …", "write me a poem". With no career word in it, such a
// request is not a career question (the bot answers questions from its
// guides; it does no homework, writing or code).
var taskVerbs = map[string]bool{"write": true, "draft": true, "compose": true, "generate": true, "summarize": true,
	"summarise": true, "rewrite": true, "code": true, "draw": true, "sing": true}

// pureTasks are tasks that are never career questions, whatever words the
// task is about: "translate good morning into german" has a time of the
// working day in it, "solve this for my class" a class.
var pureTasks = map[string]bool{"translate": true, "solve": true, "calculate": true, "compute": true, "proofread": true,
	"paraphrase": true, "debug": true, "spell": true, "conjugate": true, "simplify": true, "factor": true, "integrate": true,
	"differentiate": true}

// politeOpeners come before a request's verb: "can you", "pls", "i want
// you to".
var politeOpeners = map[string]bool{"can": true, "could": true, "would": true, "will": true, "you": true, "u": true,
	"please": true, "pls": true, "plz": true, "kindly": true, "i": true, "want": true, "need": true, "to": true, "help": true,
	"me": true, "just": true, "quickly": true, "quick": true, "hey": true, "ok": true, "now": true, "bot": true, "go": true, "ahead": true,
	"and": true, "id": true, "like": true}

// injection are the openings of an attempt to change what the bot is
// ("ignore your rules", "you are now", "pretend you are", "act as my
// lawyer"): declined, never answered.
var injection = []string{"ignore all", "ignore your", "ignore the", "ignore previous", "ignore prior", "ignore any", "ignore everything",
	"disregard all", "disregard your", "disregard the", "disregard previous", "forget your", "forget all", "forget everything",
	"forget the", "forget previous", "you are now", "youre now", "from now on you", "pretend you", "pretend to be",
	"pretend youre", "act as", "act like", "roleplay", "role play", "jailbreak", "system prompt", "developer mode",
	"your instructions", "your prompt", "dan mode", "do anything now", "talk like a", "speak like a", "respond as"}

// injectionByWord are the injection phrases by their first word, as word
// lists: a question is scanned once, word by word.
var injectionByWord = phrasesByWord(injection)

func phrasesByWord(phrases []string) map[string][][]string {
	m := map[string][][]string{}
	for _, p := range phrases {
		f := strings.Fields(p)
		m[f[0]] = append(m[f[0]], f)
	}
	return m
}

// hasPhrase reports whether words hold one of the phrases, word for word.
func hasPhrase(words []string, byWord map[string][][]string) bool {
	for i, w := range words {
		for _, p := range byWord[w] {
			if len(words)-i >= len(p) && slices.Equal(words[i:i+len(p)], p) {
				return true
			}
		}
	}
	return false
}

// isNumber reports whether a word is a number ("17", "1.5").
func isNumber(w string) bool {
	return w != "" && w[0] >= '0' && w[0] <= '9' && strings.Trim(w, "0123456789.") == ""
}

// marketWeather reports whether a weather question is the idiom for a
// market's state ("whats the weather like for the job market rn").
func marketWeather(words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool {
		return w == "market" || w == "industry" || vocab.IsCareerNoun(vocab.Stem(w))
	})
}

// asksOfThem reports whether a question asks about "them" (the career's
// people) and not about the asker's own things.
func asksOfThem(words []string) bool {
	them := false
	for _, w := range words {
		switch w {
		case "they", "them", "their":
			them = true
		case "my", "mine":
			return false
		}
	}
	return them
}

// ownLife reports whether words ask about the asker's own body or money
// ("cant sleep bc of stress lately, any tips", "my blood pressure is
// 150/95 is that bad", "how much tax do i pay on a 65k salary"): the
// career words beside it ("stress", "salary") are the asker's. Not when
// the career's people ("do they get enough sleep") or its work ("do
// night shifts wreck your sleep as a nurse") are asked about.
func ownLife(words []string) bool {
	health, money, mine := false, false, false
	for _, w := range words {
		switch {
		case ownHealthWords[w]:
			health = true
		case ownMoneyWords[w]:
			money = true
		case w == "i" || w == "my" || w == "me" || w == "im":
			mine = true
		case w == "they" || w == "them" || w == "their" || workWords[w] || vocab.IsCareerNoun(vocab.Stem(w)):
			return false
		}
	}
	return health || money && mine
}

// ownHealthWords are the asker's own health; ownMoneyWords the asker's
// money when the asker says it is theirs ("how much tax do i pay", not
// "is the pay worth the student loans" or "the salary after tax").
var (
	ownHealthWords = map[string]bool{"sleep": true, "insomnia": true, "stutter": true, "stuttering": true, "blood": true}
	ownMoneyWords  = map[string]bool{"tax": true, "taxes": true, "mortgage": true, "rent": true}
)

// workWords name work itself: a question holding one is about the work.
var workWords = map[string]bool{"work": true, "working": true, "shift": true, "shifts": true, "employer": true,
	"employers": true, "boss": true, "hired": true, "hire": true, "hiring": true, "interview": true, "colleagues": true,
	"coworkers": true, "office": true}

// shopping reports whether words ask for something to buy within a price
// ("best phone for filming under 300", "cheapest laptop below 500 for
// college"): the career words beside it ("filming", "college") are what
// the thing is for. Not when a word of work is asked ("best paying jobs
// under 30").
func shopping(words []string) bool {
	buying, capped := false, false
	for i, w := range words {
		switch w {
		case "best", "cheap", "cheapest", "buy", "budget", "affordable", "recommend":
			buying = true
		case "job", "jobs", "career", "careers", "role", "roles", "salary", "pay", "paying", "earn", "earning", "work":
			return false
		case "under", "below", "within":
			capped = capped || i+1 < len(words) && isNumber(words[i+1]) && (i+2 >= len(words) || !ageOrTime[words[i+2]])
		}
	}
	return buying && capped
}

// ageOrTime are the units after "under N" that make it no price.
var ageOrTime = map[string]bool{"years": true, "year": true, "yrs": true, "months": true, "weeks": true, "days": true,
	"hours": true, "minutes": true, "percent": true}

// isLongNumber reports whether w is a run of nine digits or more: a
// tracking, order or phone number, never a figure a career question asks
// about (the guides' largest, a salary, has six).
func isLongNumber(w string) bool {
	return len(w) >= 9 && strings.Trim(w, "0123456789") == ""
}

// taskRequest reports whether words ask for a task to be done rather than
// a question answered, and whether the task is one no career word can make
// a career question (pure).
func taskRequest(words []string) (task, pure bool) {
	i := 0
	for i < len(words) && politeOpeners[words[i]] && !pureTasks[words[i]] {
		i++
	}
	if i == len(words) {
		return false, false
	}
	if pureTasks[words[i]] {
		return true, true
	}
	if !taskVerbs[words[i]] {
		return false, false
	}
	// "write a portfolio summary", "draft my resume" are about the career:
	// such a task is decided by its career words.
	return true, false
}

// numberWords name the operations of a sum spelt out ("17 times 23", "2 to
// the power of 10", "square root of 144").
var numberOps = []string{"times", "plus", "minus", "x", "divided by", "multiplied by", "over", "to the power of", "squared",
	"cubed", "square root of", "percent of", "mod", "modulo"}

// arithmeticInWords reports whether words hold a sum spelt out: a number,
// an operation, a number ("whats 17 times 23"), or an operation of one
// ("12 squared", "square root of 144").
func arithmeticInWords(words []string) bool {
	isNum := isNumber
	joined := " " + strings.Join(words, " ") + " "
	for _, op := range numberOps {
		for at := 0; ; {
			i := strings.Index(joined[at:], " "+op+" ")
			if i < 0 {
				break
			}
			i += at
			before := strings.Fields(joined[:i])
			after := strings.Fields(joined[i+len(op)+2:])
			prevNum := len(before) > 0 && isNum(before[len(before)-1])
			nextNum := len(after) > 0 && isNum(after[0])
			switch op {
			case "squared", "cubed":
				if prevNum {
					return true
				}
			case "square root of":
				if nextNum {
					return true
				}
			default:
				if prevNum && nextNum {
					return true
				}
			}
			at = i + 1
		}
	}
	return false
}

// OffTopic reports whether question is plainly not a career question (see
// above). leaning says it leans on a career question asked just before
// ("any recommendations?" after a tools answer): then a bare request for a
// recommendation is about that, and only an everyday subject declines it.
func OffTopic(question string, leaning bool) bool {
	var words []string
	vocab.ForEachWord(question, func(w string) { words = append(words, w) })
	if len(words) == 0 {
		return false
	}
	if isCode(question) {
		return true // a snippet to run or fix, not a question: "SELECT * FROM users;"
	}
	joined := " " + strings.Join(words, " ") + " "
	for _, p := range plainlyOffTopic {
		if strings.Contains(joined, " "+p+" ") && !(strings.Contains(p, "weather") && marketWeather(words)) {
			return true // whatever else it says: "what day is it" is no question about the day's work
		}
	}
	if hasPhrase(words, injectionByWord) {
		return true // "ignore your rules and …": never answered as asked
	}
	if shopping(words) || slices.ContainsFunc(words, isLongNumber) || ownLife(words) {
		return true // "best laptop under 500 for college", "track my package 774922310098"
	}
	task, pure := taskRequest(words)
	if pure || slices.ContainsFunc(words, isNumber) && arithmeticInWords(words) {
		return true // "translate …", "solve …", "whats 17 times 23"
	}
	request := slices.ContainsFunc(words, func(w string) bool { return requestWords[w] })
	subject := false
	for _, w := range words {
		st := vocab.Stem(w)
		subject = subject || offTopicWords[st] || offTopicWords[w]
	}
	if subject && asksOfThem(words) {
		// The career's people asked about: an everyday thing beside them
		// is an example of their work ("what do they do in the morning,
		// like coffee and emails?" was declined).
		subject = false
	}
	// A career word keeps the question; a career *phrase* alone ("what do i
	// do", "how much is", "at home") does not keep one about an everyday
	// subject: "my girlfriend is mad at me what do i do", "how to make sushi
	// at home".
	if hasCareerWordIn(words, request, subject) || !subject && len(vocab.PhraseConcepts(question)) > 0 || doesTheWork(words) {
		return false
	}
	if task {
		return true // "write me a poem", "summarize hamlet": a task with no career word
	}
	for _, p := range offTopicPhrases {
		if strings.Contains(joined, " "+p+" ") {
			subject = true
		}
	}
	// "how do i center a div in css", "how to reverse a list in python"
	if strings.HasPrefix(joined, " how ") {
		for i := 1; i < len(words); i++ {
			if words[i-1] == "in" && codeLanguages[words[i]] {
				subject = true
			}
		}
	}
	return subject || arithmetic(question) || request && !leaning
}

// codeMarks are what only code is written with.
var codeMarks = []string{"select *", "* from ", "();", "});", "=>", "</", "/>", "#include", "def ", "console.log", "print(",
	"function(", "function ", "var ", "let ", "const ", "import ", "public static", "<?php", "{ ", " }", "==", "!=", ":=", "$(", "sudo "}

// isCode reports whether a message is a snippet of code: two of codeMarks,
// or one and a line ending in ";" or "{". Career questions name languages
// ("do they need sql") but are not written in them.
func isCode(message string) bool {
	lower := strings.ToLower(message)
	n := 0
	for _, m := range codeMarks {
		if strings.Contains(lower, m) {
			n++
		}
	}
	t := strings.TrimSpace(lower)
	return n >= 2 || n == 1 && (strings.HasSuffix(t, ";") || strings.HasSuffix(t, "{"))
}

// workVerbs are what media and creative work is done with: beside "they"
// or "i", an everyday subject is the work's material ("do they edit
// music videos", "would i be filming weddings"), not a question about it.
var workVerbs = map[string]bool{"edit": true, "editing": true, "film": true, "filming": true, "shoot": true, "shooting": true,
	"produce": true, "producing": true, "create": true, "creating": true, "design": true, "designing": true, "write": true,
	"writing": true, "post": true, "posting": true, "cover": true, "covering": true, "record": true, "recording": true,
	"publish": true, "publishing": true, "photograph": true, "photographing": true, "interview": true, "interviewing": true,
	"promote": true, "promoting": true, "manage": true, "managing": true, "run": true, "running": true, "handle": true,
	"handling": true, "broadcast": true, "broadcasting": true, "stream": true, "streaming": true, "animate": true}

// doesTheWork reports whether a question asks whether the career's people
// (or the asker, in the job) do a kind of work: "do they edit music
// videos", "would i be filming events like weddings". Not a request ("can
// you write me a poem": taskRequest) and not "i" doing their own thing
// with "my" ("how do i edit my holiday videos").
func doesTheWork(words []string) bool {
	for i, w := range words {
		if !workVerbs[w] || i == 0 {
			continue
		}
		subj := words[i-1]
		if (subj == "be" || subj == "also") && i >= 2 {
			subj = words[i-2]
		}
		if subj != "they" && subj != "i" {
			continue
		}
		if subj == "i" && slices.Contains(words, "my") {
			continue
		}
		return true
	}
	return false
}

// hasCareerWord reports whether a question (and its words) says anything
// about careers: a career topic's word or phrase, the job itself, work,
// employers, learning.
// In a request for a recommendation, media a guide's work is made of
// (podcasts, videos, films) are what is asked for, not a career word:
// "recommend me a true crime podcast".
func hasCareerWord(question string, words []string, request bool) bool {
	return hasCareerWordIn(words, request, false) || len(vocab.PhraseConcepts(question)) > 0 // "how much do they make", "where do they work"
}

// hasCareerWordIn is hasCareerWord's test of the words alone, without the
// career phrases. Beside an everyday subject (subject), a topic word that
// is an everyday word too ("home", "day", "use", "hard") is no career word:
// "how to make sushi at home", "best app for recipes".
func hasCareerWordIn(words []string, request, subject bool) bool {
	for _, w := range words {
		st := vocab.Stem(w)
		c := vocab.ConceptOf(st)
		if request && (c == "audio" || c == "video") || subject && (everydayConceptWords[w] || everydayCareerWords[w]) {
			continue
		}
		if careerWords[st] || c != "" || vocab.IsCareerNoun(st) {
			return true
		}
	}
	return false
}

// everydayCareerWords are career words that are as often everyday verbs
// and nouns: beside an everyday subject they keep nothing ("how do i train
// my puppy"). Not "work": "do they work weekends" is a career question.
var everydayCareerWords = map[string]bool{"train": true, "training": true, "learn": true, "learning": true, "class": true,
	"classes": true, "course": true, "courses": true}

// everydayConceptWords are words of a career topic (vocab concepts) that
// are as often everyday words: they keep a question a career question only
// when it names no everyday subject.
var everydayConceptWords = map[string]bool{"home": true, "anywhere": true, "day": true, "daily": true, "typical": true,
	"routine": true, "schedule": true, "start": true, "starting": true, "use": true, "using": true, "app": true, "apps": true,
	"application": true, "program": true, "school": true, "hour": true, "hours": true, "record": true, "recording": true,
	"sound": true, "film": true, "films": true, "footage": true, "video": true, "videos": true, "difficult": true, "hard": true,
	"problem": true, "problems": true, "struggle": true, "avoid": true, "error": true, "country": true, "people": true,
	"sample": true, "break": true, "enter": true, "path": true, "grow": true, "growing": true, "quality": true,
	"strength": true, "lead": true, "future": true, "market": true, "measure": true, "environment": true, "setting": true,
	"study": true, "major": true, "tool": true, "tools": true, "platform": true, "benefit": true, "pro": true, "con": true,
	"global": true, "international": true, "podcast": true}

// arithmetic reports whether s holds a sum to work out: a digit or x, an
// operator, a digit ("2+2", "x^2 = 16", "12 * 7").
func arithmetic(s string) bool {
	s = strings.ReplaceAll(strings.ToLower(s), " ", "")
	if i := strings.Index(s, "%of"); i > 0 && i+3 < len(s) && s[i-1] >= '0' && s[i-1] <= '9' && s[i+3] >= '0' && s[i+3] <= '9' {
		return true // "what's 15% of 200"
	}
	for i := 1; i+1 < len(s); i++ {
		if !strings.ContainsRune("+*/^=", rune(s[i])) {
			continue
		}
		prev, next := s[i-1], s[i+1]
		if (prev >= '0' && prev <= '9' || prev == 'x') && (next >= '0' && next <= '9' || next == 'x') {
			return true
		}
	}
	return false
}

// Clauses splits a message into its sentences and comma-separated clauses
// ("is being a sparky dangerous? my mum is worried sick" → two), each
// trimmed, a question's "?" kept; empty ones are dropped. A "." or "," ends
// a clause only before a space or at the end, so a link or a figure
// ("youtube.com", "$65,000") stays whole.
func Clauses(message string) []string {
	var out []string
	start := 0
	emit := func(end int, keep bool) {
		c := message[start:end]
		if keep {
			c = message[start : end+1]
		}
		if c = strings.TrimSpace(c); c != "" && c != "?" {
			out = append(out, c)
		}
		start = end + 1
	}
	for i := 0; i < len(message); i++ {
		switch c := message[i]; c {
		case '?':
			emit(i, true)
		case '!', ';', '\n':
			emit(i, false)
		case '.', ',':
			if i+1 == len(message) || message[i+1] == ' ' {
				emit(i, false)
			}
		}
	}
	if start < len(message) {
		emit(len(message), false)
	}
	return out
}

// IsQuestionClause reports whether a clause (see Clauses) asks something:
// it ends with "?" or opens like a question ("is nursing as stressful as
// they say", "any tips for…"), not like a remark ("my team lost last night").
func IsQuestionClause(clause string) bool {
	if strings.HasSuffix(clause, "?") {
		return true
	}
	first := ""
	vocab.ForEachWord(clause, func(w string) {
		if first == "" {
			first = w
		}
	})
	return questionOpeners[first] || first == "any" || first == "whats" || first == "hows" || first == "tell"
}
