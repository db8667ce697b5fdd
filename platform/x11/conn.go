//go:build linux

package x11

import (
	"fmt"
	"strconv"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/composite"
	"github.com/jezek/xgb/randr"
	"github.com/jezek/xgb/res"
	"github.com/jezek/xgb/xfixes"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// atoms holds the interned atoms of one connection. Atoms are per server,
// so a reconnect interns them again.
type atoms struct {
	clientList, clientListStacking, activeWindow  xproto.Atom
	netWMName, utf8String, compoundText, netWMPID xproto.Atom
	netWMWindowType, netWMState                   xproto.Atom
	stateHidden, stateAbove                       xproto.Atom
	wmState, wmChangeState                        xproto.Atom
	iconGeometry                                  xproto.Atom
	cmSelection                                   xproto.Atom // _NET_WM_CM_Sn: held by the compositing manager
	opacity                                       xproto.Atom // _NET_WM_WINDOW_OPACITY
	types                                         map[xproto.Atom]platform.WindowType
}

// conn is one open connection to the X server with what we learned at setup.
type conn struct {
	x        *xgb.Conn
	root     xproto.Window
	rootRect platform.Rect
	a        atoms
	hasRes   bool   // X-Resource >= 1.2: client pid query
	hasRandr bool   // RandR >= 1.5: GetMonitors
	m        *model // what the events say; see model.go

	hasComposite bool // Composite >= 0.3: the compositor's overlay window can be asked for

	black xproto.Gcontext // fills black on any window of the root's depth (see blacken)
}

// typeAtoms maps _NET_WM_WINDOW_TYPE_* names to our vocabulary.
var typeAtoms = map[string]platform.WindowType{
	"_NET_WM_WINDOW_TYPE_NORMAL":        platform.TypeNormal,
	"_NET_WM_WINDOW_TYPE_DIALOG":        platform.TypeDialog,
	"_NET_WM_WINDOW_TYPE_NOTIFICATION":  platform.TypeNotification,
	"_NET_WM_WINDOW_TYPE_DOCK":          platform.TypeDock,
	"_NET_WM_WINDOW_TYPE_UTILITY":       platform.TypeUtility,
	"_NET_WM_WINDOW_TYPE_TOOLBAR":       platform.TypeUtility,
	"_NET_WM_WINDOW_TYPE_SPLASH":        platform.TypeSplash,
	"_NET_WM_WINDOW_TYPE_MENU":          platform.TypeMenu,
	"_NET_WM_WINDOW_TYPE_DROPDOWN_MENU": platform.TypeMenu,
	"_NET_WM_WINDOW_TYPE_POPUP_MENU":    platform.TypeMenu,
	"_NET_WM_WINDOW_TYPE_TOOLTIP":       platform.TypeMenu,
	"_NET_WM_WINDOW_TYPE_COMBO":         platform.TypeMenu,
	"_NET_WM_WINDOW_TYPE_DND":           platform.TypeOther,
	"_NET_WM_WINDOW_TYPE_DESKTOP":       platform.TypeDesktop,
}

// dial opens the display, interns atoms, probes extensions and selects the
// root window events. It never touches GTK or anything that could exit.
func dial(display string) (*conn, error) {
	x, err := xgb.NewConnDisplay(display)
	if err != nil {
		return nil, fmt.Errorf("x11: open display %q: %w", display, err)
	}
	c := &conn{x: x}
	if err := c.setup(); err != nil {
		x.Close()
		return nil, err
	}
	return c, nil
}

func (c *conn) setup() error {
	setup := xproto.Setup(c.x)
	if setup == nil || len(setup.Roots) == 0 {
		return fmt.Errorf("x11: display has no screens")
	}
	scr := setup.DefaultScreen(c.x)
	c.root = scr.Root
	c.m = newModel(scr.Root)
	c.rootRect = platform.Rect{W: int(scr.WidthInPixels), H: int(scr.HeightInPixels)}

	if err := c.internAtoms(); err != nil {
		return err
	}

	// Root: SubstructureNotify shows every top-level window being created,
	// mapped, moved, restacked and reparented (and popups, which are in no
	// client list); PropertyChange shows client list/active changes;
	// StructureNotify shows the screen being resized.
	mask := uint32(xproto.EventMaskSubstructureNotify | xproto.EventMaskPropertyChange | xproto.EventMaskStructureNotify)
	if err := xproto.ChangeWindowAttributesChecked(c.x, c.root, xproto.CwEventMask, []uint32{mask}).Check(); err != nil {
		return fmt.Errorf("x11: select root events: %w", err)
	}

	if err := res.Init(c.x); err == nil {
		if v, err := res.QueryVersion(c.x, 1, 2).Reply(); err == nil &&
			(v.ServerMajor > 1 || (v.ServerMajor == 1 && v.ServerMinor >= 2)) {
			c.hasRes = true
		}
	}
	if err := randr.Init(c.x); err == nil {
		if v, err := randr.QueryVersion(c.x, 1, 5).Reply(); err == nil &&
			(v.MajorVersion > 1 || (v.MajorVersion == 1 && v.MinorVersion >= 5)) {
			c.hasRandr = true
		}
	}
	if err := xfixes.Init(c.x); err == nil {
		if _, err := xfixes.QueryVersion(c.x, 5, 0).Reply(); err == nil {
			// Told when the compositing manager selection changes hands;
			// selected before populate reads the owner, so no change is
			// missed.
			mask := uint32(xfixes.SelectionEventMaskSetSelectionOwner | xfixes.SelectionEventMaskSelectionWindowDestroy |
				xfixes.SelectionEventMaskSelectionClientClose)
			xfixes.SelectSelectionInput(c.x, c.root, c.a.cmSelection, mask)
		}
	}
	if err := composite.Init(c.x); err == nil {
		if v, err := composite.QueryVersion(c.x, 0, 4).Reply(); err == nil && (v.MajorVersion > 0 || v.MinorVersion >= 3) {
			c.hasComposite = true
		}
	}
	gc, err := xproto.NewGcontextId(c.x)
	if err != nil {
		return fmt.Errorf("x11: new graphics context: %w", err)
	}
	c.black = gc
	xproto.CreateGC(c.x, gc, xproto.Drawable(c.root), xproto.GcForeground|xproto.GcSubwindowMode,
		[]uint32{scr.BlackPixel, xproto.SubwindowModeIncludeInferiors})
	return nil
}

func (c *conn) internAtoms() error {
	a := &c.a
	named := []struct {
		name string
		dst  *xproto.Atom
	}{
		{"_NET_CLIENT_LIST", &a.clientList},
		{"_NET_CLIENT_LIST_STACKING", &a.clientListStacking},
		{"_NET_ACTIVE_WINDOW", &a.activeWindow},
		{"_NET_WM_NAME", &a.netWMName},
		{"UTF8_STRING", &a.utf8String},
		{"COMPOUND_TEXT", &a.compoundText},
		{"_NET_WM_PID", &a.netWMPID},
		{"_NET_WM_WINDOW_TYPE", &a.netWMWindowType},
		{"_NET_WM_STATE", &a.netWMState},
		{"_NET_WM_STATE_HIDDEN", &a.stateHidden},
		{"_NET_WM_STATE_ABOVE", &a.stateAbove},
		{"WM_STATE", &a.wmState},
		{"WM_CHANGE_STATE", &a.wmChangeState},
		{"_NET_WM_ICON_GEOMETRY", &a.iconGeometry},
		{"_NET_WM_CM_S" + strconv.Itoa(c.x.DefaultScreen), &a.cmSelection},
		{"_NET_WM_WINDOW_OPACITY", &a.opacity},
	}
	// Send every request first, then collect: one round trip instead of many.
	cookies := make([]xproto.InternAtomCookie, 0, len(named)+len(typeAtoms))
	for _, n := range named {
		cookies = append(cookies, xproto.InternAtom(c.x, false, uint16(len(n.name)), n.name))
	}
	typeNames := make([]string, 0, len(typeAtoms))
	for name := range typeAtoms {
		typeNames = append(typeNames, name)
		cookies = append(cookies, xproto.InternAtom(c.x, false, uint16(len(name)), name))
	}
	a.types = make(map[xproto.Atom]platform.WindowType, len(typeAtoms))
	for i, ck := range cookies {
		r, err := ck.Reply()
		if err != nil {
			return fmt.Errorf("x11: intern atoms: %w", err)
		}
		if i < len(named) {
			*named[i].dst = r.Atom
		} else {
			a.types[r.Atom] = typeAtoms[typeNames[i-len(named)]]
		}
	}
	return nil
}

// watch selects the per-client events: title/state changes and structure.
// Errors (the window may already be gone) are deliberately not waited for.
func (c *conn) watch(w xproto.Window) {
	mask := uint32(xproto.EventMaskPropertyChange | xproto.EventMaskStructureNotify)
	xproto.ChangeWindowAttributes(c.x, w, xproto.CwEventMask, []uint32{mask})
}

func windowsOf(r *xproto.GetPropertyReply) []xproto.Window {
	if r == nil || r.Format != 32 {
		return nil
	}
	out := make([]xproto.Window, 0, len(r.Value)/4)
	for i := 0; i+4 <= len(r.Value); i += 4 {
		out = append(out, xproto.Window(xgb.Get32(r.Value[i:])))
	}
	return out
}

func atomsOf(r *xproto.GetPropertyReply) []xproto.Atom {
	if r == nil || r.Format != 32 {
		return nil
	}
	out := make([]xproto.Atom, 0, len(r.Value)/4)
	for i := 0; i+4 <= len(r.Value); i += 4 {
		out = append(out, xproto.Atom(xgb.Get32(r.Value[i:])))
	}
	return out
}

func cardinalOf(r *xproto.GetPropertyReply) (uint32, bool) {
	if r == nil || r.Format != 32 || len(r.Value) < 4 {
		return 0, false
	}
	return xgb.Get32(r.Value), true
}

// ICCCM WM_STATE values.
const (
	wmStateWithdrawn = 0
	wmStateNormal    = 1
	wmStateIconic    = 3
)
