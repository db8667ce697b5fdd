//go:build !windows && !darwin

package osenv

import (
	"testing"
)

func TestPathsXDG(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/tmp/xdg-state")
	if d, err := StateDir(); err != nil || d != "/tmp/xdg-state/shareguard" {
		t.Errorf("StateDir = %q, %v", d, err)
	}
	t.Setenv("XDG_STATE_HOME", "relative/is/ignored")
	t.Setenv("HOME", "/tmp/home-test")
	if d, err := StateDir(); err != nil || d != "/tmp/home-test/.local/state/shareguard" {
		t.Errorf("StateDir = %q, %v", d, err)
	}
	if p := PolicyPath(); p != "/etc/shareguard/policy.toml" {
		t.Errorf("PolicyPath = %q", p)
	}
}

func TestLocaleFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"LANG": "sv_SE.UTF-8"}, "sv_SE.UTF-8"},
		{map[string]string{"LC_ALL": "sv_FI.UTF-8", "LANG": "en_US.UTF-8"}, "sv_FI.UTF-8"},
		{map[string]string{"LC_MESSAGES": "de_DE.UTF-8", "LANG": "sv_SE.UTF-8"}, "de_DE.UTF-8"},
		{map[string]string{"LANGUAGE": "en"}, "en"},
	} {
		if got := Locale(env(c.env)); got != c.want {
			t.Errorf("Locale(%v) = %q, want %q", c.env, got, c.want)
		}
	}
}
