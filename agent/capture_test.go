package agent

import (
	"testing"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/fake"
)

// A screen recording and a remote session are guarded like a whole-screen
// share: the protected window is hidden, do-not-disturb goes on, and the
// share is audited with its kind and app. A VNC server that only listens
// is nothing.
func TestCapturesGuardedLikeWholeScreen(t *testing.T) {
	const capPID = 300
	for _, c := range []struct {
		name, kind, app string
		p               platform.Process
	}{
		{"recording", "recording", "ffmpeg", platform.Process{PID: capPID, Name: "ffmpeg", Args: []string{"ffmpeg", "-f", "x11grab", "-i", ":0", "-f", "null", "-"}}},
		{"remote", "remote", "x11vnc", platform.Process{PID: capPID, Name: "x11vnc", Args: []string{"x11vnc"}, Clients: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := fake.New()
			d.SetUserDND(false)
			h := start(t, testConfig(config.ModeBlock), d)
			openJournal(d)
			if c.kind == "remote" {
				listening := c.p
				listening.Clients = 0
				d.AddProcess(listening)
				waitFor(t, "a look", func() bool { return d.Snapshots() >= 2 })
				if h.count("share_started") != 0 || minimized(d, journalWin) {
					t.Fatal("a VNC server with no viewer was taken for a capture")
				}
				d.RemoveProcess(capPID)
			}
			d.AddProcess(c.p)
			waitFor(t, "share_started", func() bool { return h.count("share_started", "app", c.app, "share_kind", c.kind) == 1 })
			waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
			waitFor(t, "do-not-disturb on", func() bool { return d.DND() })
			if n := h.count("finding", "kind", WholeScreenRule); n != 0 {
				t.Errorf("a capture got the advice to share one window (%d)", n)
			}
			d.RemoveProcess(capPID)
			waitFor(t, "share_stopped", func() bool { return h.count("share_stopped", "app", c.app, "share_kind", c.kind) == 1 })
			waitFor(t, "do-not-disturb off", func() bool { return !d.DND() })
		})
	}
}
