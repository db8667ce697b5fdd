//go:build linux && cgo && !noocr

package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// The real binary, content scanning on (the default): a window whose
// title gives nothing away shows a journal with a personnummer; during a
// real Chromium whole-screen share the guard reads the picture, finds the
// number under that window and minimizes it. Nothing it writes contains
// the number.
func TestE2EContentScan(t *testing.T) {
	d := xtest.Start(t)
	xtest.Need(t, "xterm", "chromium")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	const title = "Anteckningar"
	d.Run("xterm", "-T", title, "-fa", "DejaVu Sans Mono", "-fs", "12", "-geometry", "60x8+1300+300",
		"-e", "sh", "-c", `printf 'Journalanteckning\nPatient: Tolvan Tolvansson\npersonnummer 19121212-1212\n'; exec sleep 3600`)
	id, err := d.FindWindowByTitle(ctx, title)
	if err != nil {
		t.Fatalf("xterm: %v\n%s", err, d.Logs())
	}
	// The guard gets a home of its own, so everything written there is its.
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/.config", "XDG_STATE_HOME=" + home + "/.local/state",
		"XDG_CACHE_HOME=" + home + "/.cache", "XDG_DATA_HOME=" + home + "/.local/share", "XDG_RUNTIME_DIR=" + home + "/run", "TMPDIR=" + home + "/tmp"}
	os.Mkdir(filepath.Join(home, "tmp"), 0o700)
	os.Mkdir(filepath.Join(home, "run"), 0o700)
	started := time.Now()
	g := &guard{t: t, d: d, audit: filepath.Join(home, ".local/state/shareguard/audit.jsonl")}
	g.proc = d.RunEnv(env, shareguardBinary(t), "run", "--no-tray")
	if _, err := g.waitFrom(ctx, 0, isEvent("agent_started")); err != nil {
		t.Fatalf("agent did not start: %v\n%s", err, d.Logs())
	}
	time.Sleep(500 * time.Millisecond)
	if st, _ := d.WMState(id); st == 3 {
		t.Fatal("minimized with no share running")
	}

	if _, err := d.ShareScreen(ctx); err != nil {
		t.Fatalf("share: %v\n%s", err, d.Logs())
	}
	if err := d.WaitWMState(ctx, id, 3); err != nil {
		t.Fatalf("the window showing the number was not minimized: %v\naudit:\n%s\n%s", err, g.raw(), d.Logs())
	}
	if _, err := g.waitFrom(ctx, 0, func(e auditEvent) bool {
		return e.Event == "action" && e.Kind == "screen_content" && e.Action == "minimize" && e.Process == "xterm" && e.OK != nil && *e.OK
	}); err != nil {
		t.Fatalf("no screen_content action: %v\n%s", err, g.raw())
	}
	mustNot(t, "audit log", g.raw())

	// No screen data on disk: what the guard has open now, everything under
	// its home, and every file in /tmp changed since it started.
	pid := g.proc.Cmd.Process.Pid
	fds, _ := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	for _, fd := range fds {
		target, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/fd/" + fd.Name())
		if err != nil || !strings.HasPrefix(target, "/") {
			continue // sockets, pipes, anon inodes
		}
		switch {
		case fd.Name() == "1" || fd.Name() == "2":
			// The log the test gave it as stdout/stderr: its content counts.
			data, _ := os.ReadFile(target)
			mustNot(t, "the guard's log", string(data))
		case strings.HasPrefix(target, "/dev/"), strings.HasPrefix(target, "/sys/"), strings.HasPrefix(target, "/proc/"):
			// /dev/null; read-only cgroup files the Go runtime watches.
		case target == g.audit, target == filepath.Join(home, "run/shareguard/agent.lock"):
		default:
			t.Errorf("the guard has %s open", target)
		}
	}
	var written []string
	filepath.WalkDir(home, func(path string, e os.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			written = append(written, strings.TrimPrefix(path, home+"/"))
			data, _ := os.ReadFile(path)
			mustNot(t, path, string(data))
		}
		return nil
	})
	for _, w := range written {
		switch w {
		case ".local/state/shareguard/audit.jsonl", ".local/state/shareguard/state.json", "run/shareguard/agent.lock":
		default:
			t.Errorf("the guard wrote %s", w)
		}
	}
	filepath.WalkDir(os.TempDir(), func(path string, e os.DirEntry, err error) error {
		if err == nil && e.IsDir() && strings.HasPrefix(e.Name(), "go-build") {
			// The Go tool compiling other test packages at the same time
			// (go test ./... runs packages in parallel); their sources
			// hold the test number.
			return filepath.SkipDir
		}
		if err != nil || !e.Type().IsRegular() {
			return nil
		}
		if info, err := e.Info(); err == nil && info.ModTime().After(started) && info.Size() < 64<<20 {
			data, _ := os.ReadFile(path)
			if strings.Contains(string(data), "19121212-1212") || strings.Contains(string(data), "191212121212") {
				t.Errorf("%s (changed during the share) contains the number", path)
			}
		}
		return nil
	})
}
