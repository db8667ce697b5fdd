package config

import (
	"os"
	"runtime"
	"testing"
)

// The example policy shipped for this OS checks as a machine policy here
// (under Wine, the Windows one, with forward = "eventlog").
func TestShippedExamplePolicyChecks(t *testing.T) {
	name := "../../docs/policy.example.toml"
	if runtime.GOOS == "windows" {
		name = "../../docs/policy.windows.example.toml"
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(name, data, LayerPolicy); err != nil {
		t.Fatalf("%s does not check as a policy here: %v", name, err)
	}
}
