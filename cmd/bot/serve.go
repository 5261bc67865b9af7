package main

import (
	"context"
	"errors"
)

// runServe serves the websocket chat and the widget. (Issue: chat server.)
func runServe(ctx context.Context, env *environment, args []string) error {
	fs, resolve := newFlagSet(env, "serve", "serve [flags]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	_ = resolve()
	return errors.New("serve: not built yet")
}
