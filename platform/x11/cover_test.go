//go:build linux

package x11

import (
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// observer records, from its own X connection, what happens to the
// children of the root.
type observer struct {
	x      *xgb.Conn
	root   xproto.Window
	events chan any
}

func observe(t *testing.T, display string) *observer {
	t.Helper()
	x, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)
	root := xproto.Setup(x).DefaultScreen(x).Root
	if err := xproto.ChangeWindowAttributesChecked(x, root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		t.Fatal(err)
	}
	o := &observer{x: x, root: root, events: make(chan any, 1024)}
	go func() {
		for {
			ev, err := x.WaitForEvent()
			if ev == nil && err == nil {
				close(o.events)
				return
			}
			if ev != nil {
				o.events <- ev
			}
		}
	}()
	return o
}

// shownWindow maps a test window and waits until snapshots show it.
func shownWindow(t *testing.T, xd *xtest.Desktop, d *Desktop, title string) (*xtest.Window, platform.WindowID) {
	t.Helper()
	w, err := xd.CreateWindow(title, "Test")
	if err != nil {
		t.Fatal(err)
	}
	id := platform.WindowID(w.ID)
	waitSnapshot(t, d, 5*time.Second, "window shown", func(s platform.Snapshot) bool {
		win, ok := s.Window(id)
		return ok && win.Shown()
	})
	return w, id
}

// mappedCovers lists mapped override-redirect children of the root.
func (o *observer) mappedCovers(t *testing.T) []xproto.Window {
	t.Helper()
	tree, err := xproto.QueryTree(o.x, o.root).Reply()
	if err != nil {
		t.Fatal(err)
	}
	var out []xproto.Window
	for _, w := range tree.Children {
		a, err := xproto.GetWindowAttributes(o.x, w).Reply()
		if err == nil && a.OverrideRedirect && a.MapState == xproto.MapStateViewable {
			out = append(out, w)
		}
	}
	return out
}

// TestMinimizeCoversUntilHidden: Minimize puts a cover over the frame's
// whole area at once, and the cover stays until the window manager has
// unmapped the frame (openbox animates the iconify for a while after
// WM_STATE says Iconic), then goes.
func TestMinimizeCoversUntilHidden(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	w, id := shownWindow(t, xd, d, "TakeCare – Journal")
	o := observe(t, xd.Display)
	tree, err := xproto.QueryTree(o.x, xproto.Window(w.ID)).Reply()
	if err != nil {
		t.Fatal(err)
	}
	frame := tree.Parent
	fg, err := xproto.GetGeometry(o.x, xproto.Drawable(frame)).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Minimize(ctxT(t, 5*time.Second), id); err != nil {
		t.Fatal(err)
	}
	var cover xproto.Window
	var coverRect, want platform.Rect
	want = platform.Rect{X: int(fg.X), Y: int(fg.Y), W: int(fg.Width) + 2*int(fg.BorderWidth), H: int(fg.Height) + 2*int(fg.BorderWidth)}
	frameHidden, coverGone := false, false
	timeout := time.After(5 * time.Second)
	for !coverGone {
		select {
		case ev := <-o.events:
			switch e := ev.(type) {
			case xproto.CreateNotifyEvent:
				if e.OverrideRedirect && cover == 0 {
					cover = e.Window
					coverRect = platform.Rect{X: int(e.X), Y: int(e.Y), W: int(e.Width), H: int(e.Height)}
				}
			case xproto.UnmapNotifyEvent:
				if e.Window == frame {
					if cover == 0 {
						t.Fatal("the frame was unmapped before any cover was made")
					}
					frameHidden = true
				}
			case xproto.DestroyNotifyEvent:
				if e.Window == cover {
					if !frameHidden {
						t.Fatal("the cover went before the frame was unmapped")
					}
					coverGone = true
				}
			}
		case <-timeout:
			t.Fatalf("cover %#x frame hidden %v: the cover never went", cover, frameHidden)
		}
	}
	// The frame, and the way openbox's iconify animation takes it with no
	// taskbar icon to go to: straight down to the bottom of the screen.
	if want.H = 1080 - want.Y; coverRect != want {
		t.Errorf("cover at %+v, want the frame's area down to the screen's bottom %+v", coverRect, want)
	}
	if _, err := xproto.GetWindowAttributes(o.x, cover).Reply(); err == nil {
		t.Errorf("cover %#x still exists", cover)
	}
	if s := snapshot(t, d); len(notificationIn(s)) != 0 || len(s.Windows) != 1 {
		t.Errorf("the cover must not appear in snapshots: %+v", s.Windows)
	}
}

// TestCoverGoesWhenMinimizeFails: with no window manager nothing iconifies
// the window; the cover must not stay over it.
func TestCoverGoesWhenMinimizeFails(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutWM(), xtest.WithoutNotifications())
	d := open(t, xd)
	_, id := shownWindow(t, xd, d, "unmanaged")
	o := observe(t, xd.Display)
	if err := d.Minimize(ctxT(t, 5*time.Second), id); err == nil {
		t.Fatal("Minimize without a window manager succeeded")
	}
	deadline := time.Now().Add(2 * time.Second)
	for len(o.mappedCovers(t)) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("cover still mapped after the failed Minimize: %x", o.mappedCovers(t))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestLateTimerKeepsNewerCover: the linger timer of an earlier Minimize
// names its own cover; a newer cover over the same frame (the window was
// restored and minimized again) stays.
func TestLateTimerKeepsNewerCover(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutWM(), xtest.WithoutNotifications())
	d := open(t, xd)
	_, id := shownWindow(t, xd, d, "window")
	c, err := d.current()
	if err != nil {
		t.Fatal(err)
	}
	w := xproto.Window(id)
	frame, r, ok := c.m.outer(w)
	if !ok {
		t.Fatal("a shown window has no area")
	}
	first := c.cover(w, frame, r)
	c.uncover(frame)
	second := c.cover(w, frame, r)
	if first == 0 || second == 0 || first == second {
		t.Fatalf("covers %#x then %#x, want two", first, second)
	}
	c.uncoverIf(frame, first)
	// A round trip on the guard's connection: whatever it sent is done.
	if _, err := xproto.GetInputFocus(c.x).Reply(); err != nil {
		t.Fatal(err)
	}
	o := observe(t, xd.Display)
	if cs := o.mappedCovers(t); len(cs) != 1 || cs[0] != second {
		t.Fatalf("mapped covers %x, want only the newer %#x", cs, second)
	}
	c.uncoverIf(frame, second)
	deadline := time.Now().Add(2 * time.Second)
	for len(o.mappedCovers(t)) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("cover %#x still mapped", second)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
