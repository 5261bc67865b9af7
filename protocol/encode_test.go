package protocol

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// jsonFrame is what encoding/json makes of a frame without HTML escaping:
// what Append must reproduce byte for byte.
func jsonFrame(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// checkAppend checks Append and Encode against encoding/json, and that
// Append keeps what dst held.
func checkAppend(t testing.TB, f Frame) {
	t.Helper()
	want := jsonFrame(t, f)
	got, err := Append([]byte("prefix"), f)
	if err != nil {
		t.Fatalf("Append(%T): %v", f, err)
	}
	if !bytes.Equal(got, append([]byte("prefix"), want...)) {
		t.Errorf("Append(%T)\n got %s\nwant prefix%s", f, got, want)
	}
	if enc, err := Encode(f); err != nil || !bytes.Equal(enc, want) {
		t.Errorf("Encode(%T) = %s, %v\nwant %s", f, enc, err, want)
	}
}

// fill sets every field of the struct v points to, recursively, to a
// non-zero value built from s: a field that Append does not write then shows
// up as a difference from encoding/json.
func fill(v reflect.Value, s string, n int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5 + float64(n))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(n + 1))
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), s, n+i)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), s, n+i)
		}
	default:
		panic("fill: add a case for " + v.Kind().String())
	}
}

var sampleSources = []Source{
	{Guide: "Media Specialist Career Path Guide", Section: "Annual Salary (US, USD)", Text: "Median: $65,000. Entry level: $51,000. Senior: $79,000.", Score: 0.61},
	{Guide: "Media Specialist Career Path Guide", Section: "Tech Skills", Text: "- Adobe Creative Cloud (Premiere Pro, After Effects)\n- SEO tools (Ahrefs, SEMrush)", Score: 0.61},
	{Guide: "Media Specialist Career Path Guide", Section: "Career Path Tiers › Senior Media Specialist", Text: strings.Repeat("Leads campaigns and mentors juniors; “owns” the calendar. ", 12), Score: 0.42},
}

func TestAppendMatchesJSON(t *testing.T) {
	for _, zero := range []Frame{Token{}, Sources{}, Done{}, Error{}, Ready{}} {
		// Every field set: catches a field added to the struct but not to
		// Append.
		full := reflect.New(reflect.TypeOf(zero)).Elem()
		fill(full, "a \"quoted\" <b>&</b>\n\tline é \u2028", 0)
		checkAppend(t, full.Interface().(Frame))
		// Every field zero: omitempty fields left out, nil slices null.
		checkAppend(t, zero)
	}
	for _, f := range []Frame{
		Token{Type: TypeToken, ID: "1", Text: "a \"quoted\" <b>&</b> line\nwith \u2028 and é"},
		Sources{Type: TypeSources, ID: "2", Sources: sampleSources},
		Sources{Type: TypeSources, ID: "3", Sources: []Source{}},
		Done{Type: TypeDone, ID: "4", Text: "x", Grounded: true, Suggestions: []string{}, Notice: "n", Cancelled: true},
		Done{Type: TypeDone, ID: "5", Text: "x", Grounded: true, Suggestions: []string{}, Cited: []int{0, 2, 10}, Kind: KindPerCareer},
		Done{Type: TypeDone, ID: "6", Text: "x", Suggestions: []string{}, Cited: []int{}, Kind: KindDecline},
		Error{Type: TypeError, Code: CodeBusy, Message: "m"},
		Error{Type: TypeError, ID: "q", Code: CodeRateLimited, Message: "m", RetryAfterMS: 1500},
		Ready{Type: TypeReady, Session: "s", Greeting: "Hi <there> & welcome", Suggestions: []string{"a"}, Mode: ModeOffline, Limits: Limits{MaxQuestion: 1000}},
	} {
		checkAppend(t, f)
	}
}

// TestWireBytes pins the exact bytes of each frame as clients have always
// received them: a change here breaks clients, however valid the JSON.
func TestWireBytes(t *testing.T) {
	for _, tc := range []struct {
		f    Frame
		want string
	}{
		{Token{Type: TypeToken, ID: "q1", Text: "Median <b>&</b> \"pay\"\n"}, `{"type":"token","id":"q1","text":"Median <b>&</b> \"pay\"\n"}`},
		{Sources{Type: TypeSources, ID: "q1", Sources: []Source{{Guide: "G", Section: "S", Text: "T", Score: 0.61}}}, `{"type":"sources","id":"q1","sources":[{"guide":"G","section":"S","text":"T","score":0.61}]}`},
		{Done{Type: TypeDone, ID: "q1", Text: "x", Suggestions: []string{"a", "b"}}, `{"type":"done","id":"q1","text":"x","grounded":false,"suggestions":["a","b"]}`},
		{Done{Type: TypeDone, ID: "q1", Text: "x", Grounded: true, Suggestions: []string{}, Notice: "Stopped.", Cancelled: true}, `{"type":"done","id":"q1","text":"x","grounded":true,"suggestions":[],"notice":"Stopped.","cancelled":true}`},
		{Done{Type: TypeDone, ID: "q1", Text: "x", Grounded: true, Suggestions: []string{}, Cited: []int{0, 2}, Kind: KindAnswer}, `{"type":"done","id":"q1","text":"x","grounded":true,"suggestions":[],"cited":[0,2],"kind":"answer"}`},
		{Error{Type: TypeError, Code: CodeTooLarge, Message: "m"}, `{"type":"error","code":"too_large","message":"m"}`},
		{Error{Type: TypeError, ID: "q1", Code: CodeBusy, Message: "m"}, `{"type":"error","id":"q1","code":"busy","message":"m"}`},
		{Error{Type: TypeError, ID: "q1", Code: CodeRateLimited, Message: "m", RetryAfterMS: 2000}, `{"type":"error","id":"q1","code":"rate_limited","message":"m","retry_after_ms":2000}`},
		{Ready{Type: TypeReady, Session: "s", Greeting: "Hi", Suggestions: []string{}, Mode: ModeLLM, Limits: Limits{MaxQuestion: 1000}}, `{"type":"ready","session":"s","greeting":"Hi","suggestions":[],"mode":"llm","limits":{"max_question":1000}}`},
		{Ready{Type: TypeReady, Session: "s", Suggestions: []string{}, Mode: ModeOffline, Resumed: true, History: []HistoryItem{{Question: "q", Answer: "a"}}}, `{"type":"ready","session":"s","greeting":"","suggestions":[],"mode":"offline","resumed":true,"history":[{"question":"q","answer":"a"}],"limits":{"max_question":0}}`},
	} {
		got, err := Encode(tc.f)
		if err != nil || string(got) != tc.want {
			t.Errorf("Encode(%T) = %s, %v\nwant %s", tc.f, got, err, tc.want)
		}
	}
}

func TestAppendScores(t *testing.T) {
	for _, score := range []float32{0, 1, -1, 0.61, 1.0 / 3, 1e-7, -1e-7, 1.5e-6, 9.99e-7, 1e20, 1e21, 3e38, math.SmallestNonzeroFloat32, float32(math.Copysign(0, -1))} {
		checkAppend(t, Sources{Type: TypeSources, Sources: []Source{{Score: score}}})
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		f := Sources{Sources: []Source{{Score: bad}}}
		if got, err := Append([]byte("kept"), f); err == nil || string(got) != "kept" {
			t.Errorf("score %v: Append = %q, %v; want an error (encoding/json refuses it) and dst as it was", bad, got, err)
		}
		if _, err := Encode(f); err == nil {
			t.Errorf("score %v: Encode gave no error", bad)
		}
	}
}

func TestAppendRandomText(t *testing.T) {
	// Strings mixing every byte class: ASCII, controls, quotes, multi-byte
	// runes, U+2028/2029, and invalid UTF-8.
	pieces := []string{"a", " ", "\"", "\\", "\x00", "\x1f", "\x7f", "\b", "\f", "\n", "\r", "\t", "<", "&", "é", "€", "😀", "\u2028", "\u2029", "\xff", "\xe2\x80", "\xed\xa0\x80", "\uFFFD"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		checkAppend(t, Token{Type: TypeToken, ID: b.String(), Text: b.String()})
	}
}

// FuzzAppendJSONString: whatever the text, the hand-written encoder writes
// what encoding/json does. CI runs it for a few seconds (.ci/run).
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\\n\x00\u2028\xff", "é😀\xe2\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkAppend(t, Done{Type: TypeDone, ID: s, Text: s, Suggestions: []string{s}, Notice: s})
	})
}

func TestEncodeSizeHint(t *testing.T) {
	// The size hint is only an optimisation; it must never make a frame
	// wrong, however much escaping the text needs.
	text := strings.Repeat("\x01\"\n", 100)
	for _, f := range []Frame{
		Token{Type: TypeToken, ID: "1", Text: text},
		Done{Type: TypeDone, ID: "1", Text: text, Suggestions: []string{text}, Notice: text},
		Sources{Type: TypeSources, ID: "1", Sources: []Source{{Text: text, Score: 0.5}}},
		Error{Type: TypeError, Code: "x", Message: text},
	} {
		checkAppend(t, f)
	}
}

func TestNeedsEscape(t *testing.T) {
	// Every byte value in every position of an otherwise plain word.
	for pos := range 8 {
		for b := range 256 {
			w := []byte("abcdefgh")
			w[pos] = byte(b)
			x := uint64(0)
			for i := 7; i >= 0; i-- {
				x = x<<8 | uint64(w[i])
			}
			if got, want := needsEscape(x), !jsonSafe[b]; got != want {
				t.Fatalf("byte %#x at %d: needsEscape %v, want %v", b, pos, got, want)
			}
		}
	}
}

// Benchmarks of the encoder, the server's hot path on the wire. Run them with
//
//	go test ./protocol -run '^$' -bench . -benchmem
//
// docs/benchmarks.md has the figures.

func BenchmarkEncodeTokenFrame(b *testing.B) {
	f := Token{Type: TypeToken, ID: "42", Text: "A Media Specialist earns a median of $65,000 a year, with entry-level pay near $51,000 "}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeSourcesFrame(b *testing.B) {
	f := Sources{Type: TypeSources, ID: "42", Sources: sampleSources}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeDoneFrame(b *testing.B) {
	f := Done{Type: TypeDone, ID: "42", Text: strings.Repeat("A Media Specialist plans, makes and measures content. ", 8), Grounded: true,
		Suggestions: []string{"What skills does a Media Specialist need?", "How do I become a Media Specialist?", "Which tools does a Media Specialist use?"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(f); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEncodeWritesTypeFirst holds what PeekType relies on: every frame the
// server writes starts with its "type".
func TestEncodeWritesTypeFirst(t *testing.T) {
	for _, zero := range []Frame{Token{}, Sources{}, Done{}, Error{}, Ready{}} {
		full := reflect.New(reflect.TypeOf(zero)).Elem()
		fill(full, "x", 0)
		full.Field(0).SetString("some_type")
		data, err := Encode(full.Interface().(Frame))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(`{"type":"some_type",`)) {
			t.Errorf("%T does not start with its type: %s", zero, data)
		}
	}
}

func TestPeekType(t *testing.T) {
	for in, want := range map[string]string{
		`{"type":"token","id":"1","text":"x"}`: "token",
		`{"id":"1","type":"done"}`:             "done",
		`{"type":"to\"ken","id":"1"}`:          `to"ken`,
		`{"type":""}`:                          "",
		`{"type":1}`:                           "",
		`not json`:                             "",
		``:                                     "",
	} {
		if got := PeekType([]byte(in)); got != want {
			t.Errorf("PeekType(%s) = %q, want %q", in, got, want)
		}
	}
}
