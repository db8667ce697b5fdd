package main

import (
	"context"
	"net"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// TestE2ECaptures: captures beyond meetings, with real programs. A real
// x11vnc that only listens changes nothing; with a real RFB viewer
// connected it is a remote share and the protected window is hidden until
// the viewer leaves. A real ffmpeg grabbing the screen is a recording,
// guarded the same way. Before and after each, the window is left alone.
func TestE2ECaptures(t *testing.T) {
	xtest.Need(t, "x11vnc", "ffmpeg")
	d := e2eDesktop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	g := startGuard(t, d, filepath.Join(d.Dir(), "audit.jsonl"), "LANG=en_US.UTF-8")
	_, journal, err := d.XtermWith(ctx, "Melior - Översikt")
	if err != nil {
		t.Fatal(err)
	}
	stillNormal := func(what string, d2 time.Duration) {
		t.Helper()
		for end := time.Now().Add(d2); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if st, err := d.WMState(journal); err != nil || st != normal {
				t.Fatalf("%s: protected window WM_STATE %d (%v)\n%s", what, st, err, g.raw())
			}
		}
	}
	capture := func(what, app, kind string, start func() (stop func())) {
		t.Helper()
		stillNormal("before "+what, 1500*time.Millisecond)
		mark := len(g.events())
		stop := start()
		startIdx, err := g.waitFrom(ctx, mark, func(e auditEvent) bool {
			return e.Event == "share_started" && e.App == app && e.ShareKind == kind
		})
		if err != nil {
			t.Fatalf("%s not reported: %v", what, err)
		}
		if err := d.WaitWMState(ctx, journal, iconic); err != nil {
			t.Fatalf("%s: protected window not hidden: %v\n%s", what, err, g.raw())
		}
		if _, err := g.waitFrom(ctx, startIdx, isDND("on", "")); err != nil {
			t.Fatal(err)
		}
		stop()
		if _, err := g.waitFrom(ctx, startIdx, func(e auditEvent) bool {
			return e.Event == "share_stopped" && e.App == app && e.ShareKind == kind
		}); err != nil {
			t.Fatalf("%s end not reported: %v", what, err)
		}
		// The guard gives the window back; then leaves it alone.
		if err := d.WaitWMState(ctx, journal, normal); err != nil {
			t.Fatalf("after %s: %v\n%s", what, err, g.raw())
		}
		stillNormal("after "+what, 2500*time.Millisecond)
	}

	// x11vnc with no viewer: not a capture, for several scans.
	port := freePort(t)
	vnc, err := d.X11vnc(ctx, port)
	if err != nil {
		t.Fatal(err)
	}
	mark := len(g.events())
	stillNormal("x11vnc listening, no viewer", 3*time.Second)
	if n := g.count(mark, isEvent("share_started")); n != 0 {
		t.Fatalf("x11vnc with no viewer started %d shares:\n%s", n, g.raw())
	}
	capture("x11vnc with a viewer", "x11vnc", "remote", func() func() {
		c, err := xtest.RFBClient(ctx, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Fatal(err)
		}
		return func() { c.Close() }
	})
	_ = vnc

	capture("ffmpeg x11grab", "ffmpeg", "recording", func() func() {
		rec := d.Run("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "x11grab", "-framerate", "5",
			"-i", d.Display, "-t", "60", "-f", "null", "-")
		return func() {
			rec.Cmd.Process.Kill()
			<-rec.Done()
		}
	})
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
