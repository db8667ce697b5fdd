package capture

import (
	"image"
	"sync"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// drawnLog collects what a watch reports.
type drawnLog struct {
	mu    sync.Mutex
	areas []image.Rectangle
	more  chan struct{}
}

func (l *drawnLog) drawn(r image.Rectangle) {
	l.mu.Lock()
	l.areas = append(l.areas, r)
	l.mu.Unlock()
	select {
	case l.more <- struct{}{}:
	default:
	}
}

func (l *drawnLog) take() []image.Rectangle {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.areas
	l.areas = nil
	return a
}

// watchLog starts a watch on g that logs what is drawn.
func watchLog(t *testing.T, g Grabber) (*drawnLog, func()) {
	t.Helper()
	log := &drawnLog{more: make(chan struct{}, 1)}
	stop, err := g.(Watcher).Watch(log.drawn)
	if err != nil {
		t.Fatal(err)
	}
	return log, stop
}

// bareDesktop starts a display with no window manager and opens a
// grabber on it.
func bareDesktop(t *testing.T) (*xtest.Desktop, Grabber) {
	t.Helper()
	xd := xtest.Start(t, xtest.WithoutWM(), xtest.WithoutNotifications())
	g, err := Open(xd.Display)
	if err != nil {
		t.Fatal(err)
	}
	return xd, g
}

// waitCovering waits until an area reported covers p.
func (l *drawnLog) waitCovering(t *testing.T, p image.Point) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	var seen []image.Rectangle
	for {
		for _, r := range l.take() {
			if p.In(r) {
				return
			}
			seen = append(seen, r)
		}
		select {
		case <-l.more:
		case <-deadline:
			t.Fatalf("no drawing reported at %v; reported %v", p, seen)
		}
	}
}

// A window mapped is reported where it is drawn; after stop nothing is,
// and a new watch reports again.
func TestWatchX11(t *testing.T) {
	xd, g := bareDesktop(t)
	defer g.Close()
	log, stop := watchLog(t, g)
	w, err := xd.CreateWindow("white", "shareguard-test") // 300x200 at 50,50
	if err != nil {
		t.Fatal(err)
	}
	log.waitCovering(t, image.Pt(200, 150))

	stop()
	stop() // twice is harmless
	log.take()
	if err := w.Destroy(); err != nil { // the root is drawn where it was
		t.Fatal(err)
	}
	// The destroy is drawn at once; a grab round trip makes sure the
	// server has done it, and a moment more lets any event arrive.
	if _, err := g.Grab(image.Rect(0, 0, 1, 1), nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if got := log.take(); len(got) != 0 {
		t.Errorf("reported after stop: %v", got)
	}
	again, stop2 := watchLog(t, g)
	defer stop2()
	w2, err := xd.CreateWindow("white", "shareguard-test")
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Destroy()
	again.waitCovering(t, image.Pt(60, 60))
	if got := log.take(); len(got) != 0 {
		t.Errorf("the stopped watch was called: %v", got)
	}
}

// Close ends the watch's connection and its reader.
func TestWatchClose(t *testing.T) {
	_, g := bareDesktop(t)
	watchLog(t, g)
	g.Close()
	w := &g.(*x11).watch
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.x != nil || w.drawn.Load() != nil {
		t.Fatal("the watch outlived Close")
	}
}

// An area drawn again and again is reported once until the next grab of
// the whole screen, then once again.
func TestWatchOncePerGrab(t *testing.T) {
	xd, g := bareDesktop(t)
	defer g.Close()
	x, err := xgb.NewConnDisplay(xd.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	scr := xproto.Setup(x).DefaultScreen(x)
	win, err := xproto.NewWindowId(x)
	if err != nil {
		t.Fatal(err)
	}
	xproto.CreateWindow(x, scr.RootDepth, win, scr.Root, 100, 100, 200, 100, 0, xproto.WindowClassInputOutput, scr.RootVisual, xproto.CwBackPixel, []uint32{0x336699})
	xproto.MapWindow(x, win)
	x.Sync()
	log, stop := watchLog(t, g)
	defer stop()
	// paint draws the window's background ten times (the same pixels)
	// and returns what was reported, after a moment for the events.
	paint := func() []image.Rectangle {
		for range 10 {
			xproto.ClearArea(x, false, win, 0, 0, 0, 0)
		}
		x.Sync()
		time.Sleep(200 * time.Millisecond)
		return log.take()
	}
	grab := func() {
		if _, err := g.Grab(g.Bounds(), nil); err != nil {
			t.Fatal(err)
		}
	}
	grab()
	log.take()
	if got := paint(); len(got) != 1 || !image.Pt(150, 150).In(got[0]) {
		t.Fatalf("ten paints reported %v, want the window once", got)
	}
	if got := paint(); len(got) != 0 {
		t.Errorf("before a grab, ten more paints reported %v", got)
	}
	if _, err := g.Grab(image.Rect(0, 0, 10, 10), nil); err != nil { // a part
		t.Fatal(err)
	}
	if got := paint(); len(got) != 0 {
		t.Errorf("after a grab of a part, paints reported %v", got)
	}
	grab()
	if got := paint(); len(got) != 1 {
		t.Errorf("after a grab of the whole screen, paints reported %v, want the window once", got)
	}
}

// Under a compositor (picom) windows draw off screen and picom paints the
// screen into its overlay window; that drawing is reported too.
func TestWatchUnderCompositor(t *testing.T) {
	xd, g := bareDesktop(t)
	defer g.Close()
	xd.Compositor()
	log, stop := watchLog(t, g)
	defer stop()
	w, err := xd.CreateWindow("white", "shareguard-test") // 300x200 at 50,50
	if err != nil {
		t.Fatal(err)
	}
	defer w.Destroy()
	log.waitCovering(t, image.Pt(200, 150))
}
