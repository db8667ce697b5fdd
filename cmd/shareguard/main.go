// Command shareguard guards screen shares: see README.md.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/shareguard/shareguard/agent/tray"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

// policyFolderCommand is hidden: the MSI runs it to create the policy
// folder with its security (install_windows.go).
const policyFolderCommand = "policy-folder"

// Exit codes scripts depend on.
const (
	exitOK       = 0
	exitError    = 1
	exitFindings = 3
)

const usage = `shareguard guards screen shares against showing classified data.

Usage:
  shareguard [run] [--no-tray] [--config PATH] [--policy PATH] [--audit PATH]
  shareguard check [--json] [--no-titles] [--config PATH] [--policy PATH]
  shareguard scan [--json] FILE...|-
  shareguard config check [--policy] [PATH|-]
  shareguard config show [--config PATH] [--policy PATH]
  shareguard config default
  shareguard autostart on|off|status
  shareguard restore
  shareguard version

Exit codes: 0 nothing found, 3 findings, 1 error.
`

func main() {
	if len(os.Args) > 1 && os.Args[1] != "run" && os.Args[1] != tray.HostCommand {
		attachConsole() // a CLI subcommand prints where it was started from
	}
	os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return cmdRun(nil, stderr)
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:], stderr)
	case "check":
		return cmdCheck(args[1:], stdout, stderr)
	case "scan":
		return cmdScan(args[1:], stdin, stdout, stderr)
	case "config":
		return cmdConfig(args[1:], stdin, stdout, stderr)
	case "autostart":
		return cmdAutostart(args[1:], stdout, stderr)
	case "restore":
		return cmdRestore(args[1:], stdout, stderr)
	case policyFolderCommand:
		return cmdPolicyFolder(args[1:], stdout, stderr)
	case tray.HostCommand: // hidden: the tray icon process `run` starts
		return tray.Host(stdin, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "shareguard %s (%s/%s)\n", version, runtime.GOOS, runtime.GOARCH)
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if len(args[0]) > 0 && args[0][0] == '-' {
		return cmdRun(args, stderr) // `shareguard --no-tray` is `run --no-tray`
	}
	fmt.Fprintf(stderr, "shareguard: unknown command %q\n\n%s", args[0], usage)
	return exitError
}
