package conversation

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Feedback is one rating from a user: one line of feedback.jsonl.
type Feedback struct {
	Time     time.Time `json:"time"`
	Session  string    `json:"session"` // the session's tag (Session.LogID), never its id
	ID       string    `json:"id"`
	Rating   string    `json:"rating"`
	Comment  string    `json:"comment,omitempty"`
	Question string    `json:"question,omitempty"` // the rated answer's question, when this connection asked it
	Answer   string    `json:"answer,omitempty"`
}

// feedbackLog appends entries to a JSONL file. Writes are serialised so that
// lines never interleave; the file is opened per write so that an operator
// may move it away at any time.
type feedbackLog struct {
	path string
	mu   sync.Mutex
}

// NewFeedbackLog is the default FeedbackSink: lines appended to
// feedback.jsonl in dataDir ("" = feedback is dropped).
func NewFeedbackLog(dataDir string) FeedbackSink {
	if dataDir == "" {
		return &feedbackLog{}
	}
	return &feedbackLog{path: filepath.Join(dataDir, "feedback.jsonl")}
}

// SaveFeedback implements FeedbackSink.
func (f *feedbackLog) SaveFeedback(_ context.Context, e Feedback) error {
	if f.path == "" {
		return nil
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	line = append(line, '\n')
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	file, err := os.OpenFile(f.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	if _, err := file.Write(line); err != nil {
		file.Close()
		return fmt.Errorf("feedback: writing %s: %w", f.path, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("feedback: closing %s: %w", f.path, err)
	}
	return nil
}
