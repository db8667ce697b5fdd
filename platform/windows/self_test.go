//go:build windows

package windows_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/audit"
	sgwin "github.com/shareguard/shareguard/platform/windows"
	"github.com/shareguard/shareguard/platform/windows/internal/testwin"
)

// The guard's alert names the app it hid ("TakeCare"), which a title rule
// would match: the guard hides the TakeCare window during a share, and its
// own alert stays up, with a title that names nothing, and no audit event
// is about the guard's own process.
func TestGuardLeavesItsOwnAlertAlone(t *testing.T) {
	dir := t.TempDir()
	auditPath := filepath.Join(dir, "audit.jsonl")
	nkey, skey := testKeys(t)
	guard := startGuard(t, auditPath, filepath.Join(dir, "state.json"), nkey, skey)
	zoom := startHelper(t, "Zoom.exe", "windows", []testwin.Spec{
		{Class: "ZPFloatToolbarClass", Title: "Screen sharing meeting controls", Topmost: true, Tool: true},
	})
	journal := startHelper(t, "", "windows", []testwin.Spec{{Class: "TCMainWnd", Title: "TakeCare - Journal"}})
	if !eventually(10*time.Second, func() bool { return isIconicHwnd(journal.hwnds[0]) }) {
		t.Fatalf("TakeCare window not minimized during the share; guard: %s", guard.stderr)
	}
	var alert uintptr
	if !eventually(5*time.Second, func() bool {
		hwnds, titles := sgwin.WindowsOf(guard.pid())
		for i, h := range hwnds {
			if titles[i] == sgwin.AlertTitle {
				alert = h
			}
		}
		return alert != 0
	}) {
		hwnds, titles := sgwin.WindowsOf(guard.pid())
		t.Fatalf("no alert window titled %q among the guard's windows %v %q", sgwin.AlertTitle, hwnds, titles)
	}
	time.Sleep(2 * time.Second)
	if isIconicHwnd(alert) {
		t.Error("the guard minimized its own alert")
	}
	zoom.stop(t)
	if err := guard.stop(t); err != nil {
		t.Errorf("guard exit: %v; stderr: %s", err, guard.stderr)
	}

	f, err := os.Open(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hid := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e audit.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		if e.Event == audit.Action && e.Action == "minimize" && e.Rule == "TakeCare" && e.PID == journal.pid() {
			hid = true
		}
		if e.PID == guard.pid() && e.Event != audit.Started && e.Event != audit.Stopped {
			t.Errorf("audit event about the guard's own process: %s", sc.Text())
		}
		if strings.Contains(sc.Text(), "TakeCare - Journal") {
			t.Errorf("audit event with the window's title: %s", sc.Text())
		}
	}
	if !hid {
		t.Error("no minimize of the TakeCare window in the audit log")
	}
}
