package compose

import (
	"strings"
	"testing"

	"github.com/careerbot/careerbot/internal/rag"
)

// A question asking for a kind of tool ("chat", "video calls", "host my
// portfolio") is answered with the tools of that kind from a list too long
// to show whole, though the list never says the word asked.
func TestAToolKindFindsItsToolsInALongList(t *testing.T) {
	stack := rag.Hit{Score: 1, Chunk: rag.Chunk{ID: "g-7", Guide: "Media Specialist Career Path Guide", Section: "Tech Stack",
		Text: "- Adobe Premiere Pro\n- Final Cut Pro\n- Canva\n- Google Analytics\n- Hootsuite\n- Asana\n- Trello\n" +
			"- WordPress\n- Audacity\n- Lightroom\n- Slack\n- Zoom\n- OBS Studio\n- Multimeter"}}
	tests := []struct{ q, want string }{
		{"what do they use for chatting with the team", "Slack"},
		{"video call software they use?", "Zoom"},
		{"which app for editing photos", "Lightroom"},
		{"what do they use for live streaming", "OBS"},
		{"tools for testing circuits", "Multimeter"},
	}
	var w Writer
	for _, tt := range tests {
		if got := w.Answer(tt.q, []rag.Hit{stack}); !strings.Contains(got, tt.want) {
			t.Errorf("Answer(%q) lacks %q:\n%s", tt.q, tt.want, got)
		}
	}
}

// Asked for "equipment", a tools list whose one line says "equipment"
// answers whole, not with that line alone.
func TestGenericToolWordKeepsTheWholeList(t *testing.T) {
	tools := rag.Hit{Score: 1, Chunk: rag.Chunk{ID: "t-1", Guide: "Paramedic Career Path Guide", Section: "Tools of the Trade",
		Text: "- Cardiac monitor and defibrillator\n- Stretcher and stair chair\n- Personal protective equipment\n- Electronic patient care reports\n- Radio and dispatch software"}}
	got := new(Writer).Answer("what equipment do they use", []rag.Hit{tools})
	for _, want := range []string{"defibrillator", "Stretcher", "protective equipment"} {
		if !strings.Contains(got, want) {
			t.Errorf("answer lacks %q:\n%s", want, got)
		}
	}
}
