//go:build unix

package main

import (
	"errors"
	"testing"
)

func TestOneInstancePerSession(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string {
		if k == "XDG_RUNTIME_DIR" {
			return dir
		}
		return ""
	}
	first, err := acquireInstance(env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acquireInstance(env); !errors.Is(err, errAlreadyRunning) {
		t.Fatalf("second acquire: %v, want errAlreadyRunning", err)
	}
	// Another session (another runtime dir) is independent.
	other := t.TempDir()
	l, err := acquireInstance(func(k string) string {
		if k == "XDG_RUNTIME_DIR" {
			return other
		}
		return ""
	})
	if err != nil {
		t.Fatalf("other session: %v", err)
	}
	l.Release()
	first.Release()
	again, err := acquireInstance(env)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
}

func TestSecondRunSaysSoAndExitsZero(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", dir)
	l, err := acquireInstance(func(k string) string {
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
