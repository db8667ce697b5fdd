//go:build linux

package x11

import (
	"fmt"
	"time"

	"github.com/jezek/xgb/xfixes"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// watcher reads the events of one connection. What an event says itself
// it applies to the model at once; what needs reading it requests and
// leaves to the fetcher (the queue), so it never waits for a reply.
type watcher struct {
	d *Desktop
	c *conn
	m *model
	q *queue
}

func newWatcher(d *Desktop, c *conn) *watcher {
	return &watcher{d: d, c: c, m: c.m, q: newQueue()}
}

// loop returns when the connection is closed or broken, after the fetcher
// has finished. Blocking in WaitForEvent is the only thing it does when
// nothing happens: no polling.
func (w *watcher) loop() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.q.run()
	}()
	defer func() {
		w.q.close()
		<-done
	}()
	for {
		ev, xerr := w.c.x.WaitForEvent()
		if ev == nil && xerr == nil {
			return
		}
		if xerr != nil {
			// Asynchronous protocol errors, e.g. selecting events on a
			// window that was destroyed meanwhile. Harmless.
			w.d.log.Debug("x protocol error", "err", xerr)
			continue
		}
		w.handle(ev, time.Now())
	}
}

func (w *watcher) emit(kind platform.EventKind, id xproto.Window, now time.Time) {
	w.d.emit(platform.Event{Kind: kind, Window: platform.WindowID(id), Time: now})
}

// fetchProps reads id's properties and then reports it changed.
func (w *watcher) fetchProps(id xproto.Window, now time.Time, then func(props)) {
	seq := w.m.seqOf(id)
	k := w.c.requestProps(id)
	w.q.push(func() {
		p, err := w.c.readProps(k)
		if err != nil {
			return // gone; its DestroyNotify follows
		}
		p.seq = seq
		w.m.setProps(id, p)
		w.d.wake(id)
		if then != nil {
			then(p)
		}
	})
}

// changed reports ids as changed. Handlers apply what an event itself
// says to the model first, so a frame being mapped reaches the agent
// without waiting behind replies still on their way.
func (w *watcher) changed(now time.Time, ids []xproto.Window) {
	for _, id := range ids {
		w.d.wake(id)
		w.emit(platform.WindowChanged, id, now)
	}
}

// handle applies one event. Each handler applies what the event itself
// says to the model at once and sends any requests before it queues the
// reading of their replies (see queue).
func (w *watcher) handle(ev any, now time.Time) {
	if w.duplicate(ev) {
		return
	}
	switch e := ev.(type) {
	case xproto.CreateNotifyEvent:
		w.onCreate(e, now)
	case xproto.DestroyNotifyEvent:
		w.onDestroy(e, now)
	case xproto.ReparentNotifyEvent:
		w.onReparent(e, now)
	case xproto.MapNotifyEvent:
		w.onMap(e, now)
	case xproto.UnmapNotifyEvent:
		w.onUnmap(e, now)
	case xproto.ConfigureNotifyEvent:
		w.onConfigure(e, now)
	case xfixes.SelectionNotifyEvent:
		w.onSelection(e)
	case xproto.CirculateNotifyEvent:
		w.onCirculate(e)
	case xproto.PropertyNotifyEvent:
		w.onProperty(e, now)
	}
}

// duplicate reports whether ev is a root child's structure event brought
// by the child's own selection: the root's selection brings it already.
func (w *watcher) duplicate(ev any) bool {
	root := w.c.root
	var id, event xproto.Window
	switch e := ev.(type) {
	case xproto.MapNotifyEvent:
		id, event = e.Window, e.Event
	case xproto.UnmapNotifyEvent:
		id, event = e.Window, e.Event
	case xproto.ConfigureNotifyEvent:
		if e.Window == root {
			return false
		}
		id, event = e.Window, e.Event
	default:
		return false
	}
	if event == root {
		return false
	}
	child, _ := w.m.rootChild(id)
	return child
}

func (w *watcher) onCreate(e xproto.CreateNotifyEvent, now time.Time) {
	if e.Parent != w.c.root {
		return
	}
	id := e.Window
	if !e.OverrideRedirect {
		// Select first, then read: a later change is either in the
		// reply or reported to us. Reading now, before the window
		// manager takes the window, is what lets the guard know a
		// protected window before it is first shown.
		w.c.watch(id)
	}
	w.m.created(id, int(e.X), int(e.Y), int(e.Width), int(e.Height), int(e.BorderWidth), e.OverrideRedirect)
	if !e.OverrideRedirect {
		w.fetchProps(id, now, nil)
	}
}

func (w *watcher) onDestroy(e xproto.DestroyNotifyEvent, now time.Time) {
	id := e.Window
	w.c.frameGone(id)
	shown := w.m.destroyed(id)
	w.d.wake(id)
	if shown {
		w.emit(platform.WindowDestroyed, id, now)
	}
}

func (w *watcher) onReparent(e xproto.ReparentNotifyEvent, now time.Time) {
	id, parent := e.Window, e.Parent
	nested := w.m.reparented(id, parent, int(e.X), int(e.Y))
	w.changed(now, []xproto.Window{id})
	if nested {
		w.resolveFrame(id, parent)
	}
}

func (w *watcher) onMap(e xproto.MapNotifyEvent, now time.Time) {
	id := e.Window
	if e.Event == w.c.root && e.OverrideRedirect {
		// Popups are in no client list: this is the only way to see
		// them. Their type says whether they are notifications; our
		// own covers need no reading (they map while the guard acts).
		if w.m.popupMapped(id) {
			return
		}
		w.fetchProps(id, now, func(p props) {
			if p.w.Type == platform.TypeNotification {
				w.emit(platform.NotificationShown, id, now)
			}
		})
		return
	}
	// A frame being mapped is the moment its client appears: report the
	// client at once, from what the model already knows.
	if e.Event == w.c.root {
		w.c.raiseCover(id)
	}
	w.changed(now, w.m.windowMapped(id))
}

func (w *watcher) onUnmap(e xproto.UnmapNotifyEvent, now time.Time) {
	id := e.Window
	if e.Event == w.c.root {
		w.c.frameGone(id) // the frame is off the screen: nothing left to hide
	}
	w.changed(now, w.m.unmapped(id, e.Event == w.c.root))
}

func (w *watcher) onConfigure(e xproto.ConfigureNotifyEvent, now time.Time) {
	id := e.Window
	switch {
	case id == w.c.root:
		w.fetchScreens(now)
	case e.Event == w.c.root:
		if !e.OverrideRedirect {
			_, mapped := w.m.rootChild(id)
			w.c.followCover(id, int(e.X), int(e.Y), int(e.Width), int(e.Height), int(e.BorderWidth), mapped)
		}
		w.changed(now, w.m.configured(id, int(e.X), int(e.Y), int(e.Width), int(e.Height), int(e.BorderWidth), e.AboveSibling, e.OverrideRedirect))
	case e.Event == id:
		// A client moved or resized inside its frame: its size is in the
		// event, its place in the frame is read (synthetic events from
		// the window manager carry root coordinates instead).
		frame := w.m.resized(id, int(e.Width), int(e.Height), int(e.BorderWidth))
		w.changed(now, []xproto.Window{id})
		if frame != 0 {
			w.resolveFrame(id, frame)
		}
	}
}

func (w *watcher) onSelection(e xfixes.SelectionNotifyEvent) {
	if e.Selection == w.c.a.cmSelection {
		w.compositorChanged(e.Owner, overlayDelay)
	}
}

func (w *watcher) onCirculate(e xproto.CirculateNotifyEvent) {
	if e.Event != w.c.root {
		return
	}
	w.m.circulated(e.Window, e.Place == xproto.PlaceOnTop)
}

func (w *watcher) onProperty(e xproto.PropertyNotifyEvent, now time.Time) {
	a := &w.c.a
	if e.Window == w.c.root {
		switch e.Atom {
		case a.clientList:
			w.fetchClients(now)
		case a.activeWindow:
			w.fetchActive(now)
		}
		return
	}
	switch e.Atom {
	case a.wmState, a.netWMState, a.netWMName, xproto.AtomWmName, a.netWMWindowType, xproto.AtomWmClass, a.netWMPID, a.iconGeometry:
		id := e.Window
		w.fetchProps(id, now, func(props) { w.emit(platform.WindowChanged, id, now) })
	}
}

// fetchActive reads the active window and reports it changed.
func (w *watcher) fetchActive(now time.Time) {
	ck := xproto.GetProperty(w.c.x, false, w.c.root, w.c.a.activeWindow, xproto.AtomWindow, 0, 1)
	w.q.push(func() {
		r, err := ck.Reply()
		if err != nil {
			return
		}
		var active xproto.Window
		if ws := windowsOf(r); len(ws) > 0 {
			active = ws[0]
		}
		w.m.setActive(active)
		w.emit(platform.ActiveChanged, 0, now)
	})
}

// resolveFrame has the fetcher read where id sits in the child of the root
// that holds it. When parent is that child (the usual case) the request is
// sent now; a window manager that nests frames needs the tree climbed
// first.
func (w *watcher) resolveFrame(id, parent xproto.Window) {
	if direct, _ := w.m.rootChild(parent); direct {
		ck := xproto.TranslateCoordinates(w.c.x, id, parent, 0, 0)
		w.q.push(func() { w.framed(id, parent, ck) })
		return
	}
	root := w.c.root
	w.q.push(func() {
		top := parent
		for hops := 0; hops < 8; hops++ {
			r, err := xproto.QueryTree(w.c.x, top).Reply()
			if err != nil {
				return
			}
			if r.Parent == root {
				break
			}
			top = r.Parent
		}
		w.framed(id, top, xproto.TranslateCoordinates(w.c.x, id, top, 0, 0))
	})
}

// framed stores id's place in frame from the reply to ck.
func (w *watcher) framed(id, frame xproto.Window, ck xproto.TranslateCoordinatesCookie) {
	t, err := ck.Reply()
	if err != nil {
		return
	}
	w.m.framed(id, frame, int(t.DstX), int(t.DstY))
}

// fetchClients reads the window manager's client list and reports the
// windows that joined and left it.
func (w *watcher) fetchClients(now time.Time) {
	ck := xproto.GetProperty(w.c.x, false, w.c.root, w.c.a.clientList, xproto.AtomWindow, 0, 1<<16)
	w.q.push(func() {
		r, err := ck.Reply()
		if err != nil {
			return
		}
		added, removed, unread := w.m.setClients(windowsOf(r))
		// Clients not created under our eyes (a window manager that maps
		// windows we missed): watch and read them now.
		for _, id := range unread {
			w.readClient(id)
		}
		for _, id := range added {
			w.emit(platform.WindowCreated, id, now)
		}
		for _, id := range removed {
			w.emit(platform.WindowDestroyed, id, now)
		}
	})
}

// readClient watches a client found in the client list and reads its
// properties and frame; it runs in the fetcher.
func (w *watcher) readClient(id xproto.Window) {
	seq := w.m.addClient(id)
	w.c.watch(id)
	k := w.c.requestProps(id)
	tree := xproto.QueryTree(w.c.x, id)
	if p, err := w.c.readProps(k); err == nil {
		p.seq = seq
		w.m.setProps(id, p)
	}
	if t, err := tree.Reply(); err == nil && t.Parent != w.c.root {
		w.m.setFrame(id, t.Parent)
		w.resolveFrame(id, t.Parent)
	}
}

func (w *watcher) fetchScreens(now time.Time) {
	ck := w.c.requestScreens()
	w.q.push(func() {
		w.m.setScreens(w.c.screens(ck))
		w.emit(platform.WindowChanged, 0, now)
	})
}

// populate reads the whole desktop once, at connect, before any event is
// handled: the children of the root with their geometry, the client list
// with each client's frame, the properties of clients and mapped popups,
// the active window, the screens and whether a compositor runs. A few
// pipelined round trips.
func (w *watcher) populate() error {
	c := w.c
	treeCk := xproto.QueryTree(c.x, c.root)
	listCk := xproto.GetProperty(c.x, false, c.root, c.a.clientList, xproto.AtomWindow, 0, 1<<16)
	activeCk := xproto.GetProperty(c.x, false, c.root, c.a.activeWindow, xproto.AtomWindow, 0, 1)
	scrCk := c.requestScreens()
	cmCk := xproto.GetSelectionOwner(c.x, c.a.cmSelection)
	tree, err := treeCk.Reply()
	if err != nil {
		return fmt.Errorf("x11: read window tree: %w", err)
	}
	list, err := listCk.Reply()
	if err != nil {
		return fmt.Errorf("x11: read client list: %w", err)
	}
	clients := windowsOf(list)
	childCks := c.requestWindows(tree.Children, false)
	clientCks := c.requestWindows(clients, true)
	first := firstRead{children: readWindows(childCks), clients: readWindows(clientCks), list: clients}
	if r, err := activeCk.Reply(); err == nil {
		if ws := windowsOf(r); len(ws) > 0 {
			first.active = ws[0]
		}
	}
	first.screens = c.screens(scrCk)
	read, watch, nested := w.m.load(first)
	for _, id := range watch {
		c.watch(id)
	}
	w.readAllProps(read)
	for _, s := range nested {
		w.resolveFrame(s.id, s.parent)
	}
	if r, err := cmCk.Reply(); err == nil {
		w.compositorChanged(r.Owner, 0)
	}
	// Where each client sits in its frame and the compositor's overlay:
	// the fetcher is not running yet, so what was queued runs right here.
	w.q.drain()
	return nil
}

// windowCookies are populate's requests about one window.
type windowCookies struct {
	id     xproto.Window
	parent bool
	tree   xproto.QueryTreeCookie // when parent
	attrs  xproto.GetWindowAttributesCookie
	geom   xproto.GetGeometryCookie
}

// requestWindows asks for the attributes and geometry of ids, and with
// parent their parent too.
func (c *conn) requestWindows(ids []xproto.Window, parent bool) []windowCookies {
	cks := make([]windowCookies, len(ids))
	for i, id := range ids {
		cks[i].id, cks[i].parent = id, parent
		if parent {
			cks[i].tree = xproto.QueryTree(c.x, id)
		}
		cks[i].attrs = xproto.GetWindowAttributes(c.x, id)
		cks[i].geom = xproto.GetGeometry(c.x, xproto.Drawable(id))
	}
	return cks
}

// readWindows collects the replies to requestWindows, leaving out the
// windows gone meanwhile.
func readWindows(cks []windowCookies) []seenWindow {
	out := make([]seenWindow, 0, len(cks))
	for _, ck := range cks {
		var parent xproto.Window
		var terr error
		if ck.parent {
			var t *xproto.QueryTreeReply
			if t, terr = ck.tree.Reply(); terr == nil {
				parent = t.Parent
			}
		}
		attrs, aerr := ck.attrs.Reply()
		geom, gerr := ck.geom.Reply()
		if firstErr(terr, aerr, gerr) != nil {
			continue
		}
		out = append(out, seenWindow{
			id: ck.id, parent: parent,
			x: int(geom.X), y: int(geom.Y), w: int(geom.Width), h: int(geom.Height), bw: int(geom.BorderWidth),
			or: attrs.OverrideRedirect, mapped: attrs.MapState != xproto.MapStateUnmapped,
		})
	}
	return out
}

// readAllProps reads the properties of ids at connect, all requests sent
// before any reply is read.
func (w *watcher) readAllProps(ids []xproto.Window) {
	cks := make([]propCookies, len(ids))
	for i, id := range ids {
		cks[i] = w.c.requestProps(id)
	}
	for i, id := range ids {
		p, err := w.c.readProps(cks[i])
		if err != nil {
			continue
		}
		p.seq = w.m.seqOf(id) // no event is handled before populate returns
		w.m.setProps(id, p)
	}
}
