//go:build linux

package x11

import (
	"context"
	"net"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// watched returns the watched process with the pid from a fresh snapshot.
func watched(t *testing.T, d *Desktop, pid int) (platform.Process, bool) {
	t.Helper()
	s := snapshot(t, d)
	i := slices.IndexFunc(s.Processes, func(p platform.Process) bool { return p.PID == pid })
	if i < 0 {
		return platform.Process{}, false
	}
	return s.Processes[i], true
}

// A real x11vnc owns no window: the desktop finds it by its name, with its
// command line, and counts a real viewer's connection only while it lasts.
func TestWatchX11vncClients(t *testing.T) {
	xtest.Need(t, "x11vnc")
	xd := xtest.Start(t, xtest.WithoutNotifications())
	d, err := Open(context.Background(), Options{Display: xd.Display, BusAddress: xd.BusAddress, Env: xd.Env(),
		Logger: testLogger(t), ProcessInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	d.WatchProcesses([]string{"x11vnc", "ffmpeg"})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	port := freePort(t)
	vnc, err := xd.X11vnc(ctx, port)
	if err != nil {
		t.Fatal(err)
	}
	pid := vnc.Cmd.Process.Pid
	waitEvent(t, d, 10*time.Second, func(ev platform.Event) bool { return ev.Kind == platform.ProcessesChanged })
	p, ok := watched(t, d, pid)
	if !ok || p.Name != "x11vnc" || !slices.Contains(p.Args, "-rfbport") || p.Clients != 0 {
		t.Fatalf("listening x11vnc: found=%v %+v", ok, p)
	}
	c, err := xtest.RFBClient(ctx, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	waitEvent(t, d, 10*time.Second, func(ev platform.Event) bool { return ev.Kind == platform.ProcessesChanged })
	if p, _ := watched(t, d, pid); p.Clients != 1 {
		t.Fatalf("with a viewer: %d clients", p.Clients)
	}
	c.Close()
	waitEvent(t, d, 10*time.Second, func(ev platform.Event) bool { return ev.Kind == platform.ProcessesChanged })
	if p, _ := watched(t, d, pid); p.Clients != 0 {
		t.Fatalf("viewer gone: %d clients", p.Clients)
	}
}

// freePort returns a loopback port that nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// BenchmarkWatchIdle measures what watching for capture processes adds to
// an idle desktop: the same idle time with and without the watch, as CPU
// time of this process (SHAREGUARD_IDLE_SECONDS, default 20 each).
func BenchmarkWatchIdle(b *testing.B) {
	secs := 20
	if s, err := strconv.Atoi(os.Getenv("SHAREGUARD_IDLE_SECONDS")); err == nil && s > 0 {
		secs = s
	}
	xd := xtest.Start(b, xtest.WithoutNotifications())
	d, err := Open(context.Background(), Options{Display: xd.Display, BusAddress: xd.BusAddress, Env: xd.Env()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	idle := func() time.Duration {
		time.Sleep(time.Second)
		c0 := cpuTime(b)
		time.Sleep(time.Duration(secs) * time.Second)
		return cpuTime(b) - c0
	}
	off := idle()
	d.WatchProcesses(detectors.WatchedProcesses(nil)) // captures and recorders
	on := idle()
	pct := func(c time.Duration) float64 { return c.Seconds() / float64(secs) * 100 }
	b.ReportMetric(pct(on-off), "watch-cpu-%")
	b.Logf("idle %ds: %v without the watch, %v with it: +%.4f%% of one core", secs, off, on, pct(on-off))
}
