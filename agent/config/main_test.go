package config

import (
	"os"
	"runtime"
	"testing"
)

// A test process that cannot create a file only an administrator could
// have written (non-root, or Windows without elevation) would have every
// policy file of the layering tests refused. Those tests are about
// layering; ownership has its own tests (trust_*_test.go), which restore
// the real check with realTrust.
func TestMain(m *testing.M) {
	if runtime.GOOS == "windows" || os.Geteuid() != 0 {
		policyTrust = func(string) error { return nil }
	}
	os.Exit(m.Run())
}
