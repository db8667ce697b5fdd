package main

import (
	"fmt"
	"io"

	"github.com/shareguard/shareguard/platform/osenv"
)

// cmdPolicyFolder is the MSI's hidden step (run as SYSTEM): create
// %ProgramData%\shareguard with the security the trust check accepts.
// Windows Installer's own LockPermissions cannot be written with wixl.
func cmdPolicyFolder(args []string, stdout, stderr io.Writer) int {
	if len(args) != 0 {
		fmt.Fprintf(stderr, "usage: shareguard %s\n", policyFolderCommand)
		return exitError
	}
	dir, err := osenv.SecurePolicyFolder()
	if err != nil {
		fmt.Fprintf(stderr, "shareguard %s: %v\n", policyFolderCommand, err)
		return exitError
	}
	fmt.Fprintf(stdout, "policy folder %s: owner Administrators, Users read only\n", dir)
	return exitOK
}
