//go:build linux

package x11

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// open connects a Desktop to the test desktop.
func open(t testing.TB, xd *xtest.Desktop) *Desktop {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := Open(ctx, Options{Display: xd.Display, BusAddress: xd.BusAddress, Env: xd.Env(), Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// waitEvent reads events until one matches or the deadline passes.
func waitEvent(t testing.TB, d *Desktop, within time.Duration, match func(platform.Event) bool) platform.Event {
	t.Helper()
	timer := time.NewTimer(within)
	defer timer.Stop()
	for {
		select {
		case ev, ok := <-d.Events():
			if !ok {
				t.Fatal("event channel closed")
			}
			if match(ev) {
				return ev
			}
		case <-timer.C:
			t.Fatalf("no matching event within %v", within)
		}
	}
}

func drainEvents(d *Desktop) {
	for {
		select {
		case <-d.Events():
		default:
			return
		}
	}
}

func snapshot(t testing.TB, d *Desktop) platform.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := d.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	return s
}

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func hasWindow(s platform.Snapshot, id platform.WindowID) bool {
	_, ok := s.Window(id)
	return ok
}

func TestOpenWithoutDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	_, err := Open(context.Background(), Options{})
	if err == nil || !strings.Contains(err.Error(), "DISPLAY") {
		t.Fatalf("Open with no DISPLAY: err = %v, want an error naming DISPLAY", err)
	}
	// A display number nobody serves.
	_, err = Open(context.Background(), Options{Display: ":987"})
	if err == nil || !strings.Contains(err.Error(), ":987") {
		t.Fatalf("Open(:987): err = %v, want an error naming the display", err)
	}
}

func TestSnapshotXterm(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	title := "Journal — Åsa Öberg ✓"
	p, id, err := xd.Xterm(ctxT(t, 10*time.Second), title)
	if err != nil {
		t.Fatal(err)
	}
	s := snapshot(t, d)
	w, ok := s.Window(platform.WindowID(id))
	if !ok {
		t.Fatalf("xterm %#x not in snapshot: %+v", id, s.Windows)
	}
	if w.Title != title {
		t.Errorf("title = %q, want %q", w.Title, title)
	}
	if w.Class != "XTerm" {
		t.Errorf("class = %q, want XTerm", w.Class)
	}
	if w.PID != p.Cmd.Process.Pid {
		t.Errorf("pid = %d, want %d", w.PID, p.Cmd.Process.Pid)
	}
	if w.Type != platform.TypeNormal || !w.Visible || w.Minimized || w.OnTop {
		t.Errorf("window = %+v, want a visible normal window", w)
	}
	if w.Bounds.Empty() || w.Bounds.X < 0 || w.Bounds.Y < 0 || w.Bounds.X+w.Bounds.W > 1920 {
		t.Errorf("bounds = %+v, want a rectangle on the 1920x1080 screen", w.Bounds)
	}
	proc, ok := s.Process(w.PID)
	if !ok || proc.Name != "xterm" || proc.Exe != "/usr/bin/xterm" || proc.PPID != os.Getpid() {
		t.Errorf("process = %+v (found %v), want xterm /usr/bin/xterm child of %d", proc, ok, os.Getpid())
	}
	if len(s.Screens) != 1 || s.Screens[0].Bounds != (platform.Rect{W: 1920, H: 1080}) || !s.Screens[0].Primary {
		t.Errorf("screens = %+v, want one primary 1920x1080", s.Screens)
	}
	// Openbox focuses new windows, shortly after mapping them.
	deadline := time.Now().Add(3 * time.Second)
	for s.Active != w.ID && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		s = snapshot(t, d)
	}
	if s.Active != w.ID {
		t.Errorf("active = %#x, want the new xterm %#x", s.Active, w.ID)
	}
}

func TestStackingOrder(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	a, err := xd.CreateWindow("first", "Test")
	if err != nil {
		t.Fatal(err)
	}
	b, err := xd.CreateWindow("second", "Test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xd.FindWindowByTitle(ctxT(t, 5*time.Second), "second"); err != nil {
		t.Fatal(err)
	}
	// Openbox raises new windows: b is above a, bottom-first order.
	var ia, ib = -1, -1
	for i, w := range snapshot(t, d).Windows {
		switch w.ID {
		case platform.WindowID(a.ID):
			ia = i
		case platform.WindowID(b.ID):
			ib = i
		}
	}
	if ia < 0 || ib < 0 || ia > ib {
		t.Fatalf("positions first=%d second=%d, want first below second", ia, ib)
	}
}

func TestRetitleEvent(t *testing.T) {
	xtest.Need(t, "xdotool")
	xd := xtest.Start(t)
	d := open(t, xd)
	_, id, err := xd.Xterm(ctxT(t, 10*time.Second), "before")
	if err != nil {
		t.Fatal(err)
	}
	drainEvents(d)
	sent := time.Now()
	out, err := xd.Command(ctxT(t, 5*time.Second), "xdotool", "set_window", "--name", "after 19121212-1212", fmt.Sprint(id)).CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool: %v: %s", err, out)
	}
	ev := waitEvent(t, d, 2*time.Second, func(e platform.Event) bool {
		return e.Kind == platform.WindowChanged && e.Window == platform.WindowID(id)
	})
	if ev.Time.Before(sent) {
		t.Errorf("event stamped %v, before the change was made (%v)", ev.Time, sent)
	}
	t.Logf("title change seen %v after xdotool started", ev.Time.Sub(sent))
	snap := snapshot(t, d)
	w, ok := snap.Window(platform.WindowID(id))
	if !ok || w.Title != "after 19121212-1212" {
		t.Fatalf("window after retitle = %+v (found %v)", w, ok)
	}
}

func TestCreateDestroyEvents(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	drainEvents(d)
	w, err := xd.CreateWindow("short-lived", "Test")
	if err != nil {
		t.Fatal(err)
	}
	waitEvent(t, d, 2*time.Second, func(e platform.Event) bool {
		return e.Kind == platform.WindowCreated && e.Window == platform.WindowID(w.ID)
	})
	if err := w.Destroy(); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, d, 2*time.Second, func(e platform.Event) bool {
		return e.Kind == platform.WindowDestroyed && e.Window == platform.WindowID(w.ID)
	})
	if snap := snapshot(t, d); hasWindow(snap, platform.WindowID(w.ID)) {
		t.Fatal("destroyed window still in snapshot")
	}
}

func TestMinimize(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	_, id, err := xd.Xterm(ctxT(t, 10*time.Second), "TakeCare - journal")
	if err != nil {
		t.Fatal(err)
	}
	if st, err := xd.WMState(id); err != nil || st != 1 {
		t.Fatalf("WM_STATE before = %d, %v; want 1 (normal)", st, err)
	}
	if err := d.Minimize(ctxT(t, 5*time.Second), platform.WindowID(id)); err != nil {
		t.Fatalf("Minimize: %v", err)
	}
	if st, err := xd.WMState(id); err != nil || st != 3 {
		t.Fatalf("WM_STATE after = %d, %v; want 3 (iconic)", st, err)
	}
	snap := snapshot(t, d)
	w, _ := snap.Window(platform.WindowID(id))
	if !w.Minimized || w.Shown() {
		t.Fatalf("snapshot window = %+v, want minimized", w)
	}
	// Already minimized: still fine.
	if err := d.Minimize(ctxT(t, 5*time.Second), platform.WindowID(id)); err != nil {
		t.Fatalf("second Minimize: %v", err)
	}
}

// Unminimize gives windows back; restored bottom first, they keep their
// stacking order.
func TestUnminimizeKeepsStackingOrder(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	ctx := ctxT(t, 20*time.Second)
	var ids []platform.WindowID
	for _, title := range []string{"TakeCare - one", "TakeCare - two"} {
		_, id, err := xd.Xterm(ctx, title)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, platform.WindowID(id))
	}
	order := func() []platform.WindowID {
		var out []platform.WindowID
		for _, w := range snapshot(t, d).Windows {
			if w.ID == ids[0] || w.ID == ids[1] {
				out = append(out, w.ID)
			}
		}
		return out
	}
	before := order()
	for _, id := range ids {
		if err := d.Minimize(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range before { // bottom first
		if err := d.Unminimize(ctx, id); err != nil {
			t.Fatalf("Unminimize: %v", err)
		}
		if st, err := xd.WMState(uint32(id)); err != nil || st != 1 {
			t.Fatalf("WM_STATE after Unminimize = %d, %v; want 1 (normal)", st, err)
		}
	}
	if after := order(); !slices.Equal(after, before) {
		t.Errorf("stacking after = %v, before = %v", after, before)
	}
	snap := snapshot(t, d)
	if w, _ := snap.Window(ids[0]); !w.Shown() {
		t.Errorf("snapshot after Unminimize = %+v, want shown", w)
	}
	// Not minimized: nothing to do.
	if err := d.Unminimize(ctx, ids[0]); err != nil {
		t.Errorf("Unminimize of a shown window: %v", err)
	}
}

func TestMinimizeMissingWindow(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	err := d.Minimize(ctxT(t, 5*time.Second), platform.WindowID(0x7ffffff))
	if err == nil {
		t.Fatal("Minimize of a window that does not exist succeeded")
	}
}

func TestMinimizeWithoutWM(t *testing.T) {
	// Nobody acts on WM_CHANGE_STATE: Minimize must say so, not pretend.
	xd := xtest.Start(t, xtest.WithoutWM(), xtest.WithoutNotifications())
	d := open(t, xd)
	w, err := xd.CreateWindow("unmanaged", "Test")
	if err != nil {
		t.Fatal(err)
	}
	err = d.Minimize(ctxT(t, 5*time.Second), platform.WindowID(w.ID))
	if err == nil || !strings.Contains(err.Error(), "did not iconify") {
		t.Fatalf("Minimize without a window manager: err = %v, want 'did not iconify'", err)
	}
}

func notificationIn(s platform.Snapshot) []platform.Window {
	var out []platform.Window
	for _, w := range s.Windows {
		if w.Type == platform.TypeNotification {
			out = append(out, w)
		}
	}
	return out
}

func TestNotificationPopup(t *testing.T) {
	xtest.Need(t, "notify-send")
	xd := xtest.Start(t)
	d := open(t, xd)
	drainEvents(d)
	if err := xd.NotifySend(ctxT(t, 5*time.Second), "New message", "from 19121212-1212"); err != nil {
		t.Fatal(err)
	}
	ev := waitEvent(t, d, 5*time.Second, func(e platform.Event) bool { return e.Kind == platform.NotificationShown })
	s := snapshot(t, d)
	pops := notificationIn(s)
	if len(pops) != 1 || pops[0].ID != ev.Window {
		t.Fatalf("notification windows = %+v, want exactly the one from the event %#x", pops, ev.Window)
	}
	p := pops[0]
	if !p.Visible || p.Bounds.Empty() || p.Class != "Dunst" {
		t.Errorf("popup = %+v, want a visible Dunst window", p)
	}
	// dunst sets no _NET_WM_PID; X-Resource gives it.
	if proc, ok := s.Process(p.PID); !ok || proc.Name != "dunst" {
		t.Errorf("popup pid %d process = %+v (found %v), want dunst", p.PID, proc, ok)
	}
	if s.Windows[len(s.Windows)-1].ID != p.ID {
		t.Errorf("popup is not last (topmost) in the stacking order")
	}
}

func TestDoNotDisturbDunst(t *testing.T) {
	xtest.Need(t, "notify-send", "dunstctl")
	xd := xtest.Start(t)
	d := open(t, xd)
	ctx := ctxT(t, 30*time.Second)

	prev, err := d.SetDoNotDisturb(ctx, true)
	if err != nil {
		t.Fatalf("SetDoNotDisturb(true): %v", err)
	}
	if prev {
		t.Fatal("SetDoNotDisturb(true) returned previous=true on a fresh dunst")
	}
	out, err := xd.Command(ctx, "dunstctl", "is-paused").Output()
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		t.Fatalf("dunstctl is-paused = %q, %v; want true", out, err)
	}
	if on, err := d.DoNotDisturb(ctx); err != nil || !on {
		t.Fatalf("DoNotDisturb while paused = %v, %v; want true", on, err)
	}
	drainEvents(d)
	if err := xd.NotifySend(ctx, "held back", "while paused"); err != nil {
		t.Fatal(err)
	}
	// Give dunst ample time to (wrongly) show it.
	time.Sleep(700 * time.Millisecond)
	if pops, err := xd.Popups(); err != nil || len(pops) != 0 {
		t.Fatalf("popups while paused = %v, %v; want none", pops, err)
	}
	if pops := notificationIn(snapshot(t, d)); len(pops) != 0 {
		t.Fatalf("snapshot has popups while paused: %+v", pops)
	}

	prev, err = d.SetDoNotDisturb(ctx, false)
	if err != nil {
		t.Fatalf("SetDoNotDisturb(false): %v", err)
	}
	if !prev {
		t.Fatal("SetDoNotDisturb(false) returned previous=false after pausing")
	}
	if on, err := d.DoNotDisturb(ctx); err != nil || on {
		t.Fatalf("DoNotDisturb after unpausing = %v, %v; want false", on, err)
	}
	// Nothing lost: the held notification shows now.
	waitEvent(t, d, 5*time.Second, func(e platform.Event) bool { return e.Kind == platform.NotificationShown })
	if pops := notificationIn(snapshot(t, d)); len(pops) != 1 {
		t.Fatalf("popups after unpause = %+v, want the held one", pops)
	}
	held := false
	for _, n := range xd.Notifications() {
		held = held || n.Summary == "held back"
	}
	if !held {
		t.Fatalf("dunst never displayed the held notification: %+v", xd.Notifications())
	}

	// A user who had paused dunst themselves keeps it paused: previous=true.
	if err := xd.Command(ctx, "dunstctl", "set-paused", "true").Run(); err != nil {
		t.Fatal(err)
	}
	prev, err = d.SetDoNotDisturb(ctx, true)
	if err != nil || !prev {
		t.Fatalf("SetDoNotDisturb(true) over user pause = %v, %v; want previous=true", prev, err)
	}
}

func TestDoNotDisturbWithoutDaemon(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	_, err := d.SetDoNotDisturb(ctxT(t, 10*time.Second), true)
	if !errors.Is(err, platform.ErrUnsupported) {
		t.Fatalf("SetDoNotDisturb with no notification daemon: err = %v, want ErrUnsupported", err)
	}
	for _, c := range d.Capabilities() {
		if c.Name == "do_not_disturb" && (c.Available || c.Detail == "") {
			t.Errorf("capability %+v, want unavailable with a reason", c)
		}
	}
}

func TestNotify(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	drainEvents(d)
	err := d.Notify(ctxT(t, 5*time.Second), platform.Alert{Severity: platform.SeverityCritical, Summary: "shareguard", Body: "A protected window was minimized"})
	if err != nil {
		t.Fatalf("Notify: %v", err)
	}
	ev := waitEvent(t, d, 5*time.Second, func(e platform.Event) bool { return e.Kind == platform.NotificationShown })
	snap := snapshot(t, d)
	w, ok := snap.Window(ev.Window)
	if !ok || w.Type != platform.TypeNotification || !w.Visible {
		t.Fatalf("popup = %+v (found %v)", w, ok)
	}
	// dunst's logging rule shows what it received: our app name and urgency.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ns := xd.Notifications()
		if len(ns) == 1 {
			want := xtest.Notification{App: "shareguard", Summary: "shareguard", Body: "A protected window was minimized", Urgency: "CRITICAL"}
			if ns[0] != want {
				t.Fatalf("dunst got %+v, want %+v", ns[0], want)
			}
			break
		}
		if len(ns) > 1 || time.Now().After(deadline) {
			t.Fatalf("dunst notifications = %+v, want exactly ours", ns)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNotifyWithoutBus(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	d, err := Open(context.Background(), Options{Display: xd.Display, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	err = d.Notify(context.Background(), platform.Alert{Summary: "x"})
	if !errors.Is(err, platform.ErrUnsupported) {
		t.Fatalf("Notify without a bus: err = %v, want ErrUnsupported", err)
	}
}

func TestNotifyWithoutDaemon(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	err := d.Notify(ctxT(t, 5*time.Second), platform.Alert{Summary: "x"})
	if !errors.Is(err, platform.ErrUnsupported) {
		t.Fatalf("Notify with a bus but no daemon: err = %v, want ErrUnsupported", err)
	}
}

func TestChromiumShareIndicator(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	share, err := xd.ShareScreen(ctxT(t, 60*time.Second))
	if err != nil {
		t.Fatalf("%v\n%s", err, xd.Logs())
	}
	want := share.IndicatorTitle()
	id, err := xd.FindWindowByTitle(ctxT(t, 20*time.Second), want)
	if err != nil {
		for _, w := range snapshot(t, d).Windows {
			t.Logf("window %#x %q class %q pid %d type %v ontop %v visible %v", w.ID, w.Title, w.Class, w.PID, w.Type, w.OnTop, w.Visible)
		}
		t.Fatalf("indicator: %v", err)
	}
	s := snapshot(t, d)
	w, ok := s.Window(platform.WindowID(id))
	if !ok {
		t.Fatalf("indicator %#x not in snapshot", id)
	}
	if w.Title != want || !w.OnTop || !w.Visible {
		t.Errorf("indicator = %+v, want title %q, on top, visible", w, want)
	}
	if w.PID != share.Proc.Cmd.Process.Pid {
		t.Errorf("indicator pid = %d, want chromium's %d", w.PID, share.Proc.Cmd.Process.Pid)
	}
	if p, ok := s.Process(w.PID); !ok || !strings.Contains(p.Name, "chrom") {
		t.Errorf("indicator process = %+v (found %v), want chromium", p, ok)
	}
	t.Logf("indicator: %q class %q type %v bounds %+v", w.Title, w.Class, w.Type, w.Bounds)

	// Stopping the share removes the indicator.
	drainEvents(d)
	if err := share.Stop(ctxT(t, 10*time.Second)); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, d, 10*time.Second, func(e platform.Event) bool {
		return e.Kind == platform.WindowDestroyed && e.Window == platform.WindowID(id)
	})
	if hasWindow(snapshot(t, d), platform.WindowID(id)) {
		t.Error("indicator still in snapshot after the share stopped")
	}
}

func TestChromiumWindowShareIndicator(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	if _, _, err := xd.Xterm(ctxT(t, 10*time.Second), "Shared xterm"); err != nil {
		t.Fatal(err)
	}
	share, err := xd.Share(ctxT(t, 60*time.Second), "Shared xterm")
	if err != nil {
		t.Fatalf("%v\n%s", err, xd.Logs())
	}
	want := share.IndicatorTitle()
	if !strings.HasSuffix(want, " is sharing a window.") {
		t.Fatalf("IndicatorTitle = %q", want)
	}
	id, err := xd.FindWindowByTitle(ctxT(t, 20*time.Second), want)
	if err != nil {
		t.Fatalf("indicator: %v", err)
	}
	snap := snapshot(t, d)
	if w, ok := snap.Window(platform.WindowID(id)); !ok || !w.OnTop || w.PID != share.Proc.Cmd.Process.Pid {
		t.Fatalf("indicator = %+v (found %v), want on top with chromium's pid %d", w, ok, share.Proc.Cmd.Process.Pid)
	}
}

func TestDisplayLostAndRestored(t *testing.T) {
	xd := xtest.Start(t, xtest.Restartable())
	d := open(t, xd)
	drainEvents(d)
	xd.KillX()
	ev := waitEvent(t, d, 5*time.Second, func(e platform.Event) bool { return e.Kind == platform.DisplayLost })
	if ev.Err == nil {
		t.Error("DisplayLost without Err")
	}
	if _, err := d.Snapshot(context.Background()); err == nil {
		t.Fatal("Snapshot succeeded with the display gone")
	}
	if err := d.Minimize(context.Background(), 1); err == nil {
		t.Fatal("Minimize succeeded with the display gone")
	}
	xd.RestartX()
	waitEvent(t, d, 15*time.Second, func(e platform.Event) bool { return e.Kind == platform.DisplayRestored })
	_, id, err := xd.Xterm(ctxT(t, 10*time.Second), "after restart")
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshot(t, d)
	if w, ok := snap.Window(platform.WindowID(id)); !ok || w.Title != "after restart" {
		t.Fatalf("snapshot after restore: %+v (found %v)", w, ok)
	}
	// Events flow again on the new connection.
	if err := d.Minimize(ctxT(t, 5*time.Second), platform.WindowID(id)); err != nil {
		t.Fatalf("Minimize after restore: %v", err)
	}
}

func TestCloseEndsEvents(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	timer := time.NewTimer(2 * time.Second)
	defer timer.Stop()
	for {
		select {
		case _, ok := <-d.Events():
			if !ok {
				if _, err := d.Snapshot(context.Background()); err == nil {
					t.Fatal("Snapshot after Close succeeded")
				}
				return
			}
		case <-timer.C:
			t.Fatal("event channel not closed by Close")
		}
	}
}

func TestEmitCoalesces(t *testing.T) {
	d := &Desktop{events: make(chan platform.Event, 2)}
	now := time.Now()
	for i := 1; i <= 5; i++ {
		d.emit(platform.Event{Kind: platform.WindowChanged, Window: platform.WindowID(i), Time: now})
	}
	if !d.dirty.Load() {
		t.Fatal("dropping events did not set the dirty flag")
	}
	// The reader catches up; the next event is preceded by a look-again.
	<-d.events
	<-d.events
	d.emit(platform.Event{Kind: platform.ActiveChanged, Time: now})
	first, second := <-d.events, <-d.events
	if first.Kind != platform.WindowChanged || first.Window != 0 {
		t.Errorf("first after overflow = %+v, want a whole-desktop WindowChanged", first)
	}
	if second.Kind != platform.ActiveChanged {
		t.Errorf("second = %+v, want the new event", second)
	}
	if d.dirty.Load() {
		t.Error("dirty flag still set after the look-again went through")
	}
}

func TestCapabilities(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	got := map[string]platform.Capability{}
	for _, c := range d.Capabilities() {
		got[c.Name] = c
	}
	for _, name := range []string{"window_titles", "minimize", "notifications", "do_not_disturb", "share_detection"} {
		if !got[name].Available {
			t.Errorf("capability %s = %+v, want available", name, got[name])
		}
	}
	if got["do_not_disturb"].Detail != "dunst" {
		t.Errorf("do_not_disturb detail = %q, want dunst", got["do_not_disturb"].Detail)
	}
}

func TestStartTime(t *testing.T) {
	a, ok := startTime(os.Getpid())
	if !ok || a == "" {
		t.Fatalf("startTime(self) = %q, %v", a, ok)
	}
	if _, ok := startTime(1 << 30); ok {
		t.Fatal("startTime of a pid that cannot exist succeeded")
	}
}

func TestOpenFromEnvironment(t *testing.T) {
	xd := xtest.Start(t)
	xd.Setenv(t)
	d, err := Open(context.Background(), Options{}) // DISPLAY and the bus from the environment
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.SetDoNotDisturb(ctxT(t, 5*time.Second), false); err != nil {
		t.Fatalf("SetDoNotDisturb via $DBUS_SESSION_BUS_ADDRESS: %v", err)
	}
	if len(snapshot(t, d).Screens) != 1 {
		t.Fatal("no screen")
	}
}

// TestIdle checks that an idle desktop produces no events, and logs the
// CPU the process used meanwhile (the figure, not an assertion).
func TestIdle(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	if _, _, err := xd.Xterm(ctxT(t, 10*time.Second), "idle"); err != nil {
		t.Fatal(err)
	}
	snapshot(t, d)
	time.Sleep(300 * time.Millisecond) // let openbox settle (focus, stacking)
	drainEvents(d)
	before := cpuTime(t)
	select {
	case ev := <-d.Events():
		t.Fatalf("event on an idle desktop: %+v", ev)
	case <-time.After(time.Second):
	}
	t.Logf("process CPU while idle for 1s: %v", cpuTime(t)-before)
}

func cpuTime(t testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestOwnAlertHeldWhilePaused records a fact the agent must know: dunst's
// pause holds every notification, our critical alerts included, and shows
// them on unpause.
func TestOwnAlertHeldWhilePaused(t *testing.T) {
	xd := xtest.Start(t)
	d := open(t, xd)
	ctx := ctxT(t, 20*time.Second)
	if _, err := d.SetDoNotDisturb(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := d.Notify(ctx, platform.Alert{Severity: platform.SeverityCritical, Summary: "shareguard", Body: "blocked"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if pops, err := xd.Popups(); err != nil || len(pops) != 0 {
		t.Fatalf("popups while paused = %v, %v; want none", pops, err)
	}
	drainEvents(d)
	if _, err := d.SetDoNotDisturb(ctx, false); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, d, 5*time.Second, func(e platform.Event) bool { return e.Kind == platform.NotificationShown })
}
