//go:build linux

package x11

import (
	"fmt"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// waitSnapshot takes snapshots until ok holds for one.
func waitSnapshot(t testing.TB, d *Desktop, within time.Duration, what string, ok func(platform.Snapshot) bool) platform.Snapshot {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		s := snapshot(t, d)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v; last snapshot %+v", what, within, s.Windows)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestModelFollowsAppearances creates, minimizes and destroys many windows
// in a row: the model must show each one, titled, then minimized, then gone.
func TestModelFollowsAppearances(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	c, err := d.current()
	if err != nil {
		t.Fatal(err)
	}
	known := func() int {
		c.m.mu.Lock()
		defer c.m.mu.Unlock()
		return len(c.m.nodes) + len(c.m.covers) + len(c.m.own)
	}
	before := known()
	for i := range 150 {
		title := fmt.Sprintf("TakeCare – Journal %d", i)
		w, err := xd.CreateWindow(title, "Journal")
		if err != nil {
			t.Fatal(err)
		}
		id := platform.WindowID(w.ID)
		waitSnapshot(t, d, 5*time.Second, fmt.Sprintf("window %d shown", i), func(s platform.Snapshot) bool {
			win, ok := s.Window(id)
			return ok && win.Shown() && win.Title == title
		})
		if err := d.Minimize(ctxT(t, 5*time.Second), id); err != nil {
			t.Fatalf("window %d: %v", i, err)
		}
		if st, err := xd.WMState(w.ID); err != nil || st != 3 {
			t.Fatalf("window %d: WM_STATE %d, %v after Minimize, want 3 (Iconic)", i, st, err)
		}
		if err := w.Destroy(); err != nil {
			t.Fatal(err)
		}
		waitSnapshot(t, d, 5*time.Second, fmt.Sprintf("window %d gone", i), func(s platform.Snapshot) bool {
			return !hasWindow(s, id)
		})
	}
	// Nothing is kept for windows that are gone (frames, covers included).
	deadline := time.Now().Add(3 * time.Second)
	for known() > before {
		if time.Now().After(deadline) {
			t.Fatalf("the model knows %d windows and covers after 150 came and went, %d before", known(), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestModelMatchesServer drives a desktop through the changes the model
// follows (new windows, titles, moves, restacking, iconify, unmap, a popup,
// a destroyed client) and compares the model with a fresh read of the server
// after each.
func TestModelMatchesServer(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	c, err := d.current()
	if err != nil {
		t.Fatal(err)
	}
	var ws []*xtest.Window
	for i := range 4 {
		w, err := xd.CreateWindow(fmt.Sprintf("window %d", i), "Model")
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	_, xtermID, err := xd.Xterm(ctxT(t, 10*time.Second), "xterm for the model")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		do   func() error
	}{
		{"start", func() error { return nil }},
		{"retitle", func() error { return ws[1].SetTitle("TakeCare – 19121212-1212") }},
		{"raise", func() error { return xd.Activate(ws[0].ID) }},
		{"move", func() error {
			return xd.Command(ctxT(t, 5*time.Second), "xdotool", "windowmove", fmt.Sprint(xtermID), "400", "300").Run()
		}},
		{"resize", func() error {
			return xd.Command(ctxT(t, 5*time.Second), "xdotool", "windowsize", fmt.Sprint(ws[2].ID), "500", "321").Run()
		}},
		{"iconify", func() error { return d.Minimize(ctxT(t, 5*time.Second), platform.WindowID(ws[3].ID)) }},
		{"popup", func() error { return xd.NotifySend(ctxT(t, 5*time.Second), "hello") }},
		{"destroy", func() error { return ws[2].Destroy() }},
		{"unmap", func() error {
			return xd.Command(ctxT(t, 5*time.Second), "xdotool", "windowunmap", fmt.Sprint(ws[1].ID)).Run()
		}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		// The model lags the server by the events in flight: wait until
		// they agree, and show the difference if they never do.
		var model, server []platform.Window
		deadline := time.Now().Add(3 * time.Second)
		for {
			model = snapshot(t, d).Windows
			s, err := c.readAll()
			if err != nil {
				t.Fatalf("%s: read server: %v", st.name, err)
			}
			server = s.Windows
			if same(model, server) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after %s the model differs from the server:\nmodel  %+v\nserver %+v", st.name, model, server)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if len(model) < 3 {
			t.Fatalf("after %s only %d windows: %+v", st.name, len(model), model)
		}
	}
}

// same compares what both report about the same windows; the server read
// lists clients in _NET_CLIENT_LIST_STACKING order, the model in the
// server's own stacking order, which agree for a window manager like
// openbox.
func same(model, server []platform.Window) bool {
	if len(model) != len(server) {
		return false
	}
	for i := range model {
		if model[i] != server[i] {
			return false
		}
	}
	return true
}

// TestModelSeesWindowsMappedAtOnce maps windows the way most programs do:
// create, title and map in one go. Without a window manager the map happens
// before our event selection on the new window takes effect, so no
// MapNotify reaches us: the model must still see each one shown. With
// openbox it must also see each one iconified once minimized.
func TestModelSeesWindowsMappedAtOnce(t *testing.T) {
	for _, wm := range []bool{false, true} {
		t.Run(map[bool]string{false: "no-wm", true: "openbox"}[wm], func(t *testing.T) {
			opts := []xtest.Option{xtest.WithoutNotifications()}
			if !wm {
				opts = append(opts, xtest.WithoutWM())
			}
			xd := xtest.Start(t, opts...)
			d := open(t, xd)
			x, err := xgb.NewConnDisplay(xd.Display)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			scr := xproto.Setup(x).DefaultScreen(x)
			for i := range 60 {
				id, err := xproto.NewWindowId(x)
				if err != nil {
					t.Fatal(err)
				}
				title := fmt.Sprintf("Journal %d", i)
				xproto.CreateWindow(x, scr.RootDepth, id, scr.Root, 100, 100, 200, 150, 0,
					xproto.WindowClassInputOutput, scr.RootVisual, xproto.CwBackPixel, []uint32{scr.WhitePixel})
				xproto.ChangeProperty(x, xproto.PropModeReplace, id, xproto.AtomWmName, xproto.AtomString, 8, uint32(len(title)), []byte(title))
				if err := xproto.MapWindowChecked(x, id).Check(); err != nil {
					t.Fatal(err)
				}
				wid := platform.WindowID(id)
				waitSnapshot(t, d, 5*time.Second, fmt.Sprintf("window %d shown", i), func(s platform.Snapshot) bool {
					w, ok := s.Window(wid)
					return ok && w.Shown() && w.Title == title
				})
				if wm {
					if err := d.Minimize(ctxT(t, 5*time.Second), wid); err != nil {
						t.Fatalf("window %d: %v", i, err)
					}
					if st, err := xd.WMState(uint32(id)); err != nil || st != 3 {
						t.Fatalf("window %d: WM_STATE %d, %v after Minimize, want 3 (Iconic)", i, st, err)
					}
				}
				xproto.DestroyWindow(x, id)
			}
		})
	}
}
