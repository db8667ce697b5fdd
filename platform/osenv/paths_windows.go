package osenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// StateDir is where the agent keeps its audit log and state file:
// %LocalAppData%\shareguard.
func StateDir() (string, error) {
	if d := os.Getenv("LocalAppData"); d != "" {
		return filepath.Join(d, "shareguard"), nil
	}
	d, err := os.UserCacheDir() // %LocalAppData% as well
	if err != nil {
		return "", fmt.Errorf("state dir: %w", err)
	}
	return filepath.Join(d, "shareguard"), nil
}

// PolicyPath is where IT deploys the machine policy:
// %ProgramData%\shareguard\policy.toml.
func PolicyPath() string {
	dir := os.Getenv("ProgramData")
	if dir == "" {
		dir = `C:\ProgramData`
	}
	return filepath.Join(dir, "shareguard", "policy.toml")
}

// OpenFile opens path in Notepad, without waiting for it: a .toml file has
// no default handler on Windows, and Notepad is always there.
func OpenFile(path string) error { return startDetached(exec.Command("notepad.exe", path)) }
