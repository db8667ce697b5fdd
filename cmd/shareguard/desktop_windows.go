package main

import (
	"context"
	"log/slog"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/windows"
)

func openDesktop(ctx context.Context, log *slog.Logger) (platform.Desktop, error) {
	return windows.Open(ctx, windows.Options{Logger: log})
}
