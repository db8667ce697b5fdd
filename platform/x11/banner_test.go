//go:build linux

package x11

import (
	"bytes"
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// TestBanner: a banner is a small window of our own in the bottom right
// corner with the text drawn in it; snapshots never show it (the guard
// must not act on it), and it goes by itself; a newer one replaces it.
func TestBanner(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	o := observe(t, xd.Display)
	before := len(o.mappedCovers(t)) // the window manager's own, if any
	ctx := ctxT(t, 10*time.Second)
	if err := d.Banner(ctx, "shareguard dolde ett fönster under delningen — se ikonen", 600*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var id xproto.Window
	deadline := time.Now().Add(3 * time.Second)
	for id == 0 && time.Now().Before(deadline) {
		for _, w := range o.mappedCovers(t) {
			p, err := xproto.GetProperty(o.x, false, w, xproto.AtomWmClass, xproto.AtomString, 0, 64).Reply()
			if err == nil && bytes.HasPrefix(p.Value, []byte(BannerClass+"\x00")) {
				id = w
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if id == 0 {
		t.Fatal("no banner window mapped")
	}
	g, err := xproto.GetGeometry(o.x, xproto.Drawable(id)).Reply()
	if err != nil {
		t.Fatal(err)
	}
	root, _ := xproto.GetGeometry(o.x, xproto.Drawable(o.root)).Reply()
	if int(g.X)+int(g.Width) < int(root.Width)-100 || int(g.Y)+int(g.Height) < int(root.Height)-100 || g.Width > root.Width/2 {
		t.Errorf("banner at %d,%d %dx%d, want small in the bottom right of %dx%d", g.X, g.Y, g.Width, g.Height, root.Width, root.Height)
	}
	// The text is there: the window holds light text pixels on the dark
	// background (read from the screen, as a capture would).
	img, err := xproto.GetImage(o.x, xproto.ImageFormatZPixmap, xproto.Drawable(o.root), g.X, g.Y, g.Width, g.Height, 0xffffffff).Reply()
	if err != nil {
		t.Fatal(err)
	}
	light, dark := 0, 0
	for i := 0; i+3 < len(img.Data); i += 4 {
		switch {
		case img.Data[i] > 0xc0 && img.Data[i+1] > 0xc0 && img.Data[i+2] > 0xc0:
			light++
		case img.Data[i] == 0x30 && img.Data[i+1] == 0x30 && img.Data[i+2] == 0x30:
			dark++
		}
	}
	if light < 100 || dark < light {
		t.Errorf("banner pixels: %d light, %d background; want text on the background", light, dark)
	}
	snap := snapshot(t, d)
	if _, ok := snap.Window(platform.WindowID(id)); ok {
		t.Error("the banner is in a snapshot: the guard could act on its own window")
	}
	// A newer banner replaces it; the last one goes by itself.
	if err := d.Banner(ctx, "shareguard hid a window during the share - see the tray icon", 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(3 * time.Second)
	for len(o.mappedCovers(t)) > before {
		if time.Now().After(deadline) {
			t.Fatalf("banners still mapped: %v", o.mappedCovers(t))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
