package compose

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/testutil"
)

// Issue 15, fifth round (docs/benchmarks.md): the guards of this round's
// hand optimisations in compose, each against the code it replaced.

// TestOpensWithIsHasPrefix holds opensWith (aboutTheBot's test of a
// personal opening) to what it replaced, strings.HasPrefix(joined+" ",
// p+" "): for every personal opening against the small-talk words of
// every DEV eval message joined, each opening itself, cut, extended with
// and without a space, and random strings over the openings' letters.
func TestOpensWithIsHasPrefix(t *testing.T) {
	joined := []string{"", " ", "  "}
	for _, m := range testutil.DevMessages(t, "../../testdata/eval") {
		joined = append(joined, strings.Join(smallTalkWords(m), " "))
	}
	for _, p := range personalOpenings {
		joined = append(joined, p, p+" ", p+"s", p+" pizza", p[:len(p)-1], p[1:], " "+p, p+"  x")
	}
	rng := rand.New(rand.NewPCG(15, 6))
	for range 20000 {
		p := personalOpenings[rng.IntN(len(personalOpenings))]
		b := []byte(p[:rng.IntN(len(p)+1)])
		for range rng.IntN(6) {
			b = append(b, " aeiouy"[rng.IntN(7)])
		}
		joined = append(joined, string(b))
	}
	n := 0
	for _, j := range joined {
		for _, p := range append(personalOpenings, "", "a", "a b") {
			want := strings.HasPrefix(j+" ", p+" ")
			if got := opensWith(j, p); got != want {
				t.Fatalf("opensWith(%q, %q) = %v, HasPrefix(joined+\" \", p+\" \") %v", j, p, got, want)
			}
			if want {
				n++
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d openings matched: the cases do not exercise a match", n)
	}
}
