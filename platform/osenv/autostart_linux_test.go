package osenv

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testAutostart(t *testing.T, exe string) (*Autostart, string) {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(dir, "config"), "HOME": filepath.Join(dir, "home")}
	return &Autostart{exe: exe, getenv: func(k string) string { return env[k] }}, filepath.Join(dir, "config", "autostart", "shareguard.desktop")
}

func TestAutostartLinux(t *testing.T) {
	a, path := testAutostart(t, "/opt/shareguard/bin/shareguard")
	if on, err := a.Enabled(); on || err != nil {
		t.Fatalf("before: on=%v err=%v", on, err)
	}
	if a.Where() != path {
		t.Errorf("Where = %q, want %q", a.Where(), path)
	}
	if err := a.Set(true); err != nil {
		t.Fatal(err)
	}
	if on, err := a.Enabled(); !on || err != nil {
		t.Fatalf("after on: on=%v err=%v", on, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "Exec=/opt/shareguard/bin/shareguard run\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("desktop file lacks %q:\n%s", want, data)
		}
	}
	// Switched off by the desktop's session settings: counts as off.
	os.WriteFile(path, append(data, "Hidden=true\n"...), 0o644)
	if on, err := a.Enabled(); on || err != nil {
		t.Errorf("Hidden=true: on=%v err=%v", on, err)
	}
	if err := a.Set(false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("file still there after off: %v", err)
	}
	if err := a.Set(false); err != nil {
		t.Fatalf("off twice is not an error: %v", err)
	}
}

func TestAutostartFallsBackToHomeConfig(t *testing.T) {
	dir := t.TempDir()
	a := &Autostart{exe: "/x/shareguard", getenv: func(k string) string {
		if k == "HOME" {
			return dir
		}
		return "" // XDG_CONFIG_HOME unset
	}}
	if err := a.Set(true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".config", "autostart", "shareguard.desktop")); err != nil {
		t.Fatal(err)
	}
}

func TestExecQuote(t *testing.T) {
	cases := map[string]string{
		"/usr/bin/shareguard":            "/usr/bin/shareguard",
		"/home/a b/shareguard":           `"/home/a b/shareguard"`,
		`/home/x"y/sg`:                   `"/home/x\\"y/sg"`,
		`/home/$HOME/sg`:                 `"/home/\\$HOME/sg"`,
		`/home/back\slash/sg`:            `"/home/back\\\\slash/sg"`,
		"/home/100%/sg":                  `"/home/100%%/sg"`,
		"/home/Åsa Öberg/bin/shareguard": `"/home/Åsa Öberg/bin/shareguard"`,
	}
	for in, want := range cases {
		if got := execQuote(in); got != want {
			t.Errorf("execQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// The packages install /etc/xdg/autostart/shareguard.desktop: the machine
// starts the agent for everyone, and a user cannot switch it off.
func TestAutostartManagedBySystemEntry(t *testing.T) {
	a, path := testAutostart(t, "/usr/bin/shareguard")
	sys := t.TempDir()
	env := a.getenv
	a.getenv = func(k string) string {
		if k == "XDG_CONFIG_DIRS" {
			return "relative/ignored" + string(filepath.ListSeparator) + sys
		}
		return env(k)
	}
	if a.Managed() {
		t.Fatal("managed without a system entry")
	}
	os.MkdirAll(filepath.Join(sys, "autostart"), 0o755)
	os.WriteFile(filepath.Join(sys, "autostart", "shareguard.desktop"), []byte("[Desktop Entry]\n"), 0o644)
	if !a.Managed() {
		t.Fatal("system entry not seen")
	}
	if on, err := a.Enabled(); !on || err != nil {
		t.Errorf("Enabled = %v, %v under machine-wide autostart", on, err)
	}
	if err := a.Set(false); !errors.Is(err, ErrManaged) {
		t.Errorf("Set(false) = %v, want ErrManaged", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a user file was written: %v", err)
	}
}

// restore's part: the guard's own file goes, also under a managed
// (system-wide) autostart; a file the user wrote under the same name stays.
func TestAutostartRemoveOwnLinux(t *testing.T) {
	a, path := testAutostart(t, "/usr/bin/shareguard")
	if had, err := a.RemoveOwn(); had || err != nil {
		t.Fatalf("nothing there: had=%v err=%v", had, err)
	}
	if err := a.Set(true); err != nil {
		t.Fatal(err)
	}
	sys := t.TempDir()
	os.MkdirAll(filepath.Join(sys, "autostart"), 0o755)
	os.WriteFile(filepath.Join(sys, "autostart", "shareguard.desktop"), []byte("[Desktop Entry]\n"), 0o644)
	getenv := a.getenv
	a.getenv = func(k string) string {
		if k == "XDG_CONFIG_DIRS" {
			return sys
		}
		return getenv(k)
	}
	if !a.Managed() {
		t.Fatal("system entry not seen as managed")
	}
	if had, err := a.RemoveOwn(); !had || err != nil {
		t.Fatalf("own file: had=%v err=%v", had, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("own file still there: %v", err)
	}
	mine := []byte("[Desktop Entry]\nType=Application\nName=shareguard\nExec=/home/me/bin/shareguard run --no-tray\n")
	os.WriteFile(path, mine, 0o644)
	if had, err := a.RemoveOwn(); had || err != nil {
		t.Fatalf("user's file: had=%v err=%v", had, err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(mine) {
		t.Errorf("user's file changed: %q", got)
	}
}
