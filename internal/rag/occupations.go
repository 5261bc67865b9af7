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
account executive,account manager,accountant,actor,actuary,acupuncturist,administrative assistant,
aerospace engineer,agronomist,ai engineer,air hostess,air traffic controller,aircraft mechanic,airline pilot,
ambassador,android developer,anesthesiologist,animator,anthropologist,app developer,appraiser,arborist,
archaeologist,architect,archivist,army officer,art director,art teacher,art therapist,artist,assembler,
astronaut,astronomer,athlete,attorney,audio engineer,audiologist,auditor,author,auto mechanic,
avionics technician,babysitter,backend developer,baker,bank teller,banker,barber,barista,barrister,bartender,
beautician,beekeeper,bellhop,biochemist,biologist,biomedical engineer,blacksmith,blockchain developer,blogger,
bodyguard,bookkeeper,bouncer,brand manager,brewer,bricklayer,broadcaster,bus driver,business analyst,
business development manager,business intelligence analyst,butcher,buyer,cabin crew,cabinetmaker,cad technician,
call center agent,camera operator,car salesman,cardiologist,career counselor,caregiver,carpenter,case manager,
cashier,caterer,chauffeur,chef,chemical engineer,chemist,chief executive,childcare worker,chiropractor,
cinematographer,civil engineer,civil servant,claims adjuster,cleaner,cloud architect,cloud engineer,cobbler,
columnist,comedian,community manager,compliance officer,composer,computer programmer,concierge,conservationist,
conservator,construction worker,content creator,content writer,cook,copy editor,copywriter,corrections officer,
cosmetologist,costume designer,counsellor,counselor,courier,court clerk,court reporter,crane operator,curator,
customer service representative,customer success manager,cybersecurity analyst,dance teacher,dancer,
data analyst,data engineer,data entry clerk,data scientist,database administrator,deckhand,delivery driver,
dental assistant,dental hygienist,dental technician,dentist,dermatologist,detective,devops engineer,
diesel mechanic,dietician,dietitian,digital marketer,diplomat,disc jockey,dishwasher,dispatcher,doctor,doorman,
doula,drafter,drone pilot,drywall installer,ecologist,economist,editor,electrical engineer,electrician,
elementary school teacher,email marketer,embedded engineer,emergency medical technician,emt,engineer,
entrepreneur,environmental scientist,epidemiologist,esthetician,ethical hacker,event coordinator,event manager,
event planner,executive assistant,exterminator,factory worker,farmer,fashion designer,file clerk,film director,
film editor,film producer,financial advisor,financial analyst,firefighter,fisherman,fishmonger,fitness trainer,
flight attendant,flight dispatcher,flight instructor,flooring installer,florist,food scientist,
forensic scientist,forest ranger,forklift operator,frontend developer,full stack developer,fundraiser,
game designer,game developer,game tester,gardener,genealogist,general manager,geneticist,geologist,ghostwriter,
glassblower,glazier,goldsmith,grant writer,graphic designer,groundskeeper,growth marketer,hair stylist,
hairdresser,handyman,hardware engineer,health educator,help desk technician,historian,home health aide,
hospice nurse,hostess,hotel manager,house painter,housekeeper,hr generalist,hr manager,hr specialist,
human resources manager,hvac installer,hvac tech,illustrator,imam,industrial designer,influencer,
information security analyst,insurance agent,insurance broker,interior designer,interpreter,inventory manager,
investment banker,ios developer,ironworker,it support specialist,janitor,jeweler,journalist,judge,lab assistant,
lab tech,lab technician,landscape architect,landscaper,lawyer,lecturer,legal assistant,legislator,librarian,
life coach,lifeguard,line cook,linguist,literary agent,loan officer,lobbyist,locksmith,logistics coordinator,
machine learning engineer,machine operator,machinist,magician,magistrate,maid,mail carrier,
maintenance technician,makeup artist,management consultant,marine biologist,market research analyst,
marketing coordinator,marketing manager,marriage counselor,massage therapist,materials scientist,mathematician,
mayor,mechanic,mechanical engineer,medical assistant,medical biller,medical coder,merchandiser,meteorologist,
microbiologist,midwife,military officer,miner,mining engineer,missionary,mobile developer,mortgage broker,
motorcycle mechanic,museum curator,music producer,music teacher,musician,nail tech,nail technician,nanny,
network administrator,network engineer,neurologist,news anchor,nonprofit manager,notary,nuclear engineer,nurse,
nurse midwife,nurse practitioner,nutritionist,occupational therapist,oceanographer,office manager,oncologist,
operations manager,ophthalmologist,optician,optometrist,orthodontist,paralegal,paramedic,park ranger,pastor,
pastry chef,patent attorney,pathologist,payroll specialist,pediatrician,penetration tester,personal assistant,
personal chef,personal trainer,pest control technician,petroleum engineer,pharmacist,pharmacy tech,
pharmacy technician,phlebotomist,photographer,photojournalist,physical therapist,physician,physician assistant,
physicist,physiotherapist,pilates instructor,pilot,pipefitter,plasterer,plumber,podcaster,podiatrist,
police detective,police officer,policy analyst,politician,postal worker,potter,ppc specialist,pr manager,
preschool teacher,priest,prison guard,private investigator,probation officer,procurement specialist,
product designer,product manager,product owner,professor,program manager,programmer,project manager,
prompt engineer,proofreader,property manager,prosthetist,psychiatrist,psychologist,public relations specialist,
publicist,purchasing agent,qa engineer,qa tester,rabbi,radio host,radiographer,radiologic technologist,
radiologist,rancher,real estate agent,real estate broker,realtor,receptionist,recruiter,registered nurse,
reporter,research assistant,research scientist,respiratory therapist,restaurant manager,retail manager,
risk analyst,robotics engineer,roofer,sailor,sales associate,sales manager,sales representative,salesperson,
school counselor,school principal,scientist,screenwriter,scrum master,sculptor,seamstress,secretary,
security engineer,security guard,seo specialist,set designer,sheet metal worker,sheriff,ship captain,
sign language interpreter,singer,site reliability engineer,ski instructor,social media manager,
social worker,software developer,software engineer,software tester,soldier,solicitor,
solutions architect,sommelier,sonographer,sound designer,sound engineer,sous chef,speech therapist,spokesperson,
stage manager,statistician,steamfitter,stewardess,stockbroker,stocker,structural engineer,supply chain manager,
surgeon,surgical technologist,surveyor,swim instructor,system administrator,systems administrator,tailor,
tattoo artist,tattooist,tax advisor,tax preparer,taxi driver,teacher,teaching assistant,technical writer,
therapist,tiler,tour guide,tow truck driver,train conductor,translator,travel agent,truck driver,tutor,
uber driver,ui designer,underwriter,upholsterer,urban planner,ux designer,ux researcher,ux writer,vet,vet tech,
veterinarian,veterinary technician,video editor,videographer,voice actor,waiter,waitress,warehouse worker,
watchmaker,web designer,web developer,wedding planner,welder,wildlife biologist,window cleaner,winemaker,writer,
x-ray technician,yoga instructor,youth worker,youtuber,streamer,professional gamer,pharma rep,pharmaceutical sales representative,sales rep,real estate agent,zookeeper,zoologist,
high school teacher,middle school teacher,secondary school teacher,kindergarten teacher,substitute teacher,special education teacher,
math teacher,science teacher,english teacher,history teacher,esl teacher,language teacher,pe teacher,teacher aide,teaching aide,
teacher assistant,classroom assistant,school counsellor,help desk technician,help desk,it support,desktop support technician`), " "), ",")

// titleAbbreviations are the abbreviations people type for job titles
// ("salary of a cna"). Only ones that are not everyday words or chat
// shorthand: "pm" is a time and "np" is "no problem"; "rn" is read as the
// title only after an article (see below).
var titleAbbreviations = []struct{ abbr, title string }{
	{"lpn", "licensed practical nurse"}, {"cna", "certified nursing assistant"},
	{"cpa", "certified public accountant"}, {"swe", "software engineer"}, {"dba", "database administrator"},
	{"sysadmin", "system administrator"},
	// Short forms of titles people use as the title itself.
	{"physio", "physiotherapist"}, {"cop", "police officer"},
	{"medic", "paramedic"}, {"trucker", "truck driver"},
	{"dj", "disc jockey"}, {"sparky", "electrician"}, {"sparkies", "electrician"}, {"chippy", "carpenter"},
	// "rn" is "now" in chat ("what are they doing rn") and expanded so
	// before careers are read, except after an article ("an rn"): there it
	// is the title (normalizeQuestion).
	{"rn", "registered nurse"},
}

// agentSuffixes end most English job titles: a word after "become a" or
// before "salary" that ends in one is taken for a career even when the
// vocabulary does not list it ("become a falconer").
var agentSuffixes = []string{"er", "or", "ist", "ian", "ant", "ent", "man", "ee", "eer", "ect", "ive", "ger", "ess", "ic", "nurse", "chef", "pilot", "vet", "guard"}

func looksLikeJobTitle(w string) bool {
	w = singular(w)
	if len(w) < 4 || vocab.IsStopWord(w) || notJobTitles[w] || strings.HasSuffix(w, "ment") {
		// "-ment" makes nouns of doing, not doers ("engagement",
		// "placement", "recruitment"): "what counts as engagement" named
		// no career.
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
	proper upper inner outer former latter eager clever sober bitter tender super sheer further rather higher lower bigger
	smaller easier harder faster newer older cheaper safer greater longer shorter stronger wider deeper cooler nicer
	corner dinner cancer fever poker soccer tower cover
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
