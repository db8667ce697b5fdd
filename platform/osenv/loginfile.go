//go:build linux || darwin

package osenv

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// setLoginFile writes (atomically) or removes the file a login mechanism
// reads: the XDG autostart entry, the LaunchAgent plist.
func setLoginFile(p string, on bool, content []byte, dirMode os.FileMode) error {
	if !on {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("start at login: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), dirMode); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, content, 0o644); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}
