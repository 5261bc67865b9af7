package main

import (
	"context"
	"errors"
)

func runIndex(ctx context.Context, env *environment, args []string) error {
	return errors.New("index: not built yet")
}

func runAsk(ctx context.Context, env *environment, args []string) error {
	return errors.New("ask: not built yet")
}

func runEval(ctx context.Context, env *environment, args []string) error {
	return errors.New("eval: not built yet")
}
