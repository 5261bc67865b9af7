// Package widget serves the embeddable chat widget (one self-contained script)
// and a demo careers page that embeds it the way a site owner would.
package widget

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

//go:embed widget.js
var widgetJS []byte

//go:embed demo.html
var demoHTML []byte

// Handler serves GET /widget.js (the widget) and GET / (the demo page).
// Mount it on the server's mux for those two paths.
func Handler() http.Handler {
	mux := http.NewServeMux()
	// widget.js has a stable URL that other sites embed, so it cannot be
	// cached forever: browsers keep it for five minutes, then revalidate
	// cheaply with the ETag.
	mux.Handle("GET /widget.js", newAsset(widgetJS, "text/javascript; charset=utf-8", "public, max-age=300", map[string]string{
		// Let pages that set Cross-Origin-Embedder-Policy load the script.
		"Cross-Origin-Resource-Policy": "cross-origin",
	}))
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
