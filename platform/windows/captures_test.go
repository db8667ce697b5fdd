//go:build windows

package windows_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
	sgwin "github.com/shareguard/shareguard/platform/windows"
	"github.com/shareguard/shareguard/platform/windows/internal/testwin"
)

// startIdle runs a windowless helper called exeName with args, as
// ShareX runs its ffmpeg, and waits until it is up.
func startIdle(t *testing.T, exeName string, args ...string) *helper {
	t.Helper()
	cmd := exec.Command(exeNamed(t, exeName), args...)
	cmd.Env = append(os.Environ(), testwin.EnvRole+"=idle")
	h := &helper{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = h.stderr
	cmd.WaitDelay = 2 * time.Second
	var err error
	if h.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	h.stdout = bufio.NewReader(out)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", exeName, err)
	}
	t.Cleanup(func() { h.stop(t) })
	if line, err := h.stdout.ReadString('\n'); err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("%s: %q %v; stderr: %s", exeName, line, err, h.stderr)
	}
	return h
}

// sharesNow takes snapshots until f holds for the shares or d passes.
func sharesNow(t *testing.T, d *sgwin.Desktop, wait time.Duration, f func([]detectors.Share, platform.Snapshot) bool) ([]detectors.Share, bool) {
	t.Helper()
	var got []detectors.Share
	ok := eventually(wait, func() bool {
		snap, err := d.Snapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got = detectors.Shares(&snap, nil)
		return f(got, snap)
	})
	return got, ok
}

// ShareX records with an ffmpeg child grabbing the desktop: the desktop
// finds the process with its command line (it owns no window), once per
// process; an ffmpeg grabbing one window is no whole-screen recording.
func TestWatchedFFmpegGdigrab(t *testing.T) {
	ctx := context.Background()
	d, err := sgwin.Open(ctx, sgwin.Options{ProcessInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.WatchProcesses(detectors.WatchedProcesses(nil))

	window := startIdle(t, "ffmpeg.exe", "-f", "gdigrab", "-framerate", "30", "-i", "title=Anteckningar", "out.mp4")
	if got, ok := sharesNow(t, d, 5*time.Second, func(_ []detectors.Share, s platform.Snapshot) bool {
		p, ok := s.Process(window.pid())
		return ok && slices.Contains(p.Args, "title=Anteckningar")
	}); !ok || len(got) != 0 {
		t.Fatalf("an ffmpeg grabbing one window: shares %+v (process seen: %v)", got, ok)
	}
	// The second starts while the first runs: Wine 8 fails to start an
	// exe again right after it exited ("Internal error").

	desk := startIdle(t, "ffmpeg.exe", "-f", "gdigrab", "-framerate", "30", "-offset_x", "0", "-offset_y", "0", "-video_size", "1920x1080", "-draw_mouse", "1", "-i", "desktop", `C:\Users\x\Videos\rec.mp4`)
	got, ok := sharesNow(t, d, 5*time.Second, func(sh []detectors.Share, _ platform.Snapshot) bool { return len(sh) > 0 })
	if !ok || len(got) != 1 || got[0].Signature != "ffmpeg-gdigrab" || got[0].Kind != detectors.KindRecording || got[0].PID != desk.pid() {
		t.Fatalf("shares %+v, want the gdigrab recording of pid %d", got, desk.pid())
	}
	desk.stop(t)
	window.stop(t)
	if got, ok := sharesNow(t, d, 5*time.Second, func(sh []detectors.Share, _ platform.Snapshot) bool { return len(sh) == 0 }); !ok {
		t.Fatalf("the recording outlived its process: %+v", got)
	}
}

// Windows says a session is remote or remote-controlled only through
// GetSystemMetrics, which Wine answers 0; a stand-in reader says so here.
// The sweep notices the change with no window event, and the snapshot
// carries it.
func TestRemoteSessionMetrics(t *testing.T) {
	ctx := context.Background()
	d, err := sgwin.Open(ctx, sgwin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	snap, err := d.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("this system's session: %+v", snap.Session)
	if got := detectors.Shares(&snap, nil); len(got) != 0 {
		t.Fatalf("shares before any remote session: %+v", got)
	}
	metrics := map[int]int{0x2001: 1} // SM_REMOTECONTROL
	sgwin.SetMetricReader(d, func(i int) int { return metrics[i] })
	if !waitSession(d, 5*time.Second) {
		t.Fatal("no session_changed event after the session turned remote-controlled")
	}
	snap, err = d.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := detectors.Shares(&snap, nil)
	if !snap.Session.RemoteControlled || len(got) != 1 || got[0].App != "Remote Assistance" || got[0].Kind != detectors.KindRemote {
		t.Fatalf("session %+v, shares %+v", snap.Session, got)
	}
	sgwin.SetMetricReader(d, func(int) int { return 0 })
	if !waitSession(d, 5*time.Second) {
		t.Fatal("no session_changed event after the viewer left")
	}
}

func waitSession(d *sgwin.Desktop, wait time.Duration) bool {
	deadline := time.After(wait)
	for {
		select {
		case ev := <-d.Events():
			if ev.Kind == platform.SessionChanged {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// The guard as its own process: a recorder that only runs (OBS) warns
// and hides nothing; a TeamViewer Panel (a partner connected) and ShareX's
// ffmpeg grabbing the desktop each hide the open journal while they last
// and give it back after.
func TestGuardCaptures(t *testing.T) {
	const pnr = "19121212-1212"
	dir := t.TempDir()
	auditPath := filepath.Join(dir, "audit.jsonl")
	nkey, skey := testKeys(t)
	guard := startGuard(t, auditPath, filepath.Join(dir, "state.json"), nkey, skey)
	journal := startHelper(t, "", "windows", []testwin.Spec{{Class: "CosmicMainWnd", Title: "Cosmic - Journal " + pnr}})
	h := journal.hwnds[0]
	events := func() []audit.Event {
		data, _ := os.ReadFile(auditPath)
		var out []audit.Event
		for _, line := range bytes.Split(data, []byte("\n")) {
			var e audit.Event
			if json.Unmarshal(line, &e) == nil {
				out = append(out, e)
			}
		}
		return out
	}
	count := func(f func(audit.Event) bool) int {
		n := 0
		for _, e := range events() {
			if f(e) {
				n++
			}
		}
		return n
	}
	restores := func() int {
		return count(func(e audit.Event) bool { return e.Action == "restore" && e.OK != nil && *e.OK })
	}

	obs := startIdle(t, "obs64.exe")
	if !eventually(15*time.Second, func() bool {
		return count(func(e audit.Event) bool {
			return e.Event == audit.Finding && e.Kind == "recorder_running" && e.App == "OBS Studio" && e.PID == obs.pid()
		}) == 1
	}) {
		t.Fatalf("no recorder_running finding for OBS; guard: %s", guard.stderr)
	}
	if isIconicHwnd(h) || count(func(e audit.Event) bool { return e.Event == audit.ShareStarted }) != 0 {
		t.Fatal("a recorder that only runs was taken for a share")
	}
	obs.stop(t)

	panel := startHelper(t, "TeamViewer.exe", "windows", []testwin.Spec{{Class: "TV_ControlWin", Title: "TeamViewer Panel", Topmost: true, Tool: true}})
	if !eventually(10*time.Second, func() bool { return isIconicHwnd(h) }) {
		t.Fatalf("journal not minimized while the TeamViewer Panel is up; guard: %s", guard.stderr)
	}
	panel.stop(t)
	if !eventually(10*time.Second, func() bool { return restores() == 1 && !isIconicHwnd(h) }) {
		t.Fatalf("journal not given back after the panel went; guard: %s", guard.stderr)
	}

	rec := startIdle(t, "ffmpeg.exe", "-f", "gdigrab", "-framerate", "15", "-i", "desktop", "rec.mp4")
	if !eventually(15*time.Second, func() bool { return isIconicHwnd(h) }) {
		t.Fatalf("journal not minimized while ffmpeg grabs the desktop; guard: %s", guard.stderr)
	}
	rec.stop(t)
	if !eventually(15*time.Second, func() bool { return restores() == 2 && !isIconicHwnd(h) }) {
		t.Fatalf("journal not given back after the recording; guard: %s", guard.stderr)
	}

	for _, want := range []struct{ app, kind string }{{"TeamViewer", "remote"}, {"ffmpeg", "recording"}} {
		if n := count(func(e audit.Event) bool {
			return e.Event == audit.ShareStarted && e.App == want.app && e.ShareKind == want.kind
		}); n != 1 {
			t.Errorf("%d share_started for %s (%s), want 1", n, want.app, want.kind)
		}
	}
	if data, _ := os.ReadFile(auditPath); bytes.Contains(data, []byte("Cosmic - Journal")) || bytes.Contains(data, []byte(pnr)) {
		t.Errorf("the audit log holds a window title:\n%s", data)
	}
	if err := guard.stop(t); err != nil {
		t.Errorf("guard exit: %v; stderr: %s", err, guard.stderr)
	}
}
