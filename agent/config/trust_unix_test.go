//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shareguard/shareguard/platform/osenv"
)

// Load applies the policy trust check (its rules are tested in
// platform/osenv): a refused policy fails the load, a trusted one loads.
func TestLoadRefusesUserWritablePolicy(t *testing.T) {
	realTrust(t)
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.toml")
	if err := os.WriteFile(policy, []byte("mode = \"block\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if _, err := Load("", policy); err != nil {
			t.Fatalf("root-owned 0644 policy refused: %v", err)
		}
		os.Chown(policy, 1000, 1000)
	}
	if _, err := Load("", policy); err == nil || !strings.Contains(err.Error(), "not root") {
		t.Fatalf("user-owned policy accepted: %v", err)
	}
}

// realTrust puts the real ownership check back for one test.
func realTrust(t *testing.T) {
	saved := policyTrust
	policyTrust = osenv.CheckPolicyTrust
	t.Cleanup(func() { policyTrust = saved })
}
