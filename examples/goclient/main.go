// Command goclient asks the career bot one question with the Go client
// (package client), prints the answer as it streams in, then the guide
// sections it cites. It is the Go example in README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/careerbot/careerbot/client"
)

func main() {
	ctx := context.Background()
	conn, err := client.Dial(ctx, "ws://localhost:8080/ws", client.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	ans, err := conn.Ask(ctx, "What does a media specialist earn?", func(delta string) {
		fmt.Print(delta) // the answer streams in, piece by piece
	})
	var refused *client.ServerError // rate_limited, busy, …: the connection stays usable
	if errors.As(err, &refused) {
		log.Fatal(refused.Readable())
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	for _, s := range ans.Sources {
		fmt.Printf("  %s › %s\n", s.Guide, s.Section)
	}
}
