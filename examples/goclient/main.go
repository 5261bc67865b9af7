// Command goclient asks the career bot one question over its websocket and
// prints the answer as it streams in. It is the Go example in README.md.
package main

import (
	"fmt"
	"log"

	"github.com/gorilla/websocket"
)

func main() {
	ws, _, err := websocket.DefaultDialer.Dial("ws://localhost:8080/ws", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer ws.Close()
	ask := map[string]string{"type": "ask", "id": "1", "text": "What does a media specialist earn?"}
	if err := ws.WriteJSON(ask); err != nil {
		log.Fatal(err)
	}
	for {
		var f struct{ Type, Text, Message string } // ready, sources, token…, done (or error)
		if err := ws.ReadJSON(&f); err != nil {
			log.Fatal(err)
		}
		switch f.Type {
		case "token":
			fmt.Print(f.Text)
		case "done":
			fmt.Println()
			return
		case "error":
			log.Fatal(f.Message)
		}
	}
}
