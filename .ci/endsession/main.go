//go:build windows

// Command endsession tells the shareguard agent of this session that the
// session ends, as Windows does at logoff: WM_QUERYENDSESSION, then
// WM_ENDSESSION (wParam TRUE, lParam ENDSESSION_LOGOFF) to its hidden
// window (class shareguard.session). SendMessage returns when the agent has
// answered. For .ci/check-msi under Wine, which has no logoff to send.
package main

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

func main() {
	user32 := windows.NewLazySystemDLL("user32.dll")
	find, send := user32.NewProc("FindWindowW"), user32.NewProc("SendMessageW")
	cls, _ := windows.UTF16PtrFromString("shareguard.session")
	h, _, _ := find.Call(uintptr(unsafe.Pointer(cls)), 0)
	if h == 0 {
		fmt.Fprintln(os.Stderr, "endsession: no shareguard.session window")
		os.Exit(1)
	}
	const wmQueryEndSession, wmEndSession, logoff = 0x0011, 0x0016, 0x80000000
	ok, _, _ := send.Call(h, wmQueryEndSession, 0, logoff)
	send.Call(h, wmEndSession, 1, logoff)
	fmt.Printf("endsession: WM_QUERYENDSESSION answered %d; WM_ENDSESSION sent\n", ok)
}
