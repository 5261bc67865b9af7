package main

import (
	"context"
	"errors"
)

// runChat is the terminal websocket client. (Issue: terminal client.)
func runChat(ctx context.Context, env *environment, args []string) error {
	return errors.New("chat: not built yet")
}

// askRemote answers one question over the websocket at url and prints the
// answer and its sources; `bot ask --url` calls it. (Issue: terminal client.)
func askRemote(ctx context.Context, env *environment, url, question string, jsonFrames bool) error {
	return errors.New("ask --url: not built yet")
}
