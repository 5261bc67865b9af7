// Package protocol is the career bot's websocket chat protocol: the frames a
// client and the server exchange at GET /ws, their type names, the error
// codes and the answer modes, and the encoder the server writes its frames
// with. It is the one definition of the wire format: the server
// (internal/chat), the Go client (package client), its stand-in server
// (client/clienttest), the load generator and the tests all use it.
//
// Every frame is one JSON object in one websocket text frame, with its kind
// in "type". A client sends Ask, Cancel, Reset and Feedback; the server
// sends Ready when a connection opens (and after Reset), then for each ask
// one Sources, zero or more Token and one Done, or an Error instead.
// docs/protocol.md describes the conversation for client authors.
//
// The protocol is a contract with clients already in use: fields and frame
// types are only ever added, never renamed or removed, and a client must
// ignore fields and frame types it does not know.
package protocol

import (
	"bytes"
	"encoding/json"
)

// Frame types: the "type" of every frame.
const (
	// client → server
	TypeAsk      = "ask"
	TypeCancel   = "cancel"
	TypeReset    = "reset"
	TypeFeedback = "feedback"
	// TypeResume (an addition) asks, after reconnecting to the same
	// session, for the answer with that id: the server replays it, or the
	// rest of its stream if it is still being written.
	TypeResume = "resume"
	// TypeHello (an addition), as a client's first frame, names the
	// session to resume instead of the URL's ?session= (which proxies log):
	// the server answers with a new Ready, that of the session when it is
	// live.
	TypeHello = "hello"
	// server → client
	TypeReady   = "ready"
	TypeSources = "sources"
	TypeToken   = "token"
	TypeDone    = "done"
	TypeError   = "error"
)

// Error codes of Error frames. After any of them the connection stays
// usable, except after CodeTooLarge: the server then closes it with 1009.
const (
	CodeBadRequest  = "bad_request"  // malformed frame, unknown type, empty or too long question, bad rating
	CodeTooLarge    = "too_large"    // a frame over the server's read limit
	CodeRateLimited = "rate_limited" // too many asks from this client IP
	CodeBusy        = "busy"         // an answer is still in flight on this connection
	CodeUpstream    = "upstream"     // the search or the language model failed
	CodeInternal    = "internal"     // anything else
)

// Modes announced in Ready.Mode: how the server writes its answers.
const (
	ModeLLM     = "llm"     // a language model streams the answer from the retrieved sections
	ModeOffline = "offline" // short extractive answers taken from the guides
)

// Answer kinds of Done.Kind (an addition): what sort of reply an answer
// is, so that clients (and the eval, internal/eval) need not guess it from
// the text. A client must treat a kind it does not know as KindAnswer.
const (
	KindAnswer    = "answer"     // an answer from the guides
	KindCompare   = "compare"    // a side-by-side answer about two or more careers
	KindPerCareer = "per-career" // a brief answer per career, each labelled (no career named, several guides)
	KindClarify   = "clarify"    // asks which career the question is about; the suggestions name careers
	KindUncovered = "uncovered"  // the question is about a career no guide covers; names the covered ones
	KindSmallTalk = "smalltalk"  // a reply to a greeting, thanks, goodbye or a question about the bot
	KindDecline   = "decline"    // nothing in the guides is relevant: says what the bot can help with
)

// Ratings of a Feedback frame.
const (
	RatingUp   = "up"
	RatingDown = "down"
)

// Ask asks a question. The client picks ID; every frame of the answer
// carries it.
type Ask struct {
	Type string `json:"type"` // TypeAsk
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Cancel stops the answer with ID (an empty ID stops whatever is in
// flight). Its Done then has Cancelled set; an unknown ID is ignored.
type Cancel struct {
	Type string `json:"type"` // TypeCancel
	ID   string `json:"id"`
}

// Reset forgets the conversation: the answer in flight is stopped and the
// server sends a new Ready with a new session.
type Reset struct {
	Type string `json:"type"` // TypeReset
}

// Feedback rates the answer to the ask ID: RatingUp or RatingDown, with an
// optional comment. The server does not reply unless it refuses it.
type Feedback struct {
	Type    string `json:"type"` // TypeFeedback
	ID      string `json:"id"`
	Rating  string `json:"rating"`
	Comment string `json:"comment"`
}

// SessionHeader (an addition) is the HTTP request header of the websocket
// handshake that may name the session to resume, for clients that can set
// headers (not browsers): like ?session=, but kept out of URLs and so out
// of access logs. It wins over the query.
const SessionHeader = "Careerbot-Session"

// Hello resumes a session without putting its id in the URL: sent as the
// first frame, it makes the server answer with the Ready of Session when
// that is live (Resumed set, History filled), else with the Ready of the new
// session the connection opened with, again. Later it is refused with
// CodeBadRequest.
type Hello struct {
	Type    string `json:"type"` // TypeHello
	Session string `json:"session"`
}

// ClientFrame is any frame a client sends, as the server decodes it: which
// fields matter depends on Type.
type ClientFrame struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Text    string `json:"text"`
	Rating  string `json:"rating"`
	Comment string `json:"comment"`
	Session string `json:"session"` // Hello's
}

// Frame is a frame the server sends: Ready, Sources, Token, Done or Error.
// Only this package's frame types implement it, so that Append can write
// every one of them.
type Frame interface{ serverFrame() }

// Ready opens a conversation: the server sends it first on every
// connection, and again after Reset.
type Ready struct {
	Type        string   `json:"type"`    // TypeReady
	Session     string   `json:"session"` // a UUID; reconnecting with /ws?session=<it> resumes the conversation
	Greeting    string   `json:"greeting"`
	Suggestions []string `json:"suggestions"` // starter questions
	Mode        string   `json:"mode"`        // ModeLLM or ModeOffline
	// Resumed is true when the session asked for was resumed; History then
	// holds its earlier exchanges, oldest first.
	Resumed bool          `json:"resumed,omitempty"`
	History []HistoryItem `json:"history,omitempty"`
	// Limits was added after the first clients: they ignore it.
	Limits Limits `json:"limits"`
	// SessionTTLMS (an addition) is how long the session lives without
	// activity (BOT_SESSION_TTL), so that a client keeps its copy of the
	// conversation no longer than the server does.
	SessionTTLMS int64 `json:"session_ttl_ms,omitempty"`
}

// Limits tells clients the server's limits on what they send, so that they
// can enforce them before sending (the widget's length counter).
type Limits struct {
	MaxQuestion int `json:"max_question"` // characters (Unicode code points) of an ask's text, after trimming spaces
}

// HistoryItem is one earlier exchange of a resumed conversation, sent in
// Ready so that a reloaded page can show the conversation again.
type HistoryItem struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Sources is the first frame of an answer: the guide sections retrieved
// for the question, best first (empty when the guides do not cover it).
type Sources struct {
	Type    string   `json:"type"` // TypeSources
	ID      string   `json:"id"`
	Sources []Source `json:"sources"`
}

// Source is one guide section an answer is grounded in.
type Source struct {
	Guide   string  `json:"guide"`
	Section string  `json:"section"`
	Text    string  `json:"text"`
	Score   float32 `json:"score"` // retrieval score, higher is closer; the server computes it as a float32
}

// Token is a piece of the answer to append to what came before.
type Token struct {
	Type string `json:"type"` // TypeToken
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Done ends an answer: Text is the whole answer (the tokens joined).
type Done struct {
	Type        string   `json:"type"` // TypeDone
	ID          string   `json:"id"`
	Text        string   `json:"text"`
	Grounded    bool     `json:"grounded"`    // false: the guides do not cover the question
	Suggestions []string `json:"suggestions"` // 2–3 follow-up questions
	Notice      string   `json:"notice,omitempty"`
	// Cancelled is true when the answer stopped because the client sent
	// cancel (or the server is shutting down); Text is what was sent so far.
	Cancelled bool `json:"cancelled,omitempty"`
	// Cited (an addition) holds the indexes into the answer's Sources of
	// the sources the answer actually used, in ascending order; clients show
	// those first. Absent when the answer used none (no sources, small
	// talk, a decline) and from servers older than the field: then treat
	// every source as used.
	Cited []int `json:"cited,omitempty"`
	// Kind (an addition) is one of the Kind constants; absent from servers
	// older than the field.
	Kind string `json:"kind,omitempty"`
}

// Error says that a client frame was refused or an answer failed; ID is the
// ask's when there is one.
type Error struct {
	Type    string `json:"type"` // TypeError
	ID      string `json:"id,omitempty"`
	Code    string `json:"code"` // one of the Code constants
	Message string `json:"message"`
	// RetryAfterMS (an addition) is, for CodeRateLimited, how long to wait
	// before the same ask would be accepted; absent when unknown.
	RetryAfterMS int `json:"retry_after_ms,omitempty"`
}

func (Ready) serverFrame()   {}
func (Sources) serverFrame() {}
func (Token) serverFrame()   {}
func (Done) serverFrame()    {}
func (Error) serverFrame()   {}

// ServerFrame is any frame the server sends, as a client decodes it: only
// the fields of its Type are set. Limits is nil when the server does not
// send it (servers older than the field).
type ServerFrame struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	Text string `json:"text,omitempty"` // token: the piece; done: the whole answer

	// ready
	Session     string        `json:"session,omitempty"`
	Greeting    string        `json:"greeting,omitempty"`
	Suggestions []string      `json:"suggestions,omitempty"` // ready: starters; done: follow-ups
	Mode        string        `json:"mode,omitempty"`
	Resumed     bool          `json:"resumed,omitempty"`
	History     []HistoryItem `json:"history,omitempty"`
	Limits      *Limits       `json:"limits,omitempty"`

	// sources
	Sources []Source `json:"sources,omitempty"`

	// done
	Grounded  bool   `json:"grounded,omitempty"`
	Notice    string `json:"notice,omitempty"`
	Cancelled bool   `json:"cancelled,omitempty"`
	Cited     []int  `json:"cited,omitempty"`
	Kind      string `json:"kind,omitempty"`

	// error
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// PeekType returns the "type" of a frame without decoding the rest of it
// ("" when it has none). The server writes "type" first in every frame
// (TestEncodeWritesTypeFirst), so for its frames this reads a prefix; any
// other JSON object is decoded. A load generator that shares the CPU with
// the server it measures uses it to skip decoding most frames.
func PeekType(data []byte) string {
	const prefix = `{"type":"`
	if bytes.HasPrefix(data, []byte(prefix)) {
		rest := data[len(prefix):]
		if i := bytes.IndexByte(rest, '"'); i > 0 && bytes.IndexByte(rest[:i], '\\') < 0 {
			return string(rest[:i])
		}
	}
	var f struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(data, &f)
	return f.Type
}
