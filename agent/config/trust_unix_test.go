//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shareguard/shareguard/platform/osenv"
)

func TestLoadRefusesUserWritablePolicy(t *testing.T) {
	realTrust(t)
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.toml")
	if err := os.WriteFile(policy, []byte("mode = \"block\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		// Owned by this (non-root) user: exactly what must be refused.
		if _, err := Load("", policy); err == nil || !strings.Contains(err.Error(), "not root") {
			t.Fatalf("user-owned policy accepted: %v", err)
		}
		return
	}
	if _, err := Load("", policy); err != nil {
		t.Fatalf("root-owned 0644 policy refused: %v", err)
	}

	os.Chmod(policy, 0o666)
	if _, err := Load("", policy); err == nil || !strings.Contains(err.Error(), "writable by group or others") {
		t.Fatalf("world-writable policy: %v", err)
	}
	os.Chmod(policy, 0o644)

	os.Chown(policy, 1000, 1000)
	if _, err := Load("", policy); err == nil || !strings.Contains(err.Error(), "owned by uid 1000") {
		t.Fatalf("user-owned policy: %v", err)
	}
	os.Chown(policy, 0, 0)

	// A user-writable directory lets the user replace the file.
	os.Chmod(dir, 0o777)
	if _, err := Load("", policy); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("policy in a world-writable directory: %v", err)
	}
	os.Chmod(dir, 0o700)

	// A root-owned symlink to a user-owned file is still the user's file.
	other := t.TempDir()
	target := filepath.Join(other, "p.toml")
	os.WriteFile(target, []byte("mode = \"warn\"\n"), 0o644)
	os.Chown(target, 1000, 1000)
	link := filepath.Join(dir, "link.toml")
	os.Symlink(target, link)
	if _, err := Load("", link); err == nil || !strings.Contains(err.Error(), "owned by uid 1000") {
		t.Fatalf("symlink to a user-owned policy: %v", err)
	}
}

// realTrust puts the real ownership check back for one test.
func realTrust(t *testing.T) {
	saved := policyTrust
	policyTrust = osenv.CheckPolicyTrust
	t.Cleanup(func() { policyTrust = saved })
}
