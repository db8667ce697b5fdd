//go:build linux

package x11

import (
	"fmt"
	"slices"
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
	w.m.mu.Lock()
	seq := w.m.seqOf(id)
	w.m.mu.Unlock()
	k := w.c.requestProps(id)
	w.q.push(func() {
		p, err := w.c.readProps(k)
		if err != nil {
			return // gone; its DestroyNotify follows
		}
		p.seq = seq
		w.m.mu.Lock()
		w.m.setProps(id, p)
		w.m.mu.Unlock()
		w.d.wake(id)
		if then != nil {
			then(p)
		}
	})
}

// update applies what an event itself says to the model at once, then
// reports the windows f returns as changed: a frame being mapped reaches
// the agent without waiting behind replies still on their way.
func (w *watcher) update(now time.Time, f func(m *model) []xproto.Window) {
	w.m.mu.Lock()
	ids := f(w.m)
	w.m.mu.Unlock()
	for _, id := range ids {
		w.d.wake(id)
		w.emit(platform.WindowChanged, id, now)
	}
}

// rootChild reports whether id is a child of the root, and mapped, as of
// the last event read (the model applies events as they are read). A root
// child's structure events come through the root, so the copies its own
// selection brings are dropped.
func (w *watcher) rootChild(id xproto.Window) (child, mapped bool) {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	n := w.m.nodes[id]
	return n != nil && n.rootChild, n != nil && n.mapped
}

func (w *watcher) handle(ev any, now time.Time) {
	a := &w.c.a
	root := w.c.root
	switch e := ev.(type) {
	case xproto.MapNotifyEvent:
		if child, _ := w.rootChild(e.Window); e.Event != root && child {
			return
		}
	case xproto.UnmapNotifyEvent:
		if child, _ := w.rootChild(e.Window); e.Event != root && child {
			return
		}
	case xproto.ConfigureNotifyEvent:
		if child, _ := w.rootChild(e.Window); e.Event != root && e.Window != root && child {
			return
		}
	}
	switch e := ev.(type) {
	case xproto.CreateNotifyEvent:
		if e.Parent != root {
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
		w.update(now, func(m *model) []xproto.Window {
			m.created(id, int(e.X), int(e.Y), int(e.Width), int(e.Height), int(e.BorderWidth), e.OverrideRedirect)
			return nil
		})
		if !e.OverrideRedirect {
			w.fetchProps(id, now, nil)
		}

	case xproto.DestroyNotifyEvent:
		id := e.Window
		w.c.frameGone(id)
		w.m.mu.Lock()
		shown := w.m.destroyed(id)
		w.m.mu.Unlock()
		w.d.wake(id)
		if shown {
			w.emit(platform.WindowDestroyed, id, now)
		}

	case xproto.ReparentNotifyEvent:
		id, parent := e.Window, e.Parent
		nested := false
		w.update(now, func(m *model) []xproto.Window {
			m.reparented(id, parent, int(e.X), int(e.Y))
			n := m.nodes[parent]
			nested = parent != root && (n == nil || !n.rootChild)
			return []xproto.Window{id}
		})
		if nested {
			w.resolveFrame(id, parent)
		}

	case xproto.MapNotifyEvent:
		id := e.Window
		if e.Event == root && e.OverrideRedirect {
			// Popups are in no client list: this is the only way to see
			// them. Their type says whether they are notifications; our
			// own covers need no reading (they map while the guard acts).
			own := false
			w.update(now, func(m *model) []xproto.Window {
				m.setMapped(id, true)
				own = m.own[id]
				return nil
			})
			if own {
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
		if e.Event == root {
			w.c.raiseCover(id)
		}
		w.update(now, func(m *model) []xproto.Window {
			m.setMapped(id, true)
			if n := m.nodes[id]; n != nil && n.rootChild {
				return m.shownIn(id)
			}
			return []xproto.Window{id}
		})

	case xproto.UnmapNotifyEvent:
		id := e.Window
		if e.Event == root {
			w.c.frameGone(id) // the frame is off the screen: nothing left to hide
		}
		w.update(now, func(m *model) []xproto.Window {
			n := m.nodes[id]
			if n == nil {
				return nil
			}
			if e.Event == root && !n.rootChild {
				return nil // a client's synthetic withdraw notice; its own event says it
			}
			m.setMapped(id, false)
			if n.rootChild {
				if n.or && n.props.Type != platform.TypeNotification {
					return nil
				}
				return m.shownIn(id)
			}
			return []xproto.Window{id}
		})

	case xproto.ConfigureNotifyEvent:
		id := e.Window
		switch {
		case id == root:
			w.fetchScreens(now)
		case e.Event == root:
			if !e.OverrideRedirect {
				_, mapped := w.rootChild(id)
				w.c.followCover(id, int(e.X), int(e.Y), int(e.Width), int(e.Height), int(e.BorderWidth), mapped)
			}
			w.update(now, func(m *model) []xproto.Window {
				m.configured(id, int(e.X), int(e.Y), int(e.Width), int(e.Height), int(e.BorderWidth), e.AboveSibling, e.OverrideRedirect)
				if n := m.nodes[id]; n.or || !n.mapped {
					return nil
				}
				return m.shownIn(id)
			})
		case e.Event == id:
			// A client moved or resized inside its frame: its size is in the
			// event, its place in the frame is read (synthetic events from
			// the window manager carry root coordinates instead).
			var frame xproto.Window
			w.update(now, func(m *model) []xproto.Window {
				m.resized(id, int(e.Width), int(e.Height), int(e.BorderWidth))
				if n := m.nodes[id]; n != nil && !n.rootChild {
					frame = n.frame
				}
				return []xproto.Window{id}
			})
			if frame != 0 {
				w.resolveFrame(id, frame)
			}
		}

	case xfixes.SelectionNotifyEvent:
		if e.Selection == a.cmSelection {
			w.compositorChanged(e.Owner, overlayDelay)
		}

	case xproto.CirculateNotifyEvent:
		if e.Event != root {
			return
		}
		id := e.Window
		w.update(now, func(m *model) []xproto.Window {
			if e.Place == xproto.PlaceOnTop {
				m.placeAbove(id, m.top())
			} else {
				m.placeAbove(id, 0)
			}
			return nil
		})

	case xproto.PropertyNotifyEvent:
		if e.Window == root {
			switch e.Atom {
			case a.clientList:
				w.fetchClients(now)
			case a.activeWindow:
				ck := xproto.GetProperty(w.c.x, false, root, a.activeWindow, xproto.AtomWindow, 0, 1)
				w.q.push(func() {
					r, err := ck.Reply()
					if err != nil {
						return
					}
					var active xproto.Window
					if ws := windowsOf(r); len(ws) > 0 {
						active = ws[0]
					}
					w.m.mu.Lock()
					w.m.active = active
					w.m.mu.Unlock()
					w.emit(platform.ActiveChanged, 0, now)
				})
			}
			return
		}
		switch e.Atom {
		case a.wmState, a.netWMState, a.netWMName, xproto.AtomWmName, a.netWMWindowType, xproto.AtomWmClass, a.netWMPID, a.iconGeometry:
			id := e.Window
			w.fetchProps(id, now, func(props) { w.emit(platform.WindowChanged, id, now) })
		}
	}
}

// resolveFrame has the fetcher read where id sits in the child of the root
// that holds it. When parent is that child (the usual case) the request is
// sent now; a window manager that nests frames needs the tree climbed
// first. Call it without the model locked: a request may wait for the
// socket while the X server is busy, and snapshots must not wait with it.
func (w *watcher) resolveFrame(id, parent xproto.Window) {
	w.m.mu.Lock()
	n := w.m.nodes[parent]
	direct := n != nil && n.rootChild
	w.m.mu.Unlock()
	if direct {
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
	w.m.mu.Lock()
	w.m.framed(id, frame, int(t.DstX), int(t.DstY))
	w.m.mu.Unlock()
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
		list := windowsOf(r)
		w.m.mu.Lock()
		added, removed := w.m.setClients(list)
		var unknown []xproto.Window
		for _, id := range added {
			if n := w.m.nodes[id]; n == nil || !n.propsRead {
				unknown = append(unknown, id)
			}
		}
		w.m.mu.Unlock()
		// Clients not created under our eyes (a window manager that maps
		// windows we missed): watch and read them now.
		for _, id := range unknown {
			w.m.mu.Lock()
			seq := w.m.get(id).seq
			w.m.mu.Unlock()
			w.c.watch(id)
			k := w.c.requestProps(id)
			tree := xproto.QueryTree(w.c.x, id)
			if p, err := w.c.readProps(k); err == nil {
				p.seq = seq
				w.m.mu.Lock()
				w.m.setProps(id, p)
				w.m.mu.Unlock()
			}
			if t, err := tree.Reply(); err == nil && t.Parent != w.c.root {
				w.m.mu.Lock()
				w.m.get(id).frame = t.Parent
				w.m.mu.Unlock()
				w.resolveFrame(id, t.Parent)
			}
		}
		for _, id := range added {
			w.emit(platform.WindowCreated, id, now)
		}
		for _, id := range removed {
			w.emit(platform.WindowDestroyed, id, now)
		}
	})
}

func (w *watcher) fetchScreens(now time.Time) {
	ck := w.c.requestScreens()
	w.q.push(func() {
		s := w.c.screens(ck)
		w.m.mu.Lock()
		w.m.screens = s
		w.m.mu.Unlock()
		w.emit(platform.WindowChanged, 0, now)
	})
}

// populate reads the whole desktop once, at connect, before any event is
// handled: the children of the root with their geometry, the client list
// with each client's frame, the properties of clients and mapped popups,
// the active window, the screens and whether a compositor runs. A few
// pipelined round trips.
func (w *watcher) populate() error {
	c, m := w.c, w.m
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
	type childCks struct {
		attrs xproto.GetWindowAttributesCookie
		geom  xproto.GetGeometryCookie
	}
	cks := make([]childCks, len(tree.Children))
	for i, id := range tree.Children {
		cks[i] = childCks{xproto.GetWindowAttributes(c.x, id), xproto.GetGeometry(c.x, xproto.Drawable(id))}
	}
	type clientCks struct {
		tree  xproto.QueryTreeCookie
		attrs xproto.GetWindowAttributesCookie
		geom  xproto.GetGeometryCookie
	}
	ccks := make([]clientCks, len(clients))
	for i, id := range clients {
		ccks[i] = clientCks{xproto.QueryTree(c.x, id), xproto.GetWindowAttributes(c.x, id), xproto.GetGeometry(c.x, xproto.Drawable(id))}
	}

	var propIDs []xproto.Window
	m.mu.Lock()
	for i, id := range tree.Children {
		attrs, aerr := cks[i].attrs.Reply()
		geom, gerr := cks[i].geom.Reply()
		if aerr != nil || gerr != nil {
			continue // gone meanwhile
		}
		m.created(id, int(geom.X), int(geom.Y), int(geom.Width), int(geom.Height), int(geom.BorderWidth), attrs.OverrideRedirect)
		mapped := attrs.MapState != xproto.MapStateUnmapped
		m.setMapped(id, mapped)
		// Whatever is unmapped now was hidden on purpose, not new.
		m.nodes[id].shownOnce = true
		if !attrs.OverrideRedirect || mapped {
			propIDs = append(propIDs, id)
		}
	}
	var nested []xproto.Window
	for i, id := range clients {
		t, terr := ccks[i].tree.Reply()
		attrs, aerr := ccks[i].attrs.Reply()
		geom, gerr := ccks[i].geom.Reply()
		if firstErr(terr, aerr, gerr) != nil {
			continue
		}
		n := m.get(id)
		n.w, n.h, n.bw = int(geom.Width), int(geom.Height), int(geom.BorderWidth)
		n.mapped = attrs.MapState != xproto.MapStateUnmapped
		if t.Parent != c.root {
			n.rootChild, n.frame = false, t.Parent
			nested = append(nested, id)
			if !slices.Contains(propIDs, id) {
				propIDs = append(propIDs, id)
			}
		}
	}
	m.setClients(clients)
	if r, err := activeCk.Reply(); err == nil {
		if ws := windowsOf(r); len(ws) > 0 {
			m.active = ws[0]
		}
	}
	m.screens = c.screens(scrCk)
	m.mu.Unlock()

	for _, id := range propIDs {
		if n := m.nodes[id]; n != nil && !n.or {
			c.watch(id)
		}
	}
	pcks := make([]propCookies, len(propIDs))
	for i, id := range propIDs {
		pcks[i] = c.requestProps(id)
	}
	for i, id := range propIDs {
		p, err := c.readProps(pcks[i])
		if err != nil {
			continue
		}
		m.mu.Lock()
		p.seq = m.seqOf(id) // no event is handled before populate returns
		m.setProps(id, p)
		m.mu.Unlock()
	}
	// Where each client sits in its frame; the fetcher is not running yet,
	// so run what resolveFrame queues right here.
	for _, id := range nested {
		m.mu.Lock()
		parent := m.nodes[id].frame
		m.mu.Unlock()
		w.resolveFrame(id, parent)
	}
	if r, err := cmCk.Reply(); err == nil {
		w.compositorChanged(r.Owner, 0)
	}
	w.q.drain()
	return nil
}
