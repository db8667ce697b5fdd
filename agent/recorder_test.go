package agent

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/fake"
)

const obsPID = 400

// A recorder that gives no sign of recording warns once per episode (it
// runs while a protected window is open): not a share, nothing hidden,
// the audit naming the app and the rule, never the window.
func TestRecorderRunningWarnsOncePerEpisode(t *testing.T) {
	for _, lang := range []string{"en", "sv"} {
		t.Run(lang, func(t *testing.T) {
			str := assets.MustStrings(lang)
			summary := str.T("alert.recorder_running.summary")
			warnings := func(d *fake.Desktop) (n int) {
				for _, a := range d.Alerts() {
					if a.Summary == summary {
						n++
						if !strings.Contains(a.Body, "OBS Studio") || strings.Contains(a.Body, "TakeCare - Journal") || strings.Contains(a.Body, "19121212") {
							t.Errorf("alert body %q: want the app, never the title", a.Body)
						}
					}
				}
				return n
			}
			d := fake.New()
			cfg := testConfig(config.ModeBlock)
			cfg.Language = lang
			h := start(t, cfg, d)
			if !slices.Contains(d.Watched(), "obs64") {
				t.Fatalf("recorders not watched: %q", d.Watched())
			}
			obs := platform.Process{PID: obsPID, Name: "obs64.exe"}
			d.AddProcess(obs)
			waitFor(t, "a look", func() bool { return d.Snapshots() >= 2 })
			if warnings(d) != 0 || h.count("finding", "kind", "recorder_running") != 0 {
				t.Fatal("warned with no protected window open")
			}

			openJournal(d) // episode 1
			waitFor(t, "the warning", func() bool { return warnings(d) == 1 })
			for range 5 { // looks that change nothing warn no more
				d.AddProcess(platform.Process{PID: 999, Name: "bash"})
				d.RemoveProcess(999)
			}
			d.Iconify(journalWin) // minimized is still open
			time.Sleep(200 * time.Millisecond)
			if n := warnings(d); n != 1 {
				t.Fatalf("warned %d times in one episode", n)
			}
			if len(d.Minimized()) != 0 {
				t.Error("the guard minimized a window for a recorder")
			}
			if h.count("share_started") != 0 || d.DND() {
				t.Fatal("a running recorder was taken for a share")
			}

			looks := d.Snapshots()
			d.RemoveWindow(journalWin) // episode over
			waitFor(t, "a look after the journal closed", func() bool { return d.Snapshots() > looks })
			time.Sleep(100 * time.Millisecond)
			openJournal(d) // episode 2
			waitFor(t, "the second warning", func() bool { return warnings(d) == 2 })
			d.RemoveProcess(obsPID)
			time.Sleep(100 * time.Millisecond)
			d.AddProcess(obs) // recorder restarted: episode 3
			waitFor(t, "the third warning", func() bool { return warnings(d) == 3 })

			for _, e := range h.events() {
				if e["kind"] != "recorder_running" {
					continue
				}
				if e["app"] != "OBS Studio" || e["rule"] != "recorder_running" || e["window"] != nil {
					t.Errorf("audit event %v: want app and rule only", e)
				}
			}
			if n := h.count("finding", "kind", "recorder_running", "app", "OBS Studio", "process", "obs64.exe"); n != 3 {
				t.Errorf("%d recorder_running findings audited, want 3", n)
			}
		})
	}
}

// recorder_running = "off": no warning, and the recorders are not looked for.
func TestRecorderRunningOff(t *testing.T) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	cfg.RecorderRunning = config.RecorderOff
	h := start(t, cfg, d)
	if w := d.Watched(); slices.Contains(w, "obs64") || !slices.Contains(w, "ffmpeg") {
		t.Fatalf("watched %q: want the captures but no recorder", w)
	}
	openJournal(d)
	looks := d.Snapshots()
	d.AddProcess(platform.Process{PID: obsPID, Name: "obs64.exe"})
	waitFor(t, "a look", func() bool { return d.Snapshots() > looks })
	time.Sleep(100 * time.Millisecond)
	if n := h.count("finding"); n != 0 || len(d.Alerts()) != 0 {
		t.Fatalf("recorder_running off, yet %d findings, alerts %+v", n, d.Alerts())
	}
}

// A remote session the OS reports (Windows SM_REMOTECONTROL) is guarded
// like a whole-screen share, and ends when the OS says so.
func TestRemoteSessionGuarded(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	openJournal(d)
	waitFor(t, "a look", func() bool { return d.Snapshots() >= 2 })
	d.SetSession(platform.Session{RemoteControlled: true})
	waitFor(t, "share_started", func() bool {
		return h.count("share_started", "app", "Remote Assistance", "share_kind", "remote") == 1
	})
	waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
	d.SetSession(platform.Session{})
	waitFor(t, "share_stopped", func() bool { return h.count("share_stopped", "app", "Remote Assistance") == 1 })
}
