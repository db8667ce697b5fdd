//go:build windows

package testwin

import (
	"encoding/json"
	"fmt"
	"image"
	"io"
	"runtime"
	"sort"
	"time"
	"unsafe"

	"github.com/kbinani/screenshot"
	"golang.org/x/sys/windows"
)

// The leak meter: one process grabs the primary screen the way a meeting
// app's screen share does (GDI BitBlt of the desktop, through
// github.com/kbinani/screenshot) at 30 frames a second and counts, in
// each frame, the pixels of the marker colour that protected windows are
// painted in (Spec.Marker). Another process (RunAppearances) makes the
// protected window appear, as a new window and as a user's restore, and
// says when. A frame in which the marker shows leaked. Pixels stay in
// memory; only counts and times leave the meter.

// MarkerRGB is the marker colour: pure magenta.
const MarkerRGB = 0xFF00FF

// markerColorref is MarkerRGB as a Win32 COLORREF (0x00BBGGRR).
const markerColorref = 0x00FF00FF

// Grid is the meter's sampling step in both directions: every Grid-th
// pixel of every Grid-th row is looked at.
const Grid = 4

// LeakSamples is how many marker samples on the grid make a frame a leak:
// 16 samples are about 256 pixels of a 640×480 window (19,200 samples when
// fully shown), far more than any edge or anti-aliasing could give.
const LeakSamples = 16

// CoverSamples is how many black grid samples make a frame one with the
// guard's cover: a 320×240 window's cover is over 4,000 (a window's black
// border is a few dozen).
const CoverSamples = 1000

// Frame is one grab: when it started (Unix ns, NowNS) and how many grid
// samples had the marker colour.
type Frame struct {
	T      int64 `json:"t"`
	Marker int   `json:"m"`
	// Box is where the marker samples are (x0, y0, x1, y1; empty when
	// none): where on the screen a leak was.
	Box [4]int `json:"box,omitempty"`
	// Black counts pure black samples: the guard's cover is black.
	Black int `json:"black,omitempty"`
}

// Meter is what RunMeter reports.
type Meter struct {
	X         int     `json:"x"` // the grabbed region's place on the screen
	Y         int     `json:"y"`
	Width     int     `json:"width"`
	Height    int     `json:"height"`
	Frames    []Frame `json:"frames"`
	GrabP50MS float64 `json:"grab_p50_ms"` // one grab, incl. the library's BGRA->RGBA copy
	GrabP99MS float64 `json:"grab_p99_ms"`
	Errors    int     `json:"errors"`
}

// FPS is the frame rate the meter achieved.
func (m *Meter) FPS() float64 {
	if len(m.Frames) < 2 {
		return 0
	}
	d := float64(m.Frames[len(m.Frames)-1].T-m.Frames[0].T) / 1e9
	return float64(len(m.Frames)-1) / d
}

// RunMeter grabs r of the screen (the primary screen when r is empty)
// every period until stop is closed, then writes a Meter as JSON to out.
// After the first grab it writes a line "ready".
func RunMeter(r image.Rectangle, period time.Duration, stop <-chan struct{}, out io.Writer) error {
	if r.Empty() {
		w, h := primarySize()
		r = image.Rect(0, 0, w, h)
	}
	if r.Empty() {
		return fmt.Errorf("meter: nothing to grab (%v)", r)
	}
	res := Meter{X: r.Min.X, Y: r.Min.Y, Width: r.Dx(), Height: r.Dy(), Frames: make([]Frame, 0, 4096)}
	var grabs []float64
	next := time.Now()
	for {
		select {
		case <-stop:
			res.GrabP50MS, res.GrabP99MS = Percentile(grabs, 50), Percentile(grabs, 99)
			return json.NewEncoder(out).Encode(res)
		default:
		}
		t := NowNS()
		t0 := time.Now()
		img, err := screenshot.CaptureRect(r)
		grabs = append(grabs, float64(time.Since(t0).Microseconds())/1000)
		if err != nil {
			res.Errors++
		} else {
			n, box, black := countMarker(img)
			if n > 0 {
				box[0], box[1], box[2], box[3] = box[0]+r.Min.X, box[1]+r.Min.Y, box[2]+r.Min.X, box[3]+r.Min.Y
			}
			res.Frames = append(res.Frames, Frame{T: t, Marker: n, Box: box, Black: black})
		}
		if len(grabs) == 1 {
			fmt.Fprintln(out, "ready")
		}
		img = nil
		// The next frame is due a period after this one was; a late grab
		// is not followed by a burst of catching up.
		next = next.Add(period)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		} else {
			next = time.Now()
		}
	}
}

// countMarker counts the grid samples of the marker colour, allowing a
// little for colour depth conversion.
func countMarker(img *image.RGBA) (n int, box [4]int, black int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += Grid {
		row := img.Pix[(y-b.Min.Y)*img.Stride:]
		for x := 0; x < b.Dx(); x += Grid {
			p := row[4*x : 4*x+3]
			if p[0] == 0 && p[1] == 0 && p[2] == 0 {
				black++
			}
			if p[0] >= 0xF0 && p[1] <= 0x0F && p[2] >= 0xF0 {
				if n == 0 {
					box = [4]int{x, y, x + 1, y + 1}
				}
				box[0], box[2] = min(box[0], x), max(box[2], x+1)
				box[3] = y + 1
				n++
			}
		}
	}
	return n, box, black
}

var (
	procGetPropW         = user32.NewProc("GetPropW")
	procGetSystemMetrics = user32.NewProc("GetSystemMetrics")
	procPreciseTime      = kernel32.NewProc("GetSystemTimePreciseAsFileTime")
)

// primarySize is the primary monitor's size; it starts at (0, 0).
func primarySize() (int, int) {
	const smCxScreen, smCyScreen = 0, 1
	w, _, _ := procGetSystemMetrics.Call(smCxScreen)
	h, _, _ := procGetSystemMetrics.Call(smCyScreen)
	return int(w), int(h)
}

// wineXWindow is the X window Wine's X11 driver made for h (0 when not
// under Wine, or none yet): any process can read it.
func wineXWindow(h uintptr) uintptr {
	name, _ := windows.UTF16PtrFromString("__wine_x11_whole_window")
	x, _, _ := procGetPropW.Call(h, uintptr(unsafe.Pointer(name)))
	return x
}

// NowNS is the system time in Unix nanoseconds from
// GetSystemTimePreciseAsFileTime: comparable between processes and finer
// than the tick that Go's time.Now may follow on Windows.
func NowNS() int64 {
	var ft [2]uint32
	procPreciseTime.Call(uintptr(unsafe.Pointer(&ft)))
	t := int64(ft[1])<<32 | int64(ft[0]) // 100 ns since 1601
	return (t - 116444736000000000) * 100
}

// Appearance is one protected window appearing: as a new window or
// restored by the user.
type Appearance struct {
	Restore bool  `json:"restore,omitempty"`
	T0      int64 `json:"t0"` // Unix ns (NowNS) just before it was shown
	// IconicMS: show -> IsIconic as its own process saw it, when something
	// else minimized it within the hold; 0 when it did not.
	IconicMS float64 `json:"iconic_ms,omitempty"`
	// SelfMinimized: nothing minimized it within the hold, so the helper
	// did, to go on (the no-guard baseline; a timeout with a guard).
	SelfMinimized bool `json:"self_minimized,omitempty"`
	// For the timeline (cmd: .ci/wine-timeline): the window, its X
	// window under Wine (Wine's "__wine_x11_whole_window" property), and
	// Unix ns (NowNS) just before and after the ShowWindow call, and when
	// its process first saw it iconic.
	Hwnd    uint64 `json:"hwnd,omitempty"`
	XWin    uint64 `json:"xwin,omitempty"`
	TShow   int64  `json:"t_show,omitempty"`
	TShown  int64  `json:"t_shown,omitempty"`
	TIconic int64  `json:"t_iconic,omitempty"`
}

// RunAppearances shows a protected window 2n times: n rounds of a new
// window followed by the same window minimized and restored, as a user
// restores it from the taskbar. Each time it waits up to hold for
// something else to minimize the window, minimizes it itself when nothing
// did, then waits gap, pumping messages throughout. It writes the
// appearances as JSON to out.
func RunAppearances(spec Spec, n int, hold, gap time.Duration, out io.Writer) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	mk := newMaker()
	var res []Appearance
	wait := func(h uintptr, a *Appearance, t0 time.Time) {
		for time.Since(t0) < hold {
			pump()
			if isIconic(h) {
				a.TIconic = NowNS()
				a.IconicMS = float64(time.Since(t0).Microseconds()) / 1000
				return
			}
			time.Sleep(500 * time.Microsecond)
		}
		procShowWindow.Call(h, swMinimize)
		a.SelfMinimized = true
	}
	settle := func() {
		end := time.Now().Add(gap)
		for time.Now().Before(end) {
			pump()
			time.Sleep(time.Millisecond)
		}
	}
	var prev uintptr
	for range n {
		if prev != 0 {
			procDestroyWindow.Call(prev)
		}
		a := Appearance{T0: NowNS()}
		t0 := time.Now()
		h, err := mk.make(spec)
		if err != nil {
			return err
		}
		a.TShow = NowNS()
		mk.show(h, spec)
		a.TShown = NowNS()
		a.Hwnd, a.XWin = uint64(h), uint64(wineXWindow(h))
		prev = h
		wait(h, &a, t0)
		res = append(res, a)
		settle()

		if !isIconic(h) {
			return fmt.Errorf("appearances: window %#x not iconic before its restore", h)
		}
		a = Appearance{Restore: true, T0: NowNS()}
		a.TShow = a.T0
		t0 = time.Now()
		show(h, swRestore)
		a.TShown = NowNS()
		a.Hwnd, a.XWin = uint64(h), uint64(wineXWindow(h))
		wait(h, &a, t0)
		res = append(res, a)
		settle()
	}
	if prev != 0 {
		procDestroyWindow.Call(prev)
	}
	return json.NewEncoder(out).Encode(res)
}

// Leaks is the meter's verdict on one kind of appearance.
type Leaks struct {
	Appearances   int // how many
	Leaky         int // appearances with at least one leaked frame
	LeakedFrames  int // frames with the marker, in all of them
	Frames        int // frames grabbed from their start to the next appearance's
	SelfMinimized int // nothing minimized them within the hold
	Covered       int // frames showing the guard's black cover (on a grey backdrop)
	IconicMS      []float64
}

// Judge attributes each frame to the last appearance that started before
// it and counts the leaks, for new windows and for restores. pre is how
// many frames before the first appearance showed the marker (must be 0:
// the marker colour is elsewhere on the screen otherwise).
func Judge(m *Meter, apps []Appearance) (created, restored Leaks, pre int) {
	apps = append([]Appearance(nil), apps...)
	sort.SliceStable(apps, func(i, j int) bool { return apps[i].T0 < apps[j].T0 })
	leaky := make([]bool, len(apps))
	kind := func(i int) *Leaks {
		if apps[i].Restore {
			return &restored
		}
		return &created
	}
	for i, a := range apps {
		k := kind(i)
		k.Appearances++
		if a.SelfMinimized {
			k.SelfMinimized++
		}
		if a.IconicMS > 0 {
			k.IconicMS = append(k.IconicMS, a.IconicMS)
		}
	}
	for _, f := range m.Frames {
		i := sort.Search(len(apps), func(i int) bool { return apps[i].T0 > f.T }) - 1
		if i < 0 {
			if f.Marker >= LeakSamples {
				pre++
			}
			continue
		}
		k := kind(i)
		k.Frames++
		if f.Black >= CoverSamples {
			k.Covered++
		}
		if f.Marker >= LeakSamples {
			k.LeakedFrames++
			if !leaky[i] {
				leaky[i] = true
				k.Leaky++
			}
		}
	}
	return created, restored, pre
}
