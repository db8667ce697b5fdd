//go:build linux

package x11

import (
	"context"
	"fmt"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// How long Minimize waits for the window manager: first for the ICCCM
// request alone, then in total including the _NET_WM_STATE fallback.
const (
	iconicWait = 100 * time.Millisecond
	totalWait  = 250 * time.Millisecond
)

// Minimize asks the window manager to iconify the window (ICCCM
// WM_CHANGE_STATE IconicState, then _NET_WM_STATE_HIDDEN as a fallback) and
// returns nil only after the window's state, read back from the server, says
// it took effect.
//
// The window manager takes a while, more so while a capturer keeps the X
// server busy, so a shown window is first covered by a plain window of our
// own: from the next request the server handles, the capture sees the cover
// and not the window. The cover goes when the window's frame is unmapped.
func (d *Desktop) Minimize(ctx context.Context, id platform.WindowID) error {
	c, err := d.current()
	if err != nil {
		return fmt.Errorf("x11: minimize %#x: %w", id, err)
	}
	w := xproto.Window(id)
	wake := d.addWaiter(w)
	defer d.removeWaiter(w, wake)

	if ok, err := c.isIconic(w); err != nil {
		return fmt.Errorf("x11: minimize %#x: %w", id, err)
	} else if ok {
		return nil
	}
	frame, r, shown := c.m.outer(w)
	var cover xproto.Window
	if shown {
		cover = c.cover(w, frame, r)
	}
	ok := false
	defer func() {
		switch {
		case frame == 0 || cover == 0:
		case !ok:
			c.uncover(frame)
		case !c.m.mapped(frame):
			// Iconified before its frame was ever shown (it started
			// iconic, or on another workspace): nothing to hide.
			c.uncover(frame)
		default:
			// The window manager may still be animating the frame away:
			// the cover goes when the frame is unmapped (see the watcher),
			// or after coverLinger if it never is.
			time.AfterFunc(coverLinger, func() { c.uncoverIf(frame, cover) })
		}
	}()
	c.clientMessage(w, c.a.wmChangeState, wmStateIconic)
	start := time.Now()
	fallbackSent := false
	for {
		var err error
		ok, err = c.isIconic(w)
		if err != nil {
			return fmt.Errorf("x11: minimize %#x: %w", id, err)
		}
		if ok {
			return nil
		}
		elapsed := time.Since(start)
		if elapsed >= totalWait {
			return fmt.Errorf("x11: minimize %#x: window manager did not iconify it within %v", id, totalWait)
		}
		if !fallbackSent && elapsed >= iconicWait {
			fallbackSent = true
			// _NET_WM_STATE: action 1 = add.
			c.clientMessage(w, c.a.netWMState, 1, uint32(c.a.stateHidden), 0, 1)
		}
		// The fetcher wakes us when it has read the new state; the timer
		// is for the fallback and for windows the model does not follow.
		t := time.NewTimer(20 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("x11: minimize %#x: %w", id, ctx.Err())
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// isIconic says whether w is iconified: from the model when it follows w,
// else from the server, which also says whether w exists at all.
func (c *conn) isIconic(w xproto.Window) (bool, error) {
	if known, ok := c.m.state(w); known {
		return ok, nil
	}
	return c.iconic(w)
}

// iconic reads WM_STATE and _NET_WM_STATE back. A missing window is an error.
func (c *conn) iconic(w xproto.Window) (bool, error) {
	stCk := xproto.GetProperty(c.x, false, w, c.a.wmState, c.a.wmState, 0, 2)
	netCk := xproto.GetProperty(c.x, false, w, c.a.netWMState, xproto.AtomAtom, 0, 32)
	st, err := stCk.Reply()
	net, nerr := netCk.Reply()
	if err := firstErr(err, nerr); err != nil {
		return false, fmt.Errorf("read window state: %w", err)
	}
	if v, ok := cardinalOf(st); ok && v == wmStateIconic {
		return true, nil
	}
	for _, a := range atomsOf(net) {
		if a == c.a.stateHidden {
			// Hidden but WM_STATE not Iconic: only trust it when unmapped.
			attrs, err := xproto.GetWindowAttributes(c.x, w).Reply()
			return err == nil && attrs.MapState != xproto.MapStateViewable, nil
		}
	}
	return false, nil
}

// clientMessage sends a format-32 client message about w to the root window,
// where the window manager listens (ICCCM 4.1.4, EWMH). It is not waited
// for: errors come back as asynchronous protocol errors, and Minimize
// judges by the window's state.
func (c *conn) clientMessage(w xproto.Window, typ xproto.Atom, data ...uint32) {
	var d [5]uint32
	copy(d[:], data)
	ev := xproto.ClientMessageEvent{
		Format: 32,
		Window: w,
		Type:   typ,
		Data:   xproto.ClientMessageDataUnionData32New(d[:]),
	}
	mask := uint32(xproto.EventMaskSubstructureRedirect | xproto.EventMaskSubstructureNotify)
	xproto.SendEvent(c.x, false, c.root, mask, string(ev.Bytes()))
}
