package tray

import (
	"fmt"
	"io"
)

// Host runs the tray icon process (`shareguard tray-host`): it shows the
// views read from in and writes clicks to out, until in ends. Call it on
// the main goroutine: systray locks it to the main OS thread in its init,
// and its loop must stay on one locked thread (macOS requires the main
// one; Windows menus stop appearing otherwise). It returns the exit code.
func Host(in io.Reader, out, errw io.Writer) int {
	if !hostAvailable {
		fmt.Fprintf(errw, "shareguard tray-host: %s\n", hostMissing)
		return 1
	}
	return runHost(in, out, errw)
}
