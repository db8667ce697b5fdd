package main

import (
	"context"
	"log/slog"

	"github.com/shareguard/shareguard/agent"
	"github.com/shareguard/shareguard/platform/windows"
)

// restoreSettings: the quiet-hours profile and the old toast switch from
// their exact records in HKCU\Software\shareguard, which then goes; the
// state file's bool adds nothing to that record and is cleared with it.
func restoreSettings(ctx context.Context, statePath string, _ *slog.Logger) ([]string, error) {
	did, err := windows.RestoreUser(ctx)
	if err != nil {
		return did, err
	}
	return did, agent.ClearState(statePath)
}
