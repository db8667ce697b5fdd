//go:build linux

package main

// Measurements of the real agent on a real X test desktop (run with
// `make bench-e2e`, not part of `make test`). Nothing here asserts a
// timing: the figures are reported with b.ReportMetric and b.Logf.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// Where the protected test window appears, and the part of it the page
// checks for its colour (inside the client area, clear of decorations).
var (
	benchWin   = xtest.Rect{X: 1500, Y: 300, W: 300, H: 200}
	benchWatch = xtest.Rect{X: 1560, Y: 360, W: 180, H: 100}
)

// magenta is #ff00ff on Xvfb's 24-bit TrueColor visual.
const magenta = 0xff00ff

// BenchmarkE2EMinimize maps a magenta window titled like a journal with a
// personnummer b.N times (use -benchtime=100x) during a real Chromium
// screen share, and measures through the real agent:
//   - latency_ms from the audit log (X event to completed minimize),
//   - map request to WM_STATE Iconic as seen by our own X connection,
//   - frames the sharing page received in which the window was visible.
func BenchmarkE2EMinimize(b *testing.B) {
	xtest.Need(b, "Xvfb", "openbox", "dunst", "chromium", "go")
	d := xtest.Start(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	benchConfig(b, d)
	g := startGuard(b, d, filepath.Join(d.Dir(), "audit.jsonl"), benchRealtimeKit(b)...)
	share, err := d.ShareWith(ctx, xtest.ShareOptions{Watch: &benchWatch})
	if err != nil {
		b.Fatalf("%v\n%s", err, d.Logs())
	}
	if _, err := g.waitFrom(ctx, 0, isEvent("share_started")); err != nil {
		b.Fatal(err)
	}
	// Frames must be flowing before the first appearance.
	for share.Frames().Frames < 10 {
		if ctx.Err() != nil {
			b.Fatal("the page receives no frames")
		}
		time.Sleep(50 * time.Millisecond)
	}

	x, err := xgb.NewConnDisplay(d.Display)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	wmState := atom(b, x, "WM_STATE")

	// Calibration: an unprotected magenta window in the same place must be
	// seen by the page, or a count of zero leaked frames means nothing.
	if err := calibrate(ctx, x, share); err != nil {
		b.Fatal(err)
	}
	rec, err := record(x, wmState)
	if err != nil {
		b.Fatal(err)
	}

	mark := len(g.events())
	f0 := share.Frames()
	t0 := time.Now()
	var direct, exposed, hidden []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, err := newProtectedWindow(x)
		if err != nil {
			b.Fatal(err)
		}
		a := rec.expect(w)
		start := time.Now()
		if err := xproto.MapWindowChecked(x, w).Check(); err != nil {
			b.Fatal(err)
		}
		select {
		case <-a.iconic:
		case <-ctx.Done():
			b.Fatalf("appearance %d: window never iconic", i)
		}
		// The agent's own record of this appearance, before the next one.
		if _, err := g.waitFrom(ctx, mark, func(auditEvent) bool { return g.count(mark, minimizedBench) >= i+1 }); err != nil {
			b.Fatal(err)
		}
		t := rec.times()
		for wait := 0; t.hidden.IsZero() && wait < 100; wait++ {
			time.Sleep(5 * time.Millisecond) // the frame may still be animating away
			t = rec.times()
		}
		if os.Getenv("SHAREGUARD_BENCH_TRACE") != "" {
			fmt.Printf("appearance %d: shown %v covered %v hidden %v iconic %v after the map request; exposed %v\n", i, t.shown.Sub(start), t.covered.Sub(start), t.hidden.Sub(start), t.iconic.Sub(start), t.exposed)
		}
		direct = append(direct, msSince(start, t.iconic))
		exposed = append(exposed, exposure(t))
		hidden = append(hidden, msSince(t.shown, t.hidden))
		xproto.DestroyWindow(x, w)
		// Let the capture show the screen without the window again, so
		// leaked frames of one appearance are not counted for the next.
		time.Sleep(100 * time.Millisecond)
	}
	b.StopTimer()
	elapsed := time.Since(t0)
	time.Sleep(time.Second) // the page reports every 250 ms
	f1 := share.Frames()
	rss, _ := vmRSS(g.proc.Cmd.Process.Pid)

	var agent []float64
	unconfirmed := 0
	for _, e := range g.events()[mark:] {
		if minimizedBench(e) && e.LatencyMS != nil {
			agent = append(agent, *e.LatencyMS)
		}
		if minimizedBench(e) && (e.OK == nil || !*e.OK) {
			unconfirmed++
		}
	}
	n := float64(b.N)
	frames := f1.Frames - f0.Frames
	leaked := f1.LeakedFrames - f0.LeakedFrames
	samples := f1.Samples - f0.Samples
	leakedSamples := f1.LeakedSamples - f0.LeakedSamples
	fps := float64(frames) / elapsed.Seconds()
	b.ReportMetric(pct(agent, 50), "agent-p50-ms")
	b.ReportMetric(pct(agent, 99), "agent-p99-ms")
	b.ReportMetric(pct(direct, 50), "x-p50-ms")
	b.ReportMetric(pct(direct, 99), "x-p99-ms")
	b.ReportMetric(pct(exposed, 50), "exposed-p50-ms")
	b.ReportMetric(pct(exposed, 99), "exposed-p99-ms")
	b.ReportMetric(float64(len(slices.DeleteFunc(slices.Clone(exposed), func(v float64) bool { return v == 0 }))), "exposed/100")
	b.ReportMetric(float64(leaked)*100/n, "leaked-frames/100")
	b.ReportMetric(float64(leakedSamples)*100/n, "leaked-30fps-samples/100")
	b.ReportMetric(fps, "capture-fps")
	b.ReportMetric(float64(rss)/1024, "guard-rss-MiB")
	b.Logf("%d appearances, %d agent actions; agent latency (X event to WM_STATE Iconic read back) p50 %.2f p99 %.2f max %.2f ms; map request to Iconic p50 %.2f p99 %.2f max %.2f ms",
		b.N, len(agent), pct(agent, 50), pct(agent, 99), pct(agent, 100), pct(direct, 50), pct(direct, 99), pct(direct, 100))
	b.Logf("seen by another X client: window on screen uncovered p50 %.2f p99 %.2f max %.2f ms; frame mapped to unmapped p50 %.2f p99 %.2f max %.2f ms",
		pct(exposed, 50), pct(exposed, 99), pct(exposed, 100), pct(hidden, 50), pct(hidden, 99), pct(hidden, 100))
	b.Logf("page: %d frames in %.1fs (%.1f fps, %dx%d), %d with the window visible; %d timer samples, %d visible; guard VmRSS %d kB; load: %s",
		frames, elapsed.Seconds(), fps, f1.Width, f1.Height, leaked, samples, leakedSamples, rss, loadavg())
	b.Logf("guard threads (tid: nice): %v; minimizes not confirmed in time: %d", threadNices(b, g.proc.Cmd.Process.Pid), unconfirmed)
	if len(agent) != b.N {
		b.Errorf("%d minimize actions in the audit log for %d appearances", len(agent), b.N)
	}
	mustNot(b, "audit log", g.raw())
}

// BenchmarkE2EIdle measures what `shareguard run --no-tray` costs on an
// idle desktop: CPU time over SHAREGUARD_IDLE_SECONDS (default 60) and
// resident memory. It measures once whatever b.N is (use -benchtime=1x).
func BenchmarkE2EIdle(b *testing.B) {
	xtest.Need(b, "Xvfb", "openbox", "dunst", "go")
	secs := 60
	if s, err := strconv.Atoi(os.Getenv("SHAREGUARD_IDLE_SECONDS")); err == nil && s > 0 {
		secs = s
	}
	d := xtest.Start(b)
	benchConfig(b, d)
	g := startGuard(b, d, filepath.Join(d.Dir(), "audit.jsonl"))
	pid := g.proc.Cmd.Process.Pid
	time.Sleep(2 * time.Second) // start-up work is not idle cost
	c0, err := cpuTicks(pid)
	if err != nil {
		b.Fatal(err)
	}
	w0 := time.Now()
	time.Sleep(time.Duration(secs) * time.Second)
	c1, err := cpuTicks(pid)
	if err != nil {
		b.Fatal(err)
	}
	wall := time.Since(w0).Seconds()
	rss, err := vmRSS(pid)
	if err != nil {
		b.Fatal(err)
	}
	const hz = 100 // USER_HZ on Linux
	cpu := float64(c1-c0) / hz / wall * 100
	b.ReportMetric(cpu, "idle-cpu-%")
	b.ReportMetric(float64(c1-c0)*1000/hz, "idle-cpu-ms")
	b.ReportMetric(float64(rss)/1024, "rss-MiB")
	b.Logf("idle %.0fs: utime+stime %d ticks (%.1f ms) = %.3f%% CPU; VmRSS %d kB; load: %s",
		wall, c1-c0, float64(c1-c0)*1000/hz, cpu, rss, loadavg())
}

// minimizedBench is a minimize of one of the bench's windows, which the
// test process makes itself (minimizedJournal wants xterm's). Failed ones
// count too: on a loaded machine the window manager can take longer than
// the guard waits, and the appearance is over all the same.
func minimizedBench(e auditEvent) bool {
	return e.Event == "action" && e.Action == "minimize" && e.Rule == "TakeCare"
}

// benchRealtimeKit gives the guard a system bus with the real rtkit-daemon
// and polkitd when SHAREGUARD_BENCH_RTKIT is set, so its threads run
// raised (compare with SHAREGUARD_PRIORITY=off). The guard runs as root
// here, which polkit grants what it grants a user at the seat by default.
func benchRealtimeKit(b *testing.B) []string {
	if os.Getenv("SHAREGUARD_BENCH_RTKIT") == "" {
		return nil
	}
	bus := xtest.StartSystemBus(b)
	bus.StartPolkit("")
	bus.StartRealtimeKit()
	return []string{"DBUS_SYSTEM_BUS_ADDRESS=" + bus.Address}
}

// benchConfig writes a user config turning content scanning off when
// SHAREGUARD_BENCH_CONTENT=off, to compare the guard without its OCR
// engine and its own screen sampling. By default the embedded config runs.
func benchConfig(b *testing.B, d *xtest.Desktop) {
	if os.Getenv("SHAREGUARD_BENCH_CONTENT") != "off" {
		return
	}
	dir := filepath.Join(d.Dir(), "config", "shareguard")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte("[content]\nenabled = false\n"), 0o600); err != nil {
		b.Fatal(err)
	}
}

// calibrate maps an unprotected magenta window where the protected ones
// will appear and waits until the page has seen it, then removes it and
// waits until the page's counters have settled.
func calibrate(ctx context.Context, x *xgb.Conn, share *xtest.Share) error {
	w, err := newWindow(x, "shareguard calibration")
	if err != nil {
		return err
	}
	before := share.Frames().LeakedFrames
	mapped := time.Now()
	if err := xproto.MapWindowChecked(x, w).Check(); err != nil {
		return fmt.Errorf("map calibration window: %w", err)
	}
	for share.Frames().LeakedFrames == before {
		if ctx.Err() != nil || time.Since(mapped) > 20*time.Second {
			return fmt.Errorf("the page never saw the magenta calibration window at %+v (page: %+v): the leak count would mean nothing", benchWatch, share.Frames())
		}
		time.Sleep(20 * time.Millisecond)
	}
	xproto.DestroyWindow(x, w)
	for {
		f := share.Frames().LeakedFrames
		time.Sleep(time.Second)
		if share.Frames().LeakedFrames == f {
			return nil
		}
	}
}

// newProtectedWindow creates (unmapped) a magenta window titled like a
// journal with a personnummer, at a fixed place the page watches.
func newProtectedWindow(x *xgb.Conn) (xproto.Window, error) {
	return newWindow(x, journalTitle)
}

// newWindow creates an unmapped magenta window titled title at benchWin.
func newWindow(x *xgb.Conn, titleText string) (xproto.Window, error) {
	scr := xproto.Setup(x).DefaultScreen(x)
	w, err := xproto.NewWindowId(x)
	if err != nil {
		return 0, fmt.Errorf("new window id: %w", err)
	}
	r := benchWin
	err = xproto.CreateWindowChecked(x, scr.RootDepth, w, scr.Root, int16(r.X), int16(r.Y), uint16(r.W), uint16(r.H), 0,
		xproto.WindowClassInputOutput, scr.RootVisual, xproto.CwBackPixel|xproto.CwEventMask,
		[]uint32{magenta, xproto.EventMaskPropertyChange}).Check()
	if err != nil {
		return 0, fmt.Errorf("create window: %w", err)
	}
	utf8, err := internAtom(x, "UTF8_STRING")
	if err != nil {
		return 0, err
	}
	name, err := internAtom(x, "_NET_WM_NAME")
	if err != nil {
		return 0, err
	}
	title := []byte(titleText)
	xproto.ChangeProperty(x, xproto.PropModeReplace, w, name, utf8, 8, uint32(len(title)), title)
	xproto.ChangeProperty(x, xproto.PropModeReplace, w, xproto.AtomWmName, xproto.AtomString, 8, uint32(len(title)), title)
	class := []byte("journal\x00Journal\x00")
	xproto.ChangeProperty(x, xproto.PropModeReplace, w, xproto.AtomWmClass, xproto.AtomString, 8, uint32(len(class)), class)
	// WM_NORMAL_HINTS with USPosition|USSize: the window manager keeps the
	// place, so the page knows where to look.
	h := make([]byte, 18*4)
	xgb.Put32(h[0:], 1|2)
	xgb.Put32(h[4:], uint32(r.X))
	xgb.Put32(h[8:], uint32(r.Y))
	xgb.Put32(h[12:], uint32(r.W))
	xgb.Put32(h[16:], uint32(r.H))
	return w, xproto.ChangePropertyChecked(x, xproto.PropModeReplace, w, xproto.AtomWmNormalHints, xproto.AtomWmSizeHints, 32, 18, h).Check()
}

func internAtom(x *xgb.Conn, name string) (xproto.Atom, error) {
	r, err := xproto.InternAtom(x, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0, fmt.Errorf("intern %s: %w", name, err)
	}
	return r.Atom, nil
}

func atom(b testing.TB, x *xgb.Conn, name string) xproto.Atom {
	a, err := internAtom(x, name)
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// recorder follows one test window at a time from the bench's own X
// connection. It keeps the stacking order, map state and geometry of the
// root's children as the events report them, and after every event asks:
// is the window's frame mapped without a mapped override-redirect window
// (the guard's cover) above it covering all of it? The time that holds is
// the window's exposure. It also notes when the frame was mapped and
// unmapped and when WM_STATE became Iconic. Times are when this client
// received the events, so they compare with each other. It keeps its own
// stacking rather than reuse the guard's window model: a measurement must
// not share the code it measures.
type recorder struct {
	x       *xgb.Conn
	root    xproto.Window
	wmState xproto.Atom
	mu      sync.Mutex
	cur     *appearance
	stack   []xproto.Window // children of the root, bottom first
	mapped  map[xproto.Window]bool
	or      map[xproto.Window]bool
	rect    map[xproto.Window]xtest.Rect
}

type appearance struct {
	win                     xproto.Window
	frame                   xproto.Window
	shown, hidden, iconicAt time.Time
	covered                 time.Time // first cover mapped
	exposedSince            time.Time // zero while not exposed
	exposed                 time.Duration
	iconic                  chan struct{}
}

type appearanceTimes struct {
	shown, covered, hidden, iconic time.Time
	exposed                        time.Duration
}

func record(x *xgb.Conn, wmState xproto.Atom) (*recorder, error) {
	root := xproto.Setup(x).DefaultScreen(x).Root
	r := &recorder{x: x, root: root, wmState: wmState,
		mapped: map[xproto.Window]bool{}, or: map[xproto.Window]bool{}, rect: map[xproto.Window]xtest.Rect{}}
	if err := xproto.ChangeWindowAttributesChecked(x, root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		return nil, fmt.Errorf("select root events: %w", err)
	}
	tree, err := xproto.QueryTree(x, root).Reply()
	if err != nil {
		return nil, fmt.Errorf("query tree: %w", err)
	}
	for _, w := range tree.Children {
		a, aerr := xproto.GetWindowAttributes(x, w).Reply()
		g, gerr := xproto.GetGeometry(x, xproto.Drawable(w)).Reply()
		if aerr != nil || gerr != nil {
			continue
		}
		r.stack = append(r.stack, w)
		r.mapped[w] = a.MapState != xproto.MapStateUnmapped
		r.or[w] = a.OverrideRedirect
		r.rect[w] = xtest.Rect{X: int(g.X), Y: int(g.Y), W: int(g.Width) + 2*int(g.BorderWidth), H: int(g.Height) + 2*int(g.BorderWidth)}
	}
	go r.loop()
	return r, nil
}

func (r *recorder) expect(w xproto.Window) *appearance {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cur = &appearance{win: w, iconic: make(chan struct{})}
	return r.cur
}

func (r *recorder) times() appearanceTimes {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.cur
	t := appearanceTimes{a.shown, a.covered, a.hidden, a.iconicAt, a.exposed}
	if !a.exposedSince.IsZero() {
		t.exposed += time.Since(a.exposedSince)
	}
	return t
}

func (r *recorder) unstack(w xproto.Window) {
	if i := slices.Index(r.stack, w); i >= 0 {
		r.stack = slices.Delete(r.stack, i, i+1)
	}
}

func (r *recorder) placeAbove(w, sibling xproto.Window) {
	r.unstack(w)
	i := 0
	if sibling != 0 {
		i = slices.Index(r.stack, sibling) + 1
		if i == 0 {
			i = len(r.stack)
		}
	}
	r.stack = slices.Insert(r.stack, i, w)
}

func (r *recorder) top() xproto.Window {
	if len(r.stack) == 0 {
		return 0
	}
	return r.stack[len(r.stack)-1]
}

// isExposed: the frame is mapped and no mapped override-redirect window
// above it covers all of it.
func (r *recorder) isExposed(frame xproto.Window) bool {
	if frame == 0 || !r.mapped[frame] {
		return false
	}
	f := r.rect[frame]
	i := slices.Index(r.stack, frame)
	for _, w := range r.stack[i+1:] {
		c := r.rect[w]
		if r.or[w] && r.mapped[w] && c.X <= f.X && c.Y <= f.Y && c.X+c.W >= f.X+f.W && c.Y+c.H >= f.Y+f.H {
			return false
		}
	}
	return true
}

func rectOf(x, y int16, w, h, bw uint16) xtest.Rect {
	return xtest.Rect{X: int(x), Y: int(y), W: int(w) + 2*int(bw), H: int(h) + 2*int(bw)}
}

func (r *recorder) loop() {
	for {
		ev, xerr := r.x.WaitForEvent()
		if ev == nil && xerr == nil {
			return
		}
		now := time.Now()
		r.mu.Lock()
		a := r.cur
		switch e := ev.(type) {
		case xproto.CreateNotifyEvent:
			if e.Parent == r.root {
				r.placeAbove(e.Window, r.top())
				r.or[e.Window] = e.OverrideRedirect
				r.rect[e.Window] = rectOf(e.X, e.Y, e.Width, e.Height, e.BorderWidth)
			}
		case xproto.ConfigureNotifyEvent:
			if e.Event == r.root && e.Window != r.root {
				r.placeAbove(e.Window, e.AboveSibling)
				r.or[e.Window] = e.OverrideRedirect
				r.rect[e.Window] = rectOf(e.X, e.Y, e.Width, e.Height, e.BorderWidth)
			}
		case xproto.CirculateNotifyEvent:
			if e.Event == r.root {
				if e.Place == xproto.PlaceOnTop {
					r.placeAbove(e.Window, r.top())
				} else {
					r.placeAbove(e.Window, 0)
				}
			}
		case xproto.DestroyNotifyEvent:
			if e.Event == r.root {
				r.unstack(e.Window)
				delete(r.mapped, e.Window)
			}
		case xproto.ReparentNotifyEvent:
			if e.Parent == r.root {
				r.placeAbove(e.Window, r.top())
			} else if e.Event == r.root {
				r.unstack(e.Window)
				delete(r.mapped, e.Window)
			}
			if a != nil && e.Window == a.win {
				a.frame = e.Parent
			}
		case xproto.MapNotifyEvent:
			if e.Event == r.root {
				r.mapped[e.Window] = true
				if a != nil && e.Window == a.frame {
					a.shown = now
				} else if a != nil && e.OverrideRedirect && a.covered.IsZero() {
					a.covered = now
				}
			}
		case xproto.UnmapNotifyEvent:
			if e.Event == r.root {
				r.mapped[e.Window] = false
				if a != nil && e.Window == a.frame && a.hidden.IsZero() {
					a.hidden = now
				}
			}
		case xproto.PropertyNotifyEvent:
			if a == nil || e.Window != a.win || e.Atom != r.wmState || e.State != xproto.PropertyNewValue || !a.iconicAt.IsZero() {
				break
			}
			w := a.win
			r.mu.Unlock()
			p, err := xproto.GetProperty(r.x, false, w, r.wmState, r.wmState, 0, 2).Reply()
			r.mu.Lock()
			if err == nil && len(p.Value) >= 4 && xgb.Get32(p.Value) == 3 && a.iconicAt.IsZero() {
				a.iconicAt = now
				close(a.iconic)
			}
		}
		if a != nil && os.Getenv("SHAREGUARD_BENCH_TRACE") == "2" {
			fmt.Printf("%s %T %+v exposed=%v stack-top=%x\n", now.Format("05.000000"), ev, ev, r.isExposed(a.frame), r.stack[max(0, len(r.stack)-4):])
		}
		if a != nil {
			switch exposed := r.isExposed(a.frame); {
			case exposed && a.exposedSince.IsZero():
				a.exposedSince = now
			case !exposed && !a.exposedSince.IsZero():
				a.exposed += now.Sub(a.exposedSince)
				a.exposedSince = time.Time{}
			}
		}
		r.mu.Unlock()
	}
}

// exposure is how long the window's frame was on screen with no cover
// over it, in milliseconds.
func exposure(t appearanceTimes) float64 {
	return float64(t.exposed.Microseconds()) / 1000
}

func msSince(from, to time.Time) float64 {
	if to.IsZero() {
		return 0
	}
	return float64(to.Sub(from).Microseconds()) / 1000
}

// pct is the p-th percentile (nearest rank) of v.
func pct(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// cpuTicks is utime+stime of pid from /proc/PID/stat, in clock ticks.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read stat: %w", err)
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	// After the command: state(0) ppid ... utime is field 14, stime 15 of
	// the whole line, i.e. index 11 and 12 here.
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("parse stat %q", s)
	}
	return u + st, nil
}

// vmRSS is VmRSS of pid in kB.
func vmRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read status: %w", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", pid)
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.TrimSpace(string(b))
}
