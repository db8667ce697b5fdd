//go:build windows

package windows

import (
	"context"
	"log/slog"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

func sessionWindow(t *testing.T) uintptr {
	t.Helper()
	cls, _ := windows.UTF16PtrFromString(SessionClass)
	h, _, _ := procFindWindowW.Call(uintptr(unsafe.Pointer(cls)), 0)
	if h == 0 {
		t.Fatal("no session window")
	}
	if pid, _ := windowPID(h); pid != windows.GetCurrentProcessId() {
		t.Fatalf("session window of pid %d, not ours", pid)
	}
	return h
}

// Windows' logoff, as a window of ours hears it: WM_QUERYENDSESSION is
// answered yes at once; WM_ENDSESSION runs the hook with the reason and
// returns only when it is done, while the hook can still use the Desktop
// (its calls run on the thread that is inside WM_ENDSESSION).
func TestSessionEndLogoff(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var got string
	finished := false
	d.OnSessionEnd(func(reason string) {
		got = reason
		if _, err := d.Snapshot(ctx); err != nil { // a call to the watcher thread
			t.Errorf("Snapshot during logoff: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
		finished = true
	})
	h := sessionWindow(t)
	if r, _, _ := procSendMessageW.Call(h, wmQueryEndSession, 0, endSessionLogoff); r != 1 {
		t.Fatalf("WM_QUERYENDSESSION answered %d, want 1", r)
	}
	if got != "" {
		t.Fatal("hook ran at WM_QUERYENDSESSION")
	}
	procSendMessageW.Call(h, wmEndSession, 0, endSessionLogoff) // cancelled by another program
	if got != "" {
		t.Fatal("hook ran for a cancelled logoff")
	}
	procSendMessageW.Call(h, wmEndSession, 1, endSessionLogoff)
	if got != "logoff" || !finished {
		t.Fatalf("after WM_ENDSESSION: reason %q, finished %v", got, finished)
	}
	// WM_CLOSE does not take the window away.
	procSendMessageW.Call(h, wmClose, 0, 0)
	if r, _, _ := procIsWindow.Call(h); r == 0 {
		t.Error("WM_CLOSE destroyed the session window")
	}
}

func TestSessionEndShutdownReason(t *testing.T) {
	d := &Desktop{calls: make(chan func(), 1)}
	d.log = slog.New(slog.DiscardHandler)
	var got string
	d.OnSessionEnd(func(r string) { got = r })
	if _, handled := d.sessionMessage(wmEndSession, 1, 0); !handled || got != "shutdown" {
		t.Fatalf("handled %v reason %q", handled, got)
	}
	got = ""
	d.sessionMessage(wmEndSession, 1, 0) // once only
	if got != "" {
		t.Errorf("hook ran twice")
	}
	if _, handled := d.sessionMessage(0x000F, 0, 0); handled { // WM_PAINT
		t.Error("other messages handled")
	}
}
