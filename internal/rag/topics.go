package rag

import (
	"github.com/careerbot/careerbot/internal/vocab"

	"slices"
	"strconv"
	"strings"
)

// A careerTopic is one part of the template career guides share (pay,
// outlook, education, skills, a day in the life…): the headings that mark
// its sections, and the everyday expressions visitors use to ask about it.
// A question's topics give a prior to the sections of those topics, so that
// "whats the starting pay" goes to the salary table even when its words are
// spread over other sections too.
//
// The expressions are general career vocabulary — how people talk about any
// job — written as phrases of words; "*" stands for up to three words ("how
// much * make"). Words are compared stemmed, so "earns" and "earning" meet
// "earn". Headings are phrases too, matched against each part of a section
// path.
type careerTopic struct {
	name  string
	heads string // comma-separated heading phrases
	cues  string // comma-separated question phrases
}

var careerTopics = []careerTopic{
	{"pay", "salary, salaries, pay, compensation, earnings, wage, income",
		`salary, salaries, pay, paid, payed, paying, earn, earning, earnings, income, wage, wages, money,
		compensation, paycheck, paycheque, remuneration, make a * living, earn a living, earn a * living, decent living, how much * make, how much * get, how much * earn,
		how much * take home, how much * bring in, how much does it pay, what * make, make a living, make good money,
		six figures, 6 figures, 100k, 100k, rich~, well paid, underpaid, overpaid, highest paid, top earners, starting salary,
		starting pay, entry salary, median, average salary, per year~, a year~, annual~, annually~, per hour, an hour, hourly, hourly rate, rate~, raise, bonus, take home, net~, gross~, dollars~, usd~, afford~, living wage, pay scale,
		pay range, pay band, salary range, what can i expect to earn, earning potential, top pay, max salary,
		ceiling, worth financially, lucrative, financially, makes more, make more, earns more, earn more, paid more,
		pays more, pays better, better paid, higher paid, higher salary, more money, earns the most, makes the most, pull in, pulling in, pulls in, rake in, raking in, bring home, brings home, take-home pay, live off, live on * salary, pay the bills, pay my bills, pay rent, support a family, support my family, make bank, big bucks, good money, decent money, the money, money like, hows the pay, how is the pay, pay like, ballpark, compensated, paid well, pay well, pays well, does it pay, how much can i make, how much could i make, what could i earn, what will i earn, what would i earn, starting wage, first salary, top salary, highest salary, most you can make, per annum, ctc, lakh, lakhs, salary expectations, expected salary, pay grade, pay rise, pay cut`},
	{"outlook", "market demand, outlook, job outlook, job market, demand, growth rate, growth paths, opportunities",
		`outlook, job outlook, demand, in demand, job market, market~, hiring~, hire~, jobs available, job openings,
		openings, vacancies, future~, future proof, prospects, job prospects, job security, secure~, stable~,
		stability, growth~, growing~, grow~, growth rate, will * exist, going away, dying, dead end, saturated,
		oversaturated, replaced by ai, replace~, ai take, automation~, automated~, worth it~, worth getting into,
		next 10 years, next decade, long term~, in 5 years, opportunities~, opportunity~, chances~,
		easy to find a job, find work~, get a job~,
		still be * jobs, will there * jobs, in 10 years, 10 years from now, years from now, are * hiring, who is hiring, companies hiring, still * demand, still needed, job growth, jobs growth, market growing, growing or shrinking, is it growing, field growing, industry growing, demand growing, still hiring, hiring right now, hard to find a job, easy to get a job, jobs out there, enough jobs, lots of jobs, plenty of jobs, job hunting~, job search~, dying out, dying field, is it dead, on the rise, on the decline, declining~, booming, boom~, shrinking~, saturated market, too many people, oversupply, shortage~, needed in * future, recession~, layoffs~, laid off, job cuts, safe career, safe job, secure job, ai proof, will ai, robots~, bls, projection, projections, projected, forecast~, forecasts~, predicted~, prediction~, demand going up, demand for`},
	{"trends", "industry trends, trends, emerging, future of",
		`trend, trends, trending, where * heading, where * going, where * headed, going forward, heading~, direction~, future of, whats next, what's next,
		new technologies~, emerging~, latest~, changing~, changes~, evolving~, evolution~, innovations~, new tools~,
		ai~, artificial intelligence, shift~, shifting~, nowadays~, these days~, modern~, upcoming~, hot topics,
		buzz~, hot right now, whats hot, what is hot, hottest~, cutting edge, state of the art, up and coming, next big thing, lately~, recently~, changed~, what has changed, keeping current, stay current, stay relevant, relevant~, outdated~, obsolete~, new developments, developments~, in the field lately, moving towards, moving toward`},
	{"challenges", "challenges, role challenges, obstacles",
		`challenge, challenges, challenging, hard part, hardest part, hardest, difficult, difficulty, difficulties,
		struggle, struggles, obstacles, obstacle, tough~, toughest, problems~, problem~, issues~, hurdles, face~,
		deal with~, cope~, frustrating, frustration, barriers~, pain points, what makes it hard,
		keep up with, keeping up, keep up~, overwhelming~, overwhelmed~, dangerous, danger~, dangers, risky, risks~, hazard~, hazards, hazardous, injury, injuries, get hurt, safety~, unsafe, keeps * up at night, keep * up at night, worries~, worry~, headache~, headaches, biggest problem, biggest problems, biggest challenge, hard about, difficult about, whats hard, what is hard, tricky~, downsides of the work, what can go wrong, rough~, tough part, grind~, pressure points, stressors`},
	{"education", "education, education level, required education, degree, training, qualifications, study",
		`degree, degrees, college, university, uni, study, studies, studying, major, majors, school, schooling,
		education, educational, bachelor, bachelors, master, masters, phd, diploma, associate degree, coursework,
		course~, courses~, class~, classes~, training~, train~, trained~, learn~, learning~, self taught,
		teach myself, without a degree, no degree, online courses, online~, internet~, coursera, udemy, youtube~,
		bootcamp, bootcamps, tutorials~, qualifications~, qualified~, academic~, background~, what to study,
		entrance exam, entrance exams, admission~, admissions~,
		field of study, graduate~, grad school`},
	{"certify", "certification, certifications, certificate, credentials, licensing, license",
		`certification, certifications, certificate, certificates, certs, cert, certified, credential, credentials,
		license, licence, licensed, accredited, accreditation, exam~, exams~, impress employers, stand out~,
		look good on * resume, resume~, cv~, recognized~, recognised~, official~, badges~, adobe certified,
		google certified`},
	{"techskills", "tech skills, technical skills, hard skills, foundational skills, advanced technical skills, skill map",
		`technical skills, tech skills, hard skills, technical, programming, coding, code~, languages~,
		software skills, computer skills, digital skills, know how to use, expertise~, technical abilities,
		tools skills, html, css, python, sql, excel~, editing skills, analytical skills,
		specialized skills, specialised skills, specialist skills, niche skills, skills that stand out,
		stand out skills, skills to stand out, skills that make * stand out`},
	{"softskills", "soft skills, soft abilities, professional & soft skills, interpersonal, personal qualities",
		`soft skills, soft abilities, people skills, interpersonal, personality, personal qualities, qualities,
		traits, character, temperament, attitude~, mindset~, communication~, communicate~, teamwork, team player,
		introvert~, extrovert~, creative~, creativity~, patient~, patience~, empathy, what kind of person,
		type of person, good fit, suited~, suit me, cut out for, job for him, job for her, job for me, career for him, career for her, career for me, job for someone~, for someone like me, shy, introverted, introverts, quiet person, outgoing, people person, socially awkward, awkward~, confident~, confidence~, nervous~, personality type, would i be good, am i suited, right person, right for me, natural talent~, talented~, emotional intelligence, listening~, listener~, organized~, organised~, detail oriented, attention to detail, self motivated, work ethic`},
	{"skills", "skills, skills and qualifications, skill map, competencies, abilities",
		`skill, skills, skillset, skill set, abilities, ability, competencies, competency, strengths, good at~,
		need to know, need to be good at, requirements~, required~, requirement~, what does it take, what it takes,
		prerequisites, expertise~, capabilities, know how,
		what makes someone good, makes a good, what makes * good, good at being, a must, must have, must haves, essential~, level up~, transferable, skills transfer, skills carry over, transfer over`},
	{"tools", "tech stack, tools, software, equipment, technology, toolkit",
		`tools~, tool, software, softwares, apps, app, applications, programs~, program~, equipment, gear, tech stack,
		stack, technology, technologies~, platforms~, platform~, what do they use, what * they use, use daily,
		what do they * with, what do you * with, what * use to, toolkit, hardware~,
		computer~, camera~, cameras~, adobe~, suite~, systems~, which programs,
		apps for, app for, tools for, tool for, software for, programs for, platforms for, which apps, which tools, which software,
		what apps, what tools, what software, what platforms, which platforms, what else do they * with, what else * use,
		use for, used for, what do they * in, alternatives to, alternative to, cms, which cms, what cms, content management system~,
		gadget, gadgets, machine, machines, device, devices, instruments~, kit~, what do they carry, toolbox, tool bag`},
	{"duties", "key responsibilities, responsibilities, duties, core functions, what you will do",
		`duties, duty, responsibilities, responsibility, responsible for, tasks, task, job description, role~,
		what do * do, what does * do, whats * job, what is * job, involve~, involves~, what does * involve,
		does it involve, entail, entails, in charge of,
		job involve, actually do, work on~, day to day tasks, functions~, core functions, main job, purpose~,
		do they handle~, handle~, expected to, are they expected, part of their job, part of the job~, their job to, is it their job, do they also~, take care of~, look after~, is it just, just posting, all about~, whats involved, what is involved, nitty gritty, bread and butter, main tasks, what would i be doing, what will i be doing, what would i do, what do i do, most of * time, spend * time on, spend * time doing, what they do, what it is they do, what you do,
		kind of work, type of work, sort of work, kinds of work, types of work, what work do, work do they do, work would i do, expected of, what is expected, whats expected`},
	{"day", "a day in the life, day in the life, typical day, daily",
		`typical day, daily, day to day, routine, schedule, day in the life, a day look like, average day, normal day,
		day like, everyday, each day, workday, working day, typical work day, normal work day, average work day, usual work day, work day like, work day look like, shift~, hours of the day, all day, do all day, whole day,
		during the day, throughout the day, through the day, their day, your day, my day, through a day, a day on the job,
		day on the job, a day at work, day at work, a day as a, a day as an, a day in their shoes, spend a day, shadow~`},
	{"morning", "morning",
		`morning, mornings, before lunch, first thing, start the day, start of the day, start their day, begin the day,
		day start, day starts, work day start, work day starts, start of the work day, start the work day, start their work day,
		beginning of the day, early, in the am, 9am, 9 am, breakfast, arrive, when they get in, kick off,
		what time * start, clock in, first hour, first few hours, 8am, 10am, 11am, the am, first get in, get to work, get to the office, start work, starting work, start of work, first thing in the, when they arrive, when they start`},
	{"afternoon", "afternoon",
		`afternoon, afternoons, after lunch, midday, mid day, noon, lunch, lunchtime, middle of the day, post lunch,
		mid afternoon, middle * day, midway through the day, 1pm, 2pm, 3pm, the pm, after their lunch, after eating lunch`},
	{"evening", "late afternoon, evening, end of day",
		`evening, evenings, end of the day, end of day, late afternoon, late in the day, wrap up, wind down,
		before going home, before leaving, before they leave, night, at night, last thing, finish the day, close out,
		4pm, 5pm, 6pm, what time * finish, what time * leave, what time * done, clock out, day end, finish work,
		finish up, leave the office, call it a day,
		closing time, towards the end, toward the end, later on, later in the day, late in the day, end of their day, end of the work day, day * end, day * ends, what time * end, day * over, end of the working day, last couple hours, last couple of hours, last few hours, last hour, final hours, final hour, before home time, home time`},
	{"setting", "work setting, work environment, workplace, environment, where they work",
		`office, offices, where * work, environment, work environment, workplace, studio, setting, indoors, outdoors,
		team~, colleagues~, coworkers, who do * work with, employers~, companies~, industries~, industry~, sector~,
		agency~, agencies~, in house, freelance, freelancing, self employed, travel~, on location, on site, onsite,
		solo, alone, on my own, by myself, team job, in a team, independently, independent~, who * work for, organisations~, organizations~, types of companies, kinds of companies, who hires, who employs, work for~, stuck at a desk, at a desk, desk job, behind a desk, sit all day, sitting all day, on my feet, out and about, cubicle, open plan, dress code, where would i work, where will i work, what kind of place, kind of places, nonprofits~, nonprofit~, charities~, charity~, schools~, universities~, hospitals~, government~, startups~, startup~, corporate~, big companies, small companies, big company, small company, brands~,
		government job, private sector, public sector, private company, private companies`},
	{"remote", "remote, remotely, work from home",
		`remote, remotely, from home, from my house, from the house, at home, from my couch, from my bedroom,
		own home, wfh, hybrid, telecommute, telework, anywhere~, digital nomad,
		location independent, home office, online job, virtual~`},
	{"balance", "work-life balance, balance, stress, stress level, balance rating",
		`stress, stressful, stressed, pressure, burnout, burn out, balance, work life, work-life, hours~, long hours,
		overtime, weekends~, weekend~, hours * long, how many hours, hours a week, hours per week, work hours, working hours,
		get holidays, paid holidays, holiday allowance, vacation days, vacation time, paid vacation, how much vacation,
		time off, days off, annual leave, paid leave, pto, sick days,
		work late, stay late, family~, free time, personal life, chill, relaxed, relaxing, laid back,
		hectic, demanding~, intense~, 9 to 5, nine to five, late nights, work nights, work weekends, on weekends,
		nights and weekends, evenings and weekends, after hours, long days, on call, flexible~, flexibility~, deadlines~, how hard is the job,
		workload, exhausting, tiring~, mental health~, anxiety~, calm~`},
	{"progression", "career path tiers, tiers, career growth, growth path, career growth path, progression, advancement, senior, lead, manager, career path",
		`promotion, promotions, promoted, move up, moving up, advance, advancement, career ladder, ladder, rung, rungs, highest level, top level, top of the ladder, highest position, top position,
		highest role, top role, highest title, how high can, get to the top,
		progression, progress~, senior~, seniority, next step~, next level~, climb~, grow in * career, career growth,
		career path~, lead~, leader~, leadership, lead a team, manage a team, manage people, management~, manager~,
		be in charge, in charge of a, run a department, run the department, head of, director~, boss~, supervisor~,
		levels~, tiers~, junior to senior, years of experience, how long to become senior, long term career,
		where can * go, end up~, what comes after, comes after~, after senior, above senior, beyond senior,
		higher than senior, next rung,
		till * senior, until * senior, how long * senior, level up~, running a team, run a team, lead people, lead others, managing people, become a manager, be the boss, boss one day, someday~, eventually~, long run, in the long run, career trajectory, trajectory~, move into management, step up, get promoted, how long * junior, stuck as, stuck at junior, stay junior, how fast * promoted, how quickly * promoted, move on from junior, after junior, highest level, top level, top job, top of the ladder, as high as, how far can, ceiling~`},
	{"become", "path to, getting started, how to become, breaking in, getting in, entry",
		`become, becoming, get into, getting into, break into, breaking into, get started, getting started, start out,
		starting out, first job, first step, first steps, steps~, career change, change careers, switch careers,
		switching, transition, pivot, no experience, without experience, get hired, land a job, land my first,
		how to get, how do i get, how do i start, where do i start, how to start, enter the field, entry level,
		entry~, beginner, beginners, newbie, newcomer, junior role, internship~, internships~, pathway, path to,
		route~, roadmap, apply~, applying~, foot in the door, get my foot in, in the door, break in, breaking in, first gig, how would i start, how can i start, where to begin, where do i begin, starting point, from scratch, no background, career switch, switch to this, switching to, change to this, move into this, get into this, how do people get, qualify as, how to get started, where should i start, what should i do first, first thing i should, land a role, get a job in, get a job as, job in this, eligibility, eligible, eligibility criteria, entry requirements, minimum requirements, hired as, hired for`},
	{"portfolio", "portfolio, portfolio tips",
		`portfolio, portfolios, showreel, reel~, demo reel, work samples, samples~, examples of my work, show my work,
		showcase~, behance, personal website, body of work`},
	{"mistakes", "common mistakes, mistakes, pitfalls",
		`mistake, mistakes, avoid~, errors~, error~, pitfalls, pitfall, dont do, shouldnt, should not, wrong~,
		go wrong, get wrong, gets wrong, getting wrong, do wrong, mess up, messed up, screw up, blunders, slip ups,
		regret~, newbie mistakes, beginner mistakes, rookie, common mistakes, what not to do, traps~`},
	{"tips", "contextual advice, advice, tips, recommendations",
		`tips, tip, advice, advise~, recommend, recommendations, suggestions, suggest~, how to succeed, succeed~,
		success~, how to stand out, stand out~, secret~, secrets~, best way, how to be good, how to get better,
		improve~, excel~, thrive~, hacks, words of wisdom, what should i do, pointers~, guidance~,
		stand out from, other applicants, applicants~, candidates~, mentor, mentors, mentorship, networking~, network~, get noticed, some pointers, any pointers, give me * pointers, tips and tricks, pro tips, insider~, word of advice, what do you suggest, what would you suggest, what would you recommend, what should i know, things to know, must know, dos and donts, do and dont, best practices, how to do well, how do i do well, golden rules, golden rule, rules of thumb, rule of thumb, get ahead, head start, edge over, an edge, be successful, be the best, what helps, do well~, doing well~, what would you tell, tell someone new, advice for someone, what would help`},
	{"pros", "pros, advantages, benefits",
		`pros, pro, why would * want, why * choose, advantages, advantage, benefits, benefit, best thing, best part, best things, perks, perk,
		good career~, a good career~, good choice~, right choice~, good option~, like about, love about, like most, love most, like most about, love most about, enjoy most, favorite part,
		favourite part, favorite thing, favourite thing, upside, upsides, good about, good things, rewarding, reward~, fun~, enjoy~,
		enjoyable, satisfying, satisfaction, why choose, reasons to, whats great, positives, positive~, worth it~,
		plus side, appeal~,
		why should i, why pick, why * pick, why become, why go into, why get into, what is good about, whats good about, different industries, variety~, varied~, best bits, good bits, fun part, fun parts, most rewarding, love the job, love their job, like their job, enjoy the job, job satisfaction, happy~, happiest~, fulfilling, fulfillment, meaningful~, upsides of, good side, bright side, whats nice, what is nice, nice about, cool about, whats cool, why do people like`},
	{"cons", "cons, disadvantages, drawbacks",
		`cons, con, disadvantages, disadvantage, downsides, downside, drawbacks, drawback, worst thing, worst part,
		sucks, suck, hate, annoying, bad about, bad things, negatives, negative~, dislike, downfalls, catch~,
		cons of, not so great, boring~, down side, bad side, why not~,
		reasons not to, not to become, why not become, why not do, hard to land~, competition~, competitive~, juggling~, juggle~, multiple projects, too many projects, multitasking~, irregular~, whats the catch, what is the catch, the catch, worst bits, bad bits, bad parts, downsides of, dark side, ugly side, hate about, dislike about, whats bad, what is bad, not so good, not great about, regret~, unhappy~, complain~, complaints~, why do people quit, why people leave, quit~, leave the field`},
	{"abroad", "global outlook, global, international, countries, worldwide",
		`country, countries, abroad, international, internationally, overseas, worldwide,  global~, globally,
		other countries, other parts of the world, move abroad, move to another country, relocate, relocating,
		emigrate, which country, where in the world, outside the us, foreign, other countries, europe~, asia~, uk~, canada~, australia~, india~, germany~, in the states, america~, different country, live abroad, work abroad, working abroad, move overseas, visa~`},
	// How the work's results are judged: visitors ask whether a post "did
	// well", how anyone "knows it worked", which numbers count. Any
	// career's work has results someone measures; the guides answer it
	// where a heading says measure, success, metrics or KPIs.
	{"results", "measure the success, measure success, measuring success, success metrics, metrics, kpis, kpi, performance measurement",
		`measure success, measuring success, measure the success, measure~, measured~, measuring~, measurement~, metrics, metric, kpi, kpis,
		know if * worked, know if * working, know if * did well, know if * went well, know if * successful, know if * success,
		tell if * worked, tell if * working, tell if * did well, tell if * went well, tell if * successful,
		see if * worked, see if * working, check if * worked, check if * working, judge if, judge whether, judge how,
		know whether * worked, tell whether * worked, is it working, its working, it worked, did well, went well, did it work, does it work,
		how successful, was successful, were successful, be successful~, counts as success, counts as a success, successful campaign, successful post,
		performing~, performance~, perform well, performs well, doing well~, track results, tracking results, track the results, results~,
		numbers do they, which numbers, what numbers, engagement~, analytics~, views~, reach~, roi, return on investment`},
	{"cases", "examples and case studies, case studies, case study, examples",
		`example~, examples~, case study, case studies, real world, real life, real example, success story,
		success stories, story~, stories~, projects~, project~, campaign~, campaigns~, achievements~, results~,
		raise money, raise funds, raising money, raised money, fundraising, fundraiser, donations, donors,
		accomplished, how did someone, did someone, someone who, anyone who, people who have, real people, what have * done, achieved~, show me an example, give me an example, for instance`},
	{"overview", "overview, core functions, about, what is a, what is an",
		`what is a, what is an, whats a, what's a, who is, what exactly is, what exactly does, what even is, about the job~, about this career~, overview,
		describe the job, the role~, explain the job, introduction, summary~, in a nutshell, what kind of job,
		meaning~, who do * work with, who * work with, collaborate with~, who * work for, what kinds of organisations,
		what kinds of organizations, what organisations, what organizations, types of organisations, types of organizations`},
}

// topicMask is a set of careerTopics, one bit per topic.
type topicMask uint32

// phrase is a stemmed word sequence; "" stands for a gap of up to
// maxPhraseGap words. A weak phrase (written with a trailing "~": "learn~")
// starts with weakMark and counts half: "which software should I learn" is
// about tools more than about education.
type phrase []string

const weakMark = "~"

const maxPhraseGap = 3

type compiledTopic struct {
	heads, cues []phrase
}

var compiledTopics = func() []compiledTopic {
	if len(careerTopics) > 32 {
		panic("rag: topicMask holds 32 topics")
	}
	out := make([]compiledTopic, len(careerTopics))
	for i, t := range careerTopics {
		out[i] = compiledTopic{heads: compilePhrases(t.heads), cues: compilePhrases(t.cues)}
	}
	return out
}()

func compilePhrases(list string) []phrase {
	var out []phrase
	for _, p := range strings.Split(list, ",") {
		var ph phrase
		p, weak := strings.CutSuffix(strings.TrimSpace(p), "~")
		if weak {
			ph = append(ph, weakMark)
		}
		for _, w := range strings.Fields(p) {
			if w == "*" {
				ph = append(ph, "")
				continue
			}
			vocab.ForEachWord(w, func(part string) { ph = append(ph, vocab.Stem(part)) })
		}
		if len(ph) > 0 {
			out = append(out, ph)
		}
	}
	return out
}

// stemsOf returns every word of s stemmed, stop words included: phrases
// such as "how much * make" need them.
func stemsOf(s string) []string {
	var out []string
	vocab.ForEachWordIn(s, func(w string) { out = append(out, vocab.Stem(w)) })
	return out
}

// matchLen returns the number of words of p (gaps not counted) when p
// occurs in words, negative for a weak phrase, or 0.
func (p phrase) matchLen(words []string) int {
	if len(p) > 0 && p[0] == weakMark {
		if n := p[1:].matchLen(words); n > 0 {
			return -n
		}
		return 0
	}
	for i := range words {
		if p.matchAt(words, i, 0) {
			n := 0
			for _, w := range p {
				if w != "" {
					n++
				}
			}
			return n
		}
	}
	return 0
}

// matchAt reports whether p[k:] occurs at words[i:].
func (p phrase) matchAt(words []string, i, k int) bool {
	if k == len(p) {
		return true
	}
	if p[k] == "" {
		for skip := 0; skip <= maxPhraseGap && i+skip <= len(words); skip++ {
			if p.matchAt(words, i+skip, k+1) {
				return true
			}
		}
		return false
	}
	return i < len(words) && words[i] == p[k] && p.matchAt(words, i+1, k+1)
}

// askedTopics are the topics a question asks about, each with a strength:
// the number of words of the longest expression that named it (a phrase
// says more than a word), half for a weak one.
type askedTopics struct {
	mask      topicMask
	strength  [32]float32
	strongest float32
	cueWords  map[string]topicMask // stems of the expressions that named them
	// phraseWords are the cueWords of expressions of several words ("start
	// work", "level up"): the expression, not the word, named the topic.
	phraseWords map[string]topicMask
}

func questionTopics(stems []string) askedTopics {
	var at askedTopics
	var newness, becoming bool // become was named by being new only ("starting out", "my first job"), by more
	for i, w := range stems {
		if isThousands(w) {
			w = "100k" // "is 65k a good salary": any amount in thousands, as the pay expressions write one
			stems = slices.Clone(stems)
			stems[i] = w
		}
		if t := clockTopic(stems, i); t >= 0 {
			at.mask |= 1 << t
			at.strength[t] = max(at.strength[t], clockStrength)
			at.strongest = max(at.strongest, clockStrength)
		}
		for _, c := range cuesByFirst[w] {
			if !c.words.matchAt(stems, i, 0) {
				continue
			}
			if c.topic == becomeTopicIndex {
				if c.newness {
					newness = true
				} else {
					becoming = true
				}
			}
			n := c.strength
			at.mask |= 1 << c.topic
			at.strength[c.topic] = max(at.strength[c.topic], n)
			at.strongest = max(at.strongest, n)
			if at.cueWords == nil {
				at.cueWords = map[string]topicMask{}
			}
			words := 0
			for _, cw := range c.words {
				if cw != "" {
					at.cueWords[cw] |= 1 << c.topic
					words++
				}
			}
			if words > 1 {
				if at.phraseWords == nil {
					at.phraseWords = map[string]topicMask{}
				}
				for _, cw := range c.words {
					if cw != "" {
						at.phraseWords[cw] |= 1 << c.topic
					}
				}
			}
		}
	}
	// Being new beside another topic says which level of it is asked, not
	// how to get in: "what do juniors make starting out", "what money am i
	// looking at in my first job" are about entry pay.
	if newness && !becoming && at.mask&^(1<<becomeTopicIndex) != 0 {
		at.strength[becomeTopicIndex] = min(at.strength[becomeTopicIndex], 0.5)
		at.findStrongest()
	}
	if asksWhatTheyDo(stems) && at.mask == 0 {
		// "do they write blog posts too": whether something is part of
		// the job, which the duties say, when nothing else is asked.
		at.mask |= 1 << dutiesTopicIndex
		at.strength[dutiesTopicIndex] = 1
		at.strongest = 1
	}
	if endsAskingPay(stems) && at.strength[payTopicIndex] < 1 {
		at.mask |= 1 << payTopicIndex
		at.strength[payTopicIndex] = 1
		at.strongest = max(at.strongest, 1)
		if at.cueWords == nil {
			at.cueWords = map[string]topicMask{}
		}
		at.cueWords[vocab.Stem("make")] |= 1 << payTopicIndex
	}
	at.foldDutiesIntoTheDay()
	return at
}

// asksWhatTheyDo reports whether a question asks whether the career's
// people do something: "do they <verb> <something>". Verbs of other topics
// (work, use, need, earn, make, get, travel…) are theirs.
func asksWhatTheyDo(stems []string) bool {
	if len(stems) < 4 || stems[0] != "do" || stems[1] != "they" && stems[1] != "you" {
		return false // "do they?": no object; "does cultural awareness matter" asks of a thing
	}
	verb := stems[2]
	return !vocab.IsStopWord(verb) && !otherTopicVerbs[verb] && !isNumber(verb)
}

// otherTopicVerbs are verbs whose questions other topics answer ("do they
// work weekends", "do they use excel", "do they need a degree").
var otherTopicVerbs = func() map[string]bool {
	m := map[string]bool{}
	vocab.ForEachWord(`work works use uses need needs earn earns make makes get gets travel travels require requires have has
	like enjoy hate love want go start stay feel find learn study train pay paid get hire hired hiring`, func(w string) { m[vocab.Stem(w)] = true })
	return m
}()

// endsAskingPay reports whether a question ends in "make" with a "do"
// before it: "what do the senior people make", "do media specialists
// make?" ask what they earn ("what * make" reaches three words back
// only). "make" with an object ("do they make videos", "what mistakes do
// beginners make") is not pay.
func endsAskingPay(stems []string) bool {
	n := len(stems)
	if n < 3 || stems[n-1] != vocab.Stem("make") {
		return false
	}
	for k, w := range stems[:n-1] {
		if w != "do" && w != "doe" && w != "did" {
			continue
		}
		// Asked by "what do", "how much do" or "do" itself, not of a thing
		// named first: "what mistakes do beginners make" is no pay.
		if k == 0 || stems[k-1] == "what" || stems[k-1] == "much" || stems[k-1] == "and" || stems[k-1] == "so" {
			return true
		}
	}
	return false
}

// dayBlocks are the topics of the day-in-the-life blocks (morning,
// afternoon, late afternoon).
var dayBlocks = topicMask(1)<<topicIndex("morning") | topicMask(1)<<topicIndex("afternoon") | topicMask(1)<<topicIndex("evening")

// foldDutiesIntoTheDay makes duties asked at a time of day the block of
// that time: the day-in-the-life blocks are the duties by the hour, so
// "evening tasks for a media specialist?" and "what do they do from 12 to
// 4" are asked of those blocks, not of Key Responsibilities (which won on
// the word "tasks", the blocks saying "Focus: …" instead). The duties'
// expressions are found in the asked blocks.
func (at *askedTopics) foldDutiesIntoTheDay() {
	duties := topicMask(1) << dutiesTopicIndex
	if at.mask&dayBlocks == 0 || at.mask&duties == 0 {
		return
	}
	d := at.strength[dutiesTopicIndex]
	for t := range careerTopics {
		if at.mask&dayBlocks&(1<<t) != 0 {
			at.strength[t] = max(at.strength[t], d)
		}
	}
	at.mask &^= duties
	at.strength[dutiesTopicIndex] = 0
	for stem, m := range at.cueWords {
		if m&duties != 0 {
			at.cueWords[stem] = m&^duties | at.mask&dayBlocks
		}
	}
	at.findStrongest()
}

// findStrongest sets strongest from the asked topics' strengths, after
// one was changed.
func (at *askedTopics) findStrongest() {
	at.strongest = 0
	for t := range careerTopics {
		if at.mask&(1<<t) != 0 {
			at.strongest = max(at.strongest, at.strength[t])
		}
	}
}

// newnessCues are the expressions of getting in that only say the asker is
// new (see questionTopics).
var newnessCues = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range compilePhrases(`start out, starting out, first job, land my first, entry level, entry~, beginner, beginners,
		newbie, newcomer, junior role, no experience, without experience, first gig`) {
		if p[0] == weakMark {
			p = p[1:]
		}
		m[strings.Join(p, " ")] = true
	}
	return m
}()

var becomeTopicIndex = topicIndex("become")

// clockStrength is how strongly a time of day ("at 3", "between 4 and 6")
// names its block of the day: as a two-word expression.
const clockStrength = 2

// clockTopic returns the block of the day (morning, afternoon, evening) a
// time of day at stems[i] names, or -1: an hour of 1–12 after "at",
// "around", "between", "after", "before", "by", "until", "from" or "and"
// (or before "am"/"pm"), and not before a unit ("after 5 years", "at 10
// percent"). Hours 7–11 are the morning unless "pm" follows, 12–3 the
// afternoon, 4–6 (and a "pm" 7–11) the evening: guides' day blocks run
// about 9–12, 12–4 and 4–6.
func clockTopic(stems []string, i int) int {
	// Atoi fails on what does not open with a digit or a sign, and its
	// error is two allocations: every word of every question read came
	// here, ~5% of an offline answer's allocations (BenchmarkAnswerOffline/
	// botbench, 13:52 UTC). TestClockTopicSkipsWords.
	if s := stems[i]; s == "" || !('0' <= s[0] && s[0] <= '9' || s[0] == '+' || s[0] == '-') {
		return -1
	}
	h, err := strconv.Atoi(stems[i])
	if err != nil || h < 1 || h > 12 {
		return -1
	}
	next := ""
	if i+1 < len(stems) {
		next = stems[i+1]
	}
	if clockUnits[next] {
		return -1
	}
	if next != "am" && next != "pm" && (i == 0 || !clockLeads[stems[i-1]]) && !clockRange(stems, i) {
		return -1
	}
	switch {
	case next == "am" && h != 12, next != "pm" && h >= 7 && h <= 11:
		return topicIndex("morning")
	case h == 12 || h <= 3:
		return topicIndex("afternoon")
	}
	return topicIndex("evening")
}

// clockRange reports whether stems[i], an hour, opens a range of hours
// within one part of the day ("9 to 12", "2 till 4"): the second an hour
// of 1–12 too and no unit after it ("1 to 3 years" is a duration). "9 to
// 5" is the working day as a whole, no part of it.
func clockRange(stems []string, i int) bool {
	k := i + 1
	if k < len(stems) && (stems[k] == "to" || stems[k] == "till" || stems[k] == "until" || stems[k] == "til") {
		k++
	}
	if k == i+1 || k >= len(stems) {
		return false
	}
	h, err := strconv.Atoi(stems[k])
	if err != nil || h < 1 || h > 12 {
		return false
	}
	if from, _ := strconv.Atoi(stems[i]); from >= 7 && from <= 11 && h >= 4 && h <= 7 {
		return false
	}
	return k+1 >= len(stems) || !clockUnits[stems[k+1]]
}

var (
	clockLeads = stemSet("at around between after before by until till from and")
	clockUnits = stemSet(`year years month months week weeks day days hour hours minute minutes k thousand million percent
			people person employee employees project projects time times step steps tip tips thing things`)
)

// stemSet is the set of the stems of words.
func stemSet(words string) map[string]bool {
	m := map[string]bool{}
	vocab.ForEachWord(words, func(w string) { m[vocab.Stem(w)] = true })
	return m
}

// cue is one expression of a topic, indexed by its first word: a question
// looks up only the expressions that start with one of its words.
type cue struct {
	topic    int
	words    phrase // without the weak mark
	strength float32
	newness  bool // one of newnessCues
}

var cuesByFirst = func() map[string][]cue {
	m := map[string][]cue{}
	for t, ct := range compiledTopics {
		for _, p := range ct.cues {
			c := cue{topic: t, words: p}
			if p[0] == weakMark {
				c.words, c.strength = p[1:], 0.5
			} else {
				c.strength = float32(p.matchLen(p)) // its words, gaps not counted
			}
			if len(c.words) == 0 || c.words[0] == "" {
				panic("rag: a topic expression must start with a word: " + strings.Join(p, " "))
			}
			c.newness = careerTopics[t].name == "become" && newnessCues[strings.Join(c.words, " ")]
			m[c.words[0]] = append(m[c.words[0]], c)
		}
	}
	return m
}()

// weight is how strongly the question asks about any topic in m, relative
// to its strongest topic: 1 for the main topic, less for a side one.
func (at *askedTopics) weight(m topicMask) float32 {
	m &= at.mask
	if m == 0 {
		return 0
	}
	var best float32
	for t := 0; m != 0; t, m = t+1, m>>1 {
		if m&1 != 0 {
			best = max(best, at.strength[t])
		}
	}
	return best / at.strongest
}

// credit is how fully a word of the expressions that named the topics in m
// counts as found in their sections: 1, or ½ when only weak expressions
// named them.
func (at *askedTopics) credit(m topicMask) float32 {
	m &= at.mask
	var best float32
	for t := 0; m != 0; t, m = t+1, m>>1 {
		if m&1 != 0 {
			best = max(best, at.strength[t])
		}
	}
	return min(1, best)
}

// headWords are, per stem, the topics whose headings use it ("tips" for
// the tips, "salary" for pay): a question word that names a topic by its
// heading word names it outright.
var headWords = func() map[string]topicMask {
	m := map[string]topicMask{}
	for t, ct := range compiledTopics {
		for _, h := range ct.heads {
			for _, w := range h {
				if w != "" && w != weakMark {
					m[w] |= 1 << t
				}
			}
		}
	}
	return m
}()

// sectionTopics returns the topics of a section path: those its own title
// names (primary) and those of its enclosing titles (parent).
func sectionTopics(path string) (primary, parent topicMask) {
	parts := strings.Split(path, " › ")
	for i, part := range parts {
		// A title's topics are those of its longest heading phrases: "Late
		// Afternoon" is the evening block, not also the afternoon; "Pros &
		// Cons" is both.
		stems := stemsOf(part)
		var mask topicMask
		longest := 0
		for t, ct := range compiledTopics {
			for _, h := range ct.heads {
				n := h.matchLen(stems)
				if n < 0 {
					n = -n
				}
				switch {
				case n == 0 || n < longest:
					continue
				case n > longest:
					mask, longest = 0, n
				}
				if n == longest {
					mask |= 1 << t
				}
			}
		}
		if i == len(parts)-1 {
			primary |= mask
		} else {
			parent |= mask
		}
	}
	// A block of the day named otherwise than by its part of the day
	// ("Shift Start (7:00 AM - 9:00 AM)", "Evening Showings (5:30 PM…)") is
	// the part its first time falls in.
	if parent&(1<<topicIndex("day")) != 0 && primary&dayBlocks == 0 {
		if t := blockOfFirstTime(stemsOf(parts[len(parts)-1])); t >= 0 {
			primary |= 1 << t
		}
	}
	return primary, parent
}

// blockOfFirstTime is the part of the day (morning, afternoon or evening
// topic) of the first clock time in a title's stems ("7", "00", "am"), or
// -1 when it has none.
func blockOfFirstTime(stems []string) int {
	for i, st := range stems {
		h, err := strconv.Atoi(st)
		if err != nil || h < 1 || h > 12 {
			continue
		}
		for k := i + 1; k < len(stems) && k <= i+2; k++ {
			switch stems[k] {
			case "am":
				if h == 12 {
					return topicIndex("evening") // midnight
				}
				return topicIndex("morning")
			case "pm":
				if h == 12 || h < 4 {
					return topicIndex("afternoon")
				}
				return topicIndex("evening")
			}
		}
		return -1
	}
	return -1
}

// The skills topics: a question about skills in general (the skills topic
// without either kind) is answered from both kinds.
var (
	skillsTopic     = topicMask(1) << topicIndex("skills")
	techSkillsTopic = topicMask(1) << topicIndex("techskills")
	softSkillsTopic = topicMask(1) << topicIndex("softskills")
	toolsTopic      = topicMask(1) << topicIndex("tools")
	// dutiesTopicIndex is the duties' place in careerTopics.
	dutiesTopicIndex = topicIndex("duties")
	payTopicIndex    = topicIndex("pay")
)

// generalSkills reports whether the question asks about skills without
// saying which kind.
func (at *askedTopics) generalSkills() bool {
	return at.mask&skillsTopic != 0 && at.mask&(techSkillsTopic|softSkillsTopic) == 0
}

// topicIndex returns the index of the named topic, or -1.
func topicIndex(name string) int {
	for i, t := range careerTopics {
		if t.name == name {
			return i
		}
	}
	return -1
}
