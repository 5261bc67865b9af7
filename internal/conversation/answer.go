package conversation

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/careerbot/careerbot/internal/compose"
	"github.com/careerbot/careerbot/internal/openai"
	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/vocab"
	"github.com/careerbot/careerbot/protocol"
)

// Outcomes of an answer, for logs and Metrics.Answered.
const (
	outcomeAnswered  = "answered"
	outcomeDeclined  = "declined"
	outcomeFallback  = "fallback"
	outcomeTruncated = "truncated"
	outcomeCancelled = "cancelled"
	outcomeError     = "error"
)

// offlineDeltas is how many token frames an offline answer is streamed in:
// a few larger pieces, so clients keep one code path without a frame per word.
// They all leave in one write anyway (the answer is ready at once), so more
// pieces would only cost frames: two, down from four, cut the frames of an
// offline answer from six to four (docs/benchmarks.md).
const offlineDeltas = 2

// answerRun carries one answer through its steps.
type answerRun struct {
	s          *Service
	ctx        context.Context
	id         string // the ask's
	session    string
	tag        string // stands for session in logs (Session.LogID)
	emit       func(protocol.Frame)
	start      time.Time
	mode       string // the service's Mode
	firstToken time.Duration
	tokens     int
	sent       strings.Builder // every delta sent so far
}

// Answer answers question, the ask id of this session: it emits the
// sources frame and the token frames, in order, from the calling goroutine,
// stores the turn, logs one line, and returns the last frame — done, or an
// error — rather than emitting it, so that the transport can send it and
// free the answer slot in one step. ctx ends the answer early: cancel it
// with ErrCancelled or ErrShutdown as the cause (context.WithCancelCause)
// and done says so.
func (sess *Session) Answer(ctx context.Context, id, question string, emit func(protocol.Frame)) protocol.Frame {
	s := sess.svc
	s.inflight.Add(1)
	defer s.inflight.Add(-1)
	session := sess.ID()
	// The answer's frames also go to whoever resumes it (Resume), and it
	// stops being resumable as a live answer once done is returned: from
	// then on a resume replays the stored turn (stored before done).
	live := s.live.start(session, id, emit)
	run := &answerRun{s: s, ctx: ctx, id: id, session: session, tag: sess.LogID(), emit: live.emit, start: s.now(), mode: s.Mode()}
	last := run.answer(sess, question)
	live.finish(last)
	return last
}

func (run *answerRun) answer(sess *Session, question string) protocol.Frame {
	s, ctx, id, session, emit := run.s, run.ctx, run.id, run.session, run.emit

	history, _, err := s.sessions.Load(ctx, session)
	if err != nil {
		s.log.Warn("loading session history", "session", run.tag, "err", err)
	}
	// The grounded questions before this one, in an array on the stack
	// for the default history (they do not escape; growing the slice was
	// ~400 B of every answer's allocations).
	var previousBuf [DefaultMaxTurns + 1]string
	previous := previousBuf[:0]
	for _, t := range history {
		if t.Grounded {
			previous = append(previous, t.Standalone)
		}
	}
	idx := s.retriever()
	rt, routable := idx.(router)
	if routable {
		rt = newMemoRouter(rt)
	}
	// A clarify reply asked which career; the answer to it ("data
	// analysts") keeps the question it clarified.
	if n := len(history); routable && n > 0 && history[n-1].Kind == kindClarify {
		previous = append(previous, history[n-1].Standalone)
	}
	// The question without a greeting or thanks around it: "hi, what does
	// a nurse earn?" is routed and searched as "what does a nurse earn?".
	// The turn keeps the message as typed.
	asked, smallTalk, isSmallTalk := compose.SplitSmallTalk(question)
	if routable {
		asked = expandInitials(asked, rt.Careers()) // "an rn" is a registered nurse
	}
	var standalone string
	if routable {
		standalone = standaloneOf(rt, asked, previous)
	} else {
		standalone = compose.Standalone(asked, previous)
	}

	// Small talk, careers no guide covers and plainly off-topic questions
	// are answered without a search or a model call: a friendly reply, one
	// naming the covered careers (never another career's figures), or the
	// decline.
	routed, routedKind := "", ""
	offTopic := false
	var noGuideFor []string // careers named beside covered ones that no guide covers ("electrician or plumber")
	if isSmallTalk {
		routed, routedKind = compose.SmallTalkReply(smallTalk, idx.Guides()), protocol.KindSmallTalk
	} else {
		// Off-topic before an uncovered career: "what should i cook for
		// dinner" names no cook's career. A covered career named keeps the
		// question ("do nurses get dinner breaks").
		m := rag.CareerMatch{}
		r, resolves := resolverOf(idx, rt)
		if resolves {
			m = r.ResolveCareers(asked)
		}
		offTopic = len(m.Covered) == 0 && compose.OffTopic(withoutNames(asked, m.Uncovered), len(previous) > 0 && compose.Leans(asked))
		if offTopic && routable {
			// Personal context is not the question: "i edit vids on my
			// phone, which programs would i need for a job like this" is
			// asked by its clause about the career (mainClause).
			if clause := mainClause(rt, asked); clause != "" && !compose.OffTopic(clause, false) {
				offTopic = false
			}
		}
		if len(m.Covered) > 0 {
			for _, u := range m.Uncovered {
				if !slices.Contains(m.Self, u) {
					noGuideFor = append(noGuideFor, u)
				}
			}
		}
		if !offTopic && len(m.Uncovered) > 0 && len(m.Covered) == 0 {
			// The asker's own job is who asks, not what ("im a teacher,
			// could i switch into this"): the rest of the message is the
			// question, about the careers in play.
			if rest := withoutSelfDescription(asked, m); rest != "" && routable {
				asked = rest
				standalone = standaloneOf(rt, asked, previous)
			} else {
				routed, routedKind = compose.Uncovered(m.Uncovered, idx.Guides()), protocol.KindUncovered
			}
		}
	}
	var hits []rag.Hit
	var plan *answerRoute
	if routed == "" && !offTopic {
		searchStart := s.now()
		switch cs, ok := idx.(careerSearcher); {
		case routable:
			// Personal context beside the question ("what do data analysts
			// get paid starting out? just finished the google cert") is not
			// what to search: its words pulled the answer to the
			// certifications. The question's clause is searched alone
			// (askingClause); the turn keeps the message as typed.
			if clause := askingClause(rt, asked); clause != "" {
				plan, err = run.route(rt, clause, standaloneOf(rt, clause, previous), history)
			} else {
				plan, err = run.route(rt, asked, standalone, history)
			}
			if errors.Is(err, rag.ErrNothingRelevant) && len(previous) > 0 && (compose.Leans(asked) || len(strings.Fields(asked)) <= 4) {
				// A follow-up leaning on a career answer ("which one for
				// photos?", "can i skip it?"), or a short one that finds
				// nothing of its own ("any niche areas?"), is about that
				// answer: searched as the previous question, its lines
				// chosen by the follow-up.
				plan, err = run.route(rt, asked, previous[len(previous)-1], history)
			}
			if errors.Is(err, rag.ErrNothingRelevant) {
				// A question with a clause of personal context ("is nursing
				// as stressful as everyone says, my aunt quit after 2
				// years") is asked by its clause about the career: the
				// rest's words the guides never use sank it.
				if clause := mainClause(rt, asked); clause != "" {
					plan, err = run.route(rt, clause, clause, history)
				}
			}
			if plan != nil {
				hits = plan.hits
				if plan.kind == kindClarify {
					routed = plan.text
				}
			}
		case ok:
			hits, err = cs.SearchCareers(ctx, standalone, currentCareers(cs, asked, history))
		default:
			hits, err = idx.Search(ctx, standalone)
		}
		s.metrics.Retrieved(s.now().Sub(searchStart))
	}
	grounded := routed == "" && !offTopic && err == nil && len(hits) > 0
	if err != nil && !errors.Is(err, rag.ErrNothingRelevant) && ctx.Err() == nil {
		s.log.Error("search failed", "session", run.tag, "err", err)
		run.log(question, standalone, nil, false, outcomeError, "")
		s.metrics.Answered(run.mode, outcomeError, false, s.now().Sub(run.start))
		return protocol.Error{Type: protocol.TypeError, ID: id, Code: protocol.CodeUpstream, Message: "Searching the guides failed. Please try again in a moment."}
	}
	if !grounded {
		hits = nil
	}

	sources := make([]protocol.Source, 0, len(hits))
	for _, h := range hits {
		sources = append(sources, protocol.Source{Guide: h.Guide, Section: h.Section, Text: h.Text, Score: h.Score})
	}
	emit(protocol.Sources{Type: protocol.TypeSources, ID: id, Sources: sources})

	var text, notice, outcome string
	var suggestions []string
	var cited []int // indexes into sources of those the answer used
	kind := protocol.KindAnswer
	switch {
	case ctx.Err() != nil:
		outcome = outcomeCancelled
	case plan != nil && plan.kind == kindClarify:
		// Which career? No model call: the reply and its chips are fixed.
		text, kind = routed, protocol.KindClarify
		outcome = outcomeAnswered
		run.stream(text)
		var buf [DefaultMaxTurns]compose.PastTurn
		suggestions = sess.chips.ForClarify(pastTurns(buf[:0], history), plan.chips, len(plan.chips))
	case routed != "":
		text, kind = routed, routedKind
		outcome = outcomeAnswered
		run.stream(text)
		suggestions = sess.followUps(idx, history, question, standalone, nil)
	case !grounded:
		// Nothing relevant: say what the bot can help with; no LLM call.
		text, kind = compose.Decline(idx.Guides()), protocol.KindDecline
		outcome = outcomeDeclined
		run.stream(text)
		suggestions = sess.followUps(idx, history, question, standalone, nil)
	case s.llm != nil:
		// The no-guide line goes first in LLM mode too, streamed before
		// the model's tokens: the model is given only the covered
		// careers' excerpts, and its answer must not be read as the
		// plumber's.
		lead := ""
		if len(noGuideFor) > 0 {
			lead = compose.NoGuideFor(noGuideFor) + "\n\n"
			run.stream(lead)
		}
		text, notice, outcome = run.askLLM(history, hits, plan, question, standalone)
		if outcome == outcomeFallback {
			cited = plan.cited(&s.writer, text, hits)
		} else {
			cited = citedByModel(&s.writer, text, hits)
		}
		text = lead + text
		kind = plan.doneKind()
		suggestions = sess.followUps(idx, history, question, standalone, hits)
	default:
		text = run.offline(hits, plan, standalone)
		cited = plan.cited(&s.writer, text, hits)
		if len(noGuideFor) > 0 {
			// Said first, so that the answer is not read as the other
			// career's: "electrician or plumber" is answered for
			// electricians only.
			text = compose.NoGuideFor(noGuideFor) + "\n\n" + text
		}
		kind = plan.doneKind()
		outcome = outcomeAnswered
		run.stream(text)
		suggestions = sess.followUps(idx, history, question, standalone, hits)
	}
	cancelled := ctx.Err() != nil
	if cancelled {
		// done carries exactly what the client was sent.
		text, outcome, notice = run.sent.String(), outcomeCancelled, noticeCancelled
		if errors.Is(context.Cause(ctx), ErrShutdown) {
			notice = noticeShutdown
		}
	}
	if !cancelled && text != "" {
		sess.remember(id, question, text)
		// Stored before done goes out, so that a client resuming right
		// after done sees this turn. Stored even if the client has gone:
		// the store bounds its own calls (SessionStore).
		storeCtx := context.WithoutCancel(ctx)
		turn := Turn{Question: question, Standalone: standalone, Answer: text, Grounded: grounded, At: s.now().UTC(), Suggestions: suggestions,
			AskID: id, Sources: sources, Notice: notice, Cited: cited, Kind: kind}
		if grounded {
			turn.Guide = hits[0].Guide
		}
		if plan != nil {
			switch plan.kind {
			case kindCompare:
				turn.Careers = plan.careerNames(rt.Careers())
			case kindPerCareer:
				turn.Guide = "" // about every career: a follow-up is ambiguous again
			}
		}
		if err := s.sessions.Append(storeCtx, session, turn); err != nil {
			s.log.Warn("saving turn", "session", run.tag, "err", err)
		}
	}
	took := s.now().Sub(run.start)
	s.metrics.Answered(run.mode, outcome, grounded, took)
	s.metrics.TokensStreamed(run.mode, run.tokens)
	run.log(question, standalone, hits, grounded, outcome, notice)
	return protocol.Done{
		Type: protocol.TypeDone, ID: id, Text: text, Grounded: grounded,
		Suggestions: nonNil(suggestions), Notice: notice, Cancelled: cancelled,
		Cited: cited, Kind: kind,
	}
}

// followUps are the done frame's suggestions, chosen by compose.Chips from
// this conversation's history.
func (sess *Session) followUps(idx Retriever, history []Turn, question, standalone string, hits []rag.Hit) []string {
	var buf [DefaultMaxTurns]compose.PastTurn
	return sess.chips.ForAnswer(pastTurns(buf[:0], history), idx.Guides(), sess.svc.cfg.Suggestions, question, standalone, hits)
}

// askLLM streams the model's answer. Failures before the first token fall
// back to the extractive answer; a cut after it keeps what arrived and says
// so in the notice.
func (r *answerRun) askLLM(history []Turn, hits []rag.Hit, plan *answerRoute, question, standalone string) (text, notice, outcome string) {
	s := r.s
	if !s.breaker.allow() {
		// The model failed again and again just now: the guide's answer
		// at once rather than a timeout's wait for every visitor.
		s.metrics.LLMShortCircuited()
		text = r.offline(hits, plan, standalone)
		r.stream(text)
		return text, noticeFallback, outcomeFallback
	}
	var msgs []openai.Message
	switch {
	case plan != nil && (plan.kind == kindCompare || plan.kind == kindPerCareer):
		msgs = routedPrompt(history, plan, question, s.cfg.HistoryInPrompt)
	case plan != nil:
		msgs = singlePrompt(history, hits, r.careerLabel(hits), question, s.cfg.HistoryInPrompt)
	default:
		msgs = buildPrompt(history, hits, question, s.cfg.HistoryInPrompt)
	}
	comp, err := s.llm.Stream(r.ctx, msgs, r.token)
	s.breaker.observe(r.ctx, err)
	switch {
	case err == nil:
		return comp.Text, "", outcomeAnswered
	case r.ctx.Err() != nil:
		return comp.Text, "", outcomeCancelled
	case errors.Is(err, openai.ErrTruncated):
		s.metrics.LLMError("truncated")
		s.log.Warn("LLM answer cut off", "session", r.tag, "err", err)
		return comp.Text, noticeTruncated, outcomeTruncated
	}
	s.metrics.LLMError(llmErrorKind(err))
	s.log.Warn("LLM failed; answering from the guide", "session", r.tag, "attempts", comp.Attempts, "err", err)
	text = r.offline(hits, plan, standalone)
	r.stream(text)
	return text, noticeFallback, outcomeFallback
}

// offline writes the extractive answer: the route's, or (a retriever that
// cannot route) the best hit's.
func (r *answerRun) offline(hits []rag.Hit, plan *answerRoute, standalone string) string {
	if plan == nil {
		return r.s.writer.Answer(standalone, hits)
	}
	rt, _ := r.s.retriever().(router)
	return plan.offline(&r.s.writer, rt.Careers(), standalone)
}

// careerLabel is the career a single answer from hits is about, when the
// corpus has several careers ("" otherwise: one career is implied).
func (r *answerRun) careerLabel(hits []rag.Hit) string {
	rt, ok := r.s.retriever().(router)
	if !ok || len(hits) == 0 || len(rt.Careers()) < 2 {
		return ""
	}
	if c := careerOfGuide(rt.Careers(), hits[0].Guide); c >= 0 {
		return rt.Careers()[c].Name
	}
	return ""
}

func llmErrorKind(err error) string {
	switch code := openai.StatusCode(err); {
	case errors.Is(err, openai.ErrTimeout):
		return "timeout"
	case code == 429:
		return "rate_limited"
	case code >= 500:
		return "server"
	case code >= 400:
		return "client"
	}
	return "other"
}

// token sends one delta.
func (r *answerRun) token(delta string) {
	if r.tokens == 0 {
		r.firstToken = r.s.now().Sub(r.start)
		r.s.metrics.FirstToken(r.mode, r.firstToken)
	}
	r.tokens++
	r.sent.WriteString(delta)
	r.emit(protocol.Token{Type: protocol.TypeToken, ID: r.id, Text: delta})
}

// stream sends a ready-made text as a few token frames.
func (r *answerRun) stream(text string) {
	r.sent.Grow(len(text))
	for _, d := range splitDeltas(text, offlineDeltas) {
		if r.ctx.Err() != nil {
			return
		}
		r.token(d)
	}
}

// splitDeltas cuts text into at most n pieces at word boundaries; joined,
// they are text again.
func splitDeltas(text string, n int) []string {
	if text == "" {
		return nil
	}
	size := len(text)/n + 1
	var out []string
	for len(text) > 0 {
		if len(text) <= size || len(out) == n-1 {
			out = append(out, text)
			break
		}
		cut := strings.IndexAny(text[size:], " \n")
		if cut < 0 {
			out = append(out, text)
			break
		}
		cut += size + 1
		out = append(out, text[:cut])
		text = text[cut:]
	}
	return out
}

// log writes the one line per answer. The question is logged only at debug.
// Typed attributes (LogAttrs) and one builder for the sources: the line was
// ~7% of an offline answer's CPU with a list of any.
func (r *answerRun) log(question, standalone string, hits []rag.Hit, grounded bool, outcome, notice string) {
	ctx := context.Background()
	log := r.s.log
	if log.Enabled(ctx, slog.LevelInfo) {
		var secs strings.Builder
		for i, h := range hits {
			if i > 0 {
				secs.WriteString("; ")
			}
			secs.WriteString(h.Guide)
			secs.WriteString(" › ")
			secs.WriteString(h.Section)
		}
		var buf [10]slog.Attr
		attrs := append(buf[:0],
			slog.String("session", r.tag), slog.String("id", r.id), slog.String("mode", r.mode),
			slog.String("outcome", outcome), slog.Bool("grounded", grounded),
			slog.Duration("latency", r.s.now().Sub(r.start).Round(time.Microsecond)), slog.String("sources", secs.String()))
		if r.tokens > 0 {
			attrs = append(attrs, slog.Duration("first_token", r.firstToken.Round(time.Microsecond)))
		}
		if notice != "" {
			attrs = append(attrs, slog.String("notice", notice))
		}
		log.LogAttrs(ctx, slog.LevelInfo, "answer", attrs...)
	}
	if log.Enabled(ctx, slog.LevelDebug) {
		log.Debug("answer question", "session", r.tag, "id", r.id, "question", question, "standalone", standalone)
	}
}

// resolverOf is the router (which remembers what it read) when there is
// one, else the index if it knows careers.
func resolverOf(idx Retriever, rt router) (careerResolver, bool) {
	if rt != nil {
		return rt, true
	}
	r, ok := idx.(careerResolver)
	return r, ok
}

// careerResolver is the part of the index that knows the corpus's careers
// (rag.Index has it; test fakes need not).
type careerResolver interface {
	ResolveCareers(question string) rag.CareerMatch
}

// careerSearcher searches within careers (rag.Index).
type careerSearcher interface {
	careerResolver
	Careers() []rag.Career
	SearchCareers(ctx context.Context, question string, careers []int) ([]rag.Hit, error)
}

// currentCareers are the careers a question is about: the ones it names,
// else the conversation's current career — the guide of the last grounded
// answer ("what do they earn?" after a data-analyst question) — else nil
// (the careers the rewritten question names, or all).
func currentCareers(cs careerSearcher, question string, history []Turn) []int {
	if m := cs.ResolveCareers(question); len(m.Covered) > 0 {
		return m.Covered
	}
	for k := len(history) - 1; k >= 0; k-- {
		t := history[k]
		if !t.Grounded {
			continue
		}
		if len(t.Careers) > 0 { // a comparison: a follow-up keeps all its careers
			var out []int
			for i, c := range cs.Careers() {
				if slices.Contains(t.Careers, c.Name) {
					out = append(out, i)
				}
			}
			return out
		}
		if t.Kind == kindPerCareer {
			return nil // about every career: none is current
		}
		if t.Guide == "" {
			continue
		}
		for i, c := range cs.Careers() {
			if c.Guide == t.Guide {
				return []int{i}
			}
		}
		return nil
	}
	return nil
}

// withoutSelfDescription is the message without the clauses in which the
// asker says which job they have or had, when every career it names no
// guide covers is such a job (m.Self) and another clause is left to ask
// something; "" otherwise.
func withoutSelfDescription(message string, m rag.CareerMatch) string {
	if len(m.Self) == 0 || len(m.Self) < len(m.Uncovered) {
		return ""
	}
	var kept []string
	for _, c := range compose.Clauses(message) {
		lower := strings.ToLower(c)
		if slices.ContainsFunc(m.Self, func(t string) bool { return strings.Contains(lower, strings.ToLower(t)) }) {
			continue
		}
		kept = append(kept, c)
	}
	if len(kept) == 0 || len(kept) == len(compose.Clauses(message)) {
		return ""
	}
	return strings.Join(kept, " ")
}

// withoutNames is question without the words of names: an uncovered
// career's own words ("flight" of "as a flight attendant do u get free
// flights") say nothing about the question being off-topic; the rest does
// ("what should i cook for dinner" still asks about dinner).
func withoutNames(question string, names []string) string {
	if len(names) == 0 {
		return question
	}
	drop := map[string]bool{}
	for _, n := range names {
		vocab.ForEachWord(n, func(w string) { drop[vocab.Stem(w)] = true })
	}
	var kept []string
	vocab.ForEachWord(question, func(w string) {
		if !drop[vocab.Stem(w)] {
			kept = append(kept, w)
		}
	})
	return strings.Join(kept, " ")
}
