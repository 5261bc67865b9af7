package chat

import (
	"math/rand/v2"
	"testing"
)

func TestChipKeyASCIIMatchesUnicode(t *testing.T) {
	// chipKey's ASCII path must agree with the general one on every byte.
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		b := make([]byte, r.IntN(20))
		for i := range b {
			b[i] = byte(r.IntN(128))
		}
		if got, want := chipKey(string(b)), chipKeyUnicode(string(b)); got != want {
			t.Fatalf("chipKey(%q) = %q, want %q", b, got, want)
		}
	}
	if got := chipKey("Wie viel verdient ein Mediengestalter? Ärzte!"); got != "wie viel verdient ein mediengestalter ärzte" {
		t.Errorf("non-ASCII: %q", got)
	}
}
