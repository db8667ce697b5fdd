//go:build windows

package osenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// Two kinds of test. The descriptor tests feed security descriptors built
// from SDDL (by advapi32, on Windows or Wine) to the same check that
// CheckPolicyTrust applies to what GetNamedSecurityInfo returns: they cover
// every rule everywhere. The on-disk tests set a file's security with
// SetNamedSecurityInfo and run CheckPolicyTrust itself. Wine (8.0, checked
// in this repo's .ci/wine-test) does not keep a file's security: it
// answers SetNamedSecurityInfo with success, always reports the Unix user
// as owner, and derives the DACL from the Unix mode (SYSTEM and owner full,
// Everyone read, or Everyone write when "other" may write). So the on-disk
// tests check the full round trip on Windows and, under Wine, exactly that
// Wine behaviour; anything else fails.

func sd(t *testing.T, sddl string) *windows.SECURITY_DESCRIPTOR {
	t.Helper()
	d, err := windows.SecurityDescriptorFromString(sddl)
	if err != nil {
		t.Fatalf("SDDL %q: %v", sddl, err)
	}
	return d
}

func selfSID(t *testing.T) string {
	t.Helper()
	s, err := currentUserSID()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The way an installer should leave the policy and its directory: owned by
// Administrators, Administrators and SYSTEM full control, Users read.
const trustedSDDL = "O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)(A;;FR;;;BU)"

func TestTrustDescriptorAccepts(t *testing.T) {
	self := selfSID(t)
	for _, sddl := range []string{
		trustedSDDL,
		"O:SYD:P(A;;FA;;;SY)(A;;FRFX;;;WD)",
		"O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464D:(A;;FA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)(A;;FR;;;AU)",
		// An inherit-only entry applies to future children, not here.
		"O:BAD:(A;;FA;;;BA)(A;OICIIO;FA;;;BU)(A;;FR;;;BU)",
		// A deny entry does not make a grant to Users dangerous, but also
		// is not needed to pass; read for the current user is fine.
		"O:BAD:(A;;FR;;;" + self + ")(D;;FW;;;BU)",
	} {
		if err := checkDescriptor(`C:\p\policy.toml`, sd(t, sddl), self, writeRights); err != nil {
			t.Errorf("%s refused: %v", sddl, err)
		}
	}
}

func TestTrustDescriptorRefuses(t *testing.T) {
	self := selfSID(t)
	for _, c := range []struct{ sddl, want string }{
		{"O:BAD:P(A;;FA;;;BA)(A;;FRFW;;;BU)", "grants Users write access (FILE_WRITE_DATA|FILE_APPEND_DATA)"},
		{"O:BAD:P(A;;FA;;;BA)(A;;FA;;;AU)", "grants Authenticated Users write access (FILE_ALL_ACCESS)"},
		{"O:BAD:P(A;;GA;;;WD)", "grants Everyone write access (GENERIC_ALL)"},
		{"O:BAD:P(A;;GW;;;IU)", "grants INTERACTIVE write access (GENERIC_WRITE)"},
		{"O:BAD:P(A;;FA;;;BA)(A;;SD;;;" + self + ")", "grants the current user"},
		{"O:BAD:P(A;;WD;;;BU)", "(WRITE_DAC)"},
		{"O:BAD:P(A;;WO;;;BU)", "(WRITE_OWNER)"},
		{"O:BAD:P(A;;0x40;;;BU)", "(FILE_DELETE_CHILD)"},
		{"O:BAD:P(A;;0x4;;;BU)", "(FILE_APPEND_DATA)"},
		{"O:" + self + "D:P(A;;FA;;;BA)(A;;FR;;;BU)", "is owned by"},
		{"O:BUD:P(A;;FA;;;BA)", "is owned by"},
		{"O:BA", "has no DACL"},
	} {
		err := checkDescriptor(`C:\p\policy.toml`, sd(t, c.sddl), self, writeRights)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), `C:\p\policy.toml`) {
			t.Errorf("%s: got %v, want an error with %q", c.sddl, err, c.want)
		}
	}
	// A NULL DACL (present, no list) gives everyone full access.
	abs, err := windows.NewSecurityDescriptor()
	if err != nil {
		t.Fatal(err)
	}
	admins, err := windows.CreateWellKnownSid(windows.WinBuiltinAdministratorsSid)
	if err != nil {
		t.Fatal(err)
	}
	if err := abs.SetOwner(admins, false); err != nil {
		t.Fatal(err)
	}
	if err := abs.SetDACL(nil, true, false); err != nil {
		t.Fatal(err)
	}
	if err := checkDescriptor(`C:\p\policy.toml`, abs, self, writeRights); err == nil || !strings.Contains(err.Error(), "has no DACL") {
		t.Errorf("NULL DACL: got %v", err)
	}
}

func isWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// setSecurity gives p the owner and (protected) DACL of sddl and reports
// whether the system kept them.
func setSecurity(t *testing.T, p, sddl string) bool {
	t.Helper()
	want := sd(t, sddl)
	owner, _, _ := want.Owner()
	dacl, _, err := want.DACL()
	if err != nil {
		t.Fatal(err)
	}
	info := windows.SECURITY_INFORMATION(windows.OWNER_SECURITY_INFORMATION | windows.DACL_SECURITY_INFORMATION | windows.PROTECTED_DACL_SECURITY_INFORMATION)
	if err := windows.SetNamedSecurityInfo(p, windows.SE_FILE_OBJECT, info, owner, nil, dacl, nil); err != nil {
		t.Fatalf("SetNamedSecurityInfo(%s, %s): %v (setting the owner to Administrators needs an elevated token)", p, sddl, err)
	}
	got, err := windows.GetNamedSecurityInfo(p, windows.SE_FILE_OBJECT, windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatalf("GetNamedSecurityInfo(%s): %v", p, err)
	}
	gotOwner, _, _ := got.Owner()
	gotDACL, _, _ := got.DACL()
	kept := gotOwner != nil && gotOwner.Equals(owner) && gotDACL != nil && gotDACL.AceCount == dacl.AceCount
	if !kept && !isWine() {
		t.Fatalf("%s: set %s but read back %s", p, sddl, got)
	}
	t.Logf("%s: set %s, read back %s", p, sddl, got)
	return kept
}

// policyFile makes dir/policy.toml; cleanup gives the current user full
// control back so the temp dir can be removed.
func policyFile(t *testing.T) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "policy.toml")
	if err := os.WriteFile(file, []byte("[guard]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	self := selfSID(t)
	t.Cleanup(func() {
		restore := sd(t, "O:"+self+"D:(A;;FA;;;"+self+")(A;;FA;;;BA)")
		owner, _, _ := restore.Owner()
		dacl, _, _ := restore.DACL()
		for _, p := range []string{file, dir} {
			if err := windows.SetNamedSecurityInfo(p, windows.SE_FILE_OBJECT, windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION, owner, nil, dacl, nil); err != nil {
				t.Errorf("restore security of %s: %v", p, err)
			}
		}
	})
	return dir, file
}

// A file the test just created belongs to (or is writable by) the user.
func TestTrustRefusesFreshUserFile(t *testing.T) {
	_, file := policyFile(t)
	err := CheckPolicyTrust(file)
	if err == nil || !strings.Contains(err.Error(), "a policy that a user can change is refused") {
		t.Fatalf("user-created policy: got %v", err)
	}
	t.Log(err)
}

func TestTrustOnDisk(t *testing.T) {
	dir, file := policyFile(t)
	self := selfSID(t)
	keptDir := setSecurity(t, dir, trustedSDDL)
	kept := setSecurity(t, file, trustedSDDL)
	err := CheckPolicyTrust(file)
	if kept && keptDir {
		if err != nil {
			t.Fatalf("trusted policy refused: %v", err)
		}
		setSecurity(t, file, "O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)(A;;FRFW;;;BU)")
		if err := CheckPolicyTrust(file); err == nil || !strings.Contains(err.Error(), "grants Users write access") {
			t.Fatalf("Users-writable policy: got %v", err)
		}
		setSecurity(t, file, trustedSDDL)
		setSecurity(t, dir, "O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)(A;;FA;;;AU)")
		if err := CheckPolicyTrust(file); err == nil || !strings.Contains(err.Error(), "grants Authenticated Users write access") || strings.Contains(err.Error(), "policy.toml") {
			t.Fatalf("policy in an Authenticated-Users-writable directory: got %v", err)
		}
		return
	}
	// Wine: the owner stays the Unix user, so the policy is refused for
	// exactly that reason. Windows never gets here (setSecurity failed).
	if err == nil || !strings.Contains(err.Error(), "is owned by") || !strings.Contains(err.Error(), self) {
		t.Fatalf("Wine did not keep the owner, so the policy must be refused as user-owned; got %v", err)
	}
	t.Logf("Wine does not persist file owners/DACLs; acceptance of an Administrators-owned policy is checked only by TestTrustDescriptorAccepts: %v", err)
}

// A NULL DACL is refused: Windows keeps it (no DACL), Wine turns it into
// "other may write" and reports Everyone with write rights.
func TestTrustNullDACLOnDisk(t *testing.T) {
	_, file := policyFile(t)
	if err := windows.SetNamedSecurityInfo(file, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION, nil, nil, nil, nil); err != nil {
		t.Fatalf("set NULL DACL: %v", err)
	}
	got, err := windows.GetNamedSecurityInfo(file, windows.SE_FILE_OBJECT, windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("NULL DACL read back as %s", got)
	// No current-user SID: Wine lists the owner's full-control entry first,
	// and this test is about what the NULL DACL did for everyone else.
	err = checkDescriptorDACL(file, got, "", writeRights)
	want := "has no DACL"
	if isWine() {
		want = "grants Everyone write access"
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("NULL DACL: got %v, want %q", err, want)
	}
}

// What IT's own tools produce under %ProgramData% (its stock DACL,
// inherited by a folder GPO Files or Intune creates there, and by a file
// an administrator puts in it) is trusted: Users may add files to the
// folder but neither delete nor replace nor re-permission the policy. A
// folder that lets users delete children, or one a user owns, is not.
func TestTrustStockProgramData(t *testing.T) {
	self := selfSID(t)
	const (
		// %ProgramData% itself (Windows 10/11).
		programData = "O:SYG:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)(A;OICI;0x1200a9;;;BU)(A;CI;0x116;;;BU)"
		// A folder created in it by an administrator or SYSTEM (GPO Files).
		folder = "O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIIOID;GA;;;CO)(A;OICIID;0x1200a9;;;BU)(A;CIID;0x116;;;BU)"
		// policy.toml written there by an administrator.
		file = "O:BAG:SYD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)"
	)
	for _, c := range []struct{ sddl string }{{programData}, {folder}} {
		if err := checkDescriptor(`C:\ProgramData\shareguard`, sd(t, c.sddl), self, dirWriteRights); err != nil {
			t.Errorf("stock folder %s refused: %v", c.sddl, err)
		}
	}
	if err := checkDescriptor(`C:\ProgramData\shareguard\policy.toml`, sd(t, file), self, writeRights); err != nil {
		t.Errorf("stock file refused: %v", err)
	}
	for _, c := range []struct{ sddl, want string }{
		// A user created the folder first: they own it.
		{"O:" + self + "D:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;;FA;;;" + self + ")", "is owned by"},
		// Users may delete children: they could replace the policy.
		{"O:BAD:(A;OICI;FA;;;BA)(A;CI;0x116;;;BU)(A;;0x40;;;BU)", "grants Users write access (FILE_DELETE_CHILD)"},
		{"O:BAD:(A;OICI;FA;;;BA)(A;;0x10000;;;AU)", "grants Authenticated Users write access (DELETE)"},
		{"O:BAD:(A;OICI;FA;;;BA)(A;;WD;;;BU)", "(WRITE_DAC)"},
	} {
		err := checkDescriptor(`C:\ProgramData\shareguard`, sd(t, c.sddl), self, dirWriteRights)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("folder %s: got %v, want %q", c.sddl, err, c.want)
		}
	}
	// The same stock grant to Users on the *file* (0x116 = write data) is
	// refused: it would let users edit the policy.
	if err := checkDescriptor(`C:\ProgramData\shareguard\policy.toml`, sd(t, "O:BAD:(A;;FA;;;BA)(A;;0x116;;;BU)"), self, writeRights); err == nil {
		t.Error("a file users may write was trusted")
	}
}
