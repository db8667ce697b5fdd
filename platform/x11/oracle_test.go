//go:build linux

package x11

import (
	"errors"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// readAll reads the desktop straight from the server, the way snapshots
// were taken before the model: the oracle the model is checked against.
func (c *conn) readAll() (platform.Snapshot, error) {
	snap := platform.Snapshot{Time: time.Now()}
	stackCk := xproto.GetProperty(c.x, false, c.root, c.a.clientListStacking, xproto.AtomWindow, 0, 1<<16)
	activeCk := xproto.GetProperty(c.x, false, c.root, c.a.activeWindow, xproto.AtomWindow, 0, 1)
	treeCk := xproto.QueryTree(c.x, c.root)
	scrCk := c.requestScreens()
	stack, err := stackCk.Reply()
	if err != nil {
		return snap, err
	}
	clients := windowsOf(stack)
	if r, err := activeCk.Reply(); err == nil {
		if ws := windowsOf(r); len(ws) > 0 {
			snap.Active = platform.WindowID(ws[0])
		}
	}
	tree, err := treeCk.Reply()
	if err != nil {
		return snap, err
	}
	snap.Screens = c.screens(scrCk)

	isClient := map[xproto.Window]bool{}
	for _, w := range clients {
		isClient[w] = true
	}
	for _, w := range clients {
		win, err := c.readWindow(w)
		if errors.Is(err, errGone) {
			continue
		}
		if err != nil {
			return snap, err
		}
		snap.Windows = append(snap.Windows, win)
	}
	for _, w := range tree.Children {
		if isClient[w] {
			continue
		}
		attrs, err := xproto.GetWindowAttributes(c.x, w).Reply()
		if err != nil || !attrs.OverrideRedirect || attrs.MapState != xproto.MapStateViewable {
			continue
		}
		win, err := c.readWindow(w)
		if err == nil && win.Type == platform.TypeNotification {
			snap.Windows = append(snap.Windows, win)
		}
	}
	return snap, nil
}

func (c *conn) readWindow(id xproto.Window) (platform.Window, error) {
	k := c.requestProps(id)
	attrsCk := xproto.GetWindowAttributes(c.x, id)
	geomCk := xproto.GetGeometry(c.x, xproto.Drawable(id))
	originCk := xproto.TranslateCoordinates(c.x, id, c.root, 0, 0)
	p, perr := c.readProps(k)
	attrs, aerr := attrsCk.Reply()
	geom, gerr := geomCk.Reply()
	origin, oerr := originCk.Reply()
	if err := firstErr(perr, aerr, gerr, oerr); err != nil {
		return platform.Window{}, classify(err)
	}
	w := p.w
	w.ID = platform.WindowID(id)
	w.Minimized = p.iconic || p.hidden
	w.Visible = attrs.MapState == xproto.MapStateViewable
	w.Bounds = platform.Rect{X: int(origin.DstX), Y: int(origin.DstY), W: int(geom.Width), H: int(geom.Height)}
	return w, nil
}
