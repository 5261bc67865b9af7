package testutil

import (
	"strings"
	"sync"
	"testing"
)

func TestBufferTakesConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_, _ = b.Write([]byte("x"))
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if n := len(b.String()); n != 800 {
		t.Errorf("%d bytes, want 800", n)
	}
}

func TestMetricValue(t *testing.T) {
	fams := ParseMetrics(t, strings.NewReader(`# TYPE asks_total counter
asks_total{mode="llm",outcome="grounded"} 3
asks_total{mode="offline",outcome="grounded"} 4
asks_total{mode="offline",outcome="declined"} 1
# TYPE done_seconds histogram
done_seconds_bucket{le="+Inf"} 5
done_seconds_sum 0.5
done_seconds_count 5
`))
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
		ok     bool
	}{
		{"asks_total", nil, 8, true},
		{"asks_total", []string{"outcome", "grounded"}, 7, true},
		{"asks_total", []string{"mode", "offline", "outcome", "declined"}, 1, true},
		{"asks_total", []string{"mode", "none"}, 0, false},
		{"done_seconds", nil, 5, true},
		{"missing", nil, 0, false},
	} {
		if got, ok := MetricValue(fams, c.name, c.labels...); got != c.want || ok != c.ok {
			t.Errorf("MetricValue(%s%v) = %v, %v; want %v, %v", c.name, c.labels, got, ok, c.want, c.ok)
		}
	}
}
