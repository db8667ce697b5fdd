//go:build windows

package windows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/windows"

	"github.com/shareguard/shareguard/platform"
)

var (
	// ErrNoWindow: the window id does not name a window (any more).
	ErrNoWindow = errors.New("no such window")
	// ErrElevated: the window belongs to an elevated process and we are
	// not elevated, so Windows (UIPI) ignores our request. The agent warns
	// instead.
	ErrElevated = errors.New("window of an elevated process cannot be minimized by a standard user")
	// ErrNotMinimized: the window did not become iconic in time.
	ErrNotMinimized = errors.New("window did not minimize")
)

// Minimize asks the window to minimize and confirms with IsIconic.
// ShowWindowAsync is used rather than ShowWindow: for another process's
// window ShowWindow waits for that process's thread, and a hung journal
// application must not hang the guard. The wait is bounded by
// Options.MinimizeTimeout and ctx.
//
// A shown window is first covered (see cover.go): the capture sees our
// cover from then on, while the window's process gets round to
// minimizing and Windows animates it away. The cover goes when that is
// over, or at once when the window would not minimize.
func (d *Desktop) Minimize(ctx context.Context, id platform.WindowID) error {
	h := uintptr(id)
	if h == 0 || !isWindow(h) {
		return fmt.Errorf("windows: minimize %#x: %w", id, ErrNoWindow)
	}
	if isIconic(h) {
		return nil
	}
	var cov coverRef
	start := time.Now()
	if isWindowVisible(h) {
		var err error
		if cerr := d.call(ctx, func() { cov, err = d.w.coverUp(h, platform.Rect{}) }); cerr != nil {
			err = cerr
		}
		if err != nil {
			d.log.Warn("cannot cover a window before minimizing it", "window", fmt.Sprintf("%#x", h), "err", err)
		}
	}
	coverCall := time.Since(start)
	gone := false // minimized, or closed
	defer func() {
		if cov.gen == 0 {
			return
		}
		wait := time.Duration(0)
		if gone {
			wait = cov.linger
		}
		time.AfterFunc(wait, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			d.call(ctx, func() { d.w.coverDown(h, cov.gen) }) // after Close, the thread's exit removed it
		})
	}()
	r, _, callErr := procShowWindowAsync.Call(h, swMinimize)
	if r == 0 && errors.Is(callErr, windows.ERROR_ACCESS_DENIED) {
		return d.minimizeFailed(h, id)
	}
	timeout := time.NewTimer(d.opt.MinimizeTimeout)
	defer timeout.Stop()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		if isIconic(h) {
			d.log.Debug("minimized", "window", fmt.Sprintf("%#x", h), "cover_up", cov.took, "covered_after", coverCall, "iconic_after", time.Since(start), "cover_linger", cov.linger)
			gone = true
			d.post(func() { d.w.minimized(h) })
			return nil
		}
		if !isWindow(h) {
			// Closed while we waited: it is not on screen any more.
			gone = true
			d.log.Debug("window closed while minimizing", "window", fmt.Sprintf("%#x", h))
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("windows: minimize %#x: %w", id, ctx.Err())
		case <-timeout.C:
			return d.minimizeFailed(h, id)
		case <-tick.C:
		}
	}
}

// minimizeFailed explains why a window stayed up: an elevated owner
// (UIPI) or an application that refused.
func (d *Desktop) minimizeFailed(h uintptr, id platform.WindowID) error {
	pid, _ := windowPID(h)
	selfElevated := windows.GetCurrentProcessToken().IsElevated()
	elevated, known := processElevated(int(pid))
	switch {
	case known && elevated && !selfElevated:
		return fmt.Errorf("windows: minimize %#x (pid %d): %w", id, pid, ErrElevated)
	case !known && !selfElevated:
		return fmt.Errorf("windows: minimize %#x (pid %d, token unreadable, probably elevated): %w", id, pid, ErrNotMinimized)
	}
	return fmt.Errorf("windows: minimize %#x (pid %d) within %v: %w", id, pid, d.opt.MinimizeTimeout, ErrNotMinimized)
}
