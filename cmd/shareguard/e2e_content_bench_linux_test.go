//go:build linux && cgo && !noocr

package main

// BenchmarkE2EContent measures how fast the real agent hides a window
// because of what it shows, not its title (`make bench-content`, not part
// of `make test`). Nothing here asserts a timing: the figures are
// reported with b.ReportMetric and b.Logf.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/detectors/pnr"
	"github.com/shareguard/shareguard/platform/priority"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// portalPage is a browser-hosted journal with a harmless title: a coloured
// header and a 13 px table, grey text on white. Over server-sent events it
// takes "on NUMBER" (add the row with the personnummer and a magenta
// a status mark the sharing page counts the frames by) and "off". It
// reports when the row was painted.
const portalPage = `<!doctype html><meta charset="utf-8"><title>Vårdportal</title>
<style>
body{margin:0;font:13px "DejaVu Sans",sans-serif;color:#666;background:#fff}
header{background:#1f4e79;color:#fff;padding:10px 16px;font-size:15px}
nav{background:#eef2f6;padding:6px 16px;color:#345}
table{border-collapse:collapse;margin:12px 16px;width:570px}
th{background:#dde6ee;color:#333;text-align:left;padding:4px 8px;font-weight:normal}
td{padding:4px 8px;border-bottom:1px solid #e4e4e4}
.badge{display:inline-block;width:44px;height:14px;background:#ff00ff;margin-right:6px;vertical-align:middle}
</style>
<body><header>Vårdportal · Mottagning Söder</header><nav>Översikt | Bokningar | Meddelanden</nav>
<table id="t"><thead><tr><th>Namn</th><th>Personnummer</th><th>Besök</th><th>Enhet</th></tr></thead>
<tbody>
<tr><td>Lista uppdaterad</td><td>–</td><td>2026-11-30 08:15</td><td>Mottagning Söder</td></tr>
<tr><td>Väntelista</td><td>–</td><td>2026-11-30 09:40</td><td>Mottagning Söder</td></tr>
<tr><td>Kallelser skickade</td><td>–</td><td>2026-11-30 10:05</td><td>Mottagning Söder</td></tr>
</tbody></table>
<p style="margin:12px 16px">Senast inloggad 2026-11-30 07:58. Kontakta support på 08-123 456 78.</p>
<script>
const tb = document.querySelector('#t tbody');
let row = null;
function on(num) {
  if (row) return;
  row = document.createElement('tr');
  row.innerHTML = '<td><span class="badge"></span>Tolvan Tolvansson</td><td>' + num + '</td><td>2026-12-01 13:30</td><td>Mottagning Söder</td>';
  tb.insertBefore(row, tb.firstChild);
  // Painted after two animation frames; a minimized window gets none.
  let sent = false;
  const report = () => { if (!sent) { sent = true; fetch('/drawn?t=' + Date.now()); } };
  requestAnimationFrame(() => requestAnimationFrame(report));
  setTimeout(report, 500);
}
function off() { if (row) { row.remove(); row = null; } fetch('/removed'); }
const es = new EventSource('/control');
es.onmessage = (e) => { if (e.data.startsWith('on ')) on(e.data.slice(3)); if (e.data === 'off') off(); };
es.onopen = () => fetch('/ready');
</script></body>`

// errNotShown: a run whose window went iconic without being mapped first
// has nothing to measure; it is run again.
var errNotShown = errors.New("the window was not mapped before it went iconic")

// portal is the journal window: its Chromium, its X window and the
// channel to its page.
type portal struct {
	proc    *xtest.Proc
	win     uint32
	control chan string
	drawn   chan drawn
	removed chan struct{}
	ready   chan struct{}
	// numbers are valid test personnummer, a new one for each row shown:
	// the guard knows a number it hid before when the same pixels come
	// back, and typed rows must be read, not known.
	numbers []string
	shown   int
}

// testNumbers returns valid personnummer of Tolvan Tolvansson's birth
// date (1912-12-12, Skatteverket's test person) with other serial numbers:
// 12 px digits that differ from row to row.
func testNumbers(b *testing.B) []string {
	var out []string
	for serial := 100; serial < 1000 && len(out) < 200; serial += 7 {
		nine := fmt.Sprintf("121212%03d", serial)
		sum := 0
		for i, c := range nine {
			v := int(c - '0')
			if i%2 == 0 {
				if v *= 2; v > 9 {
					v -= 9
				}
			}
			sum += v
		}
		n := fmt.Sprintf("19121212-%03d%d", serial, (10-sum%10)%10)
		if len(pnr.Find(n)) == 1 {
			out = append(out, n)
		}
	}
	if len(out) < 100 {
		b.Fatalf("only %d test numbers", len(out))
	}
	return out
}

// drawn is the page's report of a painted row.
type drawn struct{ at time.Time }

func startPortal(ctx context.Context, b *testing.B, d *xtest.Desktop) *portal {
	p := &portal{control: make(chan string, 4), drawn: make(chan drawn, 4), removed: make(chan struct{}, 4), ready: make(chan struct{}, 4), numbers: testNumbers(b)}
	done := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, portalPage)
	})
	mux.HandleFunc("/drawn", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		ms, _ := strconv.ParseInt(q.Get("t"), 10, 64)
		p.drawn <- drawn{at: time.UnixMilli(ms)}
	})
	mux.HandleFunc("/removed", func(w http.ResponseWriter, r *http.Request) { p.removed <- struct{}{} })
	mux.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) { p.ready <- struct{}{} })
	mux.HandleFunc("/control", xtest.ControlStream(p.control, done))
	srv := httptest.NewServer(mux)
	b.Cleanup(func() { close(done); srv.Close() })
	profile := filepath.Join(d.Dir(), "chromium-portal")
	if err := os.MkdirAll(profile, 0o700); err != nil {
		b.Fatal(err)
	}
	// Bottom right: clear of the sharing Chromium (top left, 1280x800) and
	// of the notification popups (top right), which at a share's start
	// would cover part of the row and make the number unreadable anyway.
	p.proc = d.Run("chromium", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir="+profile, "--ozone-platform=x11",
		"--password-store=basic", "--no-default-browser-check", "--window-position=1310,600", "--window-size=600,420",
		"--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
		"--app="+srv.URL+"/")
	select {
	case <-p.ready:
	case <-ctx.Done():
		b.Fatalf("the portal page never loaded\n%s", d.Logs())
	}
	win, err := d.FindWindowByTitle(ctx, "Vårdportal")
	if err != nil {
		b.Fatalf("portal window: %v\n%s", err, d.Logs())
	}
	p.win = win
	return p
}

// show adds the row, with a number not shown before, and returns when the
// page painted it.
func (p *portal) show(ctx context.Context) (drawn, error) {
	p.control <- "on " + p.numbers[p.shown%len(p.numbers)]
	p.shown++
	select {
	case dr := <-p.drawn:
		return dr, nil
	case <-ctx.Done():
		return drawn{}, fmt.Errorf("the row was never drawn: %w", ctx.Err())
	}
}

func (p *portal) hide(ctx context.Context) error {
	p.control <- "off"
	select {
	case <-p.removed:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("the row was never removed: %w", ctx.Err())
	}
}

// findMagenta returns the inner part of the magenta mark on the screen.
func findMagenta(x *xgb.Conn) (xtest.Rect, error) {
	scr := xproto.Setup(x).DefaultScreen(x)
	w, h := int(scr.WidthInPixels), int(scr.HeightInPixels)
	img, err := xproto.GetImage(x, xproto.ImageFormatZPixmap, xproto.Drawable(scr.Root), 0, 0, uint16(w), uint16(h), 0xffffffff).Reply()
	if err != nil {
		return xtest.Rect{}, fmt.Errorf("grab the screen: %w", err)
	}
	x0, y0, x1, y1 := w, h, -1, -1
	for y := 0; y < h; y++ {
		for xx := 0; xx < w; xx++ {
			i := (y*w + xx) * 4 // BGRX
			if img.Data[i] == 0xff && img.Data[i+1] == 0 && img.Data[i+2] == 0xff {
				x0, y0, x1, y1 = min(x0, xx), min(y0, y), max(x1, xx), max(y1, y)
			}
		}
	}
	if x1 < 0 || x1-x0 < 20 || y1-y0 < 8 {
		return xtest.Rect{}, fmt.Errorf("no magenta mark on the screen")
	}
	return xtest.Rect{X: x0 + 4, Y: y0 + 2, W: x1 - x0 - 7, H: y1 - y0 - 3}, nil
}

// contentCase is one of the measured situations.
type contentCase struct {
	name       string
	ms, frames []float64 // per run: shown (or drawn) to iconic; frames the page saw
	ticks      int64     // the guard's CPU over the case
	wall       time.Duration
}

func (c *contentCase) report(b *testing.B) {
	b.ReportMetric(pct(c.ms, 50), c.name+"-p50-ms")
	b.ReportMetric(pct(c.ms, 90), c.name+"-p90-ms")
	b.ReportMetric(pct(c.frames, 50), c.name+"-p50-frames")
	b.ReportMetric(pct(c.frames, 90), c.name+"-p90-frames")
	cpu := float64(c.ticks) / 100 / c.wall.Seconds() * 100
	b.ReportMetric(cpu, c.name+"-cpu-%")
	b.Logf("%-10s %2d runs: hidden after p50 %6.0f p90 %6.0f max %6.0f ms (%4.1f / %4.1f frames at 30 fps); frames the page saw p50 %.0f p90 %.0f max %.0f; guard CPU %.1f%% of one core over %.0f s",
		c.name, len(c.ms), pct(c.ms, 50), pct(c.ms, 90), pct(c.ms, 100), pct(c.ms, 50)*30/1000, pct(c.ms, 90)*30/1000,
		pct(c.frames, 50), pct(c.frames, 90), pct(c.frames, 100), cpu, c.wall.Seconds())
}

// BenchmarkE2EContent runs the real agent (default config) during a real
// Chromium screen share while a second Chromium window, titled
// "Vårdportal", shows a personnummer in a 13 px table. Per case,
// SHAREGUARD_CONTENT_RUNS times (default 10), it measures from the moment
// the number is on screen until the window is iconic, and counts the
// frames the sharing page received with the number's row visible:
//   - open:   the window shows the number when the share starts (from the
//     page holding the capture);
//   - start:  the window is raised as the share starts (from its map);
//   - raised: the window, hidden by the guard for its number, is raised
//     again 10 s into a running share (the same pixels: known at once);
//   - raised-new: the window, minimized without a number, is raised 10 s
//     into the share showing one it has not shown before (read);
//   - typed:  the row is drawn into the shared, visible window (from the
//     page's paint), with a number not shown before.
//
// It also reports the guard's CPU over 20 s of a share in which nothing
// changes but the sharing page's preview video (steady).
//
// Run it once (-benchtime=1x); b.N is ignored. SHAREGUARD_CONTENT_CASES
// ("open,typed") runs only those cases.
func BenchmarkE2EContent(b *testing.B) {
	xtest.Need(b, "Xvfb", "openbox", "dunst", "chromium", "go")
	runs := 10
	if n, err := strconv.Atoi(os.Getenv("SHAREGUARD_CONTENT_RUNS")); err == nil && n > 0 {
		runs = n
	}
	d := xtest.Start(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	var env []string
	if os.Getenv("SHAREGUARD_BENCH_TRACE") != "" {
		env = append(env, "SHAREGUARD_LOG=debug") // the guard's timings, in its log under the desktop's dir
	}
	g := startGuard(b, d, filepath.Join(d.Dir(), "audit.jsonl"), env...)
	ctx = g.alive(ctx)
	if out := os.Getenv("SHAREGUARD_BENCH_TRACE"); out != "" && out != "1" {
		// Keep the guard's debug log (timings, no text) after the desktop's
		// dir is gone.
		b.Cleanup(func() { os.WriteFile(out, []byte(g.stderr()), 0o600) })
	}
	pid := g.proc.Cmd.Process.Pid
	if os.Getenv("SHAREGUARD_BENCH_RAISED") != "" {
		raiseLikeRealtimeKit(ctx, pid)
	}
	p := startPortal(ctx, b, d)

	x, err := xgb.NewConnDisplay(d.Display)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	rec, err := record(x, atom(b, x, "WM_STATE"))
	if err != nil {
		b.Fatal(err)
	}
	// The recorder learns of WM_STATE changes through property events.
	if err := xproto.ChangeWindowAttributesChecked(x, xproto.Window(p.win), xproto.CwEventMask,
		[]uint32{xproto.EventMaskPropertyChange}).Check(); err != nil {
		b.Fatal(err)
	}
	// Where the badge is on the screen, found in the screen's own pixels
	// (Chromium draws its own title bar in app windows). The page watches
	// most of it.
	if _, err := p.show(ctx); err != nil {
		b.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	watch, err := findMagenta(x)
	if err != nil {
		b.Fatal(err)
	}
	if err := p.hide(ctx); err != nil {
		b.Fatal(err)
	}
	share, err := d.ShareWith(ctx, xtest.ShareOptions{Watch: &watch})
	if err != nil {
		b.Fatalf("%v\n%s", err, d.Logs())
	}
	for share.Frames().Frames < 10 {
		if ctx.Err() != nil {
			b.Fatal("the page receives no frames")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Calibration: the row shown in a window the guard leaves alone (no
	// number yet... the badge alone) must be seen by the page.
	before := share.Frames().LeakedFrames
	if _, err := p.show(ctx); err != nil {
		b.Fatal(err)
	}
	for t0 := time.Now(); share.Frames().LeakedFrames == before; time.Sleep(20 * time.Millisecond) {
		if time.Since(t0) > 20*time.Second {
			st, _ := d.WMState(p.win)
			b.Fatalf("the page never saw the badge at %+v (page: %+v; portal WM_STATE %d): the frame counts would mean nothing\n%s", watch, share.Frames(), st, g.raw())
		}
	}
	// The guard hides it now; wait for that, then for things to settle.
	if err := d.WaitWMState(ctx, p.win, iconic); err != nil {
		b.Fatalf("the portal was never hidden: %v\n%s", err, g.raw())
	}
	if err := p.hide(ctx); err != nil {
		b.Fatal(err)
	}

	frame := func() (xproto.Window, error) {
		t, err := xproto.QueryTree(x, xproto.Window(p.win)).Reply()
		if err != nil {
			return 0, err
		}
		return t.Parent, nil
	}
	// iconicAfter waits until the window is iconic and returns the time
	// the recorder saw it, and the frames the page counted meanwhile.
	untilIconic := func(a *appearance, leaked0 int) (time.Time, int, error) {
		select {
		case <-a.iconic:
		case <-ctx.Done():
			return time.Time{}, 0, fmt.Errorf("never iconic\n%s", g.raw())
		case <-time.After(60 * time.Second):
			return time.Time{}, 0, fmt.Errorf("not iconic after 60 s")
		}
		time.Sleep(time.Second) // the page reports every 250 ms
		return rec.times().iconic, share.Frames().LeakedFrames - leaked0, nil
	}
	only := os.Getenv("SHAREGUARD_CONTENT_CASES") // e.g. "open,start"; all when empty
	measure := func(c *contentCase, run func(i int) error) {
		if only != "" && !strings.Contains(","+only+",", ","+c.name+",") {
			return
		}
		c0, _ := cpuTicks(pid)
		w0 := time.Now()
		for i, skipped := 0, 0; i < runs; i++ {
			if err := run(i); errors.Is(err, errNotShown) && skipped < runs {
				fmt.Fprintf(os.Stderr, "%s %s run %d: %v; again\n", time.Now().Format("15:04:05.000"), c.name, i, err)
				skipped++
				i--
				continue
			} else if err != nil {
				b.Fatalf("%s run %d: %v", c.name, i, err)
			}
			fmt.Fprintf(os.Stderr, "%s %s run %d: %.0f ms, %.0f frames\n", time.Now().Format("15:04:05.000"), c.name, i, c.ms[len(c.ms)-1], c.frames[len(c.frames)-1])
			if os.Getenv("SHAREGUARD_BENCH_TRACE") != "" {
				t := rec.times()
				fmt.Fprintf(os.Stderr, "  shown %s iconic %s\n", t.shown.Format("15:04:05.000"), t.iconic.Format("15:04:05.000"))
			}
		}
		c1, _ := cpuTicks(pid)
		c.ticks, c.wall = c1-c0, time.Since(w0)
	}
	iconify := func() error {
		if err := d.Iconify(p.win); err != nil {
			return err
		}
		return d.WaitWMState(ctx, p.win, iconic)
	}
	stopShare := func() error {
		mark := len(g.events())
		if err := share.Stop(ctx); err != nil {
			return err
		}
		_, err := g.waitFrom(ctx, mark, isEvent("share_stopped"))
		return err
	}
	// restoreClean brings the window back without the row. Restored
	// during the share, Chromium first shows its last frame, row and all,
	// which the guard knows at once and hides again: so the row goes while
	// the window is minimized, the share stops, the guard gives the window
	// back, Chromium paints it, and the share starts again.
	restoreClean := func() error {
		if err := p.hide(ctx); err != nil {
			return err
		}
		if err := stopShare(); err != nil {
			return err
		}
		if err := d.WaitWMState(ctx, p.win, normal); err != nil {
			return fmt.Errorf("not given back after the share: %w", err)
		}
		time.Sleep(time.Second) // painted without the row
		if err := share.Restart(ctx); err != nil {
			return err
		}
		time.Sleep(3 * time.Second) // the guard has read the new share's screen
		if st, err := d.WMState(p.win); err != nil || st != normal {
			return fmt.Errorf("the window without the row was hidden (WM_STATE %d, %v)", st, err)
		}
		return nil
	}
	// raise brings the window back and records, in c, the time from its
	// map to iconic and the frames the page saw meanwhile; before, if
	// set, runs just before (the share restarting).
	raise := func(c *contentCase, before func() error) error {
		f, err := frame()
		if err != nil {
			return err
		}
		a := rec.expect(xproto.Window(p.win))
		a.frame = f
		if before != nil {
			if err := before(); err != nil {
				return err
			}
		}
		leaked0 := share.Frames().LeakedFrames
		if err := d.Activate(p.win); err != nil {
			return err
		}
		at, n, err := untilIconic(a, leaked0)
		if err != nil {
			return err
		}
		shown := rec.times().shown
		if shown.IsZero() {
			// Iconic with no map seen: the window never left the screen
			// (the iconify before did not take), so there is no time to
			// measure from.
			return errNotShown
		}
		c.ms = append(c.ms, msSince(shown, at))
		c.frames = append(c.frames, float64(n))
		return nil
	}
	b.ResetTimer()

	// raised: 10 s into a running share, the user brings the window back.
	raised := &contentCase{name: "raised"}
	if _, err := p.show(ctx); err != nil {
		b.Fatal(err)
	}
	time.Sleep(10 * time.Second)
	measure(raised, func(i int) error {
		if err := raise(raised, nil); err != nil {
			return err
		}
		time.Sleep(2 * time.Second)
		return nil
	})

	// typed: the row appears in the shared window.
	typed := &contentCase{name: "typed"}
	if err := restoreClean(); err != nil {
		b.Fatal(err)
	}
	measure(typed, func(i int) error {
		a := rec.expect(xproto.Window(p.win))
		leaked0 := share.Frames().LeakedFrames
		dr, err := p.show(ctx)
		if err != nil {
			return err
		}
		at, n, err := untilIconic(a, leaked0)
		if err != nil {
			return err
		}
		typed.ms = append(typed.ms, msSince(dr.at, at))
		typed.frames = append(typed.frames, float64(n))
		return restoreClean()
	})

	// raised-new: the window, minimized by the user while it showed no
	// number, gets one meanwhile and is raised: nothing the guard has
	// seen, so it must be read.
	raisedNew := &contentCase{name: "raised-new"}
	measure(raisedNew, func(i int) error {
		if err := iconify(); err != nil {
			return err
		}
		if _, err := p.show(ctx); err != nil { // painted, or given up after 500 ms, while iconic
			return err
		}
		if err := raise(raisedNew, nil); err != nil {
			return err
		}
		return restoreClean()
	})

	// steady: the share runs and nothing changes but the sharing page's
	// own preview of the capture (a video, as a meeting's camera tiles are).
	c0, _ := cpuTicks(pid)
	w0 := time.Now()
	time.Sleep(20 * time.Second)
	c1, _ := cpuTicks(pid)
	steady := float64(c1-c0) / 100 / time.Since(w0).Seconds() * 100
	b.ReportMetric(steady, "steady-cpu-%")

	// start: the window is raised as the share starts.
	start := &contentCase{name: "start"}
	if _, err := p.show(ctx); err != nil {
		b.Fatal(err)
	}
	measure(start, func(i int) error {
		if err := stopShare(); err != nil {
			return err
		}
		time.Sleep(2 * time.Second) // the guard gives the window back at the end
		if err := iconify(); err != nil {
			return err
		}
		return raise(start, func() error { return share.Restart(ctx) })
	})

	// open: the window shows the number when the share starts.
	open := &contentCase{name: "open"}
	measure(open, func(i int) error {
		if err := stopShare(); err != nil {
			return err
		}
		if err := d.WaitWMState(ctx, p.win, normal); err != nil {
			return fmt.Errorf("not given back after the share: %w", err)
		}
		time.Sleep(time.Second)
		a := rec.expect(xproto.Window(p.win))
		if err := share.Restart(ctx); err != nil {
			return err
		}
		t0 := time.Now()
		leaked0 := share.Frames().LeakedFrames
		at, n, err := untilIconic(a, leaked0)
		if err != nil {
			return err
		}
		open.ms = append(open.ms, msSince(t0, at))
		open.frames = append(open.frames, float64(n))
		return nil
	})
	b.StopTimer()

	for _, c := range []*contentCase{open, start, raised, raisedNew, typed} {
		if len(c.ms) > 0 {
			c.report(b)
		}
	}
	rss, _ := vmRSS(pid)
	b.Logf("steady share, nothing changing but the page's preview video: guard CPU %.1f%% of one core over 20 s", steady)
	b.Logf("guard VmRSS %d kB; load: %s", rss, loadavg())
	if strings.Contains(g.stderr(), "Image too small") || strings.Contains(g.stderr(), "cannot be recognized") {
		b.Errorf("tesseract's own messages reached the guard's stderr")
	}
	mustNot(b, "audit log", g.raw())
}

// raiseLikeRealtimeKit puts the guard's threads where the agent puts them
// itself on a desktop with RealtimeKit (GNOME, KDE and others with
// PipeWire or PulseAudio): nice -10, content reading's low thread 10 below
// (nice 0). The bench runs as root without rtkit, so it sets the levels
// itself, every 200 ms for threads Go makes later
// (SHAREGUARD_BENCH_RAISED=1; TestAgentThreadsRaisedThroughRealtimeKit
// shows the agent doing the same through the real rtkit-daemon).
func raiseLikeRealtimeKit(ctx context.Context, pid int) {
	low := map[int]bool{} // threads the agent lowered, now at 0
	set := func() {
		tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid)) // gone: nothing to do
		for _, e := range tasks {
			tid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			// Getpriority returns 20-nice for a thread.
			p, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
			if err != nil {
				continue
			}
			n := 20 - p
			switch {
			case n == 0 && !low[tid]:
				syscall.Setpriority(syscall.PRIO_PROCESS, tid, -priority.Levels)
			case n == priority.Levels:
				syscall.Setpriority(syscall.PRIO_PROCESS, tid, 0)
				low[tid] = true
			}
		}
	}
	set()
	go func() {
		for ctx.Err() == nil {
			time.Sleep(200 * time.Millisecond)
			set()
		}
	}()
}
