package rag

import (
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// Everyday English words that a question may use although no guide does.
// They are never "corrected" into a guide's word one letter away: "list" is
// not "last", "matter" not "master", "host" not "hot", "write" not
// "writer". Without them typo correction turned ordinary words into other
// words; real typos ("salry", "degre") are not English words.
//
// phrasingWords say how something is asked, not what about ("does it
// matter", "give me a list", "do they write"): a guide not using one says
// nothing about the question being off-topic, so they weigh as a word the
// guides use. thingWords name things of everyday life ("weather", "cake",
// "church"): a guide not using one says the question is about something
// else, as any word the guides never use does (see unseenWeight).
var (
	phrasingWords = wordSet(`
	install installed installing reset restart meaning
	realistic reasonable decent acceptable okay fine bad low high
	able accept act add admit afford afraid after age ago agree ahead aim allow almost alone along already
	alright although among amount angry annoy another answer anybody apart appear area around arrive art article
	ask asked asks asleep attack attend avoid awake away awful back bad base basic beat beautiful before begin
	behind believe belong below bend beside bet beyond big birth bit bite black blame blind block blow blue board
	boil border bore born borrow boss both bother bottom bought branch brave break breath brief bright bring
	brings broad brought brown brush build builds built burn busy buy buys call called calls calm came can care
	cared careful cares carry case cast catch cause chance change charge cheap check chief choice choose chooses
	chose chosen claim clean clear clever climb clock close coach code cold collect color colour come comes
	comfort common company complain complete cook cool copy corner correct cost count country couple course court
	cover crash crazy credit cross crowd cry cure current cut cute damage dance danger dark date dead deal deals
	dealt dear death debt decide deep degree delay deliver depend detail die dirty double doubt draw dream drive
	drop dry due dumb during dust duty each early east easy eat edge either else empty end enjoy enough enter
	equal escape even evening event ever every exact exam except excite exercise expect expensive face fact fail
	fair fall false fame family famous fan far fast fat fault fear feed feel feels fellow felt fight fill film
	final find fine finish firm first fit fits fitting fix flat fly focus fold follow fool force forget forgive
	form fortune forward free fresh friend front full fun funny future gave general gets give given gives glad
	goal goes gone good gotten grade grand gray great green grew grey ground group grow grown grows guard guess
	guest half hand handle handled handles hang happy hard hate hated hates head hear heat heavy held hello help
	helped helpful helps hide high hire history hit hold holds hole home honest hope hoped hopes host hosting
	hosts hot hour huge human hungry hunt hurry hurt idea ill image imagine important include income increase
	indeed inside instead interest invite iron issue item jobs join joke judge jump just keen keep keeps kept key
	kick kid kill kind kiss knew knock known knows land language large last late laugh law lay lazy lead
	leads learn learned learnt least leave leaves led left lend less lesson let lets letter letting level lie
	life lift light like liked likes limit line link list listen lists little live lived lives living local lock
	long look looked looks lose loses loss lost lot loud love loved loves low luck mad made main major make makes
	male man manage many mark market marry match mate math matter mattered matters maybe mean means meant meet
	meets member memory mention mess message met metal middle might mild mind minute miss mistake mix model
	moment money month mood morning move moved moves much must name near neat need needed needs nerve never new
	news next nice night nights noise none normal north note notice number object odd offer office often old once
	open opinion order other outside owe own page paid pain paint pair pale parent part pass past path pay paying
	pays peace people per perfect period person pick piece pink pity place plain plan play played plays please
	plenty point polite poor popular position post pour power practice praise pray prefer present press pretty
	price pride print prize problem promise proper proud prove pull punch pure push put puts quarter question
	quick quiet quite race raise ran range rare rate rather reach read reads ready real reason receive record red
	relax remember rent repair repeat reply report rest return rich ride right ring rise risk role roll rough
	round row rule run runs rush sad safe said sail same save say says scale scare scene school score search
	season seat second secret see seem seemed seems sell sells send sends sense sent serious serve set sets
	settle shake shame shape share sharp shine shock shoot short shot shout show showed shown shows shut shy sick
	side sight sign silly silver simple sing single sink sit size sleep slide slow small smart smell smile smoke
	soft sold solve soon sore sorry sort soul sound south space spare speak speed spell spend spends spent spirit
	spoil sport spot spread square staff stage stamp stand stands start started starts state stay steal step
	stick still stood stop stopped stops store story straight strange stress strike string strong study stupid
	style subject succeed such sudden suit supply support suppose sure surprise swear sweet swim take taken takes
	talk tall taste taught teach teaches teaching team tear tell tells tend term test text thank thick thin thing
	think thinks thirsty though thought threat throw tidy tie tight till time tiny tip tire tired title today
	together told tomorrow tone tonight took tool top total touch tough track trade train travel treat trick
	tried tries trip trouble true trust truth try tune turn twice type ugly under unit until upon upset urge use
	used useful uses using usual value very view visit voice vote wage wait wake walk want wanted wants warm wash
	waste watch wave way weak wealth wear week weekend weigh weight welcome well went west wet while whisper
	white whole wide wild will win wind wise wish wonder word work worked working works world worried worries
	worry worse worst worth wrap write writes writing written wrong wrote year yellow yes yesterday young youth
	zero`)
	thingWords = wordSet(`
	president presidents senator minister election elections stock stocks shares crypto bitcoin router printer battery
	charger cable keyboard laptop tablet tv television oven grill recipe recipes diet workout gym yoga tire tires tyre
	bicycle airport pizza pasta cookie cookies burger sandwich netflix weather forecast
	air animal arm army aunt baby bag ball band bank bar bath bear bed beer bell bench bike bill bird blood boat
	body bomb bone book boot bottle bowl box boy brain bread bridge brother bus butter cake camp car card cash
	cat cell chair cheese chef chest chicken child church city cloth cloud club coast coat coffee coin cousin
	cream crime cup dad daughter desk diet dinner dirt dish doctor dog dollar door dress drink drug ear earth egg
	enemy eye farm father finger fire fish floor flower food foot forest fruit game garden gas gate gift girl
	glass god gold golf grass gun hair hall hat health heart hell hero hill holiday horse hotel house husband ice
	island juice king kitchen knee knife leaf leg library lip lunch mail map meal meat medicine milk mom moon
	mother mountain mouse mouth movie mum music nation nature neck nose nurse oil orange pan paper park party pen
	pencil pepper pet phone photo picture pig pipe plane plant plate pocket police pot pound pupil queen radio
	rain rice river road rock roof room root rope salt sand sea ship shirt shoe shop sister skin sky snow soap
	sock soil soldier son song soup spring stair star station stone storm street student sugar summer sun supper
	table tail tax tea ticket toe toilet tongue tooth tour town toy tree truck uncle valley van village wall war
	water weather wedding wheel wife window wine winter wire woman wood yard`)
)

// weighingStems ask how much something counts: "how important is
// networking", "does a degree matter", "is a portfolio essential".
var weighingStems = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("important importance matter matters crucial essential necessary vital") {
		m[vocab.Stem(w)] = true
	}
	return m
}()

// phrasingStems are the phrasing words stemmed, as questions are scored.
var phrasingStems = func() map[string]bool {
	m := map[string]bool{}
	for w := range phrasingWords {
		m[vocab.Stem(w)] = true
	}
	return m
}()

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
