package chat

import "testing"

// TestGrowAnswerStackStaysOnTheStack: growAnswerStack's frame must be on
// the stack — moved to the heap by escape analysis it would grow nothing
// and cost an allocation per answer.
func TestGrowAnswerStackStaysOnTheStack(t *testing.T) {
	if n := testing.AllocsPerRun(100, growAnswerStack); n != 0 {
		t.Fatalf("growAnswerStack allocates %v times", n)
	}
}
