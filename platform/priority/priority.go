// Package priority asks for a higher CPU scheduling priority for the
// guard's threads where the desktop allows it without privileges, so that
// covering a protected window still fits in one captured frame when the
// machine is busy; and it moves a background thread (content reading) down.
//
// On Linux the mechanism is RealtimeKit (org.freedesktop.RealtimeKit1 on
// the system bus), which desktops with PipeWire or PulseAudio run for their
// audio threads. Elsewhere, and where it is absent or refuses, nothing
// changes and Capability says why.
package priority

import (
	"log/slog"

	"github.com/shareguard/shareguard/platform"
)

// CapabilityName is the name `shareguard check` shows.
const CapabilityName = "priority"

// Levels is how many nice levels the guard's threads are raised, and how
// many a lowered thread is put below them.
const Levels = 10

// Options configures Start and Probe.
type Options struct {
	Logger *slog.Logger // nil = discard
	// BusAddress is the system D-Bus address; "" = $DBUS_SYSTEM_BUS_ADDRESS
	// or the standard socket. Tests point it at their own bus.
	BusAddress string
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger.With("component", "priority")
}

// unavailable is the capability when nothing was raised.
func unavailable(why string) platform.Capability {
	return platform.Capability{Name: CapabilityName, Detail: why + "; threads keep the normal priority"}
}
