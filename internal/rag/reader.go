package rag

import (
	"context"
	"slices"
)

// questionRead is a question as the index reads it: normalised (chat
// shorthand, typos: normalizeQuestion) and the careers it names
// (careerResolver.resolve), which is where every look-up about a question
// starts.
type questionRead struct {
	normalized string
	match      CareerMatch
	rest       *restTopics // the topics of match.rest, once read (askedIn)
}

// restTopics are questionTopics(stemsOf(match.rest)) of a questionRead,
// kept for the answer's other uses once read: routing's QuestionTopics and
// the search within the named career (rankRead) both read them, and
// reading them was ~20k of ~690k instructions per offline answer, each
// time (BenchmarkAnswerOffline/botbench under callgrind). Read only, by
// both. TestAskedInIsQuestionTopics holds it to reading them afresh.
type restTopics struct {
	read  bool
	asked askedTopics
}

func (ix *Index) readQuestion(question string) questionRead {
	n := normalizeQuestion(question, ix.vocab)
	return questionRead{normalized: n, match: ix.resolver.resolve(n), rest: new(restTopics)}
}

// askedIn is questionTopics(stemsOf(s)), read once per questionRead when s
// is the rest of the question after its careers' names.
func (q questionRead) askedIn(s string) askedTopics {
	if q.rest == nil || s != q.match.rest {
		return questionTopics(stemsOf(s))
	}
	if !q.rest.read {
		q.rest.asked, q.rest.read = questionTopics(stemsOf(s)), true
	}
	return q.rest.asked
}

// Reader is the index as one answer uses it: ResolveCareers,
// QuestionTopics, WithoutCareers, SearchCareers and SearchTopic are the
// Index's, except that each question is read (normalised and its careers
// resolved) once, not once per call. Routing an answer asks about the same
// two or three questions — the question, its standalone form, the previous
// one — up to six times, and reading one was ~11% of an offline answer's
// CPU (normalizeQuestion 5%, resolve 5%; BenchmarkAnswerOffline/botbench
// profile, 13:39 UTC). Nothing outlives the answer: a Reader is made for one
// and dropped with it, so no answer is remembered across questions. Not
// safe for concurrent use. TestReaderIsIndex holds it to the Index.
type Reader struct {
	*Index
	reads []readEntry // few: a linear scan beats a map
}

type readEntry struct {
	question string
	read     questionRead
}

// Reader returns a Reader of ix for one answer.
func (ix *Index) Reader() *Reader { return &Reader{Index: ix} }

func (r *Reader) read(question string) questionRead {
	for _, e := range r.reads {
		if e.question == question {
			return e.read
		}
	}
	q := r.Index.readQuestion(question)
	r.reads = append(r.reads, readEntry{question, q})
	return q
}

// ResolveCareers is Index.ResolveCareers; the match is the caller's to
// change, as the Index's is.
func (r *Reader) ResolveCareers(question string) CareerMatch {
	m := r.read(question).match
	return CareerMatch{Covered: slices.Clone(m.Covered), Uncovered: slices.Clone(m.Uncovered), Self: slices.Clone(m.Self), rest: m.rest}
}

// QuestionTopics is Index.QuestionTopics.
func (r *Reader) QuestionTopics(question string) []AskedTopic {
	q := r.read(question)
	return topicsAsked(q.askedIn(q.match.rest))
}

// WithoutCareers is Index.WithoutCareers.
func (r *Reader) WithoutCareers(question string) string {
	return r.read(question).match.rest
}

// SearchCareers is Index.SearchCareers.
func (r *Reader) SearchCareers(ctx context.Context, question string, careers []int) ([]Hit, error) {
	hits, _, err := r.rankRead(ctx, r.read(question), careers, 0)
	return hits, err
}

// SearchTopic is Index.SearchTopic.
func (r *Reader) SearchTopic(ctx context.Context, question string, career int, topics ...string) ([]Hit, error) {
	return r.searchTopicRead(ctx, r.read(question), career, topics...)
}
