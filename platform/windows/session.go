//go:build windows

package windows

import (
	"errors"
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// SessionClass is the class of the guard's hidden top-level window that
// hears about logoff and shutdown: Windows sends WM_QUERYENDSESSION and
// WM_ENDSESSION to top-level windows only (not to message-only ones, nor
// as thread messages), and a GUI-subsystem process gets no console
// control event for them.
const SessionClass = "shareguard.session"

const (
	wmClose           = 0x0010
	wmQueryEndSession = 0x0011
	wmEndSession      = 0x0016
	endSessionLogoff  = 0x80000000 // ENDSESSION_LOGOFF in lParam

	// sessionWait bounds the wait in WM_ENDSESSION: Windows ends a
	// process that has not answered within about 5 s.
	sessionWait = 4 * time.Second
)

// sessionHook is what OnSessionEnd set.
type sessionHook struct{ f func(reason string) }

// OnSessionEnd sets f to run when Windows ends the session: f gets
// "logoff" or "shutdown" and must return once the user's settings are
// back and the audit written, since the process may end as soon as it
// returns (it is given sessionWait). Meanwhile the watcher thread keeps
// serving the Desktop's calls, so f may use the Desktop.
func (d *Desktop) OnSessionEnd(f func(reason string)) { d.sessionEnd.Store(&sessionHook{f}) }

// createSessionWindow makes the hidden window on the watcher thread.
func (w *watcher) createSessionWindow() error {
	cls, _ := windows.UTF16PtrFromString(SessionClass)
	wc := wndClassEx{WndProc: callbacks.sessionProc, Instance: w.inst, ClassName: cls}
	wc.Size = uint32(unsafe.Sizeof(wc))
	if r, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc))); r == 0 && !errors.Is(err, windows.ERROR_CLASS_ALREADY_EXISTS) {
		return fmt.Errorf("session window class: %w", err)
	}
	title, _ := windows.UTF16PtrFromString("shareguard")
	h, _, err := procCreateWindowExW.Call(wsExToolWindow, uintptr(unsafe.Pointer(cls)), uintptr(unsafe.Pointer(title)),
		wsPopup, 0, 0, 0, 0, 0, 0, w.inst, 0)
	if h == 0 {
		return fmt.Errorf("session window: %w", err)
	}
	w.sessionWin = h
	return nil
}

func sessionWndProc(hwnd, m, wParam, lParam uintptr) uintptr {
	if v, ok := callbacks.watchers.Load(windows.GetCurrentThreadId()); ok {
		if r, handled := v.(*watcher).d.sessionMessage(uint32(m), wParam, lParam); handled {
			return r
		}
	}
	r, _, _ := procDefWindowProcW.Call(hwnd, m, wParam, lParam)
	return r
}

// sessionMessage answers the session window's messages: logoff is never
// held up (WM_QUERYENDSESSION: yes); when the session does end, the hook
// runs before WM_ENDSESSION returns. WM_CLOSE is ignored: without this
// window the guard would not hear of a logoff.
func (d *Desktop) sessionMessage(m uint32, wParam, lParam uintptr) (uintptr, bool) {
	switch m {
	case wmQueryEndSession:
		return 1, true
	case wmEndSession:
		if wParam != 0 { // 0: another program cancelled the logoff
			reason := "shutdown"
			if lParam&endSessionLogoff != 0 {
				reason = "logoff"
			}
			d.log.Info("session ending", "reason", reason)
			d.endSession(reason)
		}
		return 0, true
	case wmClose:
		return 0, true
	}
	return 0, false
}

// endSession runs the hook once, serving the Desktop's calls while it
// runs (this is the watcher thread), for at most sessionWait.
func (d *Desktop) endSession(reason string) {
	h := d.sessionEnd.Swap(nil)
	if h == nil || h.f == nil {
		return
	}
	done := make(chan struct{})
	go func() { defer close(done); h.f(reason) }()
	limit := time.After(sessionWait)
	for {
		select {
		case <-done:
			return
		case fn := <-d.calls:
			fn()
		case <-limit:
			d.log.Warn("session ending: the guard did not finish in time", "wait", sessionWait)
			return
		}
	}
}
