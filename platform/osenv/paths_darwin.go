package osenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// StateDir is where the agent keeps its audit log and state file:
// ~/Library/Application Support/shareguard.
func StateDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("state dir: %w", err)
	}
	return filepath.Join(d, "shareguard"), nil
}

// PolicyPath is where IT deploys the machine policy.
func PolicyPath() string { return "/Library/Application Support/shareguard/policy.toml" }

// OpenFile opens path in the default text editor, without waiting for it.
func OpenFile(path string) error { return startDetached(exec.Command("open", "-t", path)) }
