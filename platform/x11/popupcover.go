//go:build linux

package x11

import (
	"context"
	"fmt"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// Cover hides a mapped window that cannot be minimized, a notification
// popup, under a cover of our own (see cover). Nothing animates a popup,
// so the cover spans the popup alone. The watcher removes it when the
// popup is unmapped, which do-not-disturb does to dunst's popups.
func (d *Desktop) Cover(ctx context.Context, id platform.WindowID) error {
	c, err := d.current()
	if err != nil {
		return fmt.Errorf("x11: cover %#x: %w", id, err)
	}
	w := xproto.Window(id)
	frame, r, shown := c.m.outer(w)
	if !shown {
		return nil // not on the screen: nothing to hide
	}
	if c.coverWith(frame, &coverState{frame: r, icon: r, area: r}) == 0 {
		return fmt.Errorf("x11: cover %#x: no window id", id)
	}
	return nil
}
