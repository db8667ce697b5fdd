//go:build windows

package windows

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/shareguard/shareguard/platform"
)

// A cover is a plain black window of ours that Minimize puts over a shown
// window before it asks it to minimize, as on X11: the window's process
// handles the request when it gets to it (ShowWindowAsync), and Windows
// then animates the window down to the taskbar; the cover is on the screen
// from the moment we make it, so a capture sees the cover instead. It is
// topmost, never activated, click-through (WS_EX_LAYERED|WS_EX_TRANSPARENT,
// fully opaque) and, unlike our alert window, in the capture. It goes
// when the window is iconic and the minimize animation is over
// (coverLinger), or at once when the minimize failed.

// coverLinger is how long a cover stays after the window is iconic while
// Windows animates minimizing (SPI_GETANIMATION): the animation takes
// about 250 ms. Without the animation it stays one frame more, for a
// capture that was already grabbing.
const (
	coverLinger          = 300 * time.Millisecond
	coverLingerNoAnimate = 50 * time.Millisecond
)

// CoverClass is the window class of covers.
const CoverClass = "shareguard-cover"

type coverWindow struct {
	hwnd uintptr
	gen  uint64 // which Minimize put it up, so a late removal spares a newer one
}

// coverRef is what Minimize keeps of its cover.
type coverRef struct {
	gen    uint64 // 0: no cover
	linger time.Duration
	took   time.Duration // to put it up, on the watcher thread
}

// spareCovers is how many hidden covers wait ready: making a window takes
// 35-125 ms under Wine here, showing one that exists a few.
const spareCovers = 2

// coverUp puts a cover over target's rectangle, and the way the minimize
// animation takes it when Windows animates, and over also (when not
// empty), above every other window. It runs on the watcher thread.
func (w *watcher) coverUp(target uintptr, also platform.Rect) (ref coverRef, err error) {
	t0 := time.Now()
	defer func() { ref.took = time.Since(t0) }()
	r, ok := windowRect(target)
	if !ok {
		return coverRef{}, fmt.Errorf("cover %#x: no rectangle", target)
	}
	area, linger := toRect(r), coverLingerNoAnimate
	if n, ok := restoredRect(target); ok {
		// A window being restored may still report its minimized
		// rectangle (seen under Wine): cover where it is going too.
		area = area.Union(n)
	}
	if !also.Empty() {
		area = area.Union(also)
	}
	if minimizeAnimates() {
		area, linger = animationPath(target, area), coverLinger
	}
	// Always a hidden cover, shown: showing a window raises it above the
	// others, while moving one that is shown may leave it under a window
	// raised since (under Wine, its X window is not restacked). The cover
	// it replaces goes once the new one is up.
	old, had := w.covers[target]
	c := coverWindow{}
	if c.hwnd, err = w.spareCover(); err != nil {
		return coverRef{}, err
	}
	w.own[c.hwnd] = true
	w.coverGen++
	c.gen = w.coverGen
	w.covers[target] = c
	procSetWindowPos.Call(c.hwnd, hwndTopmost, uintptr(area.X), uintptr(area.Y), uintptr(area.W), uintptr(area.H),
		swpNoActivate|swpShowWindow)
	procUpdateWindow.Call(c.hwnd) // painted black now, not when the loop gets to WM_PAINT
	flushSurfaces()
	if had {
		w.retire(old.hwnd)
	}
	return coverRef{gen: c.gen, linger: linger}, nil
}

// restoredRect is where a window is when it is not minimized or
// maximized (GetWindowPlacement), in screen coordinates.
func restoredRect(h uintptr) (platform.Rect, bool) {
	wp := windowPlacement{Length: uint32(unsafe.Sizeof(windowPlacement{}))}
	if ok, _, _ := procGetWindowPlacement.Call(h, uintptr(unsafe.Pointer(&wp))); ok == 0 {
		return platform.Rect{}, false
	}
	n := toRect(wp.Normal)
	// The placement counts from the work area's corner, the screen from
	// the monitor's: they differ when the taskbar is at the top or left.
	const monitorDefaultToNearest = 2
	if hmon, _, _ := procMonitorFromWindow.Call(h, monitorDefaultToNearest); hmon != 0 {
		mi := monitorInfo{Size: uint32(unsafe.Sizeof(monitorInfo{}))}
		if ok, _, _ := procGetMonitorInfoW.Call(hmon, uintptr(unsafe.Pointer(&mi))); ok != 0 {
			n.X += int(mi.Work.Left - mi.Monitor.Left)
			n.Y += int(mi.Work.Top - mi.Monitor.Top)
		}
	}
	return n, !n.Empty()
}

// flushSurfaces hands what our thread painted to the screen now. Wine
// keeps a window's pixels in its own surface and copies them to the X
// server when the thread waits for messages or peeks at an empty queue,
// at most every 50 ms otherwise: measured under Wine 8, a cover was black
// on the screen 6-17 ms after SetWindowPos without this (.ci/wine-timeline).
// On Windows it is one cheap call that finds nothing: wmFlush is never
// posted.
func flushSurfaces() {
	var m msg
	procPeekMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, wmFlush, wmFlush, pmNoRemove)
}

// coverHold is how long a cover the watcher put up on its own (see
// watcher.coverAtOnce) waits for the agent's Minimize, which takes it over,
// before it goes: the agent may find the window no longer protected.
const coverHold = time.Second

// coverAtOnce covers a window the guard minimized during this share that
// has just shown again (a restore), without waiting for the agent: the
// window was protected when it was hidden, so the doubt falls on the side
// of hiding. The agent's Minimize finds the cover there and keeps it; if
// no Minimize comes within coverHold, the cover goes.
func (w *watcher) coverAtOnce(h uintptr, was platform.Rect) {
	ref, err := w.coverUp(h, was)
	if err != nil {
		w.d.log.Warn("cannot cover a restored window", "window", fmt.Sprintf("%#x", h), "err", err)
		return
	}
	d := w.d
	time.AfterFunc(coverHold, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		d.call(ctx, func() { d.w.coverDown(h, ref.gen) })
	})
}

// coverDown takes target's cover away if it is still the one of gen: it
// is hidden and waits as a spare, or is destroyed when enough wait.
func (w *watcher) coverDown(target uintptr, gen uint64) {
	c, ok := w.covers[target]
	if !ok || c.gen != gen {
		return
	}
	delete(w.covers, target)
	w.retire(c.hwnd)
}

// retire hides a cover to wait as a spare, or destroys it when enough
// wait.
func (w *watcher) retire(h uintptr) {
	if len(w.spares) < spareCovers && isWindow(h) {
		procShowWindow.Call(h, swHide)
		w.spares = append(w.spares, h)
		return
	}
	delete(w.own, h)
	procDestroyWindow.Call(h)
}

// spareCover takes a waiting cover, or makes one.
func (w *watcher) spareCover() (uintptr, error) {
	for len(w.spares) > 0 {
		h := w.spares[len(w.spares)-1]
		w.spares = w.spares[:len(w.spares)-1]
		if isWindow(h) {
			return h, nil
		}
		delete(w.own, h)
	}
	return w.makeCover()
}

// addSpares makes hidden covers until spareCovers wait.
func (w *watcher) addSpares() {
	for len(w.spares) < spareCovers {
		h, err := w.makeCover()
		if err != nil {
			w.d.log.Warn("cannot make a cover window", "err", err)
			return
		}
		w.own[h] = true
		w.spares = append(w.spares, h)
	}
}

// makeCover makes a hidden cover window.
func (w *watcher) makeCover() (uintptr, error) {
	if err := w.registerCoverClass(); err != nil {
		return 0, err
	}
	cls, _ := windows.UTF16PtrFromString(CoverClass)
	title, _ := windows.UTF16PtrFromString(AlertTitle)
	h, _, err := procCreateWindowExW.Call(
		wsExTopmost|wsExToolWindow|wsExNoActivate|wsExTransparent|wsExLayered,
		uintptr(unsafe.Pointer(cls)), uintptr(unsafe.Pointer(title)), wsPopup,
		0, 0, 1, 1, 0, 0, w.inst, 0)
	if h == 0 {
		return 0, fmt.Errorf("cover window: %w", err)
	}
	// A layered window shows nothing until it is given its opacity.
	procSetLayeredWindowAttrs.Call(h, 0, 255, lwaAlpha)
	return h, nil
}

// closeCovers removes every cover and spare (the watcher is stopping).
func (w *watcher) closeCovers() {
	for target, c := range w.covers {
		procDestroyWindow.Call(c.hwnd)
		delete(w.covers, target)
	}
	for _, h := range w.spares {
		procDestroyWindow.Call(h)
	}
	w.spares = nil
	clear(w.own)
}

func (w *watcher) registerCoverClass() error {
	if w.coverClass {
		return nil
	}
	cls, _ := windows.UTF16PtrFromString(CoverClass)
	black, _, _ := procGetStockObject.Call(blackBrush)
	wc := wndClassEx{WndProc: procDefWindowProcW.Addr(), Instance: w.inst, ClassName: cls, Background: black}
	wc.Size = uint32(unsafe.Sizeof(wc))
	if r, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc))); r == 0 && !errors.Is(err, windows.ERROR_CLASS_ALREADY_EXISTS) {
		return fmt.Errorf("cover class: %w", err)
	}
	w.coverClass = true
	return nil
}

// minimizeAnimates reports whether Windows animates minimizing
// (SPI_GETANIMATION); when it cannot say, it assumes so.
func minimizeAnimates() bool {
	ai := animationInfo{Size: uint32(unsafe.Sizeof(animationInfo{}))}
	if ok, _, _ := procSystemParametersInfoW.Call(spiGetAnimation, uintptr(ai.Size), uintptr(unsafe.Pointer(&ai)), 0); ok == 0 {
		return true
	}
	return ai.MinAnimate != 0
}

// animationPath is the area the minimize animation can take a window at r
// through: towards its taskbar button, so up to the taskbar when the
// taskbar is on the window's monitor, else straight down to the bottom of
// the monitor.
func animationPath(target uintptr, r platform.Rect) platform.Rect {
	mon := monitorRect(target)
	cls, _ := windows.UTF16PtrFromString("Shell_TrayWnd")
	if tray, _, _ := procFindWindowW.Call(uintptr(unsafe.Pointer(cls)), 0); tray != 0 {
		if tr, ok := windowRect(tray); ok && (mon.Empty() || toRect(tr).Intersects(mon)) {
			return r.Union(toRect(tr))
		}
	}
	if mon.Empty() {
		return r
	}
	return r.Union(platform.Rect{X: r.X, Y: r.Y, W: r.W, H: max(mon.Y+mon.H-r.Y, r.H)})
}

// monitorRect is the rectangle of the monitor a window is on (empty when
// unknown).
func monitorRect(h uintptr) platform.Rect {
	const monitorDefaultToNearest = 2
	hmon, _, _ := procMonitorFromWindow.Call(h, monitorDefaultToNearest)
	if hmon == 0 {
		return platform.Rect{}
	}
	mi := monitorInfo{Size: uint32(unsafe.Sizeof(monitorInfo{}))}
	if ok, _, _ := procGetMonitorInfoW.Call(hmon, uintptr(unsafe.Pointer(&mi))); ok == 0 {
		return platform.Rect{}
	}
	return toRect(mi.Monitor)
}
