//go:build !windows && !darwin

package osenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// StateDir is where the agent keeps its audit log and state file:
// $XDG_STATE_HOME/shareguard, else ~/.local/state/shareguard (XDG Base
// Directory spec). Go has no os.UserStateDir, hence this.
func StateDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "shareguard"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("state dir: %w", err)
	}
	return filepath.Join(home, ".local", "state", "shareguard"), nil
}

// PolicyPath is where IT deploys the machine policy.
func PolicyPath() string { return "/etc/shareguard/policy.toml" }

// OpenFile opens path in the desktop's handler for text files, without
// waiting for the editor to close.
func OpenFile(path string) error { return startDetached(exec.Command("xdg-open", path)) }
