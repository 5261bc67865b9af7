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
	`, func(w string) { m[vocab.Stem(w)] = true })
	return m
}()

// offTopicPhrases are word sequences (lower case, as vocab.ForEachWord
// gives them) that ask something outside careers.
var offTopicPhrases = []string{
	"capital of", "who won", "who wrote", "who invented", "who discovered", "what year did", "when did ww",
	"rid of a cold", "have a cold", "catch a cold", "the flu", "the time in", "time is it", "how old is", "how tall is", "tell me a", "sing me", "sing a",
	"play some", "play me", "reverse a string", "sort an array", "hello world", "meaning of life",
	"what day is it", "set an", "set a timer", "remind me", "population of", "tie a tie", "tell me something",
	"center a div", "stand for", "how much is a", "how much is the", "price of", "where can i buy", "where to buy",
	"how do you say", "fix my", "to watch", "should i watch", "should i eat", "should i wear", "should i buy", "how big is",
	"largest country", "biggest country", "tallest building", "what time does", "what time do", "do my", "opening hours", "how far is", "how many people live", "what is love", "lose weight", "make friends",
}

// plainlyOffTopic are phrases that make a question off-topic even beside a
// career word ("what day is it" has "day", "the capital of" "capital").
var plainlyOffTopic = []string{"what day is it", "what time is it", "capital of", "who won the", "who wrote", "meaning of life",
	"tell me a joke", "whats the weather", "what is the weather", "set an alarm", "set a timer"}

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
	joined := " " + strings.Join(words, " ") + " "
	for _, p := range plainlyOffTopic {
		if strings.Contains(joined, " "+p+" ") {
			return true // whatever else it says: "what day is it" is no question about the day's work
		}
	}
	request := slices.ContainsFunc(words, func(w string) bool { return requestWords[w] })
	if hasCareerWord(question, words, request) {
		return false
	}
	subject := false
	for _, w := range words {
		st := vocab.Stem(w)
		subject = subject || offTopicWords[st] || offTopicWords[w]
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

// hasCareerWord reports whether a question (and its words) says anything
// about careers: a career topic's word or phrase, the job itself, work,
// employers, learning.
// In a request for a recommendation, media a guide's work is made of
// (podcasts, videos, films) are what is asked for, not a career word:
// "recommend me a true crime podcast".
func hasCareerWord(question string, words []string, request bool) bool {
	for _, w := range words {
		st := vocab.Stem(w)
		c := vocab.ConceptOf(st)
		if request && (c == "audio" || c == "video") {
			continue
		}
		if careerWords[st] || c != "" || vocab.IsCareerNoun(st) {
			return true
		}
	}
	return len(vocab.PhraseConcepts(question)) > 0 // "how much do they make", "where do they work"
}

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
