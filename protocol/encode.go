package protocol

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"
)

// The frames of every answer (Sources, Token, Done) and Error frames are
// written as JSON by hand: encoding/json's reflection was ~5% of the server's
// CPU in an offline answer (docs/benchmarks.md). The output is byte for byte
// what encoding/json makes of the same struct without HTML escaping;
// TestAppendMatchesJSON checks it field by field and fails when a field is
// added to one of these structs and not here. Ready, sent once per
// conversation, still goes through encoding/json.

// Append appends the JSON text of f to dst and returns the extended slice:
// byte for byte what encoding/json makes of f with HTML escaping off ("&" and
// "<" stay readable: frames are JSON, not HTML), without a trailing newline.
// The error is encoding/json's (a NaN or infinite score); dst is then
// returned as it was.
func Append(dst []byte, f Frame) ([]byte, error) {
	n := len(dst)
	out, err := appendFrame(dst, f)
	if err != nil {
		return dst[:n], err
	}
	return out, nil
}

// Encode returns the JSON text of f (see Append) in a new slice sized to fit
// it: growing a buffer from empty for every frame showed up in the server's
// allocation profile.
func Encode(f Frame) ([]byte, error) {
	if n := frameSize(f); n > 0 {
		return Append(make([]byte, 0, n), f)
	}
	buf, err := encodeJSON(f)
	if err != nil {
		return nil, err
	}
	defer jsonPool.Put(buf)
	return bytes.Clone(buf.Bytes()), nil
}

func appendFrame(dst []byte, v Frame) (out []byte, err error) {
	switch f := v.(type) {
	case Token:
		dst = appendTypeAndID(dst, f.Type, f.ID)
		dst = append(dst, `,"text":`...)
		dst = appendJSONString(dst, f.Text)
		return append(dst, '}'), nil
	case Sources:
		dst = appendTypeAndID(dst, f.Type, f.ID)
		dst = append(dst, `,"sources":`...)
		if f.Sources == nil {
			dst = append(dst, "null"...)
		} else {
			dst = append(dst, '[')
			for i, s := range f.Sources {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = append(dst, `{"guide":`...)
				dst = appendJSONString(dst, s.Guide)
				dst = append(dst, `,"section":`...)
				dst = appendJSONString(dst, s.Section)
				dst = append(dst, `,"text":`...)
				dst = appendJSONString(dst, s.Text)
				dst = append(dst, `,"score":`...)
				if dst, err = appendJSONFloat32(dst, s.Score); err != nil {
					return nil, err
				}
				dst = append(dst, '}')
			}
			dst = append(dst, ']')
		}
		return append(dst, '}'), nil
	case Done:
		dst = appendTypeAndID(dst, f.Type, f.ID)
		dst = append(dst, `,"text":`...)
		dst = appendJSONString(dst, f.Text)
		dst = append(dst, `,"grounded":`...)
		dst = strconv.AppendBool(dst, f.Grounded)
		dst = append(dst, `,"suggestions":`...)
		dst = appendJSONStrings(dst, f.Suggestions)
		if f.Notice != "" {
			dst = append(dst, `,"notice":`...)
			dst = appendJSONString(dst, f.Notice)
		}
		if f.Cancelled {
			dst = append(dst, `,"cancelled":true`...)
		}
		if len(f.Cited) > 0 {
			dst = append(dst, `,"cited":[`...)
			for i, c := range f.Cited {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = strconv.AppendInt(dst, int64(c), 10)
			}
			dst = append(dst, ']')
		}
		if f.Kind != "" {
			dst = append(dst, `,"kind":`...)
			dst = appendJSONString(dst, f.Kind)
		}
		return append(dst, '}'), nil
	case Error:
		dst = append(dst, `{"type":`...)
		dst = appendJSONString(dst, f.Type)
		if f.ID != "" {
			dst = append(dst, `,"id":`...)
			dst = appendJSONString(dst, f.ID)
		}
		dst = append(dst, `,"code":`...)
		dst = appendJSONString(dst, f.Code)
		dst = append(dst, `,"message":`...)
		dst = appendJSONString(dst, f.Message)
		if f.RetryAfterMS != 0 {
			dst = append(dst, `,"retry_after_ms":`...)
			dst = strconv.AppendInt(dst, int64(f.RetryAfterMS), 10)
		}
		return append(dst, '}'), nil
	}
	buf, err := encodeJSON(v) // Ready
	if err != nil {
		return nil, err
	}
	defer jsonPool.Put(buf)
	return append(dst, buf.Bytes()...), nil
}

// encodeJSON is encoding/json's text of v without HTML escaping and without
// the trailing newline, in a buffer from jsonPool the caller puts back.
func encodeJSON(v any) (*bytes.Buffer, error) {
	buf := jsonPool.Get().(*bytes.Buffer)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		jsonPool.Put(buf)
		return nil, err
	}
	buf.Truncate(buf.Len() - 1) // the newline Encode adds
	return buf, nil
}

var jsonPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// appendTypeAndID opens an answer frame: {"type":…,"id":…
func appendTypeAndID(dst []byte, typ, id string) []byte {
	dst = append(dst, `{"type":`...)
	dst = appendJSONString(dst, typ)
	dst = append(dst, `,"id":`...)
	return appendJSONString(dst, id)
}

// frameSize is a capacity that fits the frame's JSON in one allocation in
// the usual case (little text needs escaping); 0 for the frames that go
// through encoding/json.
func frameSize(f Frame) int {
	const fields = 64
	switch f := f.(type) {
	case Token:
		return fields + len(f.ID) + len(f.Text) + len(f.Text)/16
	case Sources:
		n := fields + len(f.ID)
		for _, s := range f.Sources {
			n += fields + len(s.Guide) + len(s.Section) + len(s.Text) + len(s.Text)/16
		}
		return n
	case Done:
		n := 2*fields + len(f.ID) + len(f.Text) + len(f.Text)/16 + len(f.Notice) + len(f.Kind) + 4*len(f.Cited)
		for _, s := range f.Suggestions {
			n += len(s) + 4
		}
		return n
	case Error:
		return fields + len(f.ID) + len(f.Code) + len(f.Message) + 20
	}
	return 0
}

func appendJSONStrings(dst []byte, list []string) []byte {
	if list == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, s)
	}
	return append(dst, ']')
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the bytes a JSON string holds as they are: printable ASCII
// but the quote and the backslash.
var jsonSafe = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// appendJSONString is encoding/json's string encoding with HTML escaping
// off: quotes, backslashes and control characters escaped, invalid UTF-8
// replaced by U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a second look: most text
		// is plain ASCII, and this loop was most of the encoding's time.
		for i+8 <= len(s) && !needsEscape(binary.LittleEndian.Uint64([]byte(s[i:i+8]))) {
			i += 8
		}
		if i == len(s) {
			break
		}
		if jsonSafe[s[i]] {
			i++
			continue
		}
		if b := s[i]; b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// needsEscape reports whether any of the eight bytes in x is not jsonSafe:
// a control character, '"', '\\' or a byte of a multi-byte rune.
func needsEscape(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	hasZero := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	less := (x - ones*0x20) &^ x & highs // some byte < 0x20 (exact when no byte ≥ 0x80)
	return (x&highs)|less|hasZero(x^(ones*'"'))|hasZero(x^(ones*'\\')) != 0
}

var errBadFloat = errors.New("json: unsupported value: NaN or infinite score")

// appendJSONFloat32 formats like encoding/json does a float32.
func appendJSONFloat32(dst []byte, f float32) ([]byte, error) {
	f64 := float64(f)
	if math.IsInf(f64, 0) || math.IsNaN(f64) {
		return nil, errBadFloat
	}
	format := byte('f')
	if abs := float32(math.Abs(f64)); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f64, format, -1, 32)
	if format == 'e' {
		// e-09 → e-9, as encoding/json writes it
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}
