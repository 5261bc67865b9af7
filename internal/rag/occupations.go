package rag

import (
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// occupations is a built-in vocabulary of job titles, so that a question
// about a career the corpus does not cover ("how much do plumbers make?")
// is recognised as one rather than answered from another career's guide.
// General English job titles (singular; plurals are derived), not the
// careers of any one corpus. Titles the corpus covers are matched as its
// careers first.
var occupations = strings.Split(strings.Join(strings.Fields(`
accountant,actor,actuary,acupuncturist,administrative assistant,aerospace engineer,agronomist,air traffic controller,
airline pilot,animator,anthropologist,app developer,archaeologist,architect,archivist,art director,artist,astronaut,
astronomer,athlete,attorney,auditor,author,baker,bank teller,banker,barber,barista,bartender,beautician,biologist,
biomedical engineer,blockchain developer,bookkeeper,brand manager,bricklayer,business analyst,butcher,buyer,
carpenter,cashier,chef,chemical engineer,chemist,chief executive,chiropractor,civil engineer,cleaner,cloud architect,
cloud engineer,computer programmer,construction worker,content creator,content writer,copywriter,cook,
counselor,court reporter,crane operator,customer service representative,cybersecurity analyst,dancer,data analyst,
data engineer,data scientist,database administrator,delivery driver,dental hygienist,dentist,dermatologist,
detective,devops engineer,dietitian,digital marketer,doctor,economist,editor,electrical engineer,
electrician,elementary school teacher,emt,engineer,environmental scientist,event planner,farmer,fashion designer,
film director,financial advisor,financial analyst,firefighter,fisherman,fitness trainer,flight attendant,florist,
forensic scientist,game designer,game developer,gardener,geologist,graphic designer,hair stylist,hairdresser,
historian,hotel manager,human resources manager,hr manager,illustrator,industrial designer,influencer,
information security analyst,insurance agent,interior designer,interpreter,investment banker,janitor,jeweler,
journalist,judge,landscaper,lawyer,lecturer,librarian,lifeguard,loan officer,locksmith,machine learning engineer,
machinist,management consultant,marine biologist,market research analyst,marketing manager,massage therapist,
mathematician,mechanic,mechanical engineer,medical assistant,meteorologist,midwife,miner,musician,
network administrator,network engineer,neurologist,notary,nurse,nurse practitioner,nutritionist,occupational therapist,
oncologist,optician,optometrist,paralegal,paramedic,pastry chef,pediatrician,personal trainer,pharmacist,
pharmacy technician,photographer,physical therapist,physician,physician assistant,physicist,physiotherapist,pilot,
plumber,podcaster,police officer,politician,postal worker,product designer,product manager,professor,
program manager,programmer,project manager,psychiatrist,psychologist,public relations specialist,radiologist,
real estate agent,realtor,receptionist,recruiter,registered nurse,reporter,research scientist,respiratory therapist,
restaurant manager,retail manager,roofer,sales manager,sales representative,salesperson,scientist,screenwriter,
secretary,security guard,seo specialist,social media manager,social worker,software developer,
software engineer,soldier,solicitor,sommelier,sound engineer,speech therapist,statistician,stockbroker,surgeon,
surveyor,tailor,tattoo artist,tax advisor,teacher,technical writer,therapist,tour guide,translator,travel agent,
truck driver,tutor,ui designer,urban planner,ux designer,ux researcher,veterinarian,vet,video editor,videographer,
waiter,waitress,web designer,web developer,welder,writer,youtuber,zookeeper,zoologist`), " "), ",")

// titleAbbreviations are the abbreviations people type for job titles
// ("salary of a cna"). Only ones that are not everyday words or chat
// shorthand: "pm" is a time, "np" is "no problem", and "rn" is expanded to
// "now" ("right now") before careers are read, so it is not here.
var titleAbbreviations = []struct{ abbr, title string }{
	{"lpn", "licensed practical nurse"}, {"cna", "certified nursing assistant"},
	{"cpa", "certified public accountant"}, {"swe", "software engineer"}, {"dba", "database administrator"},
	{"sysadmin", "system administrator"},
}

// agentSuffixes end most English job titles: a word after "become a" or
// before "salary" that ends in one is taken for a career even when the
// vocabulary does not list it ("become a falconer").
var agentSuffixes = []string{"er", "or", "ist", "ian", "ant", "ent", "man", "ee", "eer", "ect", "ive", "ger", "ess", "ic", "nurse", "chef", "pilot", "vet", "guard"}

func looksLikeJobTitle(w string) bool {
	w = singular(w)
	if len(w) < 4 || vocab.IsStopWord(w) || notJobTitles[w] {
		return false
	}
	for _, s := range agentSuffixes {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

// notJobTitles end like job titles but are not ("better", "career").
var notJobTitles = setOf(`better other another after never ever over under career either whether later order
	number member paper computer power water matter summer winter weather letter center centre river offer
	paid good great expert student major minor senior junior manager leader user customer client content talent
	parent patient present recent percent moment event agent payment government environment management development
	department equipment experience independent different important current student sufficient efficient
	magic music basic public topic logic critic clinic traffic graphic academic economic specific electric
	active creative effective executive native positive negative relative alternative perspective objective
	best easiest hardest highest lowest fastest newest most beginner newcomer learner starter freelancer
	immigrant foreigner mother father brother sister daughter teenager volunteer employee employer worker
	median guardian american canadian australian indian european asian russian italian brazilian norwegian
	partner winner owner introvert extrovert perfectionist generalist specialist person intern`)

// singular undoes plural for a job-title word ("plumbers" → "plumber",
// "firemen" → "fireman").
func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "men") && len(w) > 4:
		return w[:len(w)-3] + "man"
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}
