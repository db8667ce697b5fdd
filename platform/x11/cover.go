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

// coverState is one cover and the last place of the frame it hides.
type coverState struct {
	id    xproto.Window
	frame platform.Rect
}

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
	if c.m.covers[frame] != nil {
		c.m.mu.Unlock()
		return
	}
	c.m.covers[frame] = &coverState{id: id, frame: r}
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
	cs := c.m.covers[frame]
	delete(c.m.covers, frame)
	c.m.mu.Unlock()
	if cs != nil {
		xproto.DestroyWindow(c.x, cs.id)
	}
}

// followCover keeps a frame's cover over it and on top after the frame was
// moved, resized or restacked: a window manager raises and places a new
// frame after first configuring it, and animates an iconify by moving the
// shrinking frame in steps. Each step reaches us after the server has
// drawn it, so the cover reaches ahead: it spans the frame and where the
// frame will be after two more steps of the same size. Moves of a frame
// not shown yet (the window manager placing it) are followed exactly.
func (c *conn) followCover(frame xproto.Window, x, y, w, h, bw int, shown bool) {
	r := platform.Rect{X: x, Y: y, W: w + 2*bw, H: h + 2*bw}
	c.m.mu.Lock()
	cs := c.m.covers[frame]
	area := r
	if cs != nil {
		if shown {
			area = ahead(cs.frame, r)
		}
		cs.frame = r
	}
	c.m.mu.Unlock()
	if cs == nil {
		return
	}
	mask := uint16(xproto.ConfigWindowX | xproto.ConfigWindowY | xproto.ConfigWindowWidth |
		xproto.ConfigWindowHeight | xproto.ConfigWindowStackMode)
	xproto.ConfigureWindow(c.x, cs.id, mask, []uint32{uint32(int32(area.X)), uint32(int32(area.Y)),
		uint32(max(area.W, 1)), uint32(max(area.H, 1)), xproto.StackModeAbove})
}

// ahead is the smallest rectangle holding now and now moved on twice by
// the step from last to now.
func ahead(last, now platform.Rect) platform.Rect {
	dx, dy := now.X-last.X, now.Y-last.Y
	x0, y0 := now.X+min(0, 2*dx), now.Y+min(0, 2*dy)
	x1, y1 := now.X+now.W+max(0, 2*dx), now.Y+now.H+max(0, 2*dy)
	return platform.Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// raiseCover keeps a frame's cover on top after the frame was mapped.
func (c *conn) raiseCover(frame xproto.Window) {
	c.m.mu.Lock()
	cs := c.m.covers[frame]
	c.m.mu.Unlock()
	if cs != nil {
		xproto.ConfigureWindow(c.x, cs.id, xproto.ConfigWindowStackMode, []uint32{xproto.StackModeAbove})
	}
}
