//go:build windows

package windows_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows/registry"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
	sgwin "github.com/shareguard/shareguard/platform/windows"
	"github.com/shareguard/shareguard/platform/windows/internal/testwin"
)

func openDesktop(t *testing.T, opt sgwin.Options) *sgwin.Desktop {
	t.Helper()
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d, err := sgwin.Open(ctx, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func snapshot(t *testing.T, d *sgwin.Desktop) platform.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := d.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	return s
}

// Each share signature for Windows, proven with a real window of a process
// with the right image name: the sharing window is a share, the same app's
// ordinary window (same class, everyday title) is not.
func TestSignatureWindowsAreShares(t *testing.T) {
	cases := []struct {
		sig, exe string
		share    testwin.Spec
		decoy    testwin.Spec
		app      string
	}{
		{"zoom-win-toolbar", "Zoom.exe",
			testwin.Spec{Class: "ZPFloatToolbarClass", Title: "Screen sharing meeting controls", Topmost: true, Tool: true},
			testwin.Spec{Class: "ZPFloatToolbarClass", Title: "Zoom Workplace"}, detectors.AppZoom},
		{"teams-sharing-control-bar", "ms-teams.exe",
			testwin.Spec{Class: "TeamsWebView", Title: "Sharing control bar | Microsoft Teams", Topmost: true, Tool: true},
			testwin.Spec{Class: "TeamsWebView", Title: "Calls | Microsoft Teams"}, detectors.AppTeams},
		{"chromium-win-screen", "chrome.exe",
			testwin.Spec{Class: "Chrome_WidgetWin_1", Title: "meet.google.com is sharing your screen.", Topmost: true, Tool: true},
			testwin.Spec{Class: "Chrome_WidgetWin_1", Title: "How to stop sharing your screen - Google Chrome"}, detectors.AppMeet},
		{"firefox-indicator", "firefox.exe",
			testwin.Spec{Class: "MozillaDialogClass", Title: "Firefox — Sharing Indicator", Topmost: true, Tool: true},
			testwin.Spec{Class: "MozillaWindowClass", Title: "Sharing Indicator docs — Mozilla Firefox"}, detectors.AppFirefox},
	}
	d := openDesktop(t, sgwin.Options{})
	helpers := make([]*helper, len(cases))
	for i, c := range cases {
		helpers[i] = startHelper(t, c.exe, "windows", []testwin.Spec{c.share, c.decoy})
	}
	snap := snapshot(t, d)
	shares := detectors.Shares(&snap, nil)
	for i, c := range cases {
		h := helpers[i]
		t.Run(c.sig, func(t *testing.T) {
			w, ok := snap.Window(platform.WindowID(h.hwnds[0]))
			if !ok {
				t.Fatalf("sharing window %#x not in the snapshot", h.hwnds[0])
			}
			if w.Class != c.share.Class || w.Title != c.share.Title || w.PID != h.pid() || !w.Visible || w.Minimized || !w.OnTop {
				t.Errorf("window read as %+v; want class %q title %q pid %d, visible, on top", w, c.share.Class, c.share.Title, h.pid())
			}
			if p, ok := snap.Process(h.pid()); !ok || !strings.EqualFold(p.Name, c.exe) {
				t.Errorf("process %d = %+v (found %v); want name %s", h.pid(), p, ok, c.exe)
			}
			var got []detectors.Share
			for _, s := range shares {
				if s.PID == h.pid() {
					got = append(got, s)
				}
			}
			if len(got) != 1 || got[0].Signature != c.sig || got[0].App != c.app || got[0].Window != platform.WindowID(h.hwnds[0]) {
				t.Errorf("shares of pid %d = %+v; want one %s share (%s) on window %#x", h.pid(), got, c.sig, c.app, h.hwnds[0])
			}
		})
	}
	// With the sharing windows gone, the decoys alone are no share.
	for _, h := range helpers {
		h.stop(t)
	}
	for i, c := range cases {
		helpers[i] = startHelper(t, c.exe, "windows", []testwin.Spec{c.decoy})
	}
	snap = snapshot(t, d)
	for i, c := range cases {
		for _, s := range detectors.Shares(&snap, nil) {
			if s.PID == helpers[i].pid() {
				t.Errorf("%s: the everyday window %q counts as share %+v", c.sig, c.decoy.Title, s)
			}
		}
	}
}

// A window appearing in another process reaches Events (through a hook or
// the sweep) with its id and a receive time; its end does too.
func TestEventsForNewAndClosedWindow(t *testing.T) {
	d := openDesktop(t, sgwin.Options{})
	start := time.Now()
	h := startHelper(t, "", "windows", []testwin.Spec{{Class: "SgEventTest", Title: "event test"}})
	want := platform.WindowID(h.hwnds[0])
	waitEvent := func(kinds ...platform.EventKind) platform.Event {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case ev, ok := <-d.Events():
				if !ok {
					t.Fatal("event channel closed")
				}
				if ev.Window == want && slices.Contains(kinds, ev.Kind) {
					return ev
				}
			case <-timeout:
				t.Fatalf("no %v event for window %#x within 10 s", kinds, want)
			}
		}
	}
	ev := waitEvent(platform.WindowCreated, platform.WindowChanged, platform.ActiveChanged)
	if ev.Time.Before(start) || time.Since(ev.Time) > 10*time.Second {
		t.Errorf("event time %v not within the test (started %v)", ev.Time, start)
	}
	h.stop(t)
	waitEvent(platform.WindowDestroyed)
}

func TestMinimize(t *testing.T) {
	d := openDesktop(t, sgwin.Options{})
	h := startHelper(t, "", "windows", []testwin.Spec{{Class: "CosmicTest", Title: "Cosmic - Journal 19121212-1212"}})
	id := platform.WindowID(h.hwnds[0])
	before := snapshot(t, d)
	if w, ok := before.Window(id); !ok || w.Minimized || !w.Shown() {
		t.Fatalf("before: window %+v (found %v); want shown", w, ok)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	t0 := time.Now()
	if err := d.Minimize(ctx, id); err != nil {
		t.Fatalf("Minimize: %v", err)
	}
	t.Logf("Minimize (ShowWindowAsync until IsIconic) took %v", time.Since(t0))
	after := snapshot(t, d)
	if w, ok := after.Window(id); !ok || !w.Minimized || w.Shown() {
		t.Errorf("after: window %+v (found %v); want minimized", w, ok)
	}
	// Minimizing again is fine; a window that does not exist is an error.
	if err := d.Minimize(ctx, id); err != nil {
		t.Errorf("Minimize again: %v", err)
	}
	// Given back after the share.
	if err := d.Unminimize(ctx, id); err != nil {
		t.Fatalf("Unminimize: %v", err)
	}
	back := snapshot(t, d)
	if w, ok := back.Window(id); !ok || w.Minimized || !w.Shown() {
		t.Errorf("after Unminimize: window %+v (found %v); want shown", w, ok)
	}
	h.stop(t)
	if err := d.Unminimize(ctx, id); !errors.Is(err, sgwin.ErrNoWindow) {
		t.Errorf("Unminimize of a closed window: %v; want ErrNoWindow", err)
	}
	if err := d.Minimize(ctx, id); !errors.Is(err, sgwin.ErrNoWindow) {
		t.Errorf("Minimize of a closed window: %v; want ErrNoWindow", err)
	}
}

// Do-not-disturb either works and reads back (a real Windows with the
// quiet-hours service) or says plainly that it cannot (Wine has no
// QuietHoursSettings class and no WNF): an error, not a silent success,
// and a capability that is not available, with the reason.
func TestDoNotDisturbWorksOrSaysWhyNot(t *testing.T) {
	ctx := context.Background()
	nkey, skey := testKeys(t)
	d := openDesktop(t, sgwin.Options{NotificationsKey: nkey, StateKey: skey})
	var c platform.Capability
	for _, x := range d.Capabilities() {
		if x.Name == "do_not_disturb" {
			c = x
		}
	}
	t.Logf("do_not_disturb: available %v: %s", c.Available, c.Detail)
	prev, err := d.SetDoNotDisturb(ctx, true)
	if !c.Available {
		if err == nil || !strings.Contains(err.Error(), "QuietHoursSettings") {
			t.Errorf("SetDoNotDisturb(true) where unavailable = %v, %v; want an error naming the mechanism", prev, err)
		}
		if !strings.Contains(c.Detail, "unavailable") || !strings.Contains(c.Detail, "not held back") {
			t.Errorf("capability detail %q does not say it is unavailable", c.Detail)
		}
		if _, err := d.DoNotDisturb(ctx); err == nil {
			t.Error("DoNotDisturb where unavailable answered without error")
		}
		return
	}
	if err != nil {
		t.Fatalf("SetDoNotDisturb(true): %v", err)
	}
	if on, err := d.DoNotDisturb(ctx); err != nil || !on {
		t.Errorf("DoNotDisturb during = %v, %v; want true", on, err)
	}
	if _, err := d.SetDoNotDisturb(ctx, prev); err != nil {
		t.Fatal(err)
	}
	if on, err := d.DoNotDisturb(ctx); err != nil || on != prev {
		t.Errorf("DoNotDisturb after restore = %v, %v; want %v", on, err, prev)
	}
}

// A machine an older build left mid-share (toast switch at 0, its old
// value recorded) is put back exactly when the desktop opens.
func TestLegacyToastSwitchPutBackAtOpen(t *testing.T) {
	const name = "NOC_GLOBAL_SETTING_TOASTS_ENABLED"
	for _, c := range []struct {
		rec    string
		exists bool
		v      uint64
	}{{"absent", false, 0}, {"1", true, 1}, {"7", true, 7}} {
		t.Run(c.rec, func(t *testing.T) {
			nkey, skey := testKeys(t)
			k, _, err := registry.CreateKey(registry.CURRENT_USER, nkey, registry.SET_VALUE)
			if err != nil {
				t.Fatal(err)
			}
			k.SetDWordValue(name, 0)
			k.Close()
			s, _, err := registry.CreateKey(registry.CURRENT_USER, skey, registry.SET_VALUE)
			if err != nil {
				t.Fatal(err)
			}
			s.SetStringValue("ToastsEnabledBefore", c.rec)
			s.Close()

			openDesktop(t, sgwin.Options{NotificationsKey: nkey, StateKey: skey})
			k, err = registry.OpenKey(registry.CURRENT_USER, nkey, registry.QUERY_VALUE)
			if err != nil {
				t.Fatal(err)
			}
			v, _, err := k.GetIntegerValue(name)
			k.Close()
			if exists := err == nil; exists != c.exists || v != c.v {
				t.Errorf("after open: exists %v value %d; want %v %d", exists, v, c.exists, c.v)
			}
			s, _ = registry.OpenKey(registry.CURRENT_USER, skey, registry.QUERY_VALUE)
			if _, _, err := s.GetStringValue("ToastsEnabledBefore"); !errors.Is(err, registry.ErrNotExist) {
				t.Errorf("old record still there: %v", err)
			}
			s.Close()
		})
	}
}

func TestCapabilitiesNameEachMechanism(t *testing.T) {
	d := openDesktop(t, sgwin.Options{})
	got := map[string]platform.Capability{}
	for _, c := range d.Capabilities() {
		got[c.Name] = c
	}
	for _, name := range []string{"window_titles", "window_events", "minimize", "notify", "do_not_disturb", "share_detection", "cloaked_windows"} {
		c, ok := got[name]
		if !ok || c.Detail == "" {
			t.Errorf("capability %q missing or without detail: %+v", name, c)
		}
	}
	if !got["minimize"].Available || !got["window_titles"].Available {
		t.Errorf("minimize/window_titles must be available: %+v", got)
	}
	t.Logf("capabilities: %+v", d.Capabilities())
}
