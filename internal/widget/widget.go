// Package widget serves the embeddable chat widget (one self-contained script)
// and a demo careers page that embeds it the way a site owner would.
package widget

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

//go:embed widget.js
var widgetSource []byte

// widgetJS is what is served: widget.js without its comment lines and
// indentation (no build step: the file stays readable, the wire stays small).
var widgetJS = stripComments(widgetSource)

// Version is the widget's major version, in its pinnable URL /widget.v1.js.
// It changes only with an incompatible change of attributes or API.
const Version = "1"

// Integrity is the Subresource Integrity hash of the served widget, for
// <script integrity="…" crossorigin="anonymous">.
var Integrity = sriHash(widgetJS)

func sriHash(b []byte) string {
	sum := sha512.Sum384(b)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// stripComments drops blank lines, lines that are only a // comment, the
// leading indentation and a trailing " // " comment (widget.js never has
// " // " inside a string, a regexp or the CSS: TestWidgetStripIsSafe), and
// the spaces around a few operators outside string literals (compactLine).
func stripComments(src []byte) []byte {
	var out bytes.Buffer
	for line := range strings.SplitSeq(string(src), "\n") {
		line = strings.TrimSpace(line)
		if i := strings.Index(line, " // "); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		out.WriteString(compactLine(line))
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// compactOps are spelled with spaces in widget.js and without on the wire.
var compactOps = strings.NewReplacer(" === ", "===", " !== ", "!==", " && ", "&&", " || ", "||", " = ", "=", ") {", "){", "function (", "function(", " += ", "+=", ", ", ",", " + ", "+")

// compactLine removes the spaces of compactOps outside quoted strings. A
// line with a backtick or a backslash (the CSS template, regexps, escaped
// quotes) is left as it is, so quote counting is never fooled.
func compactLine(line string) string {
	if strings.ContainsAny(line, "`\\") {
		return line
	}
	var b strings.Builder
	quote := byte(0)
	start := 0
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote == 0 && (c == '\'' || c == '"'):
			b.WriteString(compactOps.Replace(line[start:i]))
			quote, start = c, i
		case quote != 0 && c == quote:
			b.WriteString(line[start : i+1])
			quote, start = 0, i+1
		}
	}
	if quote != 0 {
		return line // unbalanced: leave it alone
	}
	b.WriteString(compactOps.Replace(line[start:]))
	return b.String()
}

//go:embed demo.html
var demoHTML []byte

// faviconSVG: the demo page's icon (browsers ask for /favicon.ico on their own).
var faviconSVG = []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#1d4ed8"/><path d="M9 11h14v8h-8l-4 4v-4H9z" fill="#fff"/></svg>` + "\n")

// Handler serves GET /widget.js and /widget.v1.js (the widget), GET
// /widget.json (its version and SRI hash), GET /favicon.ico and GET / (the
// demo page). Mount it on the server's mux for those paths.
func Handler() http.Handler {
	mux := http.NewServeMux()
	// Let pages that set Cross-Origin-Embedder-Policy load the script, and
	// pages that pin it with integrity="…" (which needs CORS) check it.
	scriptHeaders := map[string]string{
		"Cross-Origin-Resource-Policy": "cross-origin",
		"Access-Control-Allow-Origin":  "*",
	}
	// widget.js has a stable URL that other sites embed, so it cannot be
	// cached forever: browsers keep it for five minutes, then revalidate
	// cheaply with the ETag. The versioned URL is the same file for sites
	// that pin its hash; it is cached for a day.
	mux.Handle("GET /widget.js", newAsset(widgetJS, "text/javascript; charset=utf-8", "public, max-age=300", scriptHeaders))
	mux.Handle("GET /widget.v"+Version+".js", newAsset(widgetJS, "text/javascript; charset=utf-8", "public, max-age=86400", scriptHeaders))
	info, _ := json.Marshal(map[string]any{ // a map of strings and an int always encodes
		"version": Version, "src": "/widget.v" + Version + ".js", "integrity": Integrity, "bytes": len(widgetJS),
	})
	mux.Handle("GET /widget.json", newAsset(append(info, '\n'), "application/json", "public, max-age=300", map[string]string{
		"Access-Control-Allow-Origin": "*",
	}))
	mux.Handle("GET /favicon.ico", newAsset(faviconSVG, "image/svg+xml", "public, max-age=86400", nil))
	mux.Handle("GET /{$}", newAsset(demoHTML, "text/html; charset=utf-8", "no-cache", map[string]string{
		"Referrer-Policy": "no-referrer",
	}))
	return mux
}

// asset is a static file held in memory, with a gzip copy and strong ETags
// computed once.
type asset struct {
	plain, gzipped         []byte
	etagPlain, etagGzipped string
	contentType            string
	cacheControl           string
	extraHeaders           map[string]string
	modTime                time.Time
}

func newAsset(content []byte, contentType, cacheControl string, extra map[string]string) *asset {
	sum := sha256.Sum256(content)
	tag := hex.EncodeToString(sum[:8])
	a := &asset{
		plain:        content,
		etagPlain:    `"` + tag + `"`,
		etagGzipped:  `"` + tag + `-gz"`,
		contentType:  contentType,
		cacheControl: cacheControl,
		extraHeaders: extra,
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // only fails for a bad level
	_, _ = zw.Write(content)                                 // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	a.gzipped = buf.Bytes()
	return a
}

func (a *asset) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", a.cacheControl)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Encoding")
	for k, v := range a.extraHeaders {
		h.Set(k, v)
	}
	body, etag := a.plain, a.etagPlain
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = a.gzipped, a.etagGzipped
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match with 304, and handles HEAD and ranges.
	http.ServeContent(w, r, "", a.modTime, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip
// (present and not refused with q=0).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
