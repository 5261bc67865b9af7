package chat

// The wire protocol at GET /ws: one JSON object per text frame. docs/protocol.md
// is the reference for client authors; keep it in step. Fields are only ever
// added, never renamed.

// Frame types.
const (
	// client → server
	typeAsk      = "ask"
	typeCancel   = "cancel"
	typeReset    = "reset"
	typeFeedback = "feedback"
	// server → client
	typeReady   = "ready"
	typeSources = "sources"
	typeToken   = "token"
	typeDone    = "done"
	typeError   = "error"
)

// Error codes of error frames.
const (
	codeBadRequest  = "bad_request"
	codeTooLarge    = "too_large"
	codeRateLimited = "rate_limited"
	codeBusy        = "busy"
	codeUpstream    = "upstream"
	codeInternal    = "internal"
)

// Modes announced in ready.
const (
	ModeLLM     = "llm"
	ModeOffline = "offline"
)

// inbound is any client frame; which fields matter depends on Type.
type inbound struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Text    string `json:"text"`
	Rating  string `json:"rating"`
	Comment string `json:"comment"`
}

type readyFrame struct {
	Type        string        `json:"type"`
	Session     string        `json:"session"`
	Greeting    string        `json:"greeting"`
	Suggestions []string      `json:"suggestions"`
	Mode        string        `json:"mode"`
	Resumed     bool          `json:"resumed,omitempty"`
	History     []historyItem `json:"history,omitempty"`
	// Limits was added after the first clients: they ignore it.
	Limits limits `json:"limits"`
}

// limits tells clients the server's limits on what they send, so that they
// can enforce them before sending (the widget's length counter).
type limits struct {
	MaxQuestion int `json:"max_question"` // characters (Unicode code points) of an ask's text, after trimming spaces
}

// historyItem is one earlier exchange, sent in ready when a session resumes so
// that a reloaded page can show the conversation again.
type historyItem struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

type source struct {
	Guide   string  `json:"guide"`
	Section string  `json:"section"`
	Text    string  `json:"text"`
	Score   float32 `json:"score"`
}

type sourcesFrame struct {
	Type    string   `json:"type"`
	ID      string   `json:"id"`
	Sources []source `json:"sources"`
}

type tokenFrame struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Text string `json:"text"`
}

type doneFrame struct {
	Type        string   `json:"type"`
	ID          string   `json:"id"`
	Text        string   `json:"text"`
	Grounded    bool     `json:"grounded"`
	Suggestions []string `json:"suggestions"`
	Notice      string   `json:"notice,omitempty"`
	// Cancelled is true when the answer stopped because the client sent
	// cancel (or the server is shutting down); Text is what was sent so far.
	Cancelled bool `json:"cancelled,omitempty"`
}

type errorFrame struct {
	Type    string `json:"type"`
	ID      string `json:"id,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Notices shown to the user in done.notice.
const (
	noticeFallback  = "The AI assistant is unavailable right now, so this is a shorter answer taken straight from the guide."
	noticeTruncated = "This answer was cut off before it finished, so it is incomplete. Please ask again."
	noticeCancelled = "Stopped."
	noticeShutdown  = "The server is restarting, so this answer was stopped. Please ask again in a moment."
)
