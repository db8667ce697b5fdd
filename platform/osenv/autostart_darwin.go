package osenv

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// macOS: a per-user LaunchAgent, loaded by launchd at the next login.
const launchLabel = "se.shareguard.agent"

func (a *Autostart) path() (string, error) {
	home := a.getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", fmt.Errorf("start at login: %w", err)
		}
	}
	return filepath.Join(home, "Library", "LaunchAgents", launchLabel+".plist"), nil
}

func (a *Autostart) Where() string {
	p, err := a.path()
	if err != nil {
		return err.Error()
	}
	return p
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (a *Autostart) plist() string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key><string>` + launchLabel + `</string>
	<key>ProgramArguments</key>
	<array><string>` + xmlText(a.exe) + `</string><string>run</string></array>
	<key>RunAtLoad</key><true/>
	<key>LimitLoadToSessionType</key><string>Aqua</string>
</dict>
</plist>
`
}

// managed: a LaunchAgent in /Library starts the agent for every user.
func (a *Autostart) managed() bool {
	_, err := os.Stat(filepath.Join("/Library/LaunchAgents", launchLabel+".plist"))
	return err == nil
}

func (a *Autostart) userSet(on bool) error {
	p, err := a.path()
	if err != nil {
		return err
	}
	return setLoginFile(p, on, []byte(a.plist()), 0o755)
}

func (a *Autostart) userEnabled() (bool, error) {
	p, err := a.path()
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("start at login: %w", err)
	}
	return true, nil
}

// removeOwn: the LaunchAgent under the guard's own label is the guard's.
func (a *Autostart) removeOwn() (bool, error) {
	on, err := a.userEnabled()
	if err != nil || !on {
		return false, err
	}
	return true, a.userSet(false)
}
