package loadgen

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/careerbot/careerbot/protocol"
)

// EchoHandler is the baseline: a bare gorilla/websocket endpoint at /ws that
// sends a ready frame on connect and one done frame per ask, echoing the
// ask's id and text. It does the least any websocket server speaking this
// protocol must do per answer — read a frame, decode it, encode a frame
// (with encoding/json: the bot's hand-written encoder is part of what is
// measured), write it — so the bot's throughput over the echo's, on the same
// machine in the same run, is the share of the physical limit the bot
// reaches. Its ready frame's mode is "echo", none of the bot's.
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
		if err := ws.WriteJSON(protocol.Ready{Type: protocol.TypeReady, Mode: "echo"}); err != nil {
			return
		}
		for {
			var in protocol.ClientFrame
			if err := ws.ReadJSON(&in); err != nil {
				return
			}
			if err := ws.WriteJSON(protocol.Done{Type: protocol.TypeDone, ID: in.ID, Text: in.Text, Grounded: true, Suggestions: []string{}}); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	return mux
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
