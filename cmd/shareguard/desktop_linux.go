package main

import (
	"context"
	"io"
	"log"
	"log/slog"

	"github.com/jezek/xgb"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11"
)

func init() {
	// xgb logs connection noise ("Could not get authority info") through a
	// package-level logger; the platform reports real errors itself.
	xgb.Logger = log.New(io.Discard, "", 0)
}

func openDesktop(ctx context.Context, log *slog.Logger) (platform.Desktop, error) {
	return x11.Open(ctx, x11.Options{Logger: log})
}
