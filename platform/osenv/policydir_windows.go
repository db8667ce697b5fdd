//go:build windows

package osenv

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// PolicyFolderSDDL is the security the installer gives
// %ProgramData%\shareguard: owned by Administrators; SYSTEM and
// Administrators full control, Users read and list; protected (P), so
// %ProgramData%'s inherited "Users may add files" does not reach it. Files
// IT puts there inherit the same entries (OICI), so a policy.toml copied in
// by an administrator or SYSTEM passes CheckPolicyTrust as it is.
// 0x1200a9 = FILE_GENERIC_READ|FILE_GENERIC_EXECUTE (read, list, traverse).
const PolicyFolderSDDL = "O:BAG:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"

// SecurePolicyFolder creates the machine policy's folder when missing and
// sets PolicyFolderSDDL on it (owner and a protected DACL, replacing what
// it inherited). It needs an administrator or SYSTEM: the MSI runs it as
// a deferred, non-impersonated custom action. It returns the folder.
func SecurePolicyFolder() (string, error) {
	dir := filepath.Dir(PolicyPath())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("policy folder: %w", err)
	}
	sd, err := windows.SecurityDescriptorFromString(PolicyFolderSDDL)
	if err != nil {
		return "", fmt.Errorf("policy folder: SDDL: %w", err)
	}
	owner, _, err := sd.Owner()
	if err != nil {
		return "", fmt.Errorf("policy folder: owner: %w", err)
	}
	group, _, err := sd.Group()
	if err != nil {
		return "", fmt.Errorf("policy folder: group: %w", err)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return "", fmt.Errorf("policy folder: DACL: %w", err)
	}
	// Setting the owner to Administrators needs membership (SE_GROUP_OWNER)
	// or SeRestorePrivilege; SYSTEM and elevated administrators have it.
	err = windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.GROUP_SECURITY_INFORMATION|
			windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION,
		owner, group, dacl, nil)
	if err != nil {
		return "", fmt.Errorf("policy folder %s: set security: %w", dir, err)
	}
	return dir, nil
}
