package widget

import (
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandlerServesWidgetAndDemo(t *testing.T) {
	h := Handler()
	tests := []struct {
		path        string
		contentType string
		want        string
	}{
		{"/widget.js", "text/javascript; charset=utf-8", "attachShadow"},
		{"/", "text/html; charset=utf-8", `<script src="/widget.js"`},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rec := get(t, h, "GET", tc.path, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: status %d, want 200", tc.path, rec.Code)
			}
			if got := rec.Header().Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tc.contentType)
			}
			if rec.Header().Get("ETag") == "" {
				t.Error("no ETag header")
			}
			if rec.Header().Get("Cache-Control") == "" {
				t.Error("no Cache-Control header")
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("body does not contain %q", tc.want)
			}
		})
	}
}

func TestHandlerUnknownPathIs404(t *testing.T) {
	for _, path := range []string{"/nope", "/widget.js/x", "/demo.html"} {
		if rec := get(t, Handler(), "GET", path, nil); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, rec.Code)
		}
	}
}

func TestWidgetRevalidatesWithETag(t *testing.T) {
	h := Handler()
	for _, encoding := range []string{"", "gzip, deflate, br"} {
		first := get(t, h, "GET", "/widget.js", map[string]string{"Accept-Encoding": encoding})
		etag := first.Header().Get("ETag")
		if !regexp.MustCompile(`^"[0-9a-f]{16}(-gz)?"$`).MatchString(etag) {
			t.Fatalf("Accept-Encoding %q: ETag %q is not a strong content hash", encoding, etag)
		}
		again := get(t, h, "GET", "/widget.js", map[string]string{"Accept-Encoding": encoding, "If-None-Match": etag})
		if again.Code != http.StatusNotModified {
			t.Errorf("Accept-Encoding %q: revalidation status %d, want 304", encoding, again.Code)
		}
		if again.Body.Len() != 0 {
			t.Errorf("304 carried a body of %d bytes", again.Body.Len())
		}
		changed := get(t, h, "GET", "/widget.js", map[string]string{"Accept-Encoding": encoding, "If-None-Match": `"stale"`})
		if changed.Code != http.StatusOK {
			t.Errorf("Accept-Encoding %q: stale ETag gave status %d, want 200", encoding, changed.Code)
		}
	}
}

func TestWidgetGzip(t *testing.T) {
	h := Handler()
	plain := get(t, h, "GET", "/widget.js", nil)
	if plain.Header().Get("Content-Encoding") != "" {
		t.Fatal("gzip sent to a client that did not ask for it")
	}
	for _, refused := range []string{"gzip;q=0", "br", "identity"} {
		if rec := get(t, h, "GET", "/widget.js", map[string]string{"Accept-Encoding": refused}); rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q: got Content-Encoding %q", refused, rec.Header().Get("Content-Encoding"))
		}
	}
	zipped := get(t, h, "GET", "/widget.js", map[string]string{"Accept-Encoding": "br, gzip"})
	if zipped.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", zipped.Header().Get("Content-Encoding"))
	}
	if plain.Header().Get("ETag") == zipped.Header().Get("ETag") {
		t.Error("gzip and plain bodies share an ETag")
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unzipped, plain.Body.Bytes()) {
		t.Error("gzip body does not decompress to widget.js")
	}
}

// The budget: one self-contained script of at most 40 KB as served,
// no build step.
func TestWidgetIsSmallAndSelfContained(t *testing.T) {
	if len(widgetJS) > 40<<10 {
		t.Errorf("the served widget is %d bytes, budget is 40 KB (40,960 bytes)", len(widgetJS))
	}
	src := string(widgetSource)
	for _, banned := range []string{"import ", "require(", "fetch(", "@import", "url(", "fonts.googleapis", "cdn"} {
		if strings.Contains(src, banned) {
			t.Errorf("widget.js contains %q: it must not load anything else", banned)
		}
	}
}

// Model and user text must never be parsed as HTML. The widget builds DOM
// nodes; this guards against someone reaching for the HTML sinks later.
func TestWidgetUsesNoHTMLSinks(t *testing.T) {
	src := string(widgetSource)
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "createContextualFragment", "eval(", "new Function", "setHTMLUnsafe"} {
		if strings.Contains(src, sink) {
			t.Errorf("widget.js uses %s", sink)
		}
	}
}

// The demo page embeds the widget exactly as a site owner would: one script tag.
func TestDemoPageEmbedsWithOneScriptTag(t *testing.T) {
	page := string(demoHTML)
	if n := strings.Count(page, "<script"); n != 1 {
		t.Fatalf("demo page has %d script tags, want exactly 1", n)
	}
	if !regexp.MustCompile(`<script src="/widget\.js"[^>]* async></script>`).MatchString(page) {
		t.Error("demo page does not embed /widget.js with an async script tag")
	}
	if !strings.Contains(page, `name="viewport"`) {
		t.Error("demo page lacks a viewport meta tag, so phones would render it zoomed out")
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := map[string]bool{
		"":                  false,
		"gzip":              true,
		"GZIP":              true,
		"deflate, gzip":     true,
		"gzip;q=0.5":        true,
		"gzip;q=0":          false,
		"gzip; q=0":         false,
		"br;q=1, gzip;q=0":  false,
		"x-gzip":            false,
		"deflate, br, zstd": false,
	}
	for header, want := range tests {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

// stripComments cuts a line at " // ": that is only safe where " // " starts
// a comment, never inside a string, a regexp or the CSS template.
func TestWidgetStripIsSafe(t *testing.T) {
	for n, line := range strings.Split(string(widgetSource), "\n") {
		i := strings.Index(line, " // ")
		if i < 0 || strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		code := line[:i]
		if strings.Count(code, "'")%2 != 0 || strings.Count(code, `"`)%2 != 0 || strings.Contains(code, "`") || strings.Count(code, "/")%2 != 0 {
			t.Errorf("widget.js:%d: \" // \" may not start a comment here: %s", n+1, line)
		}
	}
	if !bytes.Contains(widgetJS, []byte("attachShadow")) || bytes.Contains(widgetJS, []byte("\n//")) {
		t.Error("the served widget lost code or kept comment lines")
	}
}

// Sites pin /widget.v1.js with the SRI hash published in /widget.json and the
// README; both must match the bytes served.
func TestVersionedWidgetAndIntegrity(t *testing.T) {
	h := Handler()
	v1 := get(t, h, "GET", "/widget.v1.js", nil)
	if v1.Code != http.StatusOK || !bytes.Equal(v1.Body.Bytes(), widgetJS) {
		t.Fatalf("GET /widget.v1.js: status %d, %d bytes; want 200 with the widget", v1.Code, v1.Body.Len())
	}
	if v1.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Error("/widget.v1.js lacks Access-Control-Allow-Origin: *, so integrity= with crossorigin fails")
	}
	sum := sha512.Sum384(v1.Body.Bytes())
	want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
	var info struct{ Version, Src, Integrity string }
	rec := get(t, h, "GET", "/widget.json", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &info); err != nil {
		t.Fatalf("/widget.json: %v: %s", err, rec.Body)
	}
	if info.Integrity != want || info.Src != "/widget.v1.js" || info.Version != "1" {
		t.Errorf("/widget.json = %+v, want integrity %s for /widget.v1.js", info, want)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not publish the widget's current SRI hash %s (update it after changing widget.js)", want)
	}
	if fav := get(t, h, "GET", "/favicon.ico", nil); fav.Code != http.StatusOK {
		t.Errorf("GET /favicon.ico: status %d: the demo page logs a 404", fav.Code)
	}
}
