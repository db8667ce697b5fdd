//go:build windows

package windows

import (
	"context"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/shareguard/shareguard/platform"
)

// Notify shows the alert in a small topmost window of our own, kept out of
// screen captures with SetWindowDisplayAffinity(WDA_EXCLUDEFROMCAPTURE), so
// the meeting does not see it. Native toasts would need WinRT
// (ToastNotificationManager) and an AppUserModelID registered through a
// Start-menu shortcut; they are not implemented, and PowerShell is never
// used. A newer alert replaces the one on screen; it closes by itself
// after Options.AlertDuration.
func (d *Desktop) Notify(ctx context.Context, a platform.Alert) error {
	text := alertText(a)
	var err error
	if cerr := d.call(ctx, func() { err = d.w.showAlert(text) }); cerr != nil {
		return fmt.Errorf("windows: notify: %w", cerr)
	}
	if err != nil {
		return fmt.Errorf("windows: notify: %w", err)
	}
	return nil
}

func alertText(a platform.Alert) string {
	prefix := ""
	switch a.Severity {
	case platform.SeverityWarning:
		prefix = "⚠ "
	case platform.SeverityCritical:
		prefix = "⛔ "
	}
	s := prefix + a.Summary
	if a.Body != "" {
		s += "\r\n\r\n" + a.Body
	}
	// A STATIC control shows "&x" as a mnemonic; keep ampersands literal.
	return strings.ReplaceAll(s, "&", "&&")
}

// Affinity outcomes of the last alert window, for Capabilities.
const (
	affinityUnknown uint32 = iota
	affinityExcluded
	affinityMonitor // older Windows 10: the window shows black in captures
	affinityFailed
)

// alertWindow is our one alert window; it lives on the watcher thread.
// Its own title is fixed (AlertTitle): what a window list, a capture
// picker or a title rule sees names no rule and no app. The text is in a
// child control that fills it.
type alertWindow struct {
	hwnd  uintptr // the top-level window, titled AlertTitle
	text  uintptr // the child STATIC control showing the alert
	timer uintptr
}

// AlertTitle is the title of every alert window.
const AlertTitle = "shareguard"

const (
	alertWidth  = 440
	alertHeight = 120
	alertMargin = 16
)

func (w *watcher) showAlert(text string) error {
	t, err := windows.UTF16PtrFromString(text)
	if err != nil {
		return fmt.Errorf("alert text: %w", err)
	}
	if w.alert.hwnd != 0 && isWindow(w.alert.hwnd) {
		procSetWindowTextW.Call(w.alert.text, uintptr(unsafe.Pointer(t)))
	} else {
		if err := w.createAlert(t); err != nil {
			return err
		}
	}
	if w.alert.timer != 0 {
		procKillTimer.Call(0, w.alert.timer)
	}
	w.alert.timer, _, _ = procSetTimer.Call(0, 0, uintptr(w.d.opt.AlertDuration.Milliseconds()), 0)
	return nil
}

func (w *watcher) createAlert(text *uint16) error {
	// Bottom right of the primary work area, where toasts appear.
	var work rect
	if ok, _, _ := procSystemParametersInfoW.Call(spiGetWorkArea, 0, uintptr(unsafe.Pointer(&work)), 0); ok == 0 {
		work = rect{Right: 1024, Bottom: 768}
	}
	x := work.Right - alertWidth - alertMargin
	y := work.Bottom - alertHeight - alertMargin
	class, _ := windows.UTF16PtrFromString("STATIC")
	title, _ := windows.UTF16PtrFromString(AlertTitle)
	h, _, err := procCreateWindowExW.Call(
		wsExTopmost|wsExToolWindow|wsExNoActivate,
		uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(title)),
		wsPopup|wsBorder,
		uintptr(x), uintptr(y), alertWidth, alertHeight,
		0, 0, 0, 0)
	if h == 0 {
		return fmt.Errorf("alert window: %w", err)
	}
	// The text, in a child that covers the parent's own (title) text.
	c, _, err := procCreateWindowExW.Call(0,
		uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(text)),
		wsChild|wsVisible|ssCenter,
		0, 0, alertWidth-2, alertHeight-2,
		h, 0, 0, 0)
	if c == 0 {
		procDestroyWindow.Call(h)
		return fmt.Errorf("alert text control: %w", err)
	}
	// Excluded from capture before it is ever shown.
	mode := affinityExcluded
	if r, _, _ := procSetWindowDisplayAffinity.Call(h, wdaExcludeFromCapture); r == 0 {
		mode = affinityMonitor
		if r, _, err := procSetWindowDisplayAffinity.Call(h, wdaMonitor); r == 0 {
			mode = affinityFailed
			// The text is fixed strings with a rule and an app name, never
			// screen content, so it is still shown.
			w.d.log.Warn("alert window cannot be kept out of captures", "err", err)
		}
	}
	w.d.affinityMode.Store(mode)
	if font, _, _ := procGetStockObject.Call(defaultGUIFont); font != 0 {
		procSendMessageW.Call(c, wmSetFont, font, 0)
	}
	procShowWindow.Call(h, swShowNoActivate)
	w.alert.hwnd, w.alert.text = h, c
	return nil
}

// timer handles a thread timer other than the sweep.
func (w *watcher) timer(id uintptr) {
	if id == w.alert.timer && id != 0 {
		w.closeAlert()
	} else {
		procKillTimer.Call(0, id)
	}
}

func (w *watcher) closeAlert() {
	if w.alert.timer != 0 {
		procKillTimer.Call(0, w.alert.timer)
	}
	if w.alert.hwnd != 0 {
		procDestroyWindow.Call(w.alert.hwnd)
	}
	w.alert = alertWindow{}
}
