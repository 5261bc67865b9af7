package conversation

import (
	"strings"
	"testing"
)

func TestSplitDeltas(t *testing.T) {
	for _, text := range []string{"", "word", "a few words here", strings.Repeat("lorem ipsum dolor ", 40), "line one\n- item\n- item two\n"} {
		parts := splitDeltas(text, offlineDeltas)
		if strings.Join(parts, "") != text || len(parts) > offlineDeltas {
			t.Errorf("splitDeltas(%q) = %q", text, parts)
		}
	}
}

func BenchmarkSplitDeltas(b *testing.B) {
	text := strings.Repeat("A Media Specialist plans, makes and measures content across platforms. ", 10)
	b.ReportAllocs()
	for b.Loop() {
		splitDeltas(text, offlineDeltas)
	}
}
