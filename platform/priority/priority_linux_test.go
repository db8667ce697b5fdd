//go:build linux

package priority

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// helperEnv makes the test binary, started by a test as an unprivileged
// user, act as a small agent (helperMain) instead of running tests.
const helperEnv = "SHAREGUARD_PRIORITY_HELPER"

// nobody is the unprivileged user the helper runs as.
const nobody = "65534"

const acquireHighPriority = "org.freedesktop.RealtimeKit1.acquire-high-priority"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(helperMain())
	}
	os.Exit(m.Run())
}

// report is what the helper tells the test, as one JSON line on stdout.
type report struct {
	PID        int
	Probe      platform.Capability
	Capability platform.Capability
	DirectErr  string // setpriority(-1) on its own, which must fail
	Lowered    int    // tid of the thread LowerThread moved down
	Before     []int  // threads when Start was called
	Born       []born // threads started after Start, as they began
}

type born struct{ TID, Nice int }

// helperMain runs as an unprivileged user: it raises its threads through
// Start as the agent does, lowers one as content scanning does, starts
// more threads, reports, and waits for stdin to close.
func helperMain() int {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r := report{PID: os.Getpid()}
	r.DirectErr = direct()
	r.Probe = Probe(context.Background(), Options{})
	tasks, err := listTasks()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, t := range tasks {
		r.Before = append(r.Before, t.tid)
	}
	b := Start(context.Background(), Options{Logger: log})
	defer b.Close()
	lowered := make(chan int)
	go func() {
		runtime.LockOSThread()
		LowerThread()
		lowered <- unix.Gettid()
		select {}
	}()
	r.Lowered = <-lowered
	// Goroutines blocked in a system call keep their threads, so Go must
	// start new ones for the rest.
	const blocked = 8
	p := make([]int, 2)
	if err := unix.Pipe(p); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	births := make(chan born, blocked)
	for range blocked {
		go func() {
			runtime.LockOSThread()
			t, _ := readTask("/proc/thread-self/stat")
			births <- born{t.tid, t.nice}
			var buf [1]byte
			unix.Read(p[0], buf[:])
		}()
	}
	for range blocked {
		bn := <-births
		if !containsInt(r.Before, bn.TID) {
			r.Born = append(r.Born, bn)
		}
	}
	time.Sleep(2 * rescanMin) // a rescan has run
	r.Capability = b.Capability()
	json.NewEncoder(os.Stdout).Encode(r)
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// direct tries what the agent never does: lower its own nice on its own.
func direct() string {
	runtime.LockOSThread() // this thread is raised or lost with the goroutine
	defer runtime.UnlockOSThread()
	err := unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), -1)
	if err == nil {
		unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), 0)
		return ""
	}
	return err.Error()
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// helper is the test binary running helperMain as nobody.
type helper struct {
	cmd   *exec.Cmd
	stdin io.Closer
	r     report
	err   bytes.Buffer
}

func startHelper(t *testing.T, bus *xtest.SystemBus) *helper {
	t.Helper()
	xtest.Need(t, "setpriv")
	// Our binary sits in go test's private directory: copy it where
	// nobody can run it.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(bus.Dir(), "priority.test")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	h := &helper{}
	h.cmd = exec.Command("setpriv", "--reuid="+nobody, "--regid="+nobody, "--clear-groups", "--", bin, "-test.run=^$")
	h.cmd.Env = append(bus.Env(), helperEnv+"=1")
	h.cmd.Dir = bus.Dir()
	h.cmd.Stderr = &h.err
	h.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	in, err := h.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	h.stdin = in
	out, err := h.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := h.cmd.Process.Pid
	t.Cleanup(func() {
		h.stdin.Close()
		done := make(chan struct{})
		go func() { h.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-pid, syscall.SIGKILL)
			<-done
		}
	})
	line := make(chan []byte, 1)
	go func() {
		b, _ := bufio.NewReader(out).ReadBytes('\n')
		line <- b
	}()
	select {
	case b := <-line:
		if err := json.Unmarshal(b, &h.r); err != nil {
			t.Fatalf("helper said %q: %v\nstderr:\n%s\n%s", b, err, h.err.String(), bus.Logs())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("helper said nothing\nstderr:\n%s\n%s", h.err.String(), bus.Logs())
	}
	return h
}

// nices reads the helper's threads from /proc, from outside.
func (h *helper) nices(t *testing.T) map[int]int {
	t.Helper()
	dir := fmt.Sprintf("/proc/%d/task", h.r.PID)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]int{}
	for _, e := range entries {
		tk, err := readTask(filepath.Join(dir, e.Name(), "stat"))
		if err == nil {
			out[tk.tid] = tk.nice
		}
	}
	return out
}

// resetOnFork says whether rtkit's mark is on the thread: it sets
// SCHED_RESET_ON_FORK with every nice level it hands out; our code never
// sets it.
func resetOnFork(t *testing.T, tid int) bool {
	t.Helper()
	a, err := unix.SchedGetAttr(tid, 0)
	if err != nil {
		t.Fatalf("sched_getattr %d: %v", tid, err)
	}
	return a.Flags&unix.SCHED_FLAG_RESET_ON_FORK != 0
}

// The real rtkit-daemon, with the real polkitd deciding, raises the
// threads of a process of an unprivileged user, including threads Go
// starts later, and leaves the thread LowerThread moved down Levels below.
func TestRealtimeKitRaisesThreads(t *testing.T) {
	xtest.NeedRoot(t)
	bus := xtest.StartSystemBus(t)
	bus.StartPolkit(nobody, acquireHighPriority)
	bus.StartRealtimeKit()
	h := startHelper(t, bus)
	r := h.r
	t.Logf("helper: %+v", r)

	if r.DirectErr == "" {
		t.Fatal("the helper could lower its own nice value: it is privileged, so this proves nothing about rtkit")
	}
	if !r.Probe.Available || r.Probe.Detail != "rtkit: nice -10" {
		t.Errorf("Probe = %+v, want available, rtkit: nice -10", r.Probe)
	}
	if !r.Capability.Available || !strings.HasPrefix(r.Capability.Detail, "rtkit: nice -10 on ") {
		t.Errorf("Capability = %+v, want available, rtkit: nice -10 on N threads", r.Capability)
	}
	if len(r.Born) == 0 {
		t.Fatal("no thread was started after Start: the rescan is not tested")
	}
	for _, b := range r.Born {
		// rtkit's SCHED_RESET_ON_FORK: a new thread never inherits a
		// raised nice value, which is why Start keeps looking. A thread Go
		// started before a rescan, raised by rtkit itself, may carry one
		// when a goroutine of ours lands on it: rtkit's flag tells it apart.
		if b.Nice < 0 && !resetOnFork(t, b.TID) {
			t.Errorf("thread %d began at nice %d: inherited a raised level", b.TID, b.Nice)
		}
	}

	nices := h.nices(t)
	raised := 0
	for tid, n := range nices {
		switch {
		case tid == r.Lowered:
			if n != -10+Levels {
				t.Errorf("lowered thread %d at nice %d, want %d", tid, n, -10+Levels)
			}
		case n == -10:
			raised++
			if !resetOnFork(t, tid) {
				t.Errorf("thread %d at nice -10 without SCHED_RESET_ON_FORK: not raised by rtkit", tid)
			}
			line := fmt.Sprintf("Successfully made thread %d of process %d owned by '%s' high priority at nice level -10.", tid, r.PID, nobody)
			if !strings.Contains(bus.Logs(), line) {
				t.Errorf("rtkit-daemon's log lacks %q", line)
			}
		case n != 0:
			t.Errorf("thread %d at nice %d, want -10 or 0", tid, n)
		}
	}
	if want := min(len(nices)-1, maxThreads); raised != want {
		t.Errorf("%d of %d threads raised, want %d: %v", raised, len(nices), want, nices)
	}
	if nices[r.PID] != -10 {
		t.Errorf("main thread at nice %d, want -10", nices[r.PID])
	}
	newRaised := 0
	for _, b := range r.Born {
		if nices[b.TID] == -10 {
			newRaised++
		}
	}
	if newRaised == 0 && raised < maxThreads {
		t.Errorf("none of the threads started after Start (%v) was raised: %v", r.Born, nices)
	}
	if t.Failed() {
		t.Logf("helper stderr:\n%s\ndaemons:\n%s", h.err.String(), bus.Logs())
	}
}

// When polkit says no (here: no rule and no logind session, as for a
// user who is not logged in at the seat) the real rtkit-daemon refuses,
// and the threads keep their priority without any error.
func TestRealtimeKitRefusalKeepsPriority(t *testing.T) {
	xtest.NeedRoot(t)
	bus := xtest.StartSystemBus(t)
	bus.StartPolkit("")
	bus.StartRealtimeKit()
	h := startHelper(t, bus)
	r := h.r
	for _, c := range []platform.Capability{r.Probe, r.Capability} {
		if c.Available || !strings.Contains(c.Detail, "RealtimeKit refused") {
			t.Errorf("capability = %+v, want not available: RealtimeKit refused", c)
		}
	}
	for tid, n := range h.nices(t) {
		want := 0
		if tid == r.Lowered {
			want = Levels // below its own level: nothing was raised
		}
		if n != want {
			t.Errorf("thread %d at nice %d, want %d", tid, n, want)
		}
	}
	if strings.Contains(bus.Logs(), "Successfully made thread") {
		t.Errorf("rtkit raised a thread:\n%s", bus.Logs())
	}
	if !strings.Contains(h.err.String(), `msg="scheduling priority unchanged"`) {
		t.Errorf("helper's log lacks the one line saying so:\n%s", h.err.String())
	}
}

// fallback runs Start and Probe in this process and checks that they say
// why, log one line, and change no thread.
func fallback(t *testing.T, o Options, want string) {
	t.Helper()
	before, err := listTasks()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	b := Start(ctx, o)
	b.Close()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Start took %v to give up", d)
	}
	for _, c := range []platform.Capability{b.Capability(), Probe(ctx, o)} {
		if c.Name != CapabilityName || c.Available || !strings.Contains(c.Detail, want) {
			t.Errorf("capability = %+v, want %s not available: %s", c, CapabilityName, want)
		}
	}
	if n := strings.Count(logs.String(), "\n"); n != 1 || !strings.Contains(logs.String(), `level=INFO msg="scheduling priority unchanged"`) {
		t.Errorf("log, want one info line:\n%s", logs.String())
	}
	after, _ := listTasks()
	for _, a := range after {
		for _, b := range before {
			if a.tid == b.tid && a.nice != b.nice {
				t.Errorf("thread %d went from nice %d to %d", a.tid, b.nice, a.nice)
			}
		}
	}
}

func TestNoSystemBus(t *testing.T) {
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	fallback(t, Options{}, "no system bus")
}

func TestNoRealtimeKitOnTheBus(t *testing.T) {
	bus := xtest.StartSystemBus(t)
	fallback(t, Options{BusAddress: bus.Address}, "RealtimeKit is not on the system bus")
}
