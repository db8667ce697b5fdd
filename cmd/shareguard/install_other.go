//go:build !windows

package main

import (
	"fmt"
	"io"
	"runtime"
)

// cmdPolicyFolder exists for the Windows installer only; the .deb/.rpm
// create /etc/shareguard as root.
func cmdPolicyFolder(_ []string, _, stderr io.Writer) int {
	fmt.Fprintf(stderr, "shareguard %s: only for the Windows installer, not on %s\n", policyFolderCommand, runtime.GOOS)
	return exitError
}
