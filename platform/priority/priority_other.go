//go:build !linux

package priority

import (
	"context"
	"runtime"

	"github.com/shareguard/shareguard/platform"
)

// Booster does nothing here: only Linux (RealtimeKit) is done so far.
type Booster struct{}

// Start logs that nothing changes.
func Start(ctx context.Context, o Options) *Booster {
	o.logger().Info("scheduling priority unchanged", "reason", why())
	return &Booster{}
}

// Close does nothing.
func (b *Booster) Close() {}

// Probe says that nothing would be raised.
func Probe(ctx context.Context, o Options) platform.Capability { return unavailable(why()) }

// LowerThread does nothing: content scanning is Linux only.
func LowerThread() {}

func why() string { return "not done on " + runtime.GOOS + " yet (Linux uses RealtimeKit)" }
