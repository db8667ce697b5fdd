//go:build linux

package x11

import (
	"context"
	"fmt"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// Unminimize gives an iconified window back: mapping the client is how
// ICCCM (4.1.4) moves a window from Iconic to Normal, and unlike
// _NET_ACTIVE_WINDOW it asks for no focus. The window manager places it
// on top; restoring several bottom first keeps their stacking order.
// It returns nil once the window's state says it is no longer iconic.
func (d *Desktop) Unminimize(ctx context.Context, id platform.WindowID) error {
	c, err := d.current()
	if err != nil {
		return fmt.Errorf("x11: unminimize %#x: %w", id, err)
	}
	w := xproto.Window(id)
	wake := d.addWaiter(w)
	defer d.removeWaiter(w, wake)
	if ok, err := c.isIconic(w); err != nil || !ok {
		if err != nil {
			return fmt.Errorf("x11: unminimize %#x: %w", id, err)
		}
		return nil
	}
	xproto.MapWindow(c.x, w)
	deadline := time.NewTimer(totalWait)
	defer deadline.Stop()
	for {
		ok, err := c.isIconic(w)
		if err != nil {
			return fmt.Errorf("x11: unminimize %#x: %w", id, err)
		}
		if !ok {
			return nil
		}
		t := time.NewTimer(20 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("x11: unminimize %#x: %w", id, ctx.Err())
		case <-deadline.C:
			t.Stop()
			return fmt.Errorf("x11: unminimize %#x: window manager did not restore it within %v", id, totalWait)
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}
