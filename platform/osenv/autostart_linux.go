package osenv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Linux (and other XDG desktops): $XDG_CONFIG_HOME/autostart/shareguard.desktop,
// per the XDG Autostart specification.

func (a *Autostart) path() (string, error) {
	dir := a.getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) {
		home := a.getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return "", fmt.Errorf("start at login: %w", err)
			}
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", "shareguard.desktop"), nil
}

func (a *Autostart) Where() string {
	p, err := a.path()
	if err != nil {
		return err.Error()
	}
	return p
}

// desktopEntry is the autostart file; Exec runs the agent with its tray.
func (a *Autostart) desktopEntry() string {
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=shareguard\n" +
		ownMarker + "\n" +
		"Exec=" + execQuote(a.exe) + " run\n" +
		"Terminal=false\n" +
		"NoDisplay=true\n" +
		"X-GNOME-Autostart-enabled=true\n"
}

// execQuote quotes a path for an Exec key (Desktop Entry spec, "The Exec
// key"): inside double quotes, `"`, "`", `$` and `\` are escaped with a
// backslash, and the whole key is a string value, whose own escape rule
// doubles each backslash again.
func execQuote(p string) string {
	if !strings.ContainsAny(p, " \t\n\"'\\><~|&;$*?#()`%=") {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range p {
		switch r {
		case '"', '`', '$', '\\':
			b.WriteString(`\\`) // the quoting backslash, string-escaped
			if r == '\\' {
				b.WriteString(`\\`)
				continue
			}
		case '%':
			b.WriteString("%%") // field codes
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

func (a *Autostart) userSet(on bool) error {
	p, err := a.path()
	if err != nil {
		return err
	}
	return setLoginFile(p, on, []byte(a.desktopEntry()), 0o700)
}

// managed: a system autostart entry (the .deb and .rpm install one in
// /etc/xdg/autostart) starts the agent for every user.
func (a *Autostart) managed() bool {
	dirs := a.getenv("XDG_CONFIG_DIRS")
	if dirs == "" {
		dirs = "/etc/xdg"
	}
	for _, d := range filepath.SplitList(dirs) {
		if !filepath.IsAbs(d) {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "autostart", "shareguard.desktop")); err == nil {
			return true
		}
	}
	return false
}

// userEnabled: the user's file exists and is not switched off
// (Hidden=true, or GNOME's X-GNOME-Autostart-enabled=false, which session
// settings write).
func (a *Autostart) userEnabled() (bool, error) {
	_, data, err := a.userFile()
	if data == nil || err != nil {
		return false, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if (k == "Hidden" && v == "true") || (k == "X-GNOME-Autostart-enabled" && v == "false") {
			return false, nil
		}
	}
	return true, nil
}

// ownMarker is a line only the guard's own desktopEntry has: a file the
// user wrote by hand under the same name is left alone.
const ownMarker = "Comment=Guards screen shares against showing classified data"

func (a *Autostart) removeOwn() (bool, error) {
	p, data, err := a.userFile()
	if data == nil || err != nil {
		return false, err
	}
	if !bytes.Contains(data, []byte("\n"+ownMarker+"\n")) {
		return false, nil
	}
	return true, setLoginFile(p, false, nil, 0)
}

// userFile returns the user's autostart file's path and contents; nil
// contents when there is no such file.
func (a *Autostart) userFile() (string, []byte, error) {
	p, err := a.path()
	if err != nil {
		return "", nil, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil, nil
	}
	if err != nil {
		return p, nil, fmt.Errorf("start at login: %w", err)
	}
	return p, data, nil
}
