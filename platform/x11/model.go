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
// themselves; properties are read once per change by the fetcher. Several
// goroutines write: the event reader what events say, the fetcher what
// replies say (populate, before either runs, what it reads at connect),
// and Minimize, Cover and Banner, with their timers, our own windows and
// covers.
//
// mu guards every field. The rule: a method whose name ends in Locked
// expects mu held; any other method takes it itself. Outside tests only
// this file takes mu, so nobody holds it while talking to the X server,
// which would make snapshots wait for a busy server.
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

func (m *model) getLocked(id xproto.Window) *node {
	n := m.nodes[id]
	if n == nil {
		n = &node{}
		m.nodes[id] = n
	}
	return n
}

func (m *model) unstackLocked(id xproto.Window) {
	if i := slices.Index(m.stack, id); i >= 0 {
		m.stack = slices.Delete(m.stack, i, i+1)
	}
}

// placeAboveLocked puts a root child directly above sibling (0: at the bottom).
// An unknown sibling puts it on top.
func (m *model) placeAboveLocked(id, sibling xproto.Window) {
	m.unstackLocked(id)
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
	m.mu.Lock()
	defer m.mu.Unlock()
	m.createdLocked(id, x, y, w, h, bw, or)
}

func (m *model) createdLocked(id xproto.Window, x, y, w, h, bw int, or bool) {
	n := m.getLocked(id)
	*n = node{rootChild: true, or: or, x: x, y: y, w: w, h: h, bw: bw, props: n.props, propsRead: n.propsRead}
	m.placeAboveLocked(id, m.topLocked())
}

func (m *model) topLocked() xproto.Window {
	if len(m.stack) == 0 {
		return 0
	}
	return m.stack[len(m.stack)-1]
}

// configured records a root child's new geometry and place in the stack.
// It returns the windows shown through it, to report as changed (none
// when it is unmapped or override-redirect).
func (m *model) configured(id xproto.Window, x, y, w, h, bw int, above xproto.Window, or bool) []xproto.Window {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.getLocked(id)
	n.rootChild, n.or = true, or
	n.x, n.y, n.w, n.h, n.bw = x, y, w, h, bw
	m.placeAboveLocked(id, above)
	if n.or || !n.mapped {
		return nil
	}
	return m.shownInLocked(id)
}

// resized records a client's own size (the same in real and synthetic
// ConfigureNotify events; the position is not, so it is not taken here).
// It returns the client's frame, 0 when id is no known client.
func (m *model) resized(id xproto.Window, w, h, bw int) (frame xproto.Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.nodes[id]
	if n == nil || n.rootChild {
		return 0
	}
	n.w, n.h, n.bw = w, h, bw
	return n.frame
}

// circulated puts a root child on top or at the bottom.
func (m *model) circulated(id xproto.Window, onTop bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if onTop {
		m.placeAboveLocked(id, m.topLocked())
	} else {
		m.placeAboveLocked(id, 0)
	}
}

// reparented moves id into parent at (x, y) of its inside. nested says
// that parent is not a known child of the root (nor the root): a window
// manager that nests frames.
func (m *model) reparented(id, parent xproto.Window, x, y int) (nested bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.getLocked(id)
	f := m.nodes[parent]
	nested = parent != m.root && (f == nil || !f.rootChild)
	if parent == m.root {
		n.rootChild, n.frame = true, 0
		n.x, n.y = x, y
		m.placeAboveLocked(id, m.topLocked())
		return nested
	}
	m.unstackLocked(id)
	n.rootChild = false
	n.frame = parent
	n.ox, n.oy = x+n.bw, y+n.bw
	// A window manager reparents a client into a frame it has just made;
	// other reparenting (tray icons into a panel) is not a managed window.
	n.managed = f != nil && f.rootChild && !f.shownOnce
	return nested
}

// framed records where a client sits in its frame, as read from the server.
func (m *model) framed(id, frame xproto.Window, ox, oy int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := m.nodes[id]; n != nil && !n.rootChild {
		n.frame, n.ox, n.oy = frame, ox, oy
		if f := m.nodes[frame]; f != nil && !f.shownOnce {
			n.managed = true
		}
	}
}

// setFrame records the frame read for a client found in the client list.
func (m *model) setFrame(id, frame xproto.Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.getLocked(id).frame = frame
}

func (m *model) setMappedLocked(id xproto.Window, mapped bool) {
	if n := m.nodes[id]; n != nil {
		n.mapped = mapped
		n.shownOnce = n.shownOnce || mapped
		n.seq++
	}
}

// popupMapped records an override-redirect child of the root as mapped
// and says whether it is one of our own windows.
func (m *model) popupMapped(id xproto.Window) (own bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.setMappedLocked(id, true)
	return m.own[id]
}

// windowMapped records id as mapped and returns the windows to report as
// changed: the clients shown through it when it is a child of the root.
func (m *model) windowMapped(id xproto.Window) []xproto.Window {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.setMappedLocked(id, true)
	if n := m.nodes[id]; n != nil && n.rootChild {
		return m.shownInLocked(id)
	}
	return []xproto.Window{id}
}

// unmapped records id as unmapped and returns the windows to report as
// changed. viaRoot says the event came through the root's selection.
func (m *model) unmapped(id xproto.Window, viaRoot bool) []xproto.Window {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.nodes[id]
	if n == nil {
		return nil
	}
	if viaRoot && !n.rootChild {
		return nil // a client's synthetic withdraw notice; its own event says it
	}
	m.setMappedLocked(id, false)
	if n.rootChild {
		if n.or && n.props.Type != platform.TypeNotification {
			return nil
		}
		return m.shownInLocked(id)
	}
	return []xproto.Window{id}
}

// rootChild reports whether id is a child of the root, and mapped, as of
// the last event read (events are applied as they are read).
func (m *model) rootChild(id xproto.Window) (child, mapped bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.nodes[id]
	return n != nil && n.rootChild, n != nil && n.mapped
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
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.nodes[id]
	if n == nil {
		return false
	}
	shown := m.clients[id] || n.managed || (n.rootChild && n.mapped && (!n.or || n.props.Type == platform.TypeNotification))
	delete(m.nodes, id)
	delete(m.clients, id)
	delete(m.own, id)
	m.spares = slices.DeleteFunc(m.spares, func(s xproto.Window) bool { return s == id })
	m.unstackLocked(id)
	return shown
}

// setProps stores what was read about a known window. The map state in
// the reply is taken only if no map or unmap event was applied since the
// request was sent: events are applied as they arrive, replies later.
func (m *model) setProps(id xproto.Window, p props) {
	m.mu.Lock()
	defer m.mu.Unlock()
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
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := m.nodes[id]; n != nil {
		return n.seq
	}
	return 0
}

// addClient makes a client we did not see created known and returns its
// map sequence, for the property request about to be sent.
func (m *model) addClient(id xproto.Window) (seq uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.getLocked(id).seq
}

// setClients replaces the window manager's client list and says what
// joined and left it, and which of the joined have no properties read.
func (m *model) setClients(list []xproto.Window) (added, removed, unread []xproto.Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	added, removed = m.setClientsLocked(list)
	for _, id := range added {
		if n := m.nodes[id]; n == nil || !n.propsRead {
			unread = append(unread, id)
		}
	}
	return added, removed, unread
}

func (m *model) setClientsLocked(list []xproto.Window) (added, removed []xproto.Window) {
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

// setActive records the active window (0: none).
func (m *model) setActive(id xproto.Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.active = id
}

// setScreens records the screens.
func (m *model) setScreens(s []platform.Screen) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.screens = s
}

// primary is the primary screen's rectangle, else the first screen's;
// ok is false when no screen is known.
func (m *model) primary() (r platform.Rect, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.screens {
		if s.Primary {
			return s.Bounds, true
		}
	}
	if len(m.screens) > 0 {
		return m.screens[0].Bounds, true
	}
	return platform.Rect{}, false
}

// frameOfLocked is the child of the root that holds id (id itself when it is one).
func (m *model) frameOfLocked(id xproto.Window) (xproto.Window, *node) {
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

// shownInLocked lists the windows snapshots show for a child of the root: the
// clients in it when it is a frame, else itself.
func (m *model) shownInLocked(id xproto.Window) []xproto.Window {
	var out []xproto.Window
	for c, n := range m.nodes {
		if !n.rootChild && n.frame != 0 {
			if f, _ := m.frameOfLocked(c); f == id {
				out = append(out, c)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, id)
	}
	return out
}

// windowLocked is a client as snapshots report it.
func (m *model) windowLocked(id xproto.Window) platform.Window {
	n := m.nodes[id]
	w := n.props
	w.ID = platform.WindowID(id)
	w.Minimized = n.iconic || n.hidden
	if n.rootChild {
		w.Visible = n.mapped
		w.Bounds = platform.Rect{X: n.x + n.bw, Y: n.y + n.bw, W: n.w, H: n.h}
		return w
	}
	_, f := m.frameOfLocked(id)
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
	fid, f := m.frameOfLocked(id)
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

// windowsLocked lists what a snapshot shows, bottom first: managed clients (in
// their frame's place), mapped unmanaged windows and notification popups.
func (m *model) windowsLocked() []platform.Window {
	inFrame := map[xproto.Window][]xproto.Window{}
	for id, n := range m.nodes {
		if !n.rootChild && n.frame != 0 {
			if f, _ := m.frameOfLocked(id); f != 0 {
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
					out = append(out, m.windowLocked(c))
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
				out = append(out, m.windowLocked(id))
			}
			continue
		}
		if m.clients[id] || n.mapped {
			out = append(out, m.windowLocked(id))
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
		out = append(out, m.windowLocked(id))
	}
	return out
}

// snapshot copies what the model knows; processes are added by the caller.
func (m *model) snapshot() platform.Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return platform.Snapshot{
		Windows: m.windowsLocked(),
		Active:  platform.WindowID(m.active),
		Screens: slices.Clone(m.screens),
	}
}

// addOwn records a window of our own: nothing to read about it.
func (m *model) addOwn(id xproto.Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.own[id] = true
}

// setCompositor records whether a compositing manager runs; its overlay
// window is unknown again either way.
func (m *model) setCompositor(running bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.composited = running
	m.overlay = 0
}

// compositing reports whether a compositing manager runs.
func (m *model) compositing() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.composited
}

// setOverlay records the compositor's overlay window, unless the
// compositor has gone meanwhile.
func (m *model) setOverlay(id xproto.Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.composited {
		m.overlay = id
	}
}

// useSpare gives cs a spare cover, if one waits, and records it over
// frame, unless a cover is there already: then old is that cover. area is
// where cs's cover goes, copied under the lock (the watcher may move it
// once it is recorded); overlay is the compositor's overlay window.
func (m *model) useSpare(frame xproto.Window, cs *coverState) (old xproto.Window, area platform.Rect, overlay xproto.Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur := m.covers[frame]; cur != nil {
		return cur.id, platform.Rect{}, 0
	}
	if len(m.spares) > 0 {
		cs.id = m.spares[0]
		m.spares = m.spares[1:]
		m.covers[frame] = cs
	}
	return 0, cs.area, m.overlay
}

// addCover records cs over frame as the new window id, unless a cover is
// there already: then old is that cover. area is as in useSpare.
func (m *model) addCover(frame xproto.Window, cs *coverState, id xproto.Window) (old xproto.Window, area platform.Rect) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur := m.covers[frame]; cur != nil {
		return cur.id, platform.Rect{}
	}
	cs.id = id
	m.covers[frame] = cs
	m.own[id] = true
	return 0, cs.area
}

// sparesWanted is how many spare covers to add: while a compositor runs,
// enough for spareCovers to wait.
func (m *model) sparesWanted() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.composited {
		return 0
	}
	return spareCovers - len(m.spares)
}

// addSpare lists a spare cover the server knows now.
func (m *model) addSpare(id xproto.Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.spares = append(m.spares, id)
}

// coverOf is the cover over frame, 0 when none.
func (m *model) coverOf(frame xproto.Window) xproto.Window {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cs := m.covers[frame]; cs != nil {
		return cs.id
	}
	return 0
}

// dropCover forgets the cover over frame and returns it (0: none), and
// whether a compositor runs.
func (m *model) dropCover(frame xproto.Window) (id xproto.Window, composited bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cs := m.covers[frame]; cs != nil {
		id = cs.id
	}
	delete(m.covers, frame)
	return id, m.composited
}

// dropCoverIf forgets the cover over frame if it is cover id (any when 0)
// and returns it (0: none dropped).
func (m *model) dropCoverIf(frame, id xproto.Window) xproto.Window {
	m.mu.Lock()
	defer m.mu.Unlock()
	cs := m.covers[frame]
	if cs == nil || (id != 0 && cs.id != id) {
		return 0
	}
	delete(m.covers, frame)
	return cs.id
}

// moveCover records frame's new outer rectangle r in its cover and
// returns the cover (0: none) and the area it must cover now (see
// followCover).
func (m *model) moveCover(frame xproto.Window, r platform.Rect, shown bool) (id xproto.Window, area platform.Rect) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cs := m.covers[frame]
	if cs == nil {
		return 0, platform.Rect{}
	}
	if shown {
		cs.area = cs.area.Union(ahead(cs.frame, r))
	} else {
		cs.area = cs.path(r)
	}
	cs.frame = r
	return cs.id, cs.area
}

// seenWindow is a window as populate reads it at connect.
type seenWindow struct {
	id             xproto.Window
	x, y, w, h, bw int
	or, mapped     bool
	parent         xproto.Window // clients only
}

// firstRead is the desktop as populate reads it at connect.
type firstRead struct {
	children []seenWindow    // children of the root, those still there
	clients  []seenWindow    // clients in the list, those still there
	list     []xproto.Window // the client list
	active   xproto.Window
	screens  []platform.Screen
}

// load records the desktop read at connect, before any event is applied.
// It returns the windows whose properties to read, those of them to
// watch, and the clients that sit in a frame.
func (m *model) load(r firstRead) (read, watch []xproto.Window, nested []seenWindow) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range r.children {
		m.createdLocked(s.id, s.x, s.y, s.w, s.h, s.bw, s.or)
		m.setMappedLocked(s.id, s.mapped)
		// Whatever is unmapped now was hidden on purpose, not new.
		m.nodes[s.id].shownOnce = true
		if !s.or || s.mapped {
			read = append(read, s.id)
		}
	}
	for _, s := range r.clients {
		n := m.getLocked(s.id)
		n.w, n.h, n.bw = s.w, s.h, s.bw
		n.mapped = s.mapped
		if s.parent != m.root {
			n.rootChild, n.frame = false, s.parent
			nested = append(nested, s)
			if !slices.Contains(read, s.id) {
				read = append(read, s.id)
			}
		}
	}
	m.setClientsLocked(r.list)
	m.active = r.active
	m.screens = r.screens
	for _, id := range read {
		if n := m.nodes[id]; n != nil && !n.or {
			watch = append(watch, id)
		}
	}
	return read, watch, nested
}
