package tray

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shareguard/shareguard/assets"
)

// OpenSettings opens the user config in the system's editor, first
// creating it from the commented default when it does not exist (the
// default is the base layer anyway, so this changes nothing in force).
func OpenSettings(path string, open func(string) error) error {
	if path == "" {
		return errors.New("open settings: no user config path")
	}
	if err := ensureFile(path, assets.DefaultConfig); err != nil {
		return fmt.Errorf("open settings: %w", err)
	}
	if err := open(path); err != nil {
		return fmt.Errorf("open settings: %w", err)
	}
	return nil
}

func ensureFile(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil // never overwrite the user's own file
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
