//go:build windows

package osenv

import (
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// The installer's folder security passes the trust check, for the folder
// and for a policy.toml that inherits from it. Wine keeps no ACLs on disk,
// so this is checked on the descriptors; on Windows the file's descriptor
// is what the OICI entries give a new file (marked inherited, ID).
func TestPolicyFolderSDDLTrusted(t *testing.T) {
	self := selfSID(t)
	if err := checkDescriptor(`C:\ProgramData\shareguard`, sd(t, PolicyFolderSDDL), self, dirWriteRights); err != nil {
		t.Fatalf("folder refused: %v", err)
	}
	for _, owner := range []string{"BA", "SY"} { // an admin's copy, SYSTEM's (Intune)
		file := "O:" + owner + "D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)"
		if err := checkDescriptor(`C:\ProgramData\shareguard\policy.toml`, sd(t, file), self, writeRights); err != nil {
			t.Errorf("policy file owned by %s refused: %v", owner, err)
		}
	}
	// Protected: the stock %ProgramData% entries are not inherited.
	if !strings.Contains(PolicyFolderSDDL, "D:P(") {
		t.Errorf("folder DACL not protected: %s", PolicyFolderSDDL)
	}
	// The same SDDL with Users' entry widened to the stock 0x116 would not
	// pass for the file: the test is not vacuous.
	bad := strings.Replace(PolicyFolderSDDL, "0x1200a9", "0x1201bf", 1)
	if err := checkDescriptor(`C:\ProgramData\shareguard\policy.toml`, sd(t, bad), self, writeRights); err == nil {
		t.Errorf("Users with modify rights accepted: %s", bad)
	}
}

// SecurePolicyFolder creates the folder and sets the security without
// error (under Wine the call succeeds and keeps nothing, so only Windows
// can read the result back; the descriptor itself is tested above).
func TestSecurePolicyFolder(t *testing.T) {
	t.Setenv("ProgramData", t.TempDir())
	dir, err := SecurePolicyFolder()
	if err != nil && !windows.GetCurrentProcessToken().IsElevated() {
		t.Skipf("setting Administrators as owner needs an elevated process: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(dir, `\shareguard`) {
		t.Errorf("folder %s", dir)
	}
}
