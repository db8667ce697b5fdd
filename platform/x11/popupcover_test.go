//go:build linux

package x11

import (
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// TestCoverPopup: a real dunst popup is covered with black from the next
// request on, and the cover goes with the popup when dunst withdraws it.
func TestCoverPopup(t *testing.T) {
	xtest.Need(t, "notify-send", "dunstctl")
	xd := xtest.Start(t)
	d := open(t, xd)
	o := observe(t, xd.Display)
	ctx := ctxT(t, 20*time.Second)
	before := len(o.mappedCovers(t))
	if err := xd.NotifySend(ctx, "Ny chatt", "Provsvar"); err != nil {
		t.Fatal(err)
	}
	var popup platform.Window
	waitSnapshot(t, d, 5*time.Second, "popup shown", func(s platform.Snapshot) bool {
		pops := notificationIn(s)
		if len(pops) == 1 && pops[0].Shown() {
			popup = pops[0]
			return true
		}
		return false
	})
	if err := d.Cover(ctx, popup.ID); err != nil {
		t.Fatal(err)
	}
	// Our own connection's requests are handled in order: a round trip on
	// it puts the cover before the capture below.
	c, err := d.current()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xproto.GetInputFocus(c.x).Reply(); err != nil {
		t.Fatal(err)
	}
	b := popup.Bounds
	img, err := xproto.GetImage(o.x, xproto.ImageFormatZPixmap, xproto.Drawable(o.root), int16(b.X), int16(b.Y), uint16(b.W), uint16(b.H), 0xffffffff).Reply()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+3 < len(img.Data); i += 4 {
		if img.Data[i] > 15 || img.Data[i+1] > 15 || img.Data[i+2] > 15 {
			t.Fatalf("popup area not black at byte %d after Cover", i)
		}
	}
	if n := len(o.mappedCovers(t)); n < before+2 { // the popup and its cover
		t.Fatalf("%d override-redirect windows mapped, want the popup and a cover", n)
	}
	// Do-not-disturb withdraws the popup; its cover goes with it.
	if err := xd.SetDunstPaused(ctx, true); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(o.mappedCovers(t)) > before {
		if time.Now().After(deadline) {
			t.Fatalf("cover still up after the popup went: %v", o.mappedCovers(t))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
