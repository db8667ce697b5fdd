package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2ERecorder: a real process named like a recorder that gives no
// sign of recording (sleep, called simplescreenrecorder) warns once while
// the protected window is open, hides nothing and starts no share; it
// warns again only for a new run. The audit names the app and the rule,
// never the window.
func TestE2ERecorder(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err)
	}
	d := e2eDesktop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	bin := filepath.Join(d.Dir(), "recorder-bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	rec := filepath.Join(bin, "simplescreenrecorder")
	if err := os.Symlink(sleep, rec); err != nil {
		t.Fatal(err)
	}
	g := startGuard(t, d, filepath.Join(d.Dir(), "audit.jsonl"), "LANG=sv_SE.UTF-8")
	const title = "Melior - Översikt - Anna Andersson"
	_, journal, err := d.XtermWith(ctx, title)
	if err != nil {
		t.Fatal(err)
	}
	isWarning := func(e auditEvent) bool {
		return e.Event == "finding" && e.Kind == "recorder_running" && e.Rule == "recorder_running" &&
			e.App == "SimpleScreenRecorder" && e.Process == "simplescreenrecorder"
	}
	for run := 1; run <= 2; run++ {
		mark := len(g.events())
		p := d.Run(rec, "600")
		i, err := g.waitFrom(ctx, mark, isWarning)
		if err != nil {
			t.Fatalf("run %d: no recorder_running finding: %v", run, err)
		}
		if pid := g.events()[i].PID; pid != p.Cmd.Process.Pid {
			t.Errorf("run %d: finding for pid %d, want %d", run, pid, p.Cmd.Process.Pid)
		}
		time.Sleep(5 * time.Second) // two more scans: no second warning
		if n := g.count(mark, isWarning); n != 1 {
			t.Errorf("run %d: %d warnings, want 1", run, n)
		}
		if n := g.count(mark, isEvent("share_started")); n != 0 {
			t.Fatalf("run %d: a recorder that only runs started a share:\n%s", run, g.raw())
		}
		if st, err := d.WMState(journal); err != nil || st != normal {
			t.Fatalf("run %d: protected window WM_STATE %d (%v)", run, st, err)
		}
		p.Cmd.Process.Kill()
		<-p.Done()
		time.Sleep(2500 * time.Millisecond) // a scan sees it gone
	}
	if raw := g.raw(); strings.Contains(raw, "Melior - Översikt") || strings.Contains(raw, "Anna Andersson") {
		t.Errorf("the audit log holds the window title:\n%s", raw)
	}
}
