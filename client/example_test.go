package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/careerbot/careerbot/client"
	"github.com/careerbot/careerbot/client/clienttest"
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

// Dial a server (here the stand-in of package clienttest), ask, and read the
// answer with its sources and follow-up questions.
func ExampleDial() {
	srv := httptest.NewServer(clienttest.NewServer())
	defer srv.Close()

	ctx := context.Background()
	conn, err := client.Dial(ctx, srv.URL, client.Options{}) // http:// becomes ws://…/ws
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Println(conn.Ready().Greeting, "Mode:", conn.Ready().Mode)

	ans, err := conn.Ask(ctx, "What does a tester do?", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ans.Text)
	fmt.Println("cited:", ans.Sources[0].Section, "· grounded:", ans.Grounded)
	fmt.Println("follow-ups:", ans.Suggestions)
	// Output:
	// Hello from the fake. Mode: offline
	// You asked: What does a tester do?.
	// cited: About › What does a tester do? · grounded: true
	// follow-ups: [What next? Tell me more.]
}
