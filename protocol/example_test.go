package protocol_test

import (
	"encoding/json"
	"fmt"

	"github.com/careerbot/careerbot/protocol"
)

// A client writes its frames with encoding/json and decodes whatever the
// server sends into a ServerFrame, switching on its Type.
func Example() {
	ask, _ := json.Marshal(protocol.Ask{Type: protocol.TypeAsk, ID: "q1", Text: "What does a media specialist earn?"})
	fmt.Println(string(ask))

	for _, data := range []string{
		`{"type":"sources","id":"q1","sources":[{"guide":"Media Specialist Career Path Guide","section":"Annual Salary (US, USD)","text":"Median: $65,000.","score":0.61}]}`,
		`{"type":"token","id":"q1","text":"The median is $65,000."}`,
		`{"type":"done","id":"q1","text":"The median is $65,000.","grounded":true,"suggestions":["What skills does a Media Specialist need?"]}`,
	} {
		var f protocol.ServerFrame
		if err := json.Unmarshal([]byte(data), &f); err != nil {
			fmt.Println(err)
			return
		}
		switch f.Type {
		case protocol.TypeSources:
			fmt.Printf("cited %s (score %v)\n", f.Sources[0].Section, f.Sources[0].Score)
		case protocol.TypeToken:
			fmt.Println("token:", f.Text)
		case protocol.TypeDone:
			fmt.Println("done; grounded:", f.Grounded, "follow-ups:", f.Suggestions)
		case protocol.TypeError:
			fmt.Println(f.Code, f.Message)
		}
	}
	// Output:
	// {"type":"ask","id":"q1","text":"What does a media specialist earn?"}
	// cited Annual Salary (US, USD) (score 0.61)
	// token: The median is $65,000.
	// done; grounded: true follow-ups: [What skills does a Media Specialist need?]
}

// The server writes its frames with Encode (or Append, into a reused
// buffer): the same bytes encoding/json would write, only faster.
func ExampleEncode() {
	data, err := protocol.Encode(protocol.Token{Type: protocol.TypeToken, ID: "q1", Text: "Pay & <perks>"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(data))
	// Output: {"type":"token","id":"q1","text":"Pay & <perks>"}
}
