package compose

import (
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
	"github.com/careerbot/careerbot/internal/rag/ragtest"
)

func TestAsksWholeLadder(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"how do you move up", true},
		{"whats the career path like", true},
		{"how long does it take to get promoted", true},
		{"what are the levels", true},
		{"how many years till senior", true}, // one rung, but how long to reach it
		{"junior to senior how long", true},  // two rungs
		{"whats above that", true},           // a turn within the ladder
		{"what do senior ones do", false},    // one rung, no ladder word
		{"what does a promotion to senior need", false},
		{"how do i lead a team", false}, // leading people, not the ladder
		{"what do i need to show for that", false},
		{"how much do they earn", false},
	}
	for _, tt := range tests {
		if got := AsksWholeLadder(tt.q); got != tt.want {
			t.Errorf("AsksWholeLadder(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// A question about the ladder as a whole is answered with every tier, in
// the guide's order, each with its years, whichever tier retrieval ranked
// first.
func TestLadderListsEveryTierInGuideOrder(t *testing.T) {
	ix := ragtest.Open(t, ragtest.MediaSpecialist)
	var top rag.Hit
	for _, h := range ragtest.Search(t, ix, "lead media specialist media manager career path tiers") {
		if IsTier(h.Section) {
			top = h
			break
		}
	}
	if top.ID == "" {
		t.Fatal("no tier among the hits")
	}
	tiers := ix.Siblings(top.Chunk)
	hits := []rag.Hit{top}
	for _, c := range tiers {
		if c.ID != top.ID {
			hits = append(hits, rag.Hit{Chunk: c})
		}
	}
	got := new(Writer).Ladder(hits)
	order := []string{"Junior Media Specialist", "Mid-level Media Specialist", "Senior Media Specialist", "Lead Media Specialist"}
	at := -1
	for _, name := range order {
		i := strings.Index(got, name)
		if i <= at {
			t.Fatalf("Ladder lacks %q after the tiers before it:\n%s", name, got)
		}
		at = i
	}
	for _, years := range []string{"0-2 years", "7+ years"} {
		if !strings.Contains(got, years) {
			t.Errorf("Ladder lacks %q:\n%s", years, got)
		}
	}
	if one := new(Writer).Ladder(hits[:1]); one != "" {
		t.Errorf("Ladder of one tier = %q, want \"\" (the answer writer answers it)", one)
	}
}

func TestAsksRung(t *testing.T) {
	tests := []struct {
		q          string
		rank       int
		next, asks bool
	}{
		{"whats above senior", 2, true, true},
		{"and after junior?", 0, true, true},
		{"can i become a manager eventually", 3, false, true},
		{"junior vs senior duties", 0, false, false}, // two rungs
		{"how do i get promoted", 0, false, false},
	}
	for _, tt := range tests {
		rank, next, ok := AsksRung(tt.q)
		if ok != tt.asks || ok && (rank != tt.rank || next != tt.next) {
			t.Errorf("AsksRung(%q) = %d, %v, %v; want %d, %v, %v", tt.q, rank, next, ok, tt.rank, tt.next, tt.asks)
		}
	}
	for section, want := range map[string]int{"Career Path Tiers › Lead Media Specialist / Media Manager": 3,
		"Career Path Tiers › Mid-level Media Specialist": 1, "Career Path Tiers › HVAC Apprentice / Helper": 0, "Pros": -1} {
		if got := RankOf(section); got != want {
			t.Errorf("RankOf(%q) = %d, want %d", section, got, want)
		}
	}
}

// Tiers answers from the rung asked for, the one after it, or the top,
// whichever order the tiers were retrieved in.
func TestTiersAnswersTheRungAsked(t *testing.T) {
	guide := "Welder Career Path Guide"
	tier := func(ord int, name, years string) rag.Hit {
		return rag.Hit{Chunk: rag.Chunk{ID: name, Guide: guide, Ordinal: ord, Section: "Career Path Tiers › " + name,
			Text: "Experience: " + years + "\n\n" + name + "s weld. They weld more."}}
	}
	hits := []rag.Hit{tier(4, "Welding Supervisor", "8+ years"), tier(1, "Apprentice Welder", "0-2 years"),
		tier(3, "Senior Welder", "5+ years"), tier(2, "Journeyman Welder", "2-5 years")}
	var w Writer
	for _, tt := range []struct{ q, want string }{
		{"whats above junior", "Journeyman Welder — Experience: 2-5 years"},
		{"what do senior ones do", "Senior Welder — Experience: 5+ years"},
		{"whats the highest rung", "Welding Supervisor — Experience: 8+ years"},
		{"how do you move up", "- Apprentice Welder — Experience: 0-2 years\n- Journeyman Welder"},
	} {
		if got := w.Tiers(tt.q, hits); !strings.Contains(got, tt.want) {
			t.Errorf("Tiers(%q) = %q, want %q in it", tt.q, got, tt.want)
		}
	}
	if got := w.Tiers("whats above senior", hits[:1]); got != "" {
		t.Errorf("Tiers without the senior tier = %q, want \"\" (the answer writer answers it)", got)
	}
}
