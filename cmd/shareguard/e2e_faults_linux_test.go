package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// Fault scenarios against the real binary on a real X desktop. Timings are
// logged, never asserted.

const fakeIndicator = "meet.google.com is sharing your screen."

func alive(t *testing.T, g *guard) {
	t.Helper()
	select {
	case <-g.proc.Done():
		t.Fatalf("the guard exited: %v\n%s", g.proc.Err(), g.d.Logs())
	default:
	}
}

// The X server dies mid-share and comes back: the guard says so, keeps
// running, reconnects and guards again.
func TestE2EFaultDisplayLostAndBack(t *testing.T) {
	d := xtest.Start(t, xtest.Restartable())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	g := startGuard(t, d, filepath.Join(t.TempDir(), "audit.jsonl"))
	if _, _, err := d.Xterm(ctx, fakeIndicator); err != nil {
		t.Fatal(err)
	}
	if _, err := g.waitFrom(ctx, 0, isEvent("share_started")); err != nil {
		t.Fatalf("no share: %v\n%s", err, g.raw())
	}
	mark := len(g.events())
	d.KillX()
	if _, err := g.waitFrom(ctx, mark, func(e auditEvent) bool {
		return e.Event == "error" && strings.Contains(e.Detail, "display lost")
	}); err != nil {
		t.Fatalf("display loss not recorded: %v\n%s", err, g.raw())
	}
	time.Sleep(300 * time.Millisecond)
	alive(t, g)

	d.RestartX()
	back := time.Now()
	if _, _, err := d.Xterm(ctx, fakeIndicator); err != nil {
		t.Fatal(err)
	}
	_, id, err := d.Xterm(ctx, journalTitle)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WaitWMState(ctx, id, 3); err != nil {
		t.Fatalf("not guarding after the display returned: %v\n%s\n%s", err, g.raw(), d.Logs())
	}
	t.Logf("display back -> share seen and journal minimized in %v (includes starting two xterms)", time.Since(back))
	alive(t, g)
	mustNot(t, "audit log", g.raw())
}

// The sharing browser is killed mid-share: the share ends and the user's
// do-not-disturb comes back.
func TestE2EFaultBrowserKilled(t *testing.T) {
	d := xtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	g := startGuard(t, d, filepath.Join(t.TempDir(), "audit.jsonl"))
	share, err := d.ShareScreen(ctx)
	if err != nil {
		t.Fatalf("share: %v\n%s", err, d.Logs())
	}
	if _, err := g.waitFrom(ctx, 0, isEvent("share_started")); err != nil {
		t.Fatalf("no share: %v\n%s", err, g.raw())
	}
	if err := d.WaitDunstPaused(ctx, true); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(-share.Proc.Cmd.Process.Pid, syscall.SIGKILL)
	syscall.Kill(share.Proc.Cmd.Process.Pid, syscall.SIGKILL)
	if _, err := g.waitFrom(ctx, 0, isEvent("share_stopped")); err != nil {
		t.Fatalf("no share_stopped after the browser died: %v\n%s", err, g.raw())
	}
	if err := d.WaitDunstPaused(ctx, false); err != nil {
		t.Fatalf("do-not-disturb not restored: %v", err)
	}
	alive(t, g)
}

// The user config is replaced by garbage, a huge file and a symlink loop
// while the guard runs: each is rejected, the last good config stays.
func TestE2EFaultBadConfigAtRuntime(t *testing.T) {
	d := xtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var cfgDir string
	for _, kv := range d.Env() {
		if v, ok := strings.CutPrefix(kv, "XDG_CONFIG_HOME="); ok {
			cfgDir = filepath.Join(v, "shareguard")
		}
	}
	if cfgDir == "" {
		t.Fatal("the test desktop sets no XDG_CONFIG_HOME")
	}
	os.MkdirAll(cfgDir, 0o700)
	user := filepath.Join(cfgDir, "config.toml")
	g := startGuard(t, d, filepath.Join(t.TempDir(), "audit.jsonl"))

	replace := func(write func(tmp string)) {
		tmp := filepath.Join(cfgDir, ".edit")
		os.Remove(tmp)
		write(tmp)
		if err := os.Rename(tmp, user); err != nil {
			t.Fatal(err)
		}
	}
	mark := len(g.events())
	replace(func(p string) {
		os.WriteFile(p, []byte("[[protected]]\nname = \"Hemligt\"\ntitles = [\"Hemligt *\"]\n"), 0o600)
	})
	if _, err := g.waitFrom(ctx, mark, isEvent("config_reloaded")); err != nil {
		t.Fatalf("good edit not loaded: %v\n%s", err, g.raw())
	}
	bad := []struct {
		name  string
		write func(p string)
	}{
		{"garbage", func(p string) { os.WriteFile(p, []byte("\x00\xff[[[ mode = \n"), 0o600) }},
		{"huge", func(p string) { os.WriteFile(p, []byte(strings.Repeat("# x\n", 600_000)), 0o600) }},
		{"symlink loop", func(p string) {
			loop := filepath.Join(cfgDir, "loop.toml")
			os.Remove(loop)
			os.Symlink(user, loop)
			os.Symlink(loop, p)
		}},
	}
	for _, b := range bad {
		mark := len(g.events())
		replace(b.write)
		if _, err := g.waitFrom(ctx, mark, isEvent("config_rejected")); err != nil {
			t.Fatalf("%s not rejected: %v\n%s", b.name, err, g.raw())
		}
		alive(t, g)
	}
	// The last good config (with the Hemligt rule) still guards.
	if _, _, err := d.Xterm(ctx, fakeIndicator); err != nil {
		t.Fatal(err)
	}
	_, id, err := d.Xterm(ctx, "Hemligt system")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WaitWMState(ctx, id, 3); err != nil {
		t.Fatalf("last good config lost: %v\n%s", err, g.raw())
	}
}

// The audit log's disk is full: the guard warns on stderr and keeps
// guarding.
func TestE2EFaultAuditDiskFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	d := xtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	proc := d.Run(shareguardBinary(t), "run", "--no-tray", "--audit", "/dev/full")
	if _, _, err := d.Xterm(ctx, fakeIndicator); err != nil {
		t.Fatal(err)
	}
	_, id, err := d.Xterm(ctx, journalTitle)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WaitWMState(ctx, id, 3); err != nil {
		t.Fatalf("stopped guarding with a full audit disk: %v\n%s", err, d.Logs())
	}
	for !strings.Contains(d.Logs(), "audit log unwritable") {
		if ctx.Err() != nil {
			t.Fatalf("no warning on stderr:\n%s", d.Logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
	select {
	case <-proc.Done():
		t.Fatalf("the guard exited: %v", proc.Err())
	default:
	}
	mustNot(t, "logs", d.Logs())
}
