//go:build linux

package x11

import (
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// settled waits until a window mapped after everything else is in the
// snapshot: the model has taken the events before it too.
func settled(t *testing.T, xd *xtest.Desktop, d *Desktop) platform.Snapshot {
	t.Helper()
	m, err := xd.CreateWindow("marker", "Marker")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Destroy()
	time.Sleep(100 * time.Millisecond) // the property replies of the earlier windows
	return waitSnapshot(t, d, 5*time.Second, "marker shown", func(s platform.Snapshot) bool {
		w, ok := s.Window(platform.WindowID(m.ID))
		return ok && w.Shown()
	})
}

// Firefox makes its sharing indicator for camera- and microphone-only
// calls too, and keeps it hidden: never mapped, or created hidden. Only
// a shown indicator is a share, and one withdrawn again is none.
func TestFirefoxIndicatorOnlyWhenShown(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	const title = "Firefox — Sharing Indicator"
	never, err := xd.CreateWindowWith(xtest.WindowSpec{Title: title, Class: "firefox-esr", Type: "_NET_WM_WINDOW_TYPE_DIALOG",
		States: []string{"_NET_WM_STATE_ABOVE"}, Unmapped: true})
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := xd.CreateWindowWith(xtest.WindowSpec{Title: "Firefox - Delningsindikator", Class: "firefox-esr", Type: "_NET_WM_WINDOW_TYPE_DIALOG",
		States: []string{"_NET_WM_STATE_ABOVE", "_NET_WM_STATE_HIDDEN"}, Unmapped: true})
	if err != nil {
		t.Fatal(err)
	}
	s := settled(t, xd, d)
	if got := detectors.Shares(&s, nil); len(got) != 0 {
		t.Fatalf("hidden indicators counted as shares: %+v", got)
	}
	for _, id := range []uint32{never.ID, hidden.ID} {
		if w, ok := s.Window(platform.WindowID(id)); ok && (w.Visible || w.Minimized) {
			t.Errorf("never-mapped indicator %#x reported %+v", id, w)
		}
	}

	if err := never.Map(); err != nil {
		t.Fatal(err)
	}
	s = waitSnapshot(t, d, 5*time.Second, "indicator shown", func(s platform.Snapshot) bool {
		w, ok := s.Window(platform.WindowID(never.ID))
		return ok && w.Shown()
	})
	got := detectors.Shares(&s, nil)
	if len(got) != 1 || got[0].App != detectors.AppFirefox || got[0].Window != platform.WindowID(never.ID) {
		t.Fatalf("shown indicator: shares %+v", got)
	}

	if err := never.Withdraw(); err != nil {
		t.Fatal(err)
	}
	waitSnapshot(t, d, 5*time.Second, "indicator withdrawn", func(s platform.Snapshot) bool {
		return len(detectors.Shares(&s, nil)) == 0
	})
}

// Chrome Remote Desktop's Linux host shows an always-on-top utility window
// named after the product while a client is connected (a GTK toplevel
// with keep-above, per its source): that is a remote session. The same
// title on an ordinary window (the web client) is not.
func TestChromeRemoteDesktopHostWindow(t *testing.T) {
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d := open(t, xd)
	client, err := xd.CreateWindow("Chrome Remote Desktop", "Google-chrome")
	if err != nil {
		t.Fatal(err)
	}
	s := waitSnapshot(t, d, 5*time.Second, "client window", func(s platform.Snapshot) bool {
		w, ok := s.Window(platform.WindowID(client.ID))
		return ok && w.Shown()
	})
	if got := detectors.Shares(&s, nil); len(got) != 0 {
		t.Fatalf("an ordinary window titled Chrome Remote Desktop: shares %+v", got)
	}
	host, err := xd.CreateWindowWith(xtest.WindowSpec{Title: "Chrome Remote Desktop", Class: "chrome-remote-desktop-host",
		Type: "_NET_WM_WINDOW_TYPE_UTILITY", States: []string{"_NET_WM_STATE_ABOVE", "_NET_WM_STATE_STICKY"}})
	if err != nil {
		t.Fatal(err)
	}
	s = waitSnapshot(t, d, 5*time.Second, "host window on top", func(s platform.Snapshot) bool {
		w, ok := s.Window(platform.WindowID(host.ID))
		return ok && w.Shown() && w.OnTop
	})
	got := detectors.Shares(&s, nil)
	if len(got) != 1 || got[0].Signature != "chrome-remote-desktop-host" || got[0].Kind != detectors.KindRemote {
		t.Fatalf("host window: shares %+v", got)
	}
	if err := host.Destroy(); err != nil {
		t.Fatal(err)
	}
	waitSnapshot(t, d, 5*time.Second, "client disconnected", func(s platform.Snapshot) bool {
		return len(detectors.Shares(&s, nil)) == 0
	})
}
