package loadgen

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// EchoHandler is the baseline: a bare gorilla/websocket endpoint at /ws that
// sends a ready frame on connect and one done frame per ask, echoing the
// ask's id and text. It does the least any websocket server speaking this
// protocol must do per answer — read a frame, decode it, encode a frame,
// write it — so the bot's throughput over the echo's, on the same machine in
// the same run, is the share of the physical limit the bot reaches.
func EchoHandler() http.Handler {
	up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096, CheckOrigin: func(*http.Request) bool { return true }}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		ws.SetReadLimit(16 << 10)
		if err := ws.WriteJSON(echoReady{Type: "ready", Mode: "echo"}); err != nil {
			return
		}
		for {
			var in askFrame
			if err := ws.ReadJSON(&in); err != nil {
				return
			}
			if err := ws.WriteJSON(echoDone{Type: "done", ID: in.ID, Text: in.Text, Grounded: true, Suggestions: []string{}}); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	return mux
}

type echoReady struct {
	Type string `json:"type"`
	Mode string `json:"mode"`
}

type echoDone struct {
	Type        string   `json:"type"`
	ID          string   `json:"id"`
	Text        string   `json:"text"`
	Grounded    bool     `json:"grounded"`
	Suggestions []string `json:"suggestions"`
}

// ServeEcho serves EchoHandler on addr (loopback) until ctx ends.
func ServeEcho(ctx context.Context, addr string, onListen func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if err := CheckLoopback("ws://" + ln.Addr().String()); err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: EchoHandler(), ReadHeaderTimeout: 10 * time.Second}
	if onListen != nil {
		onListen(ln.Addr())
	}
	go func() {
		<-ctx.Done()
		_ = srv.Close() // hijacked websockets end when their clients close
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
