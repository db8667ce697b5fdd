//go:build linux

package x11

import (
	"slices"
	"testing"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

const testRoot = xproto.Window(1)

func ids(ws []platform.Window) []platform.WindowID {
	var out []platform.WindowID
	for _, w := range ws {
		out = append(out, w.ID)
	}
	return out
}

// windowOf is id as snapshots report it.
func windowOf(m *model, id xproto.Window) platform.Window {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.windowLocked(id)
}

// TestModelManageSequence follows what a reparenting window manager does
// with a new window, step by step, without an X server.
func TestModelManageSequence(t *testing.T) {
	m := newModel(testRoot)
	const client, frame, other = 10, 20, 30
	m.created(other, 0, 0, 100, 100, 0, false)
	m.windowMapped(other)
	m.created(client, 50, 60, 300, 200, 0, false)
	m.setProps(client, props{w: platform.Window{Title: "TakeCare"}})
	if got := ids(m.snapshot().Windows); !slices.Equal(got, []platform.WindowID{other}) {
		t.Fatalf("unmapped new client reported: %v", got)
	}
	// The window manager makes a frame and takes the client into it: from
	// now on the client counts as shown, before anything is drawn.
	m.created(frame, 40, 30, 302, 225, 1, false)
	m.reparented(client, frame, 0, 22)
	w := windowOf(m, client)
	if !w.Visible || w.Bounds != (platform.Rect{X: 41, Y: 53, W: 300, H: 200}) {
		t.Fatalf("client in a new frame = %+v, want visible at 41,53 300x200", w)
	}
	if _, r, ok := m.outer(client); !ok || r != (platform.Rect{X: 40, Y: 30, W: 304, H: 227}) {
		t.Fatalf("outer = %+v %v, want the frame with its border", r, ok)
	}
	if got := ids(m.snapshot().Windows); !slices.Equal(got, []platform.WindowID{other, client}) {
		t.Fatalf("windows = %v, want the client above the other window", got)
	}
	m.windowMapped(client)
	m.windowMapped(frame)
	m.configured(frame, 400, 300, 302, 225, 1, 0, false) // moved, and to the bottom
	w = windowOf(m, client)
	if !w.Visible || w.Bounds.X != 401 || w.Bounds.Y != 323 {
		t.Fatalf("after the frame moved: %+v", w)
	}
	if got := ids(m.snapshot().Windows); !slices.Equal(got, []platform.WindowID{client, other}) {
		t.Fatalf("windows = %v, want the client at the bottom", got)
	}
	// Iconified: the frame is unmapped, WM_STATE says Iconic.
	m.unmapped(frame, false)
	m.unmapped(client, false)
	m.setProps(client, props{w: platform.Window{Title: "TakeCare"}, iconic: true})
	if w := windowOf(m, client); w.Visible || !w.Minimized {
		t.Fatalf("iconified client = %+v", w)
	}
	if _, _, ok := m.outer(client); ok {
		t.Fatal("an iconified client still has an area on screen")
	}
	if known, iconic := m.state(client); !known || !iconic {
		t.Fatalf("state = %v %v", known, iconic)
	}
	if !m.destroyed(client) {
		t.Fatal("destroying a managed client must be reported")
	}
	if got := ids(m.snapshot().Windows); !slices.Equal(got, []platform.WindowID{other}) {
		t.Fatalf("after destroy: %v", got)
	}
}

// TestModelIgnoresEmbeddedWindows: a window reparented into a frame that is
// already shown (a tray icon into a panel) is not a managed window, and
// our own covers are never reported.
func TestModelIgnoresEmbeddedWindows(t *testing.T) {
	m := newModel(testRoot)
	const panel, icon, cover = 10, 11, 12
	m.created(panel, 0, 0, 1920, 30, 0, false)
	m.windowMapped(panel)
	m.setClients([]xproto.Window{panel})
	m.created(icon, 0, 0, 16, 16, 0, false)
	m.reparented(icon, panel, 4, 4)
	m.windowMapped(icon)
	m.created(cover, 0, 0, 50, 50, 0, true)
	m.addOwn(cover)
	m.popupMapped(cover)
	if got := ids(m.snapshot().Windows); !slices.Equal(got, []platform.WindowID{panel}) {
		t.Fatalf("windows = %v, want only the panel", got)
	}
}

// TestModelStacking follows restacking through ConfigureNotify's sibling.
func TestModelStacking(t *testing.T) {
	m := newModel(testRoot)
	for _, id := range []xproto.Window{1, 2, 3} {
		m.created(id+10, 0, 0, 10, 10, 0, false)
		m.windowMapped(id + 10)
	}
	m.configured(11, 0, 0, 10, 10, 0, 13, false) // 11 above 13: top
	m.configured(13, 0, 0, 10, 10, 0, 0, false)  // 13 to the bottom
	if got := ids(m.snapshot().Windows); !slices.Equal(got, []platform.WindowID{13, 12, 11}) {
		t.Fatalf("stack = %v, want 13 12 11", got)
	}
}

func TestAhead(t *testing.T) {
	for _, c := range []struct {
		last, now, want platform.Rect
	}{
		// Not moving: just the frame.
		{platform.Rect{X: 10, Y: 10, W: 100, H: 20}, platform.Rect{X: 10, Y: 10, W: 100, H: 20}, platform.Rect{X: 10, Y: 10, W: 100, H: 20}},
		// Moving down-right and shrinking (openbox's iconify): two more steps ahead.
		{platform.Rect{X: 1500, Y: 300, W: 302, H: 20}, platform.Rect{X: 1519, Y: 475, W: 277, H: 20}, platform.Rect{X: 1519, Y: 475, W: 277 + 38, H: 20 + 350}},
		// Moving up-left.
		{platform.Rect{X: 100, Y: 100, W: 50, H: 50}, platform.Rect{X: 90, Y: 80, W: 50, H: 50}, platform.Rect{X: 70, Y: 40, W: 70, H: 90}},
	} {
		if got := ahead(c.last, c.now); got != c.want {
			t.Errorf("ahead(%+v, %+v) = %+v, want %+v", c.last, c.now, got, c.want)
		}
	}
}
