package main

import (
	"context"
	"log/slog"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11"
)

func openDesktop(ctx context.Context, log *slog.Logger) (platform.Desktop, error) {
	return x11.Open(ctx, x11.Options{Logger: log})
}
