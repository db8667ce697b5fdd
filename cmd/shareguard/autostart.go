package main

import (
	"fmt"
	"io"

	"github.com/shareguard/shareguard/platform/osenv"
)

// loginStarter is what `shareguard autostart` drives (osenv.Autostart).
type loginStarter interface {
	Set(on bool) error
	Enabled() (bool, error)
	Where() string
}

func cmdAutostart(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: shareguard autostart on|off|status")
		return exitError
	}
	a, err := osenv.NewAutostart()
	if err != nil {
		fmt.Fprintf(stderr, "shareguard autostart: %v\n", err)
		return exitError
	}
	return autostartCommand(a, args[0], stdout, stderr)
}

func autostartCommand(a loginStarter, what string, stdout, stderr io.Writer) int {
	switch what {
	case "on", "off":
		if err := a.Set(what == "on"); err != nil {
			fmt.Fprintf(stderr, "shareguard autostart: %v\n", err)
			return exitError
		}
		fallthrough
	case "status":
		on, err := a.Enabled()
		if err != nil {
			fmt.Fprintf(stderr, "shareguard autostart: %v\n", err)
			return exitError
		}
		state := "off"
		if on {
			state = "on"
		}
		fmt.Fprintf(stdout, "start at login: %s (%s)\n", state, a.Where())
		return exitOK
	}
	fmt.Fprintf(stderr, "shareguard autostart: say on, off or status, not %q\n", what)
	return exitError
}
