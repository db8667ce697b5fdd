//go:build unix

package osenv

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
	first, err := AcquireInstance(env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := AcquireInstance(env); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("second acquire: %v, want ErrAlreadyRunning", err)
	}
	// Another session (another runtime dir) is independent.
	other := t.TempDir()
	l, err := AcquireInstance(func(k string) string {
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
	again, err := AcquireInstance(env)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
}
