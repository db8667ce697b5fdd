package config

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

type result struct {
	cfg *Config
	err error
}

// startWatch runs watch until the test ends and returns its callbacks.
func startWatch(t *testing.T, user, policy string) <-chan result {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan result, 16)
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, user, policy, func(c *Config, err error) { got <- result{c, err} }, func() { close(ready) })
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("watch ended early: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("watch returned %v", err)
		}
	})
	return got
}

func next(t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no callback within 5s")
		return result{}
	}
}

// quiet asserts that nothing is reported for a while (longer than the
// debounce), i.e. that an event was ignored.
func quiet(t *testing.T, ch <-chan result, what string) {
	t.Helper()
	select {
	case r := <-ch:
		t.Fatalf("%s: unexpected callback %+v", what, r)
	case <-time.After(4 * watchDebounce):
	}
}

func TestWatch(t *testing.T) {
	dir := t.TempDir()
	// The user's directory does not exist yet: its parent is watched.
	userDir := filepath.Join(dir, "home", "config", "shareguard")
	user := filepath.Join(userDir, "config.toml")
	policy := filepath.Join(dir, "etc", "shareguard", "policy.toml")
	if err := os.MkdirAll(filepath.Join(dir, "home"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, policy, "allow_pause = false\n")
	ch := startWatch(t, user, policy)

	// A good edit in a directory created after the watch started.
	write(t, user, "mode = \"warn\"\n")
	r := next(t, ch)
	if r.err != nil || r.cfg.Mode != ModeWarn || r.cfg.AllowPause {
		t.Fatalf("good edit: %+v", r)
	}

	// Garbage: an error callback with the position, and nothing else.
	write(t, user, "mode = \"warn\"\nenabled = maybe\n")
	r = next(t, ch)
	if r.cfg != nil || r.err == nil || !strings.HasPrefix(r.err.Error(), user+":2:") {
		t.Fatalf("garbage: %+v", r)
	}
	quiet(t, ch, "after garbage")

	// Editor-style save: write a temporary file, rename it over.
	tmp := filepath.Join(userDir, ".config.toml.swp")
	write(t, tmp, "mode = \"warn\"\nlanguage = \"sv\"\n")
	if err := os.Rename(tmp, user); err != nil {
		t.Fatal(err)
	}
	r = next(t, ch)
	if r.err != nil || r.cfg.Language != "sv" || r.cfg.Mode != ModeWarn {
		t.Fatalf("rename-replace: %+v", r)
	}

	// Other files in the watched directories are ignored, and so is a
	// rewrite that changes nothing.
	write(t, filepath.Join(userDir, "notes.txt"), "x")
	write(t, filepath.Join(filepath.Dir(policy), "other.toml"), "mode = 1")
	quiet(t, ch, "unrelated files")
	write(t, user, "mode = \"warn\"\nlanguage = \"sv\"\n")
	quiet(t, ch, "identical rewrite")

	// The policy is watched too, and wins.
	write(t, policy, "mode = \"block\"\n")
	r = next(t, ch)
	if r.err != nil || r.cfg.Mode != ModeBlock || !r.cfg.AllowPause || len(r.cfg.Notes) != 1 {
		t.Fatalf("policy edit: %+v", r)
	}

	// Removing the user file: back to defaults + policy.
	if err := os.Remove(user); err != nil {
		t.Fatal(err)
	}
	r = next(t, ch)
	if r.err != nil || r.cfg.Language != "" || len(r.cfg.Sources) != 2 {
		t.Fatalf("user file removed: %+v", r)
	}

	// The whole user directory removed and recreated: still watched.
	// Windows refuses to delete a directory someone watches (the open
	// change-notification handle), so there a user cannot do this.
	if runtime.GOOS == "windows" {
		return
	}
	if err := os.RemoveAll(filepath.Join(dir, "home", "config")); err != nil {
		t.Fatal(err)
	}
	quiet(t, ch, "directory removed (no config change)")
	write(t, user, "language = \"en\"\n")
	r = next(t, ch)
	if r.err != nil || r.cfg.Language != "en" {
		t.Fatalf("recreated directory: %+v", r)
	}
}

func TestWatchStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	dir := t.TempDir()
	go func() {
		done <- Watch(ctx, filepath.Join(dir, "u.toml"), filepath.Join(dir, "p.toml"), func(*Config, error) {}, nil)
	}()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not return after cancel")
	}
}
