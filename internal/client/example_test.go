package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/careerbot/careerbot/internal/client"
)

// Ask a running server one question, print the answer as it streams in, then
// the sections it cites.
func ExampleConn_Ask() {
	ctx := context.Background()
	conn, err := client.Dial(ctx, "ws://localhost:8080/ws", client.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()

	ans, err := conn.Ask(ctx, "What does a media specialist earn?", func(delta string) { fmt.Print(delta) })
	var refused *client.ServerError
	switch {
	case errors.As(err, &refused): // rate_limited, busy, …: the connection is still usable
		fmt.Println(refused.Readable())
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println()
		for _, s := range ans.Sources {
			fmt.Println(s.Guide, "›", s.Section)
		}
	}
}
