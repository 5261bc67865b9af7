// Package widget serves the embeddable chat widget (one self-contained script)
// and a demo careers page that embeds it the way a site owner would.
package widget

import "net/http"

// Handler serves GET /widget.js and GET / (the demo page).
// (Issue: web widget. This is a placeholder until the widget lands.)
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /widget.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write([]byte("/* widget coming soon */\n"))
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><title>careerbot</title><p>careerbot is running. Connect a websocket client to /ws.</p>\n"))
	})
	return mux
}
