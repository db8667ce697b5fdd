//go:build notray || !(windows || ((linux || darwin) && cgo))

package tray

import "io"

// This build has no tray: getlantern/systray needs cgo on Linux and macOS
// (GTK/AppKit), and `-tags notray` leaves it out on purpose.
const (
	hostAvailable = false
	hostMissing   = "this build has no tray icon (built without cgo or with -tags notray)"
)

func runHost(io.Reader, io.Writer, io.Writer) int { return 1 }
