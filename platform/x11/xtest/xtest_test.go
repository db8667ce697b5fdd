//go:build linux

package xtest

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"
)

// recorder stands in for a test so Need's skip/fail choice can be seen.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()        {}
func (r *recorder) Skip(a ...any)  { r.skipped = a[0].(string) }
func (r *recorder) Fatal(a ...any) { r.failed = a[0].(string) }

func TestNeedSkipsOrFails(t *testing.T) {
	const missing = "xvfb-that-is-not-installed"
	t.Setenv(RequireEnv, "")
	r := &recorder{TB: t}
	Need(r, missing)
	if r.skipped == "" || r.failed != "" || !strings.Contains(r.skipped, missing) {
		t.Fatalf("without %s: skipped %q failed %q, want a skip naming the program", RequireEnv, r.skipped, r.failed)
	}
	t.Setenv(RequireEnv, "1")
	r = &recorder{TB: t}
	Need(r, "Xvfb-missing", missing)
	if r.failed == "" || r.skipped != "" {
		t.Fatalf("with %s: skipped %q failed %q, want a failure", RequireEnv, r.skipped, r.failed)
	}
	r = &recorder{TB: t}
	Need(r, "sh")
	if r.failed != "" || r.skipped != "" {
		t.Fatalf("installed program: skipped %q failed %q", r.skipped, r.failed)
	}
}

func TestStartAndCleanup(t *testing.T) {
	var xterm, xvfb int
	t.Run("desktop", func(t *testing.T) {
		d := Start(t)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p, id, err := d.Xterm(ctx, "hello")
		if err != nil {
			t.Fatal(err)
		}
		xterm, xvfb = p.Cmd.Process.Pid, d.xvfb.Cmd.Process.Pid
		if st, err := d.WMState(id); err != nil || st != 1 {
			t.Fatalf("WMState = %d, %v", st, err)
		}
		for _, kv := range d.Env() {
			if strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "HOME="+d.Dir()) {
				t.Errorf("%s, want inside %s", kv, d.Dir())
			}
		}
		out, err := d.Command(ctx, "sh", "-c", `echo "$DISPLAY $XDG_RUNTIME_DIR"`).Output()
		if err != nil || !strings.HasPrefix(string(out), d.Display+" "+d.Dir()) {
			t.Errorf("program env: %q, %v", out, err)
		}
	})
	// After cleanup, the programs are gone (kill -0 fails).
	for _, pid := range []int{xterm, xvfb} {
		if err := syscall.Kill(pid, 0); err == nil {
			t.Errorf("pid %d still running after cleanup", pid)
		}
	}
}

// Firefox shares with no human (a pref answers the prompt, xdotool
// clicks), shows its indicator, lets Iconify minimize it as its own button
// does, and shares again after Stop.
func TestFirefoxShare(t *testing.T) {
	d := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	s, err := d.ShareWith(ctx, ShareOptions{Browser: Firefox, Watch: &Rect{W: 64, H: 64}})
	if err != nil {
		t.Fatalf("%v\n%s", err, d.Logs())
	}
	for s.Frames().Frames == 0 || !s.Frames().Live {
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			t.Fatalf("the page reports no live frames: %+v", s.Frames())
		}
	}
	for round := 1; round <= 2; round++ {
		bar, err := d.Indicator(ctx, s)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := d.Iconify(bar); err != nil {
			t.Fatal(err)
		}
		if err := d.WaitWMState(ctx, bar, 3); err != nil {
			t.Fatal(err)
		}
		if err := d.Activate(bar); err != nil {
			t.Fatal(err)
		}
		if err := d.WaitWMState(ctx, bar, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if !d.waitClient(ctx, bar, false, 10*time.Second) {
			t.Fatalf("round %d: the indicator stayed after Stop", round)
		}
		if round == 1 {
			if err := s.Restart(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
}
