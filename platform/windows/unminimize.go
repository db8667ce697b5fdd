//go:build windows

package windows

import (
	"context"
	"fmt"
	"time"

	"github.com/shareguard/shareguard/platform"
)

// Unminimize restores a minimized window (ShowWindowAsync, for the reason
// given at Minimize) and confirms that it is no longer iconic. It restores
// without activating (SW_SHOWNOACTIVATE): the user gets the journal back
// but keeps typing where they were.
func (d *Desktop) Unminimize(ctx context.Context, id platform.WindowID) error {
	h := uintptr(id)
	if h == 0 || !isWindow(h) {
		return fmt.Errorf("windows: unminimize %#x: %w", id, ErrNoWindow)
	}
	if !isIconic(h) {
		return nil
	}
	procShowWindowAsync.Call(h, swShowNoActivate)
	timeout := time.NewTimer(d.opt.MinimizeTimeout)
	defer timeout.Stop()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for isIconic(h) && isWindow(h) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("windows: unminimize %#x: %w", id, ctx.Err())
		case <-timeout.C:
			return fmt.Errorf("windows: unminimize %#x: still minimized after %v", id, d.opt.MinimizeTimeout)
		case <-tick.C:
		}
	}
	return nil
}
