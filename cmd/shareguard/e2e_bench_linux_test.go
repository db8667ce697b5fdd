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
	g := startGuard(b, d, filepath.Join(d.Dir(), "audit.jsonl"))
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

	mark := len(g.events())
	f0 := share.Frames()
	t0 := time.Now()
	var direct []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, err := newProtectedWindow(x)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := xproto.MapWindowChecked(x, w).Check(); err != nil {
			b.Fatal(err)
		}
		if err := waitIconic(ctx, x, w, wmState); err != nil {
			b.Fatalf("appearance %d: %v", i, err)
		}
		direct = append(direct, float64(time.Since(start).Microseconds())/1000)
		// The agent's own record of this appearance, before the next one.
		if _, err := g.waitFrom(ctx, mark, func(auditEvent) bool { return g.count(mark, minimizedJournal) >= i+1 }); err != nil {
			b.Fatal(err)
		}
		xproto.DestroyWindow(x, w)
		// Let the capture show the screen without the window again, so
		// leaked frames of one appearance are not counted for the next.
		time.Sleep(100 * time.Millisecond)
	}
	b.StopTimer()
	elapsed := time.Since(t0)
	time.Sleep(time.Second) // the page reports every 250 ms
	f1 := share.Frames()

	var agent []float64
	for _, e := range g.events()[mark:] {
		if minimizedJournal(e) && e.LatencyMS != nil {
			agent = append(agent, *e.LatencyMS)
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
	b.ReportMetric(float64(leaked)*100/n, "leaked-frames/100")
	b.ReportMetric(float64(leakedSamples)*100/n, "leaked-30fps-samples/100")
	b.ReportMetric(fps, "capture-fps")
	b.Logf("%d appearances, %d agent actions; agent latency p50 %.2f p99 %.2f max %.2f ms; map->Iconic p50 %.2f p99 %.2f max %.2f ms",
		b.N, len(agent), pct(agent, 50), pct(agent, 99), pct(agent, 100), pct(direct, 50), pct(direct, 99), pct(direct, 100))
	b.Logf("page: %d frames in %.1fs (%.1f fps, %dx%d), %d with the window visible; %d timer samples, %d visible; load: %s",
		frames, elapsed.Seconds(), fps, f1.Width, f1.Height, leaked, samples, leakedSamples, loadavg())
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

// waitIconic reads PropertyNotify events until w's WM_STATE is Iconic.
func waitIconic(ctx context.Context, x *xgb.Conn, w xproto.Window, wmState xproto.Atom) error {
	type result struct{ err error }
	done := make(chan result, 1)
	go func() {
		for {
			ev, xerr := x.WaitForEvent()
			if xerr != nil {
				done <- result{fmt.Errorf("X error: %v", xerr)}
				return
			}
			if ev == nil {
				done <- result{fmt.Errorf("X connection closed")}
				return
			}
			pn, ok := ev.(xproto.PropertyNotifyEvent)
			if !ok || pn.Window != w || pn.Atom != wmState || pn.State != xproto.PropertyNewValue {
				continue
			}
			r, err := xproto.GetProperty(x, false, w, wmState, wmState, 0, 2).Reply()
			if err == nil && len(r.Value) >= 4 && xgb.Get32(r.Value) == 3 {
				done <- result{}
				return
			}
		}
	}()
	select {
	case r := <-done:
		return r.err
	case <-ctx.Done():
		return fmt.Errorf("window never iconic: %w", ctx.Err())
	}
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
