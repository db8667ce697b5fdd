package main

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestE2EUserSwitchesDNDOff: the user lifts dunst's pause during a real
// share. With the default "respect" the guard records it, warns once and
// leaves it; with "enforce" it pauses dunst again at once.
func TestE2EUserSwitchesDNDOff(t *testing.T) {
	d := e2eDesktop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	auditPath := filepath.Join(d.Dir(), "audit.jsonl")
	g := startGuard(t, d, auditPath, "LANG=en_US.UTF-8")
	share, err := d.ShareScreen(ctx)
	if err != nil {
		t.Fatalf("%v\n%s", err, d.Logs())
	}
	if err := d.WaitDunstPaused(ctx, true); err != nil {
		t.Fatal(err)
	}
	mark := len(g.events())
	if err := d.SetDunstPaused(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := g.waitFrom(ctx, mark, func(e auditEvent) bool {
		return e.Event == "dnd" && e.Action == "off" && e.Detail == "changed by user"
	}); err != nil {
		t.Fatal(err)
	}
	if err := waitNotification(ctx, d, "Do-not-disturb is off during the share"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // several reconcile ticks
	if p, err := d.DunstPaused(ctx); err != nil || p {
		t.Fatalf("respect: dunst paused = %v (%v), want the user's false", p, err)
	}
	if err := share.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := g.waitFrom(ctx, mark, isEvent("share_stopped")); err != nil {
		t.Fatal(err)
	}
	if n := g.count(mark, isDND("restore", "")); n != 0 {
		t.Errorf("respect: %d restores after the share; the user's choice was off", n)
	}

	// enforce, set in the user's own file (it is the stricter choice).
	syscall.Kill(g.proc.Cmd.Process.Pid, syscall.SIGTERM)
	<-g.proc.Done()
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("dnd_during_share = \"enforce\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mark = len(g.events())
	g = startGuardArgs(t, d, auditPath, []string{"LANG=en_US.UTF-8"}, "--config", cfg)
	if err := share.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := g.waitFrom(ctx, mark, isDND("on", "previous=off")); err != nil {
		t.Fatal(err)
	}
	if err := d.SetDunstPaused(ctx, false); err != nil {
		t.Fatal(err)
	}
	lifted := time.Now()
	if _, err := g.waitFrom(ctx, mark, isDND("on", "enforced by policy")); err != nil {
		t.Fatal(err)
	}
	if err := d.WaitDunstPaused(ctx, true); err != nil {
		t.Fatal(err)
	}
	t.Logf("enforce: dunst paused again %v after the user lifted it", time.Since(lifted).Round(time.Millisecond))
	if err := share.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := g.waitFrom(ctx, mark, isDND("restore", "restored=off")); err != nil {
		t.Fatal(err)
	}
	if err := d.WaitDunstPaused(ctx, false); err != nil {
		t.Fatal(err)
	}
}
