//go:build linux

package x11

import (
	"slices"
	"sync"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// model is the desktop as the event stream describes it, so a snapshot
// costs no round trip to the X server. During a screen capture every round
// trip queues behind the capturer's frame grabs; reading from memory is what
// lets the guard act within one frame.
//
// Geometry, mapping, stacking and reparenting come with the events
// themselves; properties are read once per change by the fetcher. Only the
// fetcher goroutine writes; Snapshot and Minimize read under mu.
type model struct {
	mu      sync.Mutex
	root    xproto.Window
	nodes   map[xproto.Window]*node
	stack   []xproto.Window // children of the root, bottom first
	clients map[xproto.Window]bool
	active  xproto.Window
	screens []platform.Screen
	own     map[xproto.Window]bool        // our cover windows: nothing to read about them
	covers  map[xproto.Window]*coverState // frame -> the cover over it

	composited bool          // a compositing manager holds _NET_WM_CM_Sn
	overlay    xproto.Window // its Composite overlay window; 0: unknown

	spares []xproto.Window // covers mapped off the screen, oldest first (see cover.go)
}

// node is one window: a child of the root (a client before the window
// manager takes it, a frame, a popup, an unmanaged window) or a client
// reparented into a frame.
type node struct {
	rootChild bool
	or        bool // override-redirect
	mapped    bool
	shownOnce bool // root children: mapped at least once (a new frame is not)
	x, y      int  // root children: outer corner, root coordinates
	w, h, bw  int  // inside size and border width
	frame     xproto.Window
	ox, oy    int  // in a frame: inside origin relative to the frame's inside origin
	managed   bool // reparented into a new frame: a window manager took it

	props     platform.Window // Title, Class, PID, Type, OnTop
	propsRead bool
	iconic    bool          // WM_STATE is IconicState
	hidden    bool          // _NET_WM_STATE_HIDDEN
	seq       uint64        // map and unmap events applied so far
	icon      platform.Rect // _NET_WM_ICON_GEOMETRY, empty when unset
}

func newModel(root xproto.Window) *model {
	return &model{
		root:    root,
		nodes:   map[xproto.Window]*node{},
		clients: map[xproto.Window]bool{},
		own:     map[xproto.Window]bool{},
		covers:  map[xproto.Window]*coverState{},
	}
}

func (m *model) get(id xproto.Window) *node {
	n := m.nodes[id]
	if n == nil {
		n = &node{}
		m.nodes[id] = n
	}
	return n
}

func (m *model) unstack(id xproto.Window) {
	if i := slices.Index(m.stack, id); i >= 0 {
		m.stack = slices.Delete(m.stack, i, i+1)
	}
}

// placeAbove puts a root child directly above sibling (0: at the bottom).
// An unknown sibling puts it on top.
func (m *model) placeAbove(id, sibling xproto.Window) {
	m.unstack(id)
	if sibling == 0 {
		m.stack = slices.Insert(m.stack, 0, id)
		return
	}
	if i := slices.Index(m.stack, sibling); i >= 0 {
		m.stack = slices.Insert(m.stack, i+1, id)
		return
	}
	m.stack = append(m.stack, id)
}

// created records a new child of the root; it starts on top, unmapped.
func (m *model) created(id xproto.Window, x, y, w, h, bw int, or bool) {
	n := m.get(id)
	*n = node{rootChild: true, or: or, x: x, y: y, w: w, h: h, bw: bw, props: n.props, propsRead: n.propsRead}
	m.placeAbove(id, m.top())
}

func (m *model) top() xproto.Window {
	if len(m.stack) == 0 {
		return 0
	}
	return m.stack[len(m.stack)-1]
}

// configured records a root child's new geometry and place in the stack.
func (m *model) configured(id xproto.Window, x, y, w, h, bw int, above xproto.Window, or bool) {
	n := m.get(id)
	n.rootChild, n.or = true, or
	n.x, n.y, n.w, n.h, n.bw = x, y, w, h, bw
	m.placeAbove(id, above)
}

// resized records a client's own size (the same in real and synthetic
// ConfigureNotify events; the position is not, so it is not taken here).
func (m *model) resized(id xproto.Window, w, h, bw int) {
	if n := m.nodes[id]; n != nil && !n.rootChild {
		n.w, n.h, n.bw = w, h, bw
	}
}

// reparented moves id into parent at (x, y) of its inside.
func (m *model) reparented(id, parent xproto.Window, x, y int) {
	n := m.get(id)
	if parent == m.root {
		n.rootChild, n.frame = true, 0
		n.x, n.y = x, y
		m.placeAbove(id, m.top())
		return
	}
	m.unstack(id)
	n.rootChild = false
	n.frame = parent
	n.ox, n.oy = x+n.bw, y+n.bw
	// A window manager reparents a client into a frame it has just made;
	// other reparenting (tray icons into a panel) is not a managed window.
	f := m.nodes[parent]
	n.managed = f != nil && f.rootChild && !f.shownOnce
}

// framed records where a client sits in its frame, as read from the server.
func (m *model) framed(id, frame xproto.Window, ox, oy int) {
	if n := m.nodes[id]; n != nil && !n.rootChild {
		n.frame, n.ox, n.oy = frame, ox, oy
		if f := m.nodes[frame]; f != nil && !f.shownOnce {
			n.managed = true
		}
	}
}

func (m *model) setMapped(id xproto.Window, mapped bool) {
	if n := m.nodes[id]; n != nil {
		n.mapped = mapped
		n.shownOnce = n.shownOnce || mapped
		n.seq++
	}
}

// showing reports whether a client in frame f is on screen or about to be.
// A window manager reparents a new client into a new frame, maps the client
// and then the frame; a client in a frame never shown yet is treated as
// shown, so the guard acts (and covers the frame's place) before the first
// picture of it is drawn. A frame unmapped after being shown (iconified,
// another workspace) hides its client.
func showing(n, f *node) bool {
	if f == nil {
		return false
	}
	if !f.shownOnce {
		return true
	}
	return n.mapped && f.mapped
}

// destroyed forgets id; it reports whether it was a window snapshots showed.
func (m *model) destroyed(id xproto.Window) bool {
	n := m.nodes[id]
	if n == nil {
		return false
	}
	shown := m.clients[id] || n.managed || (n.rootChild && n.mapped && (!n.or || n.props.Type == platform.TypeNotification))
	delete(m.nodes, id)
	delete(m.clients, id)
	delete(m.own, id)
	m.spares = slices.DeleteFunc(m.spares, func(s xproto.Window) bool { return s == id })
	m.unstack(id)
	return shown
}

// setProps stores what was read about a known window. The map state in
// the reply is taken only if no map or unmap event was applied since the
// request was sent: events are applied as they arrive, replies later.
func (m *model) setProps(id xproto.Window, p props) {
	n := m.nodes[id]
	if n == nil {
		return // destroyed meanwhile
	}
	n.props, n.propsRead = p.w, true
	n.iconic, n.hidden, n.icon = p.iconic, p.hidden, p.icon
	if n.seq == p.seq {
		n.mapped = p.mapped
	}
}

// seqOf is the map sequence of id now, for a request about to be sent.
func (m *model) seqOf(id xproto.Window) uint64 {
	if n := m.nodes[id]; n != nil {
		return n.seq
	}
	return 0
}

// setClients replaces the window manager's client list and says what
// joined and left it.
func (m *model) setClients(list []xproto.Window) (added, removed []xproto.Window) {
	now := make(map[xproto.Window]bool, len(list))
	for _, id := range list {
		now[id] = true
		if !m.clients[id] {
			added = append(added, id)
		}
	}
	for id := range m.clients {
		if !now[id] {
			removed = append(removed, id)
		}
	}
	m.clients = now
	return added, removed
}

// frameOf is the child of the root that holds id (id itself when it is one).
func (m *model) frameOf(id xproto.Window) (xproto.Window, *node) {
	n := m.nodes[id]
	for hops := 0; n != nil && !n.rootChild && n.frame != 0 && hops < 8; hops++ {
		id = n.frame
		n = m.nodes[id]
	}
	if n == nil || !n.rootChild {
		return 0, nil
	}
	return id, n
}

// shownIn lists the windows snapshots show for a child of the root: the
// clients in it when it is a frame, else itself.
func (m *model) shownIn(id xproto.Window) []xproto.Window {
	var out []xproto.Window
	for c, n := range m.nodes {
		if !n.rootChild && n.frame != 0 {
			if f, _ := m.frameOf(c); f == id {
				out = append(out, c)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, id)
	}
	return out
}

// window is a client as snapshots report it.
func (m *model) window(id xproto.Window) platform.Window {
	n := m.nodes[id]
	w := n.props
	w.ID = platform.WindowID(id)
	w.Minimized = n.iconic || n.hidden
	if n.rootChild {
		w.Visible = n.mapped
		w.Bounds = platform.Rect{X: n.x + n.bw, Y: n.y + n.bw, W: n.w, H: n.h}
		return w
	}
	_, f := m.frameOf(id)
	w.Visible = showing(n, f)
	if f != nil {
		w.Bounds = platform.Rect{X: f.x + f.bw + n.ox, Y: f.y + f.bw + n.oy, W: n.w, H: n.h}
	}
	return w
}

// outer is the child of the root that shows id (its frame, or id itself)
// and the area it covers, decorations and borders included, when id is on
// screen or about to be.
func (m *model) outer(id xproto.Window) (xproto.Window, platform.Rect, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.nodes[id]
	if n == nil {
		return 0, platform.Rect{}, false
	}
	fid, f := m.frameOf(id)
	if n.rootChild {
		if !n.mapped {
			return 0, platform.Rect{}, false
		}
	} else if !showing(n, f) {
		return 0, platform.Rect{}, false
	}
	return fid, platform.Rect{X: f.x, Y: f.y, W: f.w + 2*f.bw, H: f.h + 2*f.bw}, true
}

// iconTarget is where an iconify animation of id goes: its
// _NET_WM_ICON_GEOMETRY (a taskbar sets it), or, without one, straight down
// to the bottom of the screen (ok=false), which is where openbox goes.
func (m *model) iconTarget(id xproto.Window) (icon platform.Rect, ok bool, bottom int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.screens {
		bottom = max(bottom, s.Bounds.Y+s.Bounds.H)
	}
	if n := m.nodes[id]; n != nil && !n.icon.Empty() {
		return n.icon, true, bottom
	}
	return platform.Rect{}, false, bottom
}

// mapped reports whether id is mapped now.
func (m *model) mapped(id xproto.Window) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.nodes[id]
	return n != nil && n.mapped
}

// state says whether id is known and iconified (WM_STATE Iconic, or hidden
// and unmapped, as the window manager leaves it).
func (m *model) state(id xproto.Window) (known, iconic bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.nodes[id]
	if n == nil || !n.propsRead {
		return n != nil, false
	}
	return true, n.iconic || (n.hidden && !n.mapped)
}

// windows lists what a snapshot shows, bottom first: managed clients (in
// their frame's place), mapped unmanaged windows and notification popups.
func (m *model) windows() []platform.Window {
	inFrame := map[xproto.Window][]xproto.Window{}
	for id, n := range m.nodes {
		if !n.rootChild && n.frame != 0 {
			if f, _ := m.frameOf(id); f != 0 {
				inFrame[f] = append(inFrame[f], id)
			}
		}
	}
	out := make([]platform.Window, 0, len(m.clients)+2)
	placed := make(map[xproto.Window]bool, len(m.clients))
	for _, id := range m.stack {
		n := m.nodes[id]
		framed := false
		if cs, ok := inFrame[id]; ok {
			slices.Sort(cs)
			for _, c := range cs {
				if m.clients[c] || m.nodes[c].managed {
					out = append(out, m.window(c))
					placed[c] = true
					framed = true
				}
			}
		}
		if framed {
			continue
		}
		if n.or { // our covers among them: never a notification
			if n.mapped && n.props.Type == platform.TypeNotification {
				out = append(out, m.window(id))
			}
			continue
		}
		if m.clients[id] || n.mapped {
			out = append(out, m.window(id))
			placed[id] = true
		}
	}
	// Clients whose frame is not known yet go on top: they were just taken.
	var rest []xproto.Window
	for id := range m.clients {
		if !placed[id] && m.nodes[id] != nil {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		out = append(out, m.window(id))
	}
	return out
}

// snapshot copies what the model knows; processes are added by the caller.
func (m *model) snapshot() platform.Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return platform.Snapshot{
		Windows: m.windows(),
		Active:  platform.WindowID(m.active),
		Screens: slices.Clone(m.screens),
	}
}
