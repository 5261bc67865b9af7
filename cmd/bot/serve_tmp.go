package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/careerbot/careerbot/internal/chat"
)

// Temporary until internal/rag lands: then indexLoader opens rag, and
// newLogger comes from rag_cmds.go.

func indexLoader(cfg *config, logger *slog.Logger) (func(context.Context) (chat.Retriever, error), error) {
	return func(context.Context) (chat.Retriever, error) { return nil, errors.New("the index is not built yet") }, nil
}

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.str("BOT_LOG_LEVEL"))); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
