//go:build linux

package x11

import (
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/capture"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// dark is the brightest channel a covered pixel may have.
const dark = 16

// fading has picom fade windows in and out (its defaults: 0.028 of opacity
// in, 0.03 out, every 10 ms).
var fading = []string{"-f", "--backend", "xrender"}

// fadingDesktop starts a test desktop on a black background with picom
// (args) and the guard, the compositor first unless guardFirst, and a
// grabber reading the root the way a screen share does (GetImage), which
// returns what picom drew.
func fadingDesktop(t *testing.T, args []string, guardFirst bool, opts ...xtest.Option) (*xtest.Desktop, *Desktop, capture.Grabber) {
	t.Helper()
	xtest.Need(t, "picom")
	xd := xtest.Start(t, append(opts, xtest.WithoutNotifications())...)
	if err := xd.BlackBackground(); err != nil {
		t.Fatal(err)
	}
	var d *Desktop
	if guardFirst {
		d = open(t, xd)
	}
	xd.Compositor(args...)
	if !guardFirst {
		d = open(t, xd)
	}
	g, err := capture.Open(xd.Display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return xd, d, g
}

// shot is one capture: when, relative to the cover request, the brightest
// channel, and how dark the window's inside was (0 white, 1 black).
type shot struct {
	at       time.Duration
	max      uint8
	darkness float64
}

func (s shot) String() string {
	return fmt.Sprintf("%.0fms:max %d dark %.0f%%", ms(s.at), s.max, 100*s.darkness)
}

// look grabs area and measures it; inside is the window's white inside.
func look(t *testing.T, g capture.Grabber, area, inside image.Rectangle, since time.Time, buf *image.RGBA) (shot, *image.RGBA) {
	t.Helper()
	img, err := g.Grab(area, buf)
	if err != nil {
		t.Fatal(err)
	}
	s := shot{at: time.Since(since)}
	var sum, n float64
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			i := img.PixOffset(x, y)
			p := img.Pix[i : i+3]
			s.max = max(s.max, p[0], p[1], p[2])
			if (image.Point{X: x, Y: y}).In(inside) {
				sum += float64(p[0]) + float64(p[1]) + float64(p[2])
				n += 3
			}
		}
	}
	if n > 0 {
		s.darkness = 1 - sum/n/255
	}
	return s, img
}

// watch captures area every step for d.
func watch(t *testing.T, g capture.Grabber, area, inside image.Rectangle, since time.Time, d, step time.Duration) []shot {
	t.Helper()
	var out []shot
	var buf *image.RGBA
	for time.Since(since) < d {
		var s shot
		s, buf = look(t, g, area, inside, since, buf)
		out = append(out, s)
		time.Sleep(step)
	}
	return out
}

// leaks counts the captures with any pixel lighter than dark, and says
// when the last of them was taken.
func leaks(shots []shot) (n int, last time.Duration) {
	for _, s := range shots {
		if s.max >= dark {
			n++
			last = s.at
		}
	}
	return n, last
}

func summary(shots []shot) string {
	var b strings.Builder
	for i, s := range shots {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// whiteShown waits until the test window is on the screen at full
// opacity: picom fades a new window in too. It returns the window's frame,
// the frame's area and the window's inside, in root coordinates.
func whiteShown(t *testing.T, d *Desktop, g capture.Grabber, w *xtest.Window) (xproto.Window, platform.Rect, image.Rectangle) {
	t.Helper()
	c, err := d.current()
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	var last shot
	for {
		frame, r, ok := c.m.outer(xproto.Window(w.ID))
		tr, err := xproto.TranslateCoordinates(c.x, xproto.Window(w.ID), c.root, 0, 0).Reply()
		if ok && err == nil && c.m.mapped(frame) {
			inside := image.Rect(int(tr.DstX), int(tr.DstY), int(tr.DstX)+300, int(tr.DstY)+200)
			if last, _ = look(t, g, inside, inside, time.Now(), nil); last.darkness == 0 {
				return frame, r, inside
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the white test window never showed at full opacity (frame known %v, last look %v)", ok, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// knowsOverlay reports whether the guard knows a compositor runs and the
// overlay window it draws into.
func knowsOverlay(c *conn) bool {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	return c.m.composited && c.m.overlay != 0
}

func rect(r platform.Rect) image.Rectangle { return image.Rect(r.X, r.Y, r.X+r.W, r.Y+r.H) }

// TestCoverOpaqueUnderFadingCompositor: with picom fading new windows in,
// the frame's area is black in every capture from the first one after the
// cover was requested, twice in a row; whether picom was running before
// the guard started or started after it, and when picom also draws
// unfocused windows translucent (as ours always are).
func TestCoverOpaqueUnderFadingCompositor(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		guardFirst bool
	}{
		{"compositor first", fading, false},
		{"guard first", fading, true},
		{"inactive translucent", append([]string{"--inactive-opacity", "0.8"}, fading...), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xd, d, g := fadingDesktop(t, tc.args, tc.guardFirst)
			c, err := d.current()
			if err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for !knowsOverlay(c) {
				if time.Now().After(deadline) {
					t.Fatal("the guard never learned the compositor's overlay window")
				}
				time.Sleep(20 * time.Millisecond)
			}
			w, _ := shownWindow(t, xd, d, "TakeCare – Journal")
			for round := 1; round <= 2; round++ {
				frame, r, inside := whiteShown(t, d, g, w)
				start := time.Now()
				if c.cover(xproto.Window(w.ID), frame, r) == 0 {
					t.Fatal("no cover made")
				}
				// The server orders requests across connections only as it
				// reads them: a round trip on the guard's connection makes
				// sure it has handled the cover before the first capture.
				if _, err := xproto.GetInputFocus(c.x).Reply(); err != nil {
					t.Fatal(err)
				}
				shots := watch(t, g, rect(r), inside, start, 200*time.Millisecond, 5*time.Millisecond)
				c.uncover(frame)
				n, last := leaks(shots)
				t.Logf("round %d: %d of %d captures not dark, the last at %.0f ms: %s", round, n, len(shots), ms(last), summary(shots))
				if n > 0 {
					t.Errorf("round %d: %d of %d captures in 200 ms showed the window through its cover (first: %v)", round, n, len(shots), shots[0])
				}
			}
		})
	}
}

// TestMinimizeLeaksNothingUnderFadingCompositor: picom fades an unmapped
// frame out where the window manager left it: at its place, or, after
// openbox's iconify animation, small at the bottom of the screen. From
// Minimize's return until well after, nothing of the window shows
// anywhere on its way.
func TestMinimizeLeaksNothingUnderFadingCompositor(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []xtest.Option
	}{
		{"animated", nil},
		{"at once", []xtest.Option{xtest.WithoutIconifyAnimation()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xd, d, g := fadingDesktop(t, fading, false, tc.opts...)
			w, id := shownWindow(t, xd, d, "TakeCare – Journal")
			_, r, inside := whiteShown(t, d, g, w)
			if err := d.Minimize(ctxT(t, 5*time.Second), id); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			// openbox, with no taskbar icon to go to, takes the frame straight down.
			way := rect(platform.Rect{X: r.X, Y: r.Y, W: r.W, H: 1080 - r.Y})
			shots := watch(t, g, way, inside, start, 1500*time.Millisecond, 5*time.Millisecond)
			n, last := leaks(shots)
			t.Logf("%d of %d captures not dark, the last %.0f ms after Minimize returned: %s", n, len(shots), ms(last), summary(shots))
			if n > 0 {
				t.Errorf("%d of %d captures in 1.5 s after Minimize showed some of the window", n, len(shots))
			}
		})
	}
}
