//go:build linux

package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestLoadFileProblems(t *testing.T) {
	dir := t.TempDir()
	loop := filepath.Join(dir, "loop.toml")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.toml")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.toml")
	write(t, big, "# "+strings.Repeat("x", MaxFileSize))
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(big, "config.toml")

	tests := []struct {
		path string
		want string
	}{
		{dir, dir + ": is a directory, not a file"},
		{loop, loop + ": cannot read file: too many levels of symbolic links"},
		{dangling, dangling + ": symbolic link points to a missing file"},
		{big, big + ": file is larger than 1048576 bytes"},
		{fifo, fifo + ": not a regular file"},
		{notDir, notDir + ": cannot read file: not a directory"},
	}
	for _, tt := range tests {
		f, err := LoadFile(tt.path, LayerUser)
		if err == nil || err.Error() != tt.want || f != nil {
			t.Errorf("LoadFile(%s) = %v, %v; want %s", filepath.Base(tt.path), f, err, tt.want)
		}
		if _, err := Load(tt.path, ""); err == nil {
			t.Errorf("Load accepted %s", tt.path)
		}
	}
	if _, err := LoadFile(loop, LayerUser); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("ELOOP not wrapped: %v", err)
	}
}

func TestLoadUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read a mode-000 file")
	}
	p := filepath.Join(t.TempDir(), "config.toml")
	write(t, p, "mode = \"warn\"\n")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(p, LayerUser)
	if !errors.Is(err, fs.ErrPermission) || !strings.HasPrefix(err.Error(), p+": cannot read file: ") {
		t.Errorf("err = %v", err)
	}
}

func TestDefaultPathsLinux(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg-test")
	t.Setenv("HOME", "/tmp/home-test")
	p, err := DefaultUserPath()
	if err != nil || p != "/tmp/xdg-test/shareguard/config.toml" {
		t.Errorf("DefaultUserPath = %q, %v", p, err)
	}
}
