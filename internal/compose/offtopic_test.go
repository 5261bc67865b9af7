package compose

import "testing"

func TestOffTopic(t *testing.T) {
	// Not career questions, whatever a guide happens to mention.
	for _, q := range []string{
		"recommend a good netflix show", "best chocolate chip cookie recipe", "is it gonna snow in chicago",
		"who won the world cup", "what is the capital of peru", "solve x^2 = 16", "what is 12*7", "sing me a song",
		"play some music", "how do i get rid of a cold", "whats the score of the lakers game", "how do i change my wifi password",
		"tell me a joke", "what's a good movie to watch tonight", "best gaming laptop under 1000", "who wrote harry potter",
		"can you recommend something fun", "what's the time in tokyo", "how do i solve a quadratic equation",
		"what should i cook for dinner", "how do i center a div in css", "what day is it today", "is coffee bad for you",
		"what's the capital of a country with the best pay", "how many legs does a spider have", "how much is a ps5",
		"how do you say hello in spanish", "do my homework", "what's 15% of 200", "convert 5 miles to kilometers",
		"what should i watch tonight", "how do i fix my car",
	} {
		if !OffTopic(q, false) {
			t.Errorf("OffTopic(%q) = false, want true", q)
		}
	}
	// Career questions phrased oddly: a career word keeps them.
	for _, q := range []string{
		"what music software do they use", "can i teach myself with youtube", "do they spend a lot of time in meetings",
		"any good podcasts to learn from", "what would you recommend for a beginner", "recommend some courses",
		"is the pay good", "do they work weekends", "how much do they make", "where do they work", "whats a typical day",
		"is it stressful", "which apps for editing", "do they make movie trailers for clients", "what's the job like in winter",
		"best laptop for learning design", "do employers care about a degree", "how old is too old to start",
		"is there a busy season", "what's a normal workday like", "so what exactly is it", "do they travel for work",
		"how much is the certification", "what's the price of a degree", "can you fix my resume", "do they work in the sun",
		"is 15% growth good",
	} {
		if OffTopic(q, false) {
			t.Errorf("OffTopic(%q) = true, want a career question", q)
		}
	}
	// Leaning on a career answer, a bare request is about it; an everyday
	// subject is still off-topic.
	if OffTopic("any recommendations?", true) {
		t.Error(`OffTopic("any recommendations?", leaning) = true`)
	}
	if !OffTopic("any recommendations?", false) || !OffTopic("and a netflix show?", true) {
		t.Error("a bare request with nothing to lean on, or a show, should be off-topic")
	}
}
