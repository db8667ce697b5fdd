//go:build !windows

package main

import (
	"context"
	"log/slog"

	"github.com/shareguard/shareguard/agent"
)

// restoreSettings: do-not-disturb as the state file recorded it (the
// desktop is opened only when there is a record). Nothing else of the
// user's is changed here: the autostart entry is handled by the caller.
func restoreSettings(ctx context.Context, statePath string, log *slog.Logger) ([]string, error) {
	st, err := agent.LoadState(statePath)
	if err != nil || !st.DNDChanged {
		return nil, err
	}
	desk, err := openDesktop(ctx, log)
	if err != nil {
		return nil, err
	}
	defer desk.Close()
	had, restored, err := agent.RestoreCrashState(ctx, desk, statePath)
	if err != nil || !had {
		return nil, err
	}
	return []string{"do-not-disturb put back as it was (" + onOff(restored) + ")"}, nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
