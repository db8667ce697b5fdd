package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// The real agent, run as an unprivileged user on a desktop whose system
// bus has the real rtkit-daemon and polkitd, gets its threads raised to
// nice -10 through rtkit (its log names each thread), keeps content
// scanning's thread 10 levels below, and says so in one log line.
func TestAgentThreadsRaisedThroughRealtimeKit(t *testing.T) {
	xtest.NeedRoot(t)
	xtest.Need(t, "setpriv", "go")
	const nobody = "65534"
	d := xtest.Start(t)
	bus := xtest.StartSystemBus(t)
	bus.StartPolkit(nobody, "org.freedesktop.RealtimeKit1.acquire-high-priority")
	bus.StartRealtimeKit()

	// go test's build directory is private to root.
	data, err := os.ReadFile(shareguardBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(bus.Dir(), "shareguard")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	// HOME and XDG_* where nobody can write; the session bus is root's, so
	// the agent runs without notifications.
	env := append(bus.Env(), "SHAREGUARD_LOG=debug")
	p := d.RunEnv(env, "setpriv", "--reuid="+nobody, "--regid="+nobody, "--clear-groups", "--",
		bin, "run", "--no-tray", "--audit", filepath.Join(bus.Dir(), "home", "audit.jsonl"))
	pid := p.Cmd.Process.Pid // setpriv execs the agent

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var nices map[int]int
	for {
		nices = threadNices(t, pid)
		raised, zero := 0, 0
		for _, n := range nices {
			switch n {
			case -10:
				raised++
			case 0:
				zero++
			}
		}
		// Settled: the main thread and all but content scanning's thread
		// raised, or as many as the agent raises (8).
		if nices[pid] == -10 && raised+zero == len(nices) && (zero <= 1 || raised == 8) {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("threads of the agent (pid %d): %v\nagent:\n%s\ndaemons:\n%s", pid, nices, agentLog(t, d), bus.Logs())
		case <-p.Done():
			t.Fatalf("agent exited: %v\n%s", p.Err(), agentLog(t, d))
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Logf("agent threads (tid: nice): %v", nices)
	for tid, n := range nices {
		line := fmt.Sprintf("Successfully made thread %d of process %d owned by '%s' high priority at nice level -10.", tid, pid, nobody)
		if n == -10 && !strings.Contains(bus.Logs(), line) {
			t.Errorf("thread %d at -10, but rtkit-daemon's log lacks %q", tid, line)
		}
	}
	// The agent logs after its first pass, so the threads can be seen
	// raised a moment before the line is written.
	const said = `msg="scheduling priority raised" component=priority mechanism=rtkit nice=-10`
	log := agentLog(t, d)
	for strings.Count(log, said) == 0 && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
		log = agentLog(t, d)
	}
	if strings.Count(log, said) != 1 {
		t.Errorf("agent log lacks the one line saying so:\n%s", log)
	}
}

// agentLog is what the agent started through setpriv printed.
func agentLog(t *testing.T, d *xtest.Desktop) string {
	files, _ := filepath.Glob(filepath.Join(d.Dir(), "setpriv-*.log"))
	var b strings.Builder
	for _, f := range files {
		data, _ := os.ReadFile(f)
		b.Write(data)
	}
	return b.String()
}

// threadNices reads each thread's nice value (field 19 of its stat).
func threadNices(t testing.TB, pid int) map[int]int {
	t.Helper()
	dir := fmt.Sprintf("/proc/%d/task", pid)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]int{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		tid, err1 := strconv.Atoi(e.Name())
		n, err2 := strconv.Atoi(f[19-3])
		if err1 == nil && err2 == nil {
			out[tid] = n
		}
	}
	return out
}

// `check` says whether the guard's threads would be raised: not without a
// system bus, not when switched off, and through the real rtkit-daemon
// where it runs (root only: the daemons refuse otherwise; polkit grants
// root everything, so this is not the unprivileged case, which the test
// above and platform/priority's tests cover).
func TestCheckSaysPriority(t *testing.T) {
	d := xtest.Start(t, xtest.WithoutNotifications())
	d.Setenv(t)
	cfgDir := t.TempDir()
	args := []string{"check", "--config", filepath.Join(cfgDir, "none.toml"), "--policy", filepath.Join(cfgDir, "nopolicy.toml")}
	line := func() string {
		t.Helper()
		code, out, errOut := run(t, "", args...)
		if code != exitOK {
			t.Fatalf("check: code %d\n%s\n%s", code, out, errOut)
		}
		for l := range strings.Lines(out) {
			if strings.HasPrefix(strings.TrimSpace(l), "priority ") {
				return strings.Join(strings.Fields(l), " ")
			}
		}
		t.Fatalf("check printed no priority line:\n%s", out)
		return ""
	}
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	if l := line(); !strings.HasPrefix(l, "priority NOT AVAILABLE no system bus") {
		t.Errorf("no system bus: %q", l)
	}
	t.Setenv("SHAREGUARD_PRIORITY", "off")
	if l := line(); l != "priority NOT AVAILABLE off (SHAREGUARD_PRIORITY=off)" {
		t.Errorf("switched off: %q", l)
	}
	t.Setenv("SHAREGUARD_PRIORITY", "")
	if os.Geteuid() != 0 {
		t.Skip("the rest needs root to run rtkit-daemon")
	}
	bus := xtest.StartSystemBus(t)
	bus.StartPolkit("")
	bus.StartRealtimeKit()
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.Address)
	if l := line(); l != "priority available rtkit: nice -10" {
		t.Errorf("with rtkit: %q\n%s", l, bus.Logs())
	}
}
