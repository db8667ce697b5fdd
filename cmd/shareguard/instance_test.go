//go:build unix

package main

import (
	"testing"

	"github.com/shareguard/shareguard/platform/osenv"
)

func TestSecondRunSaysSoAndExitsZero(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", dir)
	l, err := osenv.AcquireInstance(func(k string) string {
		if k == "XDG_RUNTIME_DIR" {
			return dir
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	code, _, stderr := run(t, "", "run", "--no-tray")
	if code != exitOK || stderr != "shareguard is already running\n" {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
}
