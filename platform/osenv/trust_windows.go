//go:build windows

package osenv

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Owners a machine policy may have: only administrators and the system can
// have written it.
var trustedOwners = map[string]string{
	"S-1-5-32-544": "Administrators",
	"S-1-5-18":     "SYSTEM",
	"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464": "TrustedInstaller",
}

// Principals an ordinary user belongs to: none of them may be allowed to
// change the policy file or its directory.
var userPrincipals = map[string]string{
	"S-1-1-0":      "Everyone",
	"S-1-5-11":     "Authenticated Users",
	"S-1-5-32-545": "Users",
	"S-1-5-4":      "INTERACTIVE",
}

// writeRights are the access bits that let a holder change, replace or
// delete the object or its security. FILE_DELETE_CHILD on the directory
// lets its holder delete the policy file whatever the file's own DACL says.
// FILE_ALL_ACCESS is covered by its DELETE, WRITE_DAC, ... bits; its
// SYNCHRONIZE and READ_CONTROL bits are also part of plain read access.
const writeRights = windows.FILE_WRITE_DATA | windows.FILE_APPEND_DATA |
	windows.WRITE_DAC | windows.WRITE_OWNER | windows.DELETE |
	windows.GENERIC_WRITE | windows.GENERIC_ALL | fileDeleteChild

const (
	fileDeleteChild = 0x40
	fileAllAccess   = 0x1F01FF // STANDARD_RIGHTS_REQUIRED|SYNCHRONIZE|0x1FF
)

// dirWriteRights are the rights on the policy's folder that let a holder
// remove, replace or re-permission the policy file: delete the folder or
// a child, change the folder's DACL or owner. Adding files and folders
// (FILE_ADD_FILE = FILE_WRITE_DATA, FILE_ADD_SUBDIRECTORY =
// FILE_APPEND_DATA on a folder) is allowed: %ProgramData% grants Users
// exactly that (A;CI;0x116;;;BU), and it cannot touch a file that exists
// and that an administrator owns. A user who creates policy.toml before
// IT does owns it, and the owner rule refuses it.
const dirWriteRights = windows.WRITE_DAC | windows.WRITE_OWNER | windows.DELETE |
	windows.GENERIC_ALL | fileDeleteChild

// CheckPolicyTrust refuses a machine policy that the user could have
// written: the file and its folder must be owned by Administrators,
// SYSTEM or TrustedInstaller; no allow entry in the file's DACL may give
// write-type rights, and none in the folder's may give delete, delete-
// child or permission rights (dirWriteRights), to Everyone, Authenticated
// Users, Users, INTERACTIVE or the user running the agent. Deny entries
// are not credited: the check is meant to be simple enough for an
// installer to satisfy on purpose.
func CheckPolicyTrust(path string) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("cannot resolve: %w", err)
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return fmt.Errorf("cannot resolve: %w", err)
	}
	self, err := currentUserSID()
	if err != nil {
		return err
	}
	if err := checkObjectTrust(real, self, writeRights); err != nil {
		return err
	}
	return checkObjectTrust(filepath.Dir(real), self, dirWriteRights)
}

func currentUserSID() (string, error) {
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", fmt.Errorf("cannot read the current user's SID: %w", err)
	}
	return tu.User.Sid.String(), nil
}

func checkObjectTrust(p, self string, rights uint32) error {
	sd, err := windows.GetNamedSecurityInfo(p, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("%s: cannot read security descriptor: %w", p, err)
	}
	return checkDescriptor(p, sd, self, rights)
}

// checkDescriptor applies the owner and DACL rules to one object's
// security descriptor; p only names it in errors.
func checkDescriptor(p string, sd *windows.SECURITY_DESCRIPTOR, self string, rights uint32) error {
	owner, _, err := sd.Owner()
	if err != nil || owner == nil {
		return fmt.Errorf("%s: security descriptor has no owner: a policy that a user can change is refused", p)
	}
	if _, ok := trustedOwners[owner.String()]; !ok {
		return fmt.Errorf("%s is owned by %s, not Administrators, SYSTEM or TrustedInstaller: a policy that a user can change is refused", p, sidName(owner))
	}
	return checkDescriptorDACL(p, sd, self, rights)
}

// checkDescriptorDACL refuses a missing or NULL DACL (both mean full
// access for everyone) and allow entries giving users write rights.
func checkDescriptorDACL(p string, sd *windows.SECURITY_DESCRIPTOR, self string, rights uint32) error {
	dacl, _, err := sd.DACL()
	if errors.Is(err, windows.ERROR_OBJECT_NOT_FOUND) || (err == nil && dacl == nil) {
		return fmt.Errorf("%s has no DACL (everyone may write it): a policy that a user can change is refused", p)
	}
	if err != nil {
		return fmt.Errorf("%s: cannot read DACL: %w", p, err)
	}
	return checkDACL(p, dacl, self, rights)
}

// checkDACL refuses an allow entry giving a user principal any of rights.
func checkDACL(p string, dacl *windows.ACL, self string, rights uint32) error {
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return fmt.Errorf("%s: cannot read DACL entry %d: %w", p, i, err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE {
			continue
		}
		// An inherit-only entry applies to children created later, not to
		// this object.
		if ace.Header.AceFlags&windows.INHERIT_ONLY_ACE != 0 {
			continue
		}
		if uint32(ace.Mask)&rights == 0 {
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		s := sid.String()
		who, ok := userPrincipals[s]
		if !ok && s == self {
			who, ok = "the current user ("+sidName(sid)+")", true
		}
		if ok {
			return fmt.Errorf("%s grants %s write access (%s): a policy that a user can change is refused", p, who, rightNames(uint32(ace.Mask)))
		}
	}
	return nil
}

// sidName is "DOMAIN\name (S-1-...)" when the account can be looked up.
func sidName(sid *windows.SID) string {
	s := sid.String()
	if name, dom, _, err := sid.LookupAccount(""); err == nil && name != "" {
		if dom != "" {
			name = dom + `\` + name
		}
		return name + " (" + s + ")"
	}
	return s
}

// rightNames names the write-type rights in m.
func rightNames(m uint32) string {
	var out []string
	for _, r := range []struct {
		bit  uint32
		name string
	}{
		{fileAllAccess, "FILE_ALL_ACCESS"},
		{windows.GENERIC_ALL, "GENERIC_ALL"},
		{windows.GENERIC_WRITE, "GENERIC_WRITE"},
		{windows.FILE_WRITE_DATA, "FILE_WRITE_DATA"},
		{windows.FILE_APPEND_DATA, "FILE_APPEND_DATA"},
		{windows.WRITE_DAC, "WRITE_DAC"},
		{windows.WRITE_OWNER, "WRITE_OWNER"},
		{windows.DELETE, "DELETE"},
		{fileDeleteChild, "FILE_DELETE_CHILD"},
	} {
		if m&r.bit == r.bit {
			out = append(out, r.name)
			m &^= r.bit
		}
	}
	return strings.Join(out, "|")
}
