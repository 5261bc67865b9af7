package conversation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"
)

// Feedback is one rating from a user: one line of feedback.jsonl.
//
// A later rating of the same answer replaces the earlier one: the log is
// only ever appended to, so readers keep the last entry per (Session, ID)
// (docs/hardening.md). A connection writes at most a few per answer.
type Feedback struct {
	Time     time.Time `json:"time"`
	Session  string    `json:"session"` // the session's tag (Session.LogID), never its id
	ID       string    `json:"id"`
	Rating   string    `json:"rating"`
	Comment  string    `json:"comment,omitempty"`
	Question string    `json:"question,omitempty"` // the rated answer's question, when this connection asked it
	Answer   string    `json:"answer,omitempty"`
}

// Bounds of the feedback, in files and in Redis alike.
const (
	// DefaultFeedbackMaxBytes is where feedback.jsonl is rotated to
	// feedback.jsonl.1 (so the two hold at most twice this), and the byte
	// budget of the Redis stream.
	DefaultFeedbackMaxBytes = 64 << 20
	// MaxFeedbackEntry bounds one entry as JSON (a line of the log; a
	// stream entry holds the same text): Fit clips what is longer.
	MaxFeedbackEntry = 4 << 10
)

// Fit returns e clipped so that its JSON takes at most MaxFeedbackEntry
// bytes: the longest of the answer, the comment, the question and the id
// is halved (in runes, marked with "…") until it fits. Characters that
// JSON escapes count as what they take escaped.
func (e Feedback) Fit() Feedback {
	for {
		line, err := json.Marshal(e)
		if err != nil || len(line) <= MaxFeedbackEntry {
			return e
		}
		fields := []*string{&e.Answer, &e.Comment, &e.Question, &e.ID}
		longest := fields[0]
		for _, f := range fields[1:] {
			if len(*f) > len(*longest) {
				longest = f
			}
		}
		clipped := Clip(*longest, utf8.RuneCountInString(*longest)/2)
		if len(clipped) >= len(*longest) {
			clipped = "" // "…" itself: nothing shorter is left
		}
		*longest = clipped
	}
}

// feedbackLog appends entries to a JSONL file, rotated past maxBytes.
// Writes are serialised so that lines never interleave; the file is opened
// per write so that an operator may move it away at any time. One process
// writes a data dir's log (replicas share feedback through Redis).
type feedbackLog struct {
	path     string
	maxBytes int64
	// open opens the log for appending; tests replace it to fail writes.
	open func(path string) (feedbackFile, error)
	mu   sync.Mutex
}

// feedbackFile is what feedbackLog needs of an *os.File.
type feedbackFile interface {
	io.Writer
	io.ReaderAt
	Stat() (os.FileInfo, error)
	Truncate(size int64) error
	Close() error
}

// NewFeedbackLog is the default FeedbackSink: lines appended to
// feedback.jsonl in dataDir ("" = feedback is dropped), which is renamed to
// feedback.jsonl.1 (replacing the one before) when a line would take it
// past maxBytes (≤ 0 = DefaultFeedbackMaxBytes).
func NewFeedbackLog(dataDir string, maxBytes int64) FeedbackSink {
	if dataDir == "" {
		return &feedbackLog{}
	}
	if maxBytes <= 0 {
		maxBytes = DefaultFeedbackMaxBytes
	}
	return &feedbackLog{path: filepath.Join(dataDir, "feedback.jsonl"), maxBytes: maxBytes, open: openAppend}
}

func openAppend(path string) (feedbackFile, error) {
	return os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_RDWR, 0o644)
}

// SaveFeedback implements FeedbackSink. A line is written whole or not at
// all: after a failed or short write (a full disk) the file is truncated
// back to its size before, so that no partial line is left for the next
// one to be glued to. A partial line left by a crash gets a line break
// before the next one.
func (f *feedbackLog) SaveFeedback(_ context.Context, e Feedback) error {
	if f.path == "" {
		return nil
	}
	line, err := json.Marshal(e.Fit())
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	line = append(line, '\n')
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	file, size, err := f.openRotated(int64(len(line)))
	if err != nil {
		return err
	}
	if size > 0 {
		var last [1]byte
		if _, err := file.ReadAt(last[:], size-1); err == nil && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if n, err := file.Write(line); err != nil || n != len(line) {
		if err == nil {
			err = io.ErrShortWrite
		}
		if terr := file.Truncate(size); terr != nil {
			err = errors.Join(err, fmt.Errorf("truncating the partial line away: %w", terr))
		}
		file.Close()
		return fmt.Errorf("feedback: writing %s: %w", f.path, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("feedback: closing %s: %w", f.path, err)
	}
	return nil
}

// openRotated opens the log with room for n more bytes, rotating it first
// when it has not; it returns the file and its size.
func (f *feedbackLog) openRotated(n int64) (feedbackFile, int64, error) {
	for rotated := false; ; rotated = true {
		file, err := f.open(f.path)
		if err != nil {
			return nil, 0, fmt.Errorf("feedback: %w", err)
		}
		st, err := file.Stat()
		if err != nil {
			file.Close()
			return nil, 0, fmt.Errorf("feedback: %w", err)
		}
		size := st.Size()
		if size == 0 || size+n <= f.maxBytes || rotated {
			return file, size, nil
		}
		file.Close()
		if err := os.Rename(f.path, f.path+".1"); err != nil {
			return nil, 0, fmt.Errorf("feedback: rotating %s: %w", f.path, err)
		}
	}
}

// ReadFeedback reads the ratings kept in dataDir — feedback.jsonl.1, then
// feedback.jsonl — as a reader of the log should: the last entry per
// answer (Session, ID) is its rating, replacing the earlier ones, and lines
// that do not parse (a partial line left by a crash) are skipped. Entries
// come in the order of their last rating.
func ReadFeedback(dataDir string) ([]Feedback, error) {
	type key struct{ session, id string }
	var all []Feedback
	last := map[key]int{}
	for _, name := range []string{"feedback.jsonl.1", "feedback.jsonl"} {
		data, err := os.ReadFile(filepath.Join(dataDir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("feedback: %w", err)
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			var e Feedback
			if len(line) == 0 || json.Unmarshal(line, &e) != nil {
				continue
			}
			last[key{e.Session, e.ID}] = len(all)
			all = append(all, e)
		}
	}
	out := all[:0]
	for i, e := range all {
		if last[key{e.Session, e.ID}] == i {
			out = append(out, e)
		}
	}
	return out, nil
}
