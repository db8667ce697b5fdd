//go:build windows

package windows

import (
	"context"
	"testing"
	"time"
	"unsafe"

	"github.com/shareguard/shareguard/platform"
)

// The alert is a window of our own, on top, kept out of captures (when
// the system supports it), and gone after AlertDuration.
func TestNotifyShowsOwnAlertWindowThatCloses(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, Options{AlertDuration: 700 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Notify(ctx, platform.Alert{Severity: platform.SeverityCritical, Summary: "Skyddat fönster doldes", Body: "Cosmic & co"}); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	var hwnd uintptr
	var affinity uint32
	var affOK bool
	d.call(ctx, func() {
		hwnd = d.w.alert.hwnd
		r, _, _ := procGetWindowDisplayAffinity.Call(hwnd, uintptr(unsafe.Pointer(&affinity)))
		affOK = r != 0
	})
	if hwnd == 0 || !isWindowVisible(hwnd) {
		t.Fatalf("no visible alert window (%#x)", hwnd)
	}
	if windowLong(hwnd, gwlExStyle)&wsExTopmost == 0 {
		t.Error("alert window is not topmost")
	}
	var title, text string
	d.call(ctx, func() {
		title = windowText(hwnd, make([]uint16, 256))
		text = windowText(d.w.alert.text, make([]uint16, 256))
	})
	// The title names no rule and no app, so no title rule can match it.
	if title != AlertTitle {
		t.Errorf("alert title %q; want %q", title, AlertTitle)
	}
	if want := "⛔ Skyddat fönster doldes\r\n\r\nCosmic && co"; text != want {
		t.Errorf("alert text %q; want %q", text, want)
	}
	mode := d.affinityMode.Load()
	t.Logf("display affinity: mode %d, GetWindowDisplayAffinity ok=%v value=%#x", mode, affOK, affinity)
	switch mode {
	case affinityExcluded:
		if affOK && affinity != wdaExcludeFromCapture {
			t.Errorf("affinity %#x; want WDA_EXCLUDEFROMCAPTURE", affinity)
		}
	case affinityMonitor:
		if affOK && affinity != wdaMonitor {
			t.Errorf("affinity %#x; want WDA_MONITOR", affinity)
		}
	case affinityFailed:
		t.Log("SetWindowDisplayAffinity failed here: the alert would be visible in a capture")
	default:
		t.Errorf("affinity mode %d not recorded", mode)
	}
	// A second alert replaces the first in the same window.
	if err := d.Notify(ctx, platform.Alert{Summary: "andra"}); err != nil {
		t.Fatal(err)
	}
	var again uintptr
	d.call(ctx, func() { again = d.w.alert.hwnd })
	if again != hwnd {
		t.Errorf("second alert made a new window %#x (first %#x)", again, hwnd)
	}
	deadline := time.Now().Add(5 * time.Second)
	for isWindow(hwnd) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if isWindow(hwnd) {
		t.Error("alert window still there 5 s after its 0.7 s duration")
	}
}
