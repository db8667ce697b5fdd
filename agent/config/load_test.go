package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadLayers(t *testing.T) {
	dir := t.TempDir()
	user, policy := filepath.Join(dir, "user", "config.toml"), filepath.Join(dir, "etc", "policy.toml")

	// Missing files are absent layers.
	c, err := Load(user, policy)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) != 1 || c.Mode != ModeBlock {
		t.Errorf("missing files: %+v", c.Sources)
	}

	write(t, policy, "mode = \"block\"\n")
	write(t, user, "mode = \"warn\"\nlanguage = \"en\"\n")
	c, err = Load(user, policy)
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode != ModeBlock || c.Language != "en" || len(c.Notes) != 1 {
		t.Errorf("merged: mode %s language %q notes %q", c.Mode, c.Language, c.Notes)
	}
	want := []Source{{LayerDefault, ""}, {LayerPolicy, policy}, {LayerUser, user}}
	if len(c.Sources) != 3 || c.Sources[0] != want[0] || c.Sources[1] != want[1] || c.Sources[2] != want[2] {
		t.Errorf("sources %v", c.Sources)
	}

	// Errors from both files are reported together.
	write(t, policy, "mode = 1\n")
	write(t, user, "modes = \"warn\"\n")
	_, err = Load(user, policy)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("err = %v", err)
	}
	if got := err.Error(); got != policy+":1:8: mode: expected a string, found integer\n"+user+":1:1: unknown key \"modes\" (did you mean \"mode\"?)" {
		t.Errorf("err = %s", got)
	}
}
