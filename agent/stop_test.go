package agent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/platform/fake"
)

// Logoff mid-share (the platform cancels Run with a StopReason): the
// user's do-not-disturb is back and agent_stopped says why.
func TestStopReasonLogoffMidShare(t *testing.T) {
	d := fake.New()
	d.SetUserDND(false)
	dir := t.TempDir()
	h := &harness{t: t, desk: d, log: filepath.Join(dir, "audit.jsonl"), state: filepath.Join(dir, "state.json")}
	alog, err := audit.Open(h.log, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Options{Desktop: d, Config: testConfig(config.ModeBlock), Audit: alog, StatePath: h.state})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx); alog.Close() }()
	startShare(d)
	waitFor(t, "DND on", d.DND)
	cancel(StopReason("logoff"))
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("agent did not stop")
	}
	if d.DND() {
		t.Error("DND left on after logoff")
	}
	if n := h.count("agent_stopped", "detail", "logoff"); n != 1 {
		t.Errorf("agent_stopped with detail logoff: %d, events %v", n, h.events())
	}
}

// A plain cancel (a signal) still writes agent_stopped, with no detail.
func TestStopReasonNone(t *testing.T) {
	if got := stopReason(context.Background()); got != "" {
		t.Errorf("no cause: %q", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := stopReason(ctx); got != "" {
		t.Errorf("plain cancel: %q", got)
	}
}

// `shareguard restore` after a killed agent: DND back as recorded, the
// record cleared; nothing to do the second time; a failure keeps it.
func TestRestoreCrashState(t *testing.T) {
	ctx := context.Background()
	d := fake.New()
	d.SetUserDND(true) // left on by the killed agent
	state := filepath.Join(t.TempDir(), "state.json")
	if err := SaveState(state, State{DNDChanged: true, DNDPrevious: false}); err != nil {
		t.Fatal(err)
	}
	d.FailDND(errors.New("no notification daemon"))
	if had, _, err := RestoreCrashState(ctx, d, state); !had || err == nil {
		t.Fatalf("failing desktop: had=%v err=%v", had, err)
	}
	if _, err := os.Stat(state); err != nil {
		t.Fatalf("record gone after a failed restore: %v", err)
	}
	d.FailDND(nil)
	had, restored, err := RestoreCrashState(ctx, d, state)
	if !had || restored || err != nil {
		t.Fatalf("had=%v restored=%v err=%v", had, restored, err)
	}
	if d.DND() {
		t.Error("DND still on")
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("state file left: %v", err)
	}
	if had, _, err := RestoreCrashState(ctx, d, state); had || err != nil {
		t.Errorf("second time: had=%v err=%v", had, err)
	}
}
