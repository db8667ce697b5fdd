// Package osenv holds the services of the OS that one user's agent needs
// beside the desktop itself: where its state and the machine policy live,
// the user's language, one agent per session, start at login, whether a
// policy file can be trusted, and opening a file for editing. Each has one
// file per OS (name_<os>.go); this file holds what they share.
package osenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ErrAlreadyRunning: another agent holds this user session's instance lock.
var ErrAlreadyRunning = errors.New("shareguard is already running")

// Instance is the lock that keeps one agent per user session; it is
// released when the process ends, however it ends.
type Instance interface{ Release() }

// ErrManaged: the machine starts the agent for every user (installed by
// IT: a system autostart entry, HKLM Run); a user cannot switch it off.
var ErrManaged = errors.New("start at login is managed for this machine")

// Autostart turns "start at login" on and off for the current user. Each
// OS has its own mechanism (autostart_<os>.go); the tray's menu toggle
// uses the same one. Where the machine starts the agent for everyone
// (Managed), it is on and cannot be changed.
type Autostart struct {
	exe    string              // absolute path of this binary
	getenv func(string) string // for XDG dirs and HOME
}

// Managed reports whether the machine starts the agent for every user
// (autostart_<os>.go says how it knows).
func (a *Autostart) Managed() bool { return a.managed() }

// Enabled reports whether the agent starts at login: always when managed,
// else as the user's own setting says.
func (a *Autostart) Enabled() (bool, error) {
	if a.managed() {
		return true, nil
	}
	return a.userEnabled()
}

// Set turns the user's own start at login on or off; under machine-wide
// autostart it refuses (ErrManaged).
func (a *Autostart) Set(on bool) error {
	if a.managed() {
		return fmt.Errorf("start at login: %w", ErrManaged)
	}
	return a.userSet(on)
}

// NewAutostart starts this executable at login.
func NewAutostart() (*Autostart, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start at login: find own executable: %w", err)
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	return &Autostart{exe: exe, getenv: os.Getenv}, nil
}

// localeVars are the POSIX locale variables, in the order that decides.
var localeVars = []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}

// envLocale is the first locale variable set, or "".
func envLocale(getenv func(string) string) string {
	for _, v := range localeVars {
		if val := getenv(v); val != "" {
			return val
		}
	}
	return ""
}

// startDetached starts an editor and reaps it in the background; its exit
// status says nothing useful.
func startDetached(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	go cmd.Wait()
	return nil
}

// RemoveOwn removes the user's own start-at-login entry if the guard made
// it, also where the machine's autostart is managed (for `shareguard
// restore` and uninstalling); it reports whether there was one. Other
// programs' entries are never touched.
func (a *Autostart) RemoveOwn() (bool, error) { return a.removeOwn() }
