//go:build !linux && !windows

package main

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"

	"github.com/shareguard/shareguard/platform"
)

func openDesktop(ctx context.Context, log *slog.Logger) (platform.Desktop, error) {
	return nil, fmt.Errorf("watching the desktop on %s: %w (Linux/X11 and Windows so far; see README)", runtime.GOOS, platform.ErrUnsupported)
}
