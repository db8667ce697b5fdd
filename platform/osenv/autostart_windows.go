package osenv

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// Windows: the per-user Run key starts `"shareguard.exe" run` at logon.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

func (a *Autostart) Where() string { return `HKCU\` + runKey + `\shareguard` }

func (a *Autostart) runCommand() string { return `"` + a.exe + `" run` }

// managed: an HKLM Run value (an installer's) starts the agent for every
// user.
func (a *Autostart) managed() bool {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	_, _, err = k.GetStringValue("shareguard")
	return err == nil
}

func (a *Autostart) userSet(on bool) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	defer k.Close()
	if on {
		err = k.SetStringValue("shareguard", a.runCommand())
	} else if err = k.DeleteValue("shareguard"); errors.Is(err, registry.ErrNotExist) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}

func (a *Autostart) userEnabled() (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("start at login: %w", err)
	}
	defer k.Close()
	_, _, err = k.GetStringValue("shareguard")
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("start at login: %w", err)
	}
	return true, nil
}

// removeOwn deletes the value named shareguard, and only it, from HKCU Run.
func (a *Autostart) removeOwn() (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("start at login: %w", err)
	}
	defer k.Close()
	err = k.DeleteValue("shareguard")
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("start at login: %w", err)
	}
	return true, nil
}
