package chat

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
// what appendFrame must reproduce byte for byte.
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

func checkAppendFrame(t testing.TB, v any) {
	t.Helper()
	got, ok, err := appendFrame(nil, v)
	if !ok || err != nil {
		t.Fatalf("appendFrame(%T) ok=%v err=%v", v, ok, err)
	}
	if want := jsonFrame(t, v); !bytes.Equal(got, want) {
		t.Errorf("appendFrame(%T)\n got %s\nwant %s", v, got, want)
	}
}

// fill sets every field of the struct v points to, recursively, to a
// non-zero value built from s: a field that appendFrame does not write then
// shows up as a difference from encoding/json.
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

func TestAppendFrameMatchesJSON(t *testing.T) {
	types := []any{tokenFrame{}, sourcesFrame{}, doneFrame{}, errorFrame{}}
	for _, zero := range types {
		// Every field set: catches a field added to the struct but not to
		// appendFrame.
		full := reflect.New(reflect.TypeOf(zero)).Elem()
		fill(full, "a \"quoted\" <b>&</b>\n\tline é \u2028", 0)
		checkAppendFrame(t, full.Interface())
		// Every field zero: omitempty fields left out, nil slices null.
		checkAppendFrame(t, zero)
	}
	for _, f := range []any{
		tokenFrame{Type: typeToken, ID: "1", Text: "a \"quoted\" <b>&</b> line\nwith \u2028 and é"},
		sourcesFrame{Type: typeSources, ID: "2", Sources: benchSources},
		sourcesFrame{Type: typeSources, ID: "3", Sources: []source{}},
		doneFrame{Type: typeDone, ID: "4", Text: "x", Grounded: true, Suggestions: []string{}, Notice: "n", Cancelled: true},
		errorFrame{Type: typeError, Code: codeBusy, Message: "m"},
	} {
		checkAppendFrame(t, f)
	}
}

func TestAppendFrameScores(t *testing.T) {
	for _, score := range []float32{0, 1, -1, 0.61, 1.0 / 3, 1e-7, -1e-7, 1.5e-6, 9.99e-7, 1e20, 1e21, 3e38, math.SmallestNonzeroFloat32, float32(math.Copysign(0, -1))} {
		checkAppendFrame(t, sourcesFrame{Type: typeSources, Sources: []source{{Score: score}}})
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		if _, _, err := appendFrame(nil, sourcesFrame{Sources: []source{{Score: bad}}}); err == nil {
			t.Errorf("score %v: no error (encoding/json refuses it)", bad)
		}
	}
}

func TestAppendFrameRandomText(t *testing.T) {
	// Strings mixing every byte class: ASCII, controls, quotes, multi-byte
	// runes, U+2028/2029, and invalid UTF-8.
	pieces := []string{"a", " ", "\"", "\\", "\x00", "\x1f", "\x7f", "\b", "\f", "\n", "\r", "\t", "<", "&", "é", "€", "😀", "\u2028", "\u2029", "\xff", "\xe2\x80", "\xed\xa0\x80", "\uFFFD"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		checkAppendFrame(t, tokenFrame{Type: typeToken, ID: b.String(), Text: b.String()})
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\\n\x00\u2028\xff", "é😀\xe2\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkAppendFrame(t, doneFrame{Type: typeDone, ID: s, Text: s, Suggestions: []string{s}, Notice: s})
	})
}

func TestEncodeFrameSizeHint(t *testing.T) {
	// The size hint is only an optimisation; it must never make a frame
	// wrong, however much escaping the text needs.
	text := strings.Repeat("\x01\"\n", 100)
	for _, f := range []any{
		tokenFrame{Type: typeToken, ID: "1", Text: text},
		doneFrame{Type: typeDone, ID: "1", Text: text, Suggestions: []string{text}, Notice: text},
		sourcesFrame{Type: typeSources, ID: "1", Sources: []source{{Text: text, Score: 0.5}}},
		errorFrame{Type: typeError, Code: "x", Message: text},
	} {
		got, err := encodeFrame(f)
		if err != nil {
			t.Fatal(err)
		}
		if want := jsonFrame(t, f); !bytes.Equal(got, want) {
			t.Errorf("encodeFrame(%T) differs from encoding/json", f)
		}
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
