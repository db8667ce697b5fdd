//go:build linux

package capture

import (
	"image"
	"image/color"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// openCore opens a grabber that uses core GetImage only.
func openCore(display string) (Grabber, error) {
	g := &x11{display: display, noShm: true}
	if err := g.dial(); err != nil {
		return nil, err
	}
	return g, nil
}

// The same pixels through shared memory (Xvfb has MIT-SHM) and through
// core GetImage.
func TestGrabX11(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutWM(), xtest.WithoutNotifications())
	w, err := xd.CreateWindow("white", "shareguard-test") // 300x200 at 50,50, white
	if err != nil {
		t.Fatal(err)
	}
	defer w.Destroy()
	for _, core := range []bool{false, true} {
		name := "shm"
		if core {
			name = "core"
		}
		t.Run(name, func(t *testing.T) { testGrab(t, xd, core) })
	}
}

func testGrab(t *testing.T, xd *xtest.Desktop, core bool) {
	open := Open
	if core {
		open = openCore
	}
	g, err := open(xd.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if usesShm := g.(*x11).shm != nil; usesShm == core {
		t.Fatalf("shared memory in use: %v", usesShm)
	}
	if b := g.Bounds(); b != image.Rect(0, 0, 1920, 1080) {
		t.Fatalf("bounds %v", b)
	}
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	var frame *image.RGBA
	deadline := time.Now().Add(5 * time.Second)
	for {
		frame, err = g.Grab(g.Bounds(), frame)
		if err != nil {
			t.Fatal(err)
		}
		if frame.RGBAAt(200, 150) == white || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := frame.RGBAAt(200, 150); got != white {
		t.Fatalf("inside the window: %v", got)
	}
	if got := frame.RGBAAt(1000, 800); got == white {
		t.Errorf("outside the window is white too")
	}
	// A part of the screen keeps desktop coordinates.
	part, err := g.Grab(image.Rect(40, 40, 120, 90), nil)
	if err != nil {
		t.Fatal(err)
	}
	if part.Rect != image.Rect(40, 40, 120, 90) || part.RGBAAt(100, 80) != white || part.RGBAAt(45, 45) == white {
		t.Errorf("part %v: %v %v", part.Rect, part.RGBAAt(100, 80), part.RGBAAt(45, 45))
	}
	if _, err := g.Grab(image.Rect(5000, 5000, 5010, 5010), nil); err == nil {
		t.Error("off-screen grab succeeded")
	}
}

// BenchmarkGrab compares a full 1920x1080 grab on the kept-open
// connection, through shared memory and through core GetImage, with a
// connection per grab (what kbinani/screenshot does).
func BenchmarkGrab(b *testing.B) {
	xd := xtest.Start(b, xtest.WithoutWM(), xtest.WithoutNotifications())
	// Warm the server up first: its first full-screen reads are slower,
	// which would otherwise count against whichever variant runs first.
	if g, err := Open(xd.Display); err == nil {
		var f *image.RGBA
		for i := 0; i < 10; i++ {
			f, _ = g.Grab(g.Bounds(), f)
		}
		g.Close()
	}
	for _, v := range []struct {
		name string
		open func(string) (Grabber, error)
	}{{"kept-open-shm", Open}, {"kept-open-core", openCore}} {
		b.Run(v.name, func(b *testing.B) {
			g, err := v.open(xd.Display)
			if err != nil {
				b.Fatal(err)
			}
			defer g.Close()
			var f *image.RGBA
			for b.Loop() {
				if f, err = g.Grab(g.Bounds(), f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("connection-per-grab", func(b *testing.B) {
		var f *image.RGBA
		for b.Loop() {
			g, err := Open(xd.Display)
			if err != nil {
				b.Fatal(err)
			}
			if f, err = g.Grab(g.Bounds(), f); err != nil {
				b.Fatal(err)
			}
			g.Close()
		}
	})
}
