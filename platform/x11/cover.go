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

// coverState is one cover: the last place of the frame it hides, where
// an iconify animation will take the frame, and what it covers now.
type coverState struct {
	id     xproto.Window
	frame  platform.Rect
	icon   platform.Rect // the animation's end; empty: straight down
	bottom int           // the screen's bottom edge, for straight down
	area   platform.Rect
}

// path is the frame and the way an iconify animation takes it: towards the
// icon the window manager was given, or straight down.
func (cs *coverState) path(frame platform.Rect) platform.Rect {
	if !cs.icon.Empty() {
		return bbox(frame, cs.icon)
	}
	return bbox(frame, platform.Rect{X: frame.X, Y: frame.Y, W: frame.W, H: max(cs.bottom-frame.Y, frame.H)})
}

// cover maps a plain override-redirect window over a frame's area and the
// way an iconify animation will take it, above everything, unless one is
// there already. It is sent, not waited for: the server handles it before
// anything we send later, so a capture after it sees the cover. While it is
// up the watcher keeps it over the frame and on top (see followCover), and
// removes it when the frame is unmapped or destroyed.
// It returns the cover's id (0 when none could be made).
func (c *conn) cover(client, frame xproto.Window, r platform.Rect) xproto.Window {
	icon, _, bottom := c.m.iconTarget(client)
	id, err := xproto.NewWindowId(c.x)
	if err != nil {
		return 0
	}
	c.m.mu.Lock()
	if cs := c.m.covers[frame]; cs != nil {
		c.m.mu.Unlock()
		return cs.id
	}
	cs := &coverState{id: id, frame: r, icon: icon, bottom: bottom}
	cs.area = cs.path(r)
	c.m.covers[frame] = cs
	c.m.own[id] = true
	a := cs.area
	c.m.mu.Unlock()
	scr := xproto.Setup(c.x).DefaultScreen(c.x)
	xproto.CreateWindow(c.x, 0, id, c.root, int16(a.X), int16(a.Y), uint16(max(a.W, 1)), uint16(max(a.H, 1)), 0,
		xproto.WindowClassInputOutput, 0, xproto.CwBackPixel|xproto.CwOverrideRedirect,
		[]uint32{scr.BlackPixel, 1})
	xproto.MapWindow(c.x, id)
	return id
}

// uncover removes the cover over frame, if any.
func (c *conn) uncover(frame xproto.Window) { c.uncoverIf(frame, 0) }

// uncoverIf removes the cover over frame if it is cover id (any when 0): a
// late timer of an earlier Minimize must not take a newer cover away.
func (c *conn) uncoverIf(frame, id xproto.Window) {
	c.m.mu.Lock()
	cs := c.m.covers[frame]
	if cs == nil || (id != 0 && cs.id != id) {
		c.m.mu.Unlock()
		return
	}
	delete(c.m.covers, frame)
	c.m.mu.Unlock()
	xproto.DestroyWindow(c.x, cs.id)
}

// followCover keeps a frame's cover over it and on top after the frame was
// moved, resized or restacked. A window manager places a new frame after
// first configuring it: until the frame is shown the cover follows it
// exactly (with the animation's way from there). Once shown the cover only
// grows: an iconify animation moves the shrinking frame in steps, each
// reaching us after the server has drawn it, so beyond the expected way the
// cover also reaches two steps ahead of the last one.
func (c *conn) followCover(frame xproto.Window, x, y, w, h, bw int, shown bool) {
	r := platform.Rect{X: x, Y: y, W: w + 2*bw, H: h + 2*bw}
	c.m.mu.Lock()
	cs := c.m.covers[frame]
	var area platform.Rect
	if cs != nil {
		if shown {
			cs.area = bbox(cs.area, ahead(cs.frame, r))
		} else {
			cs.area = cs.path(r)
		}
		cs.frame = r
		area = cs.area
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

// bbox is the smallest rectangle holding a and b.
func bbox(a, b platform.Rect) platform.Rect {
	if a.Empty() {
		return b
	}
	if b.Empty() {
		return a
	}
	x0, y0 := min(a.X, b.X), min(a.Y, b.Y)
	x1, y1 := max(a.X+a.W, b.X+b.W), max(a.Y+a.H, b.Y+b.H)
	return platform.Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
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
