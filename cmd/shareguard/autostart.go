package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// autostart turns "start at login" on and off for the current user. Each
// OS has its own mechanism (autostart_<os>.go); the tray's menu toggle
// uses the same one.
type autostart struct {
	exe    string              // absolute path of this binary
	getenv func(string) string // for XDG dirs and HOME
}

func newAutostart() (*autostart, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start at login: find own executable: %w", err)
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	return &autostart{exe: exe, getenv: os.Getenv}, nil
}

func cmdAutostart(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: shareguard autostart on|off|status")
		return exitError
	}
	a, err := newAutostart()
	if err != nil {
		fmt.Fprintf(stderr, "shareguard autostart: %v\n", err)
		return exitError
	}
	return a.command(args[0], stdout, stderr)
}

func (a *autostart) command(what string, stdout, stderr io.Writer) int {
	switch what {
	case "on", "off":
		if err := a.Set(what == "on"); err != nil {
			fmt.Fprintf(stderr, "shareguard autostart: %v\n", err)
			return exitError
		}
		fallthrough
	case "status":
		on, err := a.Enabled()
		if err != nil {
			fmt.Fprintf(stderr, "shareguard autostart: %v\n", err)
			return exitError
		}
		state := "off"
		if on {
			state = "on"
		}
		fmt.Fprintf(stdout, "start at login: %s (%s)\n", state, a.where())
		return exitOK
	}
	fmt.Fprintf(stderr, "shareguard autostart: say on, off or status, not %q\n", what)
	return exitError
}

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
