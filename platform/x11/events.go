//go:build linux

package x11

import (
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// watcher reads the events of one connection. Only its goroutine touches
// its maps, so they need no lock.
type watcher struct {
	d       *Desktop
	c       *conn
	clients map[xproto.Window]bool // managed clients we selected events on
	popups  map[xproto.Window]bool // mapped notification popups
}

func newWatcher(d *Desktop, c *conn) *watcher {
	return &watcher{d: d, c: c, clients: map[xproto.Window]bool{}, popups: map[xproto.Window]bool{}}
}

// watchClients syncs the per-client event selection with _NET_CLIENT_LIST
// and reports created/destroyed clients. Called at connect (no events then,
// the first snapshot covers it) and on every client list change.
func (w *watcher) watchClients() (created, gone []xproto.Window) {
	list, err := w.c.windowList(w.c.a.clientList)
	if err != nil {
		return nil, nil
	}
	seen := make(map[xproto.Window]bool, len(list))
	for _, id := range list {
		seen[id] = true
		if !w.clients[id] {
			w.clients[id] = true
			w.c.watch(id)
			created = append(created, id)
		}
	}
	for id := range w.clients {
		if !seen[id] {
			delete(w.clients, id)
			w.c.cache.forget(id)
			gone = append(gone, id)
		}
	}
	return created, gone
}

// loop returns when the connection is closed or broken. Blocking in
// WaitForEvent is the only thing it does when nothing happens: no polling.
func (w *watcher) loop() {
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

func (w *watcher) handle(ev any, now time.Time) {
	a := &w.c.a
	emit := func(kind platform.EventKind, id xproto.Window) {
		w.d.emit(platform.Event{Kind: kind, Window: platform.WindowID(id), Time: now})
	}
	switch e := ev.(type) {
	case xproto.PropertyNotifyEvent:
		if e.Window == w.c.root {
			switch e.Atom {
			case a.clientList:
				created, gone := w.watchClients()
				for _, id := range created {
					emit(platform.WindowCreated, id)
				}
				for _, id := range gone {
					emit(platform.WindowDestroyed, id)
				}
			case a.activeWindow:
				emit(platform.ActiveChanged, 0)
			case a.clientListStacking:
				emit(platform.WindowChanged, 0)
			}
			return
		}
		// Drop cached properties before telling anyone to look again.
		switch e.Atom {
		case a.wmState, a.netWMState:
			w.c.cache.invalidate(e.Window)
			w.d.wake(e.Window)
			emit(platform.WindowChanged, e.Window)
		case a.netWMName, xproto.AtomWmName, a.netWMWindowType:
			w.c.cache.invalidate(e.Window)
			emit(platform.WindowChanged, e.Window)
		case xproto.AtomWmClass, a.netWMPID:
			w.c.cache.invalidate(e.Window)
		}
	case xproto.MapNotifyEvent:
		if e.Event == w.c.root {
			// Frames of managed clients also map here; only override-redirect
			// windows matter: that is the only way to see popups.
			if e.OverrideRedirect && w.isNotification(e.Window) {
				w.popups[e.Window] = true
				emit(platform.NotificationShown, e.Window)
			}
			return
		}
		emit(platform.WindowChanged, e.Window)
	case xproto.UnmapNotifyEvent:
		if e.Event == w.c.root {
			if w.popups[e.Window] {
				delete(w.popups, e.Window)
				emit(platform.WindowChanged, e.Window)
			}
			return
		}
		emit(platform.WindowChanged, e.Window)
	case xproto.DestroyNotifyEvent:
		if e.Event == e.Window {
			// From the client's own StructureNotify: drop cached properties
			// now rather than at the client list change that follows.
			w.c.cache.forget(e.Window)
		}
		if w.popups[e.Window] {
			delete(w.popups, e.Window)
			emit(platform.WindowDestroyed, e.Window)
		}
		// Managed clients are reported through the client list change.
	case xproto.ConfigureNotifyEvent:
		if e.Event != w.c.root && w.clients[e.Window] {
			emit(platform.WindowChanged, e.Window)
		}
	}
}

func (w *watcher) isNotification(id xproto.Window) bool {
	r, err := xproto.GetProperty(w.c.x, false, id, w.c.a.netWMWindowType, xproto.AtomAtom, 0, 32).Reply()
	if err != nil {
		return false
	}
	for _, t := range atomsOf(r) {
		if w.c.a.types[t] == platform.TypeNotification {
			return true
		}
	}
	return false
}
