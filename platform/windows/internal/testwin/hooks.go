//go:build windows

package testwin

import (
	"encoding/json"
	"io"
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// HookEvent is one WinEvent as an out-of-context hook of another process
// receives it: when (Unix ns, NowNS), which event, for which window.
type HookEvent struct {
	T     int64  `json:"t"`
	Event uint32 `json:"e"`
	Hwnd  uint64 `json:"h"`
}

var (
	procSetWinEventHook = user32.NewProc("SetWinEventHook")
	procUnhookWinEvent  = user32.NewProc("UnhookWinEvent")
	hookLog             struct {
		sync.Mutex
		events []HookEvent
	}
)

func hookProc(hook, event, hwnd, idObject, idChild, thread, msTime uintptr) uintptr {
	const objidWindow, childidSelf = 0, 0
	if hwnd == 0 || int32(idObject) != objidWindow || int32(idChild) != childidSelf {
		return 0
	}
	t := NowNS()
	hookLog.Lock()
	hookLog.events = append(hookLog.events, HookEvent{T: t, Event: uint32(event), Hwnd: uint64(hwnd)})
	hookLog.Unlock()
	return 0
}

// RunHooks records, until in reaches EOF, every WinEvent about a window
// that an out-of-context hook gets (what a guard could hear, and when),
// and then writes them as JSON to out. It says "ready" once hooked.
func RunHooks(in io.Reader, out io.Writer) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const eventMin, eventMax, outOfContext = 0x1, 0x7FFFFFFF, 0
	cb := windows.NewCallback(hookProc)
	h, _, err := procSetWinEventHook.Call(eventMin, eventMax, 0, cb, 0, 0, outOfContext)
	if h == 0 {
		return err
	}
	defer procUnhookWinEvent.Call(h)
	tid := windows.GetCurrentThreadId()
	go func() {
		io.Copy(io.Discard, in)
		procPostThreadMessage.Call(uintptr(tid), wmQuit, 0, 0)
	}()
	if _, err := io.WriteString(out, "ready\n"); err != nil {
		return err
	}
	var m msg
	for {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 {
			break
		}
		procTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
		procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
	}
	hookLog.Lock()
	defer hookLog.Unlock()
	return json.NewEncoder(out).Encode(hookLog.events)
}
