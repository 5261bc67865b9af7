package chat

// The wire protocol at GET /ws (frames, codes, modes and their encoder) is
// package protocol; docs/protocol.md is the reference for client authors.

// Notices shown to the user in done.notice.
const (
	noticeFallback  = "The AI assistant is unavailable right now, so this is a shorter answer taken straight from the guide."
	noticeTruncated = "This answer was cut off before it finished, so it is incomplete. Please ask again."
	noticeCancelled = "Stopped."
	noticeShutdown  = "The server is restarting, so this answer was stopped. Please ask again in a moment."
)
