package osenv

import "testing"

func TestPathsWindows(t *testing.T) {
	t.Setenv("ProgramData", `D:\PD`)
	if p := PolicyPath(); p != `D:\PD\shareguard\policy.toml` {
		t.Errorf("PolicyPath = %q", p)
	}
	t.Setenv("ProgramData", "")
	if p := PolicyPath(); p != `C:\ProgramData\shareguard\policy.toml` {
		t.Errorf("PolicyPath without ProgramData = %q", p)
	}
	t.Setenv("LocalAppData", `D:\Users\a\AppData\Local`)
	if d, err := StateDir(); err != nil || d != `D:\Users\a\AppData\Local\shareguard` {
		t.Errorf("StateDir = %q, %v", d, err)
	}
}
