//go:build windows

package windows

import (
	"context"
	"time"
	"unsafe"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/internal/wincap"
)

// IsIconic reports whether a window is minimized, for the external tests.
func IsIconic(hwnd uintptr) bool { return isIconic(hwnd) }

// WindowsOf lists the visible top-level windows of process pid and their
// titles, for the external tests.
func WindowsOf(pid int) (hwnds []uintptr, titles []string) {
	initCallbacks()
	var list []uintptr
	procEnumWindows.Call(callbacks.enumWindows, uintptr(unsafe.Pointer(&list)))
	for _, h := range list {
		if p, _ := windowPID(h); int(p) == pid && isWindowVisible(h) {
			hwnds = append(hwnds, h)
			titles = append(titles, windowText(h, make([]uint16, 256)))
		}
	}
	return hwnds, titles
}

// DisplayAffinity reads a window's WDA_* value as any process can.
func DisplayAffinity(hwnd uintptr) uint32 { return displayAffinity(hwnd) }

// Glance runs one glance on the watcher thread and returns how long it
// took there, for the benchmarks.
func (d *Desktop) Glance(ctx context.Context) (time.Duration, error) {
	var took time.Duration
	err := d.call(ctx, func() {
		t0 := time.Now()
		d.w.glance(t0)
		took = time.Since(t0)
	})
	return took, err
}

// Sweep runs one sweep on the watcher thread and returns how long it took
// there, for the benchmarks.
func (d *Desktop) Sweep(ctx context.Context) (time.Duration, error) {
	var took time.Duration
	err := d.call(ctx, func() {
		t0 := time.Now()
		d.w.sweep(t0, true)
		took = time.Since(t0)
	})
	return took, err
}

// SetMetricReader makes d read GetSystemMetrics through f, for tests of
// remote sessions, which Wine never reports.
func SetMetricReader(d *Desktop, f func(index int) int) {
	d.call(context.Background(), func() { d.w.metric = f })
}

// SetAffinityReader makes d read display affinities through f, for tests
// of what Wine cannot set (SetWindowDisplayAffinity fails there).
func SetAffinityReader(d *Desktop, f func(hwnd uintptr) uint32) {
	d.call(context.Background(), func() { d.w.affinity = f })
}

// ScanProcesses runs one watched-process scan, as the watch loop does,
// and returns how long it took, for the benchmarks.
func (d *Desktop) ScanProcesses() time.Duration { return d.watch.ScanNow() }

// SessionNow reads the session's remote state as a sweep does.
func SessionNow() platform.Session { return wincap.SessionFrom(systemMetric) }
