//go:build linux

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// Issue #15 item 3: a popup already on screen when a whole-screen share
// starts stayed in the shared picture until do-not-disturb withdrew it,
// ~190 ms in. The guard now covers it first. The xtest dunst draws popups
// magenta, which the share page counts as leaked in its watched region.

// popupAtShareStart shows a popup, starts a real Chromium share that
// watches the popup's place, and returns how many of the frames of the
// share's first second after its first frame showed the popup, of how
// many. The first frame is taken before anyone can know of the share.
func popupAtShareStart(ctx context.Context, t testing.TB, d *xtest.Desktop, g *guard, note string) (leaked, frames int, err error) {
	mark := len(g.events())
	if err := d.NotifySend(ctx, note); err != nil {
		return 0, 0, err
	}
	ids, err := d.WaitPopups(ctx, 1)
	if err != nil {
		return 0, 0, err
	}
	r, err := d.Geometry(ids[0])
	if err != nil {
		return 0, 0, err
	}
	share, err := d.ShareWith(ctx, xtest.ShareOptions{Watch: &r})
	if err != nil {
		return 0, 0, fmt.Errorf("%w\n%s", err, d.Logs())
	}
	defer share.Stop(ctx)
	if _, err := g.waitFrom(ctx, mark, func(e auditEvent) bool {
		return e.Event == "action" && e.Action == "cover" && e.Kind == "popup" && e.OK != nil && *e.OK
	}); err != nil {
		return 0, 0, err
	}
	time.Sleep(time.Second)
	st := share.Frames()
	for wait := time.Now().Add(3 * time.Second); st.Frames == 0 && time.Now().Before(wait); st = share.Frames() {
		time.Sleep(50 * time.Millisecond) // the page reports every so often
	}
	leaked, frames = st.LeakedFrames, max(st.Frames-1, 0)
	if st.FirstLeaked {
		leaked--
	}
	if st.Pixel == "255,0,255" {
		return leaked, frames, fmt.Errorf("the popup is still in the shared picture a second into the share (%d of %d frames)", leaked, frames)
	}
	return leaked, frames, nil
}

// ticker keeps the screen changing, as a clock or a video does on a real
// desktop, so the capture delivers frames all the time and not only when
// something shown changes.
func ticker(t testing.TB, d *xtest.Desktop) {
	d.Run("xterm", "-T", "ticker", "-geometry", "30x2+0+900", "-e", "sh", "-c", "while :; do date +%N; sleep 0.02; done")
}

// TestE2EPopupAtShareStart: the popup on screen when the share starts is
// covered (audited as a "cover" action) and is gone from the shared
// picture. How many frames still showed it is measured by
// BenchmarkE2EPopupAtShareStart, not asserted: it is a race with the
// capture's first frames on a shared machine.
func TestE2EPopupAtShareStart(t *testing.T) {
	d := e2eDesktop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	g := startGuard(t, d, filepath.Join(d.Dir(), "audit.jsonl"))
	ticker(t, d)
	leaked, frames, err := popupAtShareStart(ctx, t, d, g, "Ny chatt")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("popup in %d of the %d frames after the first in the share's first second", leaked, frames)
}

// BenchmarkE2EPopupAtShareStart: b.N shares, each started with a popup on
// screen; reports the frames of each share's first second that showed it
// (target: none after the first frame). On Xvfb the page gets only one or
// two frames in that second, so this is a coarse figure: the X-level proof
// that the popup is black from the cover on is TestCoverPopup.
func BenchmarkE2EPopupAtShareStart(b *testing.B) {
	xtest.Need(b, "Xvfb", "openbox", "dunst", "dunstctl", "notify-send", "chromium", "go")
	d := xtest.Start(b)
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(b.N)*time.Minute)
	defer cancel()
	g := startGuard(b, d, filepath.Join(d.Dir(), "audit.jsonl"))
	ticker(b, d)
	var leakedSum, framesSum, worst, withLeak int
	for i := 0; i < b.N; i++ {
		leaked, frames, err := popupAtShareStart(ctx, b, d, g, fmt.Sprintf("Ny chatt %d", i))
		if err != nil {
			b.Fatal(err)
		}
		leakedSum += leaked
		framesSum += frames
		worst = max(worst, leaked)
		if leaked > 0 {
			withLeak++
		}
		if err := d.WaitDunstPaused(ctx, false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(leakedSum)/float64(b.N), "popup-frames/share")
	b.ReportMetric(float64(worst), "worst-popup-frames")
	b.ReportMetric(float64(withLeak), "shares-with-popup-frames")
	b.ReportMetric(float64(framesSum)/float64(b.N), "later-frames-in-1s/share")
}
