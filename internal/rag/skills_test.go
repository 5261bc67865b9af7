package rag

import (
	"context"
	"strings"
	"testing"
)

// A question about skills in general is answered from both kinds of skills
// the guide lists; one about a kind only from that kind.
func TestSkillsQuestionsGetBothKinds(t *testing.T) {
	ix := open(t, corpusDir(t, mediaFile), t.TempDir())
	tests := []struct {
		q          string
		tech, soft bool
	}{
		{"What skills does a Media Specialist need?", true, true},
		{"skills needed to succeed", true, true},
		{"what skills do employers look for", true, true},
	}
	for _, tt := range tests {
		hits, err := ix.Search(context.Background(), tt.q)
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		var tech, soft bool
		var got []string
		for _, h := range hits {
			s := strings.ToLower(h.Section)
			tech = tech || strings.Contains(s, "tech") || strings.Contains(s, "foundational")
			soft = soft || strings.Contains(s, "soft")
			got = append(got, h.Section)
		}
		if tech != tt.tech || soft != tt.soft {
			t.Errorf("%q → %q: technical %v, soft %v; want %v, %v", tt.q, got, tech, soft, tt.tech, tt.soft)
		}
	}
}
