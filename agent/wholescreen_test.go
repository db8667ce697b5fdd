package agent

import (
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/fake"
)

// A whole-screen share gets the advice to share one window, once per
// share; a window share and whole_screen = "off" get none.
func TestWholeScreenAdviceOncePerShare(t *testing.T) {
	advice := assets.MustStrings("en").T("alert.whole_screen.summary")
	count := func(d *fake.Desktop) int {
		n := 0
		for _, a := range d.Alerts() {
			if a.Summary == advice {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		name, title, setting string
		want                 int
	}{
		{"screen", "meet.google.com is sharing your screen.", config.WholeScreenWarn, 1},
		{"window", "meet.google.com is sharing a window.", config.WholeScreenWarn, 0},
		{"screen, off", "meet.google.com is sharing your screen.", config.WholeScreenOff, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := fake.New()
			cfg := testConfig(config.ModeBlock)
			cfg.WholeScreen = c.setting
			h := start(t, cfg, d)
			share := func() {
				d.AddProcess(platform.Process{PID: chromePID, Name: "chromium"})
				d.AddWindow(platform.Window{ID: shareWin, PID: chromePID, Title: c.title, Class: "Chromium", OnTop: true})
			}
			share()
			waitFor(t, "share_started", func() bool { return h.count("share_started") == 1 })
			time.Sleep(300 * time.Millisecond) // several reconciles
			if got := count(d); got != c.want {
				t.Fatalf("advice shown %d times in one share, want %d", got, c.want)
			}
			if got := h.count("finding", "kind", WholeScreenRule); got != c.want {
				t.Errorf("audit has %d whole-screen findings, want %d", got, c.want)
			}
			stopShare(d)
			waitFor(t, "share_stopped", func() bool { return h.count("share_stopped") == 1 })
			share()
			waitFor(t, "second share", func() bool { return h.count("share_started") == 2 })
			time.Sleep(200 * time.Millisecond)
			if got := count(d); got != 2*c.want {
				t.Errorf("after a second share: advice shown %d times, want %d", got, 2*c.want)
			}
		})
	}
}
