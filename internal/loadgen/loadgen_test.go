package loadgen

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestSummarizeNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	got := summarize(d)
	want := Latencies{N: 100, P50: 50 * time.Millisecond, P95: 95 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if (summarize(nil) != Latencies{}) {
		t.Error("no durations should give zero latencies")
	}
}

func TestCheckLoopback(t *testing.T) {
	for url, ok := range map[string]bool{
		"ws://127.0.0.1:8080/ws": true, "ws://[::1]:80/ws": true, "ws://localhost/ws": true, "http://127.0.0.2:6060": true,
		"ws://example.com/ws": false, "ws://10.0.0.1/ws": false, "ws://0.0.0.0:8080/ws": false, "::bad": false,
	} {
		if err := CheckLoopback(url); (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v", url, err)
		}
	}
}

// TestDriveAgainstEcho runs the client loop against the echo endpoint.
func TestDriveAgainstEcho(t *testing.T) {
	srv := httptest.NewServer(EchoHandler())
	defer srv.Close()
	target := Target{Name: "echo", WSURL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"}
	res, err := Drive(context.Background(), target, Load{Clients: 3, Duration: 100 * time.Millisecond, Questions: []string{"a", "b"}, MaxAsks: 20})
	if err != nil {
		t.Fatal(err)
	}
	if res.Connected != 3 || res.Answers == 0 || res.Answers > 60 || res.ErrorCount() != 0 || res.Done.N != res.Answers {
		t.Errorf("result %+v", res)
	}
}

// TestDriveLeavesTheRampOut: the first client asks at once, so with one ask
// (MaxAsks) and a ramp, that ask is sent during the ramp and not counted;
// without a ramp it is.
func TestDriveLeavesTheRampOut(t *testing.T) {
	srv := httptest.NewServer(EchoHandler())
	defer srv.Close()
	target := Target{Name: "echo", WSURL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"}
	for ramp, want := range map[time.Duration]int{0: 1, 2 * time.Second: 0} {
		res, err := Drive(context.Background(), target, Load{Clients: 1, Duration: 10 * time.Millisecond, Ramp: ramp, Questions: []string{"a"}, MaxAsks: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Answers != want || res.ErrorCount() != 0 {
			t.Errorf("ramp %s: %d answers counted (errors %v), want %d", ramp, res.Answers, res.Errors, want)
		}
	}
}

func TestTagRoundTripsInvisibly(t *testing.T) {
	for _, tag := range []string{"0-0", "12-345", "999-7"} {
		q := "What does a media specialist earn?" + tagText(tag)
		if got, ok := parseTag("excerpts… <question>\n" + q + "\n</question>"); !ok || got != tag {
			t.Errorf("parseTag(tagText(%q)) = %q, %v", tag, got, ok)
		}
		words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if strings.Join(words, " ") != "What does a media specialist earn" {
			t.Errorf("the tag shows up as words: %q", words)
		}
	}
	if _, ok := parseTag("no tag here"); ok {
		t.Error("found a tag in plain text")
	}
}

// Syscalls reads this process's own counters: they exist and grow with
// a write.
func TestSyscallsCountWrites(t *testing.T) {
	_, w0, err := Syscalls(os.Getpid())
	if err != nil {
		t.Skipf("no /proc/<pid>/io here: %v", err)
	}
	f, err := os.CreateTemp(t.TempDir(), "w")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for range 5 {
		if _, err := f.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if _, w1, err := Syscalls(os.Getpid()); err != nil || w1-w0 < 5 {
		t.Fatalf("writes went from %d to %d (%v), want at least 5 more", w0, w1, err)
	}
}
