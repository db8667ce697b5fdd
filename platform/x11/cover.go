//go:build linux

package x11

import (
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// coverLinger bounds how long a cover stays after a successful minimize
// when the window manager never unmaps the frame.
const coverLinger = 2 * time.Second

// cover maps a plain override-redirect window over a frame's area, above
// everything, unless one is there already. It is sent, not waited for: the
// server handles it before anything we send later, so a capture after it
// sees the cover. While it is up the watcher moves it with the frame and
// keeps it on top (see followCover), and removes it when the frame is
// unmapped or destroyed.
func (c *conn) cover(frame xproto.Window, r platform.Rect) {
	id, err := xproto.NewWindowId(c.x)
	if err != nil {
		return
	}
	c.m.mu.Lock()
	if c.m.covers[frame] != 0 {
		c.m.mu.Unlock()
		return
	}
	c.m.covers[frame] = id
	c.m.own[id] = true
	c.m.mu.Unlock()
	scr := xproto.Setup(c.x).DefaultScreen(c.x)
	xproto.CreateWindow(c.x, 0, id, c.root, int16(r.X), int16(r.Y), uint16(max(r.W, 1)), uint16(max(r.H, 1)), 0,
		xproto.WindowClassInputOutput, 0, xproto.CwBackPixel|xproto.CwOverrideRedirect,
		[]uint32{scr.BlackPixel, 1})
	xproto.MapWindow(c.x, id)
}

// uncover removes the cover over frame, if any.
func (c *conn) uncover(frame xproto.Window) {
	c.m.mu.Lock()
	id := c.m.covers[frame]
	delete(c.m.covers, frame)
	c.m.mu.Unlock()
	if id != 0 {
		xproto.DestroyWindow(c.x, id)
	}
}

// followCover keeps a frame's cover over it and on top after the frame was
// mapped, moved, resized or restacked (a window manager raises a new
// frame, and may place it after it first configured it).
func (c *conn) followCover(frame xproto.Window, x, y, w, h, bw int) {
	c.m.mu.Lock()
	id := c.m.covers[frame]
	c.m.mu.Unlock()
	if id == 0 {
		return
	}
	mask := uint16(xproto.ConfigWindowX | xproto.ConfigWindowY | xproto.ConfigWindowWidth |
		xproto.ConfigWindowHeight | xproto.ConfigWindowStackMode)
	xproto.ConfigureWindow(c.x, id, mask, []uint32{uint32(int32(x)), uint32(int32(y)),
		uint32(max(w+2*bw, 1)), uint32(max(h+2*bw, 1)), xproto.StackModeAbove})
}

// raiseCover keeps a frame's cover on top after the frame was mapped.
func (c *conn) raiseCover(frame xproto.Window) {
	c.m.mu.Lock()
	id := c.m.covers[frame]
	c.m.mu.Unlock()
	if id != 0 {
		xproto.ConfigureWindow(c.x, id, xproto.ConfigWindowStackMode, []uint32{xproto.StackModeAbove})
	}
}
