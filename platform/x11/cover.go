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

// fadeOutLinger is how long a cover stays after its frame was unmapped or
// destroyed while a compositor runs: a fading compositor goes on drawing
// the frame, fading out, where it was. picom takes about 0.35 s with its
// defaults (0.03 of opacity every 10 ms); this leaves room for slower
// settings.
const fadeOutLinger = time.Second

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
		return frame.Union(cs.icon)
	}
	return frame.Union(platform.Rect{X: frame.X, Y: frame.Y, W: frame.W, H: max(cs.bottom-frame.Y, frame.H)})
}

// Under a compositor a newly mapped window fades in. picom 9.1 (-f) starts
// every mapped window at opacity 0; only the user's settings (fade-exclude,
// wintypes, no-fading-openclose) or its D-Bus API exempt one, no window
// property does (_NET_WM_WINDOW_OPACITY only sets where the fade ends). A
// window already mapped is not faded again when it moves. So while a
// compositor runs, spareCovers covers wait mapped off the screen, where
// they fade in unseen, and a cover is one of them moved over the frame.
const spareCovers = 2

// parked is where spare covers wait: left of and above the screen.
var parked = platform.Rect{X: -16, Y: -16, W: 1, H: 1}

// cover puts a plain override-redirect window over a frame's area and the
// way an iconify animation will take it, above everything, unless one is
// there already. It is sent, not waited for: the server handles it before
// anything we send later, so a capture after it sees the cover (under a
// compositor, see blacken). While it is up the watcher keeps it over the
// frame and on top (see followCover), and removes it when the frame is
// unmapped or destroyed.
// It returns the cover's id (0 when none could be made).
func (c *conn) cover(client, frame xproto.Window, r platform.Rect) xproto.Window {
	icon, _, bottom := c.m.iconTarget(client)
	cs := &coverState{frame: r, icon: icon, bottom: bottom}
	cs.area = cs.path(r)
	return c.coverWith(frame, cs)
}

// coverWith puts cs's cover up over frame (see cover), unless one is there.
func (c *conn) coverWith(frame xproto.Window, cs *coverState) xproto.Window {
	old, area, overlay := c.m.useSpare(frame, cs)
	if old != 0 {
		return old
	}
	if cs.id != 0 {
		c.place(cs.id, area)
		c.blacken(overlay, area)
		c.addSpares()
		return cs.id
	}
	id, err := xproto.NewWindowId(c.x)
	if err != nil {
		return 0
	}
	if old, area = c.m.addCover(frame, cs, id); old != 0 {
		return old
	}
	c.createCover(id, area)
	c.blacken(overlay, area)
	return id
}

// createCover makes and maps a black override-redirect window at a. Fully
// opaque is said outright: a compositor may otherwise draw windows it
// thinks unfocused (as ours always are) translucent.
func (c *conn) createCover(id xproto.Window, a platform.Rect) {
	scr := xproto.Setup(c.x).DefaultScreen(c.x)
	xproto.CreateWindow(c.x, 0, id, c.root, int16(a.X), int16(a.Y), uint16(max(a.W, 1)), uint16(max(a.H, 1)), 0,
		xproto.WindowClassInputOutput, 0, xproto.CwBackPixel|xproto.CwOverrideRedirect,
		[]uint32{scr.BlackPixel, 1})
	opaque := []byte{0xff, 0xff, 0xff, 0xff}
	xproto.ChangeProperty(c.x, xproto.PropModeReplace, id, c.a.opacity, xproto.AtomCardinal, 32, 1, opaque)
	xproto.MapWindow(c.x, id)
}

// place moves a cover to a and raises it.
func (c *conn) place(id xproto.Window, a platform.Rect) {
	mask := uint16(xproto.ConfigWindowX | xproto.ConfigWindowY | xproto.ConfigWindowWidth |
		xproto.ConfigWindowHeight | xproto.ConfigWindowStackMode)
	xproto.ConfigureWindow(c.x, id, mask, []uint32{uint32(int32(a.X)), uint32(int32(a.Y)),
		uint32(max(a.W, 1)), uint32(max(a.H, 1)), xproto.StackModeAbove})
}

// blacken paints a black in the compositor's overlay window (0: none
// known). The compositor draws our cover only when it next paints, 10-20 ms
// on here under load; what we paint into the overlay is on the screen from
// the next request the server handles, until the compositor paints that
// place again. That is with the cover, unless the compositor was already
// painting there (the window's content changed, a fade ran) before it saw
// the cover move: then the window shows again for one of its frames.
func (c *conn) blacken(overlay xproto.Window, a platform.Rect) {
	if overlay == 0 {
		return
	}
	xproto.PolyFillRectangle(c.x, xproto.Drawable(overlay), c.black, []xproto.Rectangle{{
		X: int16(a.X), Y: int16(a.Y), Width: uint16(max(a.W, 1)), Height: uint16(max(a.H, 1)),
	}})
}

// addSpares maps covers off the screen until spareCovers wait there, while
// a compositor runs. A spare is listed only once it is made, so cover never
// moves a window the server does not know yet.
func (c *conn) addSpares() {
	for range c.m.sparesWanted() {
		id, err := xproto.NewWindowId(c.x)
		if err != nil {
			return
		}
		c.m.addOwn(id)
		c.createCover(id, parked)
		c.m.addSpare(id)
	}
}

// frameGone takes the cover off a frame that is no longer on the screen:
// at once, or, under a compositor, after fadeOutLinger. The frame has no
// cover from now on either way; one put over it again is a new one.
func (c *conn) frameGone(frame xproto.Window) {
	id, composited := c.m.dropCover(frame)
	switch {
	case id == 0:
	case composited:
		time.AfterFunc(fadeOutLinger, func() { xproto.DestroyWindow(c.x, id) })
	default:
		xproto.DestroyWindow(c.x, id)
	}
}

// uncover removes the cover over frame, if any.
func (c *conn) uncover(frame xproto.Window) { c.uncoverIf(frame, 0) }

// uncoverIf removes the cover over frame if it is cover id (any when 0): a
// late timer of an earlier Minimize must not take a newer cover away.
func (c *conn) uncoverIf(frame, id xproto.Window) {
	if cover := c.m.dropCoverIf(frame, id); cover != 0 {
		xproto.DestroyWindow(c.x, cover)
	}
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
	if id, area := c.m.moveCover(frame, r, shown); id != 0 {
		c.place(id, area)
	}
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
	if id := c.m.coverOf(frame); id != 0 {
		xproto.ConfigureWindow(c.x, id, xproto.ConfigWindowStackMode, []uint32{xproto.StackModeAbove})
	}
}
