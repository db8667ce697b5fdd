//go:build linux

package x11

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jezek/xgb/randr"
	"github.com/jezek/xgb/res"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/internal/ctext"
)

// Snapshot reads the managed windows (stacking order, bottom first), the
// currently mapped notification popups (on top), their processes and the
// screens. Requests are pipelined: a few round trips whatever the number of
// windows.
func (d *Desktop) Snapshot(ctx context.Context) (platform.Snapshot, error) {
	c, err := d.current()
	if err != nil {
		return platform.Snapshot{}, err
	}
	if err := ctx.Err(); err != nil {
		return platform.Snapshot{}, fmt.Errorf("x11: snapshot: %w", err)
	}
	// The X calls cannot be cancelled; a server grabbed by another client
	// would block them. Do not make the caller wait past its deadline.
	type result struct {
		snap platform.Snapshot
		err  error
	}
	done := make(chan result, 1)
	go func() {
		s, err := c.snapshot()
		done <- result{s, err}
	}()
	var snap platform.Snapshot
	select {
	case r := <-done:
		if r.err != nil {
			return platform.Snapshot{}, fmt.Errorf("x11: snapshot: %w", r.err)
		}
		snap = r.snap
	case <-ctx.Done():
		return platform.Snapshot{}, fmt.Errorf("x11: snapshot: %w", ctx.Err())
	}
	snap.Processes = d.procs.Lookup(ctx, pidsOf(snap.Windows))
	return snap, nil
}

func pidsOf(ws []platform.Window) []int {
	var pids []int
	for _, w := range ws {
		if w.PID > 0 && !slices.Contains(pids, w.PID) {
			pids = append(pids, w.PID)
		}
	}
	return pids
}

// windowCookies are the requests for one window, sent before any is read.
// With cached properties only attrs, geom and origin are requested.
type windowCookies struct {
	id                                             xproto.Window
	cached                                         *platform.Window
	cacheable                                      bool
	gen                                            uint64
	netName, name, class, pid, wtype, state, icccm xproto.GetPropertyCookie
	attrs                                          xproto.GetWindowAttributesCookie
	geom                                           xproto.GetGeometryCookie
	origin                                         xproto.TranslateCoordinatesCookie
}

const maxTitleLongs = 1024 // 4 KiB of title is plenty

func (c *conn) requestWindow(w xproto.Window) windowCookies {
	p, hit, cacheable, gen := c.cache.lookup(w)
	if hit {
		return windowCookies{
			id:     w,
			cached: &p,
			attrs:  xproto.GetWindowAttributes(c.x, w),
			geom:   xproto.GetGeometry(c.x, xproto.Drawable(w)),
			origin: xproto.TranslateCoordinates(c.x, w, c.root, 0, 0),
		}
	}
	k := c.requestAll(w)
	k.cacheable, k.gen = cacheable, gen
	return k
}

func (c *conn) requestAll(w xproto.Window) windowCookies {
	a := &c.a
	get := func(prop, typ xproto.Atom, longs uint32) xproto.GetPropertyCookie {
		return xproto.GetProperty(c.x, false, w, prop, typ, 0, longs)
	}
	return windowCookies{
		id:      w,
		netName: get(a.netWMName, a.utf8String, maxTitleLongs),
		name:    get(xproto.AtomWmName, xproto.GetPropertyTypeAny, maxTitleLongs),
		class:   get(xproto.AtomWmClass, xproto.AtomString, 256),
		pid:     get(a.netWMPID, xproto.AtomCardinal, 1),
		wtype:   get(a.netWMWindowType, xproto.AtomAtom, 32),
		state:   get(a.netWMState, xproto.AtomAtom, 32),
		icccm:   get(a.wmState, a.wmState, 2),
		attrs:   xproto.GetWindowAttributes(c.x, w),
		geom:    xproto.GetGeometry(c.x, xproto.Drawable(w)),
		origin:  xproto.TranslateCoordinates(c.x, w, c.root, 0, 0),
	}
}

// errGone marks a window that vanished between listing and reading.
var errGone = errors.New("window gone")

// readWindow collects the replies. A BadWindow (window destroyed meanwhile)
// gives errGone; a closed connection gives its error.
func (c *conn) readWindow(k windowCookies) (platform.Window, error) {
	w := platform.Window{ID: platform.WindowID(k.id)}
	attrs, err := k.attrs.Reply()
	if err != nil {
		// Drain the others so no reply is left waiting; their errors repeat this one.
		drain(k)
		return w, classify(err)
	}
	visible := attrs.MapState == xproto.MapStateViewable
	if k.cached != nil {
		w = *k.cached
	} else {
		c.readProps(k, &w)
		if k.cacheable {
			c.cache.store(k.id, k.gen, w)
		}
	}
	w.Visible = visible
	geom, gerr := k.geom.Reply()
	origin, oerr := k.origin.Reply()
	if gerr == nil && oerr == nil {
		w.Bounds = platform.Rect{X: int(origin.DstX), Y: int(origin.DstY), W: int(geom.Width), H: int(geom.Height)}
	} else if err := firstErr(gerr, oerr); err != nil {
		return w, classify(err)
	}
	return w, nil
}

// readProps fills title, class, pid, type and state from the replies.
func (c *conn) readProps(k windowCookies, w *platform.Window) {
	if r, err := k.netName.Reply(); err == nil && r.ValueLen > 0 {
		w.Title = string(r.Value)
	}
	if r, err := k.name.Reply(); err == nil && w.Title == "" && r.ValueLen > 0 && r.Format == 8 {
		w.Title = c.textOf(r)
	}
	if r, err := k.class.Reply(); err == nil {
		w.Class = classOf(r.Value)
	}
	if r, err := k.pid.Reply(); err == nil {
		if pid, ok := cardinalOf(r); ok {
			w.PID = int(pid)
		}
	}
	w.Type = platform.TypeNormal
	if r, err := k.wtype.Reply(); err == nil {
		for _, t := range atomsOf(r) {
			if wt, ok := c.a.types[t]; ok {
				w.Type = wt
				break
			}
		}
	}
	if r, err := k.state.Reply(); err == nil {
		for _, s := range atomsOf(r) {
			switch s {
			case c.a.stateHidden:
				w.Minimized = true
			case c.a.stateAbove:
				w.OnTop = true
			}
		}
	}
	if r, err := k.icccm.Reply(); err == nil {
		if st, ok := cardinalOf(r); ok && st == wmStateIconic {
			w.Minimized = true
		}
	}
}

func drain(k windowCookies) {
	k.geom.Reply()
	k.origin.Reply()
	if k.cached != nil {
		return
	}
	for _, ck := range []xproto.GetPropertyCookie{k.netName, k.name, k.class, k.pid, k.wtype, k.state, k.icccm} {
		ck.Reply()
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// classify tells X protocol errors about one window (it is gone) from a
// dead connection.
func classify(err error) error {
	switch err.(type) {
	case xproto.WindowError, xproto.DrawableError, xproto.MatchError:
		return errGone
	}
	return err
}

// classOf returns the class part of WM_CLASS ("instance\0class\0").
func classOf(v []byte) string {
	parts := bytes.Split(bytes.TrimRight(v, "\x00"), []byte{0})
	if len(parts) >= 2 && len(parts[1]) > 0 {
		return string(parts[1])
	}
	if len(parts) == 1 {
		return string(parts[0])
	}
	return ""
}

// textOf decodes a legacy text property (WM_NAME): STRING is Latin-1,
// COMPOUND_TEXT is what Xlib programs such as xterm set.
func (c *conn) textOf(r *xproto.GetPropertyReply) string {
	switch r.Type {
	case c.a.utf8String:
		return string(r.Value)
	case c.a.compoundText:
		return ctext.Decode(r.Value)
	}
	return latin1(r.Value)
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func (c *conn) snapshot() (platform.Snapshot, error) {
	snap := platform.Snapshot{Time: time.Now()}

	// Round trip 1: client lists, active window, all root children, screens.
	stackCk := xproto.GetProperty(c.x, false, c.root, c.a.clientListStacking, xproto.AtomWindow, 0, 1<<16)
	listCk := xproto.GetProperty(c.x, false, c.root, c.a.clientList, xproto.AtomWindow, 0, 1<<16)
	activeCk := xproto.GetProperty(c.x, false, c.root, c.a.activeWindow, xproto.AtomWindow, 0, 1)
	treeCk := xproto.QueryTree(c.x, c.root)
	var monCk randr.GetMonitorsCookie
	if c.hasRandr {
		monCk = randr.GetMonitors(c.x, c.root, true)
	}

	stack, err := stackCk.Reply()
	if err != nil {
		return snap, err
	}
	list, err := listCk.Reply()
	if err != nil {
		return snap, err
	}
	clients := windowsOf(stack)
	if len(clients) == 0 {
		clients = windowsOf(list)
	}
	if r, err := activeCk.Reply(); err == nil {
		if ws := windowsOf(r); len(ws) > 0 {
			snap.Active = platform.WindowID(ws[0])
		}
	} else {
		return snap, err
	}
	tree, err := treeCk.Reply()
	if err != nil {
		return snap, err
	}
	snap.Screens = c.screens(monCk)

	// Round trip 2: every client's properties (or, when cached, only its
	// map state and geometry), plus the attributes of the other root
	// children (frames, override-redirect windows).
	clientCks := make([]windowCookies, len(clients))
	for i, w := range clients {
		clientCks[i] = c.requestWindow(w)
	}
	isClient := make(map[xproto.Window]bool, len(clients))
	for _, w := range clients {
		isClient[w] = true
	}
	orCks := make(map[xproto.Window]xproto.GetWindowAttributesCookie)
	var others []xproto.Window
	for _, w := range tree.Children {
		if !isClient[w] {
			others = append(others, w)
			orCks[w] = xproto.GetWindowAttributes(c.x, w)
		}
	}

	snap.Windows = make([]platform.Window, 0, len(clients)+2)
	for _, k := range clientCks {
		w, err := c.readWindow(k)
		if errors.Is(err, errGone) {
			continue
		}
		if err != nil {
			return snap, err
		}
		snap.Windows = append(snap.Windows, w)
	}

	// Round trip 3: everything about mapped override-redirect windows (few:
	// popups, menus, tooltips); keep the notifications. QueryTree is
	// bottom-to-top, so their order holds.
	var popupCks []windowCookies
	for _, w := range others {
		attrs, err := orCks[w].Reply()
		if err != nil {
			if err := classify(err); !errors.Is(err, errGone) {
				return snap, err
			}
			continue
		}
		if attrs.OverrideRedirect && attrs.MapState == xproto.MapStateViewable {
			popupCks = append(popupCks, c.requestAll(w))
		}
	}
	for _, k := range popupCks {
		w, err := c.readWindow(k)
		if errors.Is(err, errGone) {
			continue
		}
		if err != nil {
			return snap, err
		}
		if w.Type == platform.TypeNotification {
			snap.Windows = append(snap.Windows, w)
		}
	}

	c.fillMissingPIDs(snap.Windows)
	return snap, nil
}

// fillMissingPIDs asks X-Resource which local process owns windows that
// carry no _NET_WM_PID (e.g. dunst popups). One more round trip, only when
// needed.
func (c *conn) fillMissingPIDs(ws []platform.Window) {
	if !c.hasRes {
		return
	}
	type pending struct {
		i  int
		ck res.QueryClientIdsCookie
	}
	var ps []pending
	for i, w := range ws {
		if w.PID != 0 {
			continue
		}
		spec := res.ClientIdSpec{Client: uint32(w.ID), Mask: res.ClientIdMaskLocalClientPID}
		ps = append(ps, pending{i, res.QueryClientIds(c.x, 1, []res.ClientIdSpec{spec})})
	}
	for _, p := range ps {
		r, err := p.ck.Reply()
		if err != nil {
			continue
		}
		for _, id := range r.Ids {
			if id.Spec.Mask&res.ClientIdMaskLocalClientPID != 0 && len(id.Value) > 0 {
				ws[p.i].PID = int(id.Value[0])
			}
		}
	}
}

func (c *conn) screens(ck randr.GetMonitorsCookie) []platform.Screen {
	if c.hasRandr {
		if r, err := ck.Reply(); err == nil && len(r.Monitors) > 0 {
			out := make([]platform.Screen, len(r.Monitors))
			for i, m := range r.Monitors {
				out[i] = platform.Screen{
					Index:   i,
					Bounds:  platform.Rect{X: int(m.X), Y: int(m.Y), W: int(m.Width), H: int(m.Height)},
					Primary: m.Primary,
				}
			}
			if !slices.ContainsFunc(out, func(s platform.Screen) bool { return s.Primary }) {
				out[0].Primary = true
			}
			return out
		}
	}
	return []platform.Screen{{Index: 0, Bounds: c.rootRect, Primary: true}}
}
