package agent

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/fake"
)

// A share bar being minimized looks withdrawn for a moment, then iconic:
// the share goes on, with no share_stopped and no DND change. Only a bar
// gone for longer than the grace period ends the share.
func TestMinimizedIndicatorKeepsTheShare(t *testing.T) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	cfg.ShareEndGrace = 300 * time.Millisecond
	h := start(t, cfg, d)
	startShare(d)
	waitFor(t, "DND on", d.DND)
	for round := 0; round < 20; round++ {
		d.Withdraw(shareWin) // the unmap, before the new WM_STATE is read
		time.Sleep(20 * time.Millisecond)
		d.Iconify(shareWin)
		time.Sleep(20 * time.Millisecond)
		d.Restore(shareWin)
	}
	// A bar withdrawn for a moment only, then shown again.
	d.Withdraw(shareWin)
	time.Sleep(150 * time.Millisecond)
	d.Restore(shareWin)
	time.Sleep(400 * time.Millisecond) // past the grace period of the last withdraw
	if n := h.count("share_stopped"); n != 0 {
		t.Fatalf("%d share_stopped while the capture went on", n)
	}
	if calls := d.DNDCalls(); len(calls) != 1 || !d.DND() {
		t.Fatalf("do-not-disturb changed mid-share: calls %v", calls)
	}
	// A journal that shows up while the bar is minimized is still hidden.
	d.Iconify(shareWin)
	openJournal(d)
	waitFor(t, "journal minimized under a minimized bar", func() bool { return minimized(d, journalWin) })

	// Gone for good: the share ends after the grace period, not before.
	gone := time.Now()
	stopShare(d)
	waitFor(t, "share_stopped", func() bool { return h.count("share_stopped") == 1 })
	if took := time.Since(gone); took < 250*time.Millisecond {
		t.Errorf("share ended %v after the bar went, before the grace period", took)
	}
	waitFor(t, "DND restored", func() bool { return !d.DND() })
	if n := h.count("share_started"); n != 1 {
		t.Errorf("%d share_started, want 1", n)
	}
}

// Pausing ends the session at once: no grace for a guard the user turned
// off.
func TestPauseEndsTheShareAtOnce(t *testing.T) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	cfg.ShareEndGrace = time.Minute
	cfg.AllowPause = true
	h := start(t, cfg, d)
	startShare(d)
	waitFor(t, "DND on", d.DND)
	if err := h.agent.Pause(time.Hour); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "DND restored on pause", func() bool { return !d.DND() })
}

// kill -9 mid-share, restart while the share goes on: do-not-disturb is
// never switched off in between, and when the share ends the user's own
// setting (from before the crash) comes back.
func TestRestartMidShareKeepsDNDOn(t *testing.T) {
	for _, userDND := range []bool{false, true} {
		d := fake.New()
		d.SetUserDND(true) // ours, left on by the dead run
		dir := t.TempDir()
		state := filepath.Join(dir, "state.json")
		if err := SaveState(state, State{DNDChanged: true, DNDPrevious: userDND}); err != nil {
			t.Fatal(err)
		}
		startShare(d)
		h := &harness{t: t, desk: d, log: filepath.Join(dir, "audit.jsonl"), state: state}
		h.startAgent(testConfig(config.ModeBlock))
		waitFor(t, "share_started", func() bool { return h.count("share_started") == 1 })
		waitFor(t, "dnd on", func() bool { return h.count("dnd", "action", "on") == 1 })
		if calls := d.DNDCalls(); slices.Contains(calls, false) || !d.DND() {
			t.Fatalf("DND switched off across the restart: calls %v", calls)
		}
		for _, e := range h.events() {
			if e["event"] == "dnd" && e["action"] == "on" && !strings.Contains(e["detail"].(string), "previous="+onOff(userDND)+"; kept on") {
				t.Errorf("dnd on = %v, want the user's own previous=%s carried over", e, onOff(userDND))
			}
		}
		if st, _ := LoadState(state); !st.DNDChanged || st.DNDPrevious != userDND {
			t.Fatalf("state during share = %+v, want previous %v kept for another crash", st, userDND)
		}
		stopShare(d)
		waitFor(t, "share_stopped", func() bool { return h.count("share_stopped") == 1 })
		waitFor(t, "DND back to the user's own", func() bool { return d.DND() == userDND && len(d.DNDCalls()) == 2 })
		if _, err := os.Stat(state); !os.IsNotExist(err) {
			t.Errorf("state file left after the share: %v", err)
		}
		h.stop()
	}
}

// A restart that finds the desktop unreadable keeps do-not-disturb on:
// in doubt, a share may be running. The first good look decides.
func TestRestartWithUnreadableDesktopWaits(t *testing.T) {
	d := fake.New()
	d.SetUserDND(true)
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	if err := SaveState(state, State{DNDChanged: true, DNDPrevious: false}); err != nil {
		t.Fatal(err)
	}
	d.FailSnapshot(os.ErrDeadlineExceeded)
	h := &harness{t: t, desk: d, log: filepath.Join(dir, "audit.jsonl"), state: state}
	h.startAgent(testConfig(config.ModeBlock))
	waitFor(t, "snapshot error recorded", func() bool { return h.count("error") == 1 })
	if !d.DND() || len(d.DNDCalls()) != 0 {
		t.Fatalf("DND touched before the desktop could be read: %v", d.DNDCalls())
	}
	d.FailSnapshot(nil)
	d.Emit(platform.Event{Kind: platform.WindowChanged})
	waitFor(t, "restored after a look found no share", func() bool { return !d.DND() })
}

// After the share the guard gives back what it hid, bottom first, but
// not windows the user already got back or closed.
func TestWindowsGivenBackAfterTheShare(t *testing.T) {
	d := fake.New()
	d.AddProcess(platform.Process{PID: xtermPID, Name: "xterm"})
	// Stacking bottom first: 10, 11, 12, 13. All open before the share.
	for _, id := range []platform.WindowID{10, 11, 12, 13} {
		d.AddWindow(platform.Window{ID: id, PID: xtermPID, Title: "TakeCare - Journal " + strings.Repeat("x", int(id))})
	}
	d.AddWindow(platform.Window{ID: 14, PID: xtermPID, Title: "Terminal"})
	cfg := testConfig(config.ModeBlock)
	cfg.RestoreAfterShare = true
	h := start(t, cfg, d)
	startShare(d)
	for _, id := range []platform.WindowID{10, 11, 12, 13} {
		waitFor(t, "minimized", func() bool { return minimized(d, id) })
	}
	// During the share a fifth window is opened and hidden.
	d.AddWindow(platform.Window{ID: 15, PID: xtermPID, Title: "TakeCare - Översikt"})
	waitFor(t, "minimized", func() bool { return minimized(d, 15) })
	d.RemoveWindow(11) // the user closes one
	// One is no longer a journal; the user brings it back themselves.
	d.SetTitle(12, "Terminal")
	d.Restore(12)
	time.Sleep(100 * time.Millisecond)
	if minimized(d, 12) {
		t.Fatal("a window that no longer matches was minimized again")
	}
	d.Iconify(14) // minimized by the user, not the guard: left alone
	stopShare(d)
	waitFor(t, "given back", func() bool { return len(d.Unminimized()) == 3 })
	if got := d.Unminimized(); !slices.Equal(got, []platform.WindowID{10, 13, 15}) {
		t.Errorf("given back %v, want [10 13 15] bottom first", got)
	}
	if minimized(d, 10) || minimized(d, 13) || minimized(d, 15) || !minimized(d, 14) {
		t.Error("wrong windows minimized after the share")
	}
	waitFor(t, "restore actions audited", func() bool { return h.count("action", "action", "restore") == 3 })
	time.Sleep(100 * time.Millisecond)
	if n := len(d.Unminimized()); n != 3 {
		t.Errorf("%d windows given back, want 3", n)
	}
}

func TestNothingGivenBackWhenTurnedOff(t *testing.T) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	cfg.RestoreAfterShare = false
	start(t, cfg, d)
	startShare(d)
	openJournal(d)
	waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
	stopShare(d)
	waitFor(t, "DND restored", func() bool { return len(d.DNDCalls()) == 2 })
	time.Sleep(100 * time.Millisecond)
	if n := len(d.Unminimized()); n != 0 || !minimized(d, journalWin) {
		t.Errorf("given back %d windows with restore_after_share = false", n)
	}
}

// Pausing mid-share ends the guard's session, not the share: the windows
// stay hidden.
func TestNothingGivenBackOnPause(t *testing.T) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	cfg.RestoreAfterShare = true
	cfg.AllowPause = true
	h := start(t, cfg, d)
	startShare(d)
	openJournal(d)
	waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
	if err := h.agent.Pause(time.Hour); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "DND restored on pause", func() bool { return !d.DND() })
	time.Sleep(100 * time.Millisecond)
	if n := len(d.Unminimized()); n != 0 {
		t.Errorf("given back %d windows on pause, with the share still running", n)
	}
}

// The user switches do-not-disturb off mid-share. "respect": recorded,
// warned once, left off, also after the share. "enforce": recorded and
// switched back on, and the user's setting from before the share is
// restored at the end.
func TestUserSwitchesDNDOffDuringShare(t *testing.T) {
	for _, policy := range []string{config.DNDRespect, config.DNDEnforce} {
		t.Run(policy, func(t *testing.T) {
			d := fake.New()
			cfg := testConfig(config.ModeBlock)
			cfg.DNDDuringShare = policy
			h := start(t, cfg, d)
			startShare(d)
			waitFor(t, "DND on", d.DND)
			d.SetUserDND(false)
			waitFor(t, "user's change recorded", func() bool { return h.count("dnd", "action", "off", "detail", "changed by user") == 1 })
			if policy == config.DNDEnforce {
				waitFor(t, "DND on again", d.DND)
				waitFor(t, "enforcement recorded", func() bool { return h.count("dnd", "action", "on") == 2 })
			} else {
				time.Sleep(200 * time.Millisecond) // several reconcile ticks
				if d.DND() {
					t.Fatal("do-not-disturb switched on again against the user's choice")
				}
				if n := h.count("dnd", "action", "off"); n != 1 {
					t.Errorf("%d dnd off events, want 1", n)
				}
				alerts := d.Alerts()
				if len(alerts) != 1 || !strings.Contains(alerts[0].Summary, "Do-not-disturb") {
					t.Errorf("alerts = %+v, want one warning", alerts)
				}
				for _, al := range alerts {
					if strings.Contains(al.Summary+al.Body, "TakeCare") || strings.Contains(al.Summary+al.Body, "Meet") {
						t.Errorf("alert names a rule or an app: %+v", al)
					}
				}
			}
			stopShare(d)
			waitFor(t, "share_stopped", func() bool { return h.count("share_stopped") == 1 })
			time.Sleep(100 * time.Millisecond)
			if d.DND() {
				t.Error("do-not-disturb on after the share; the user had it off")
			}
			if _, err := os.Stat(h.state); !os.IsNotExist(err) {
				t.Errorf("state file left after the share: %v", err)
			}
		})
	}
}

// During a share the guard's own alerts are held back with everyone
// else's: a banner that names no rule and no app tells the user at once.
func TestBannerDuringShare(t *testing.T) {
	for _, mode := range []string{config.AlertGeneric, config.AlertDefer} {
		t.Run(mode, func(t *testing.T) {
			d := fake.New()
			cfg := testConfig(config.ModeBlock)
			cfg.AlertDuringShare = mode
			start(t, cfg, d)
			startShare(d)
			openJournal(d)
			waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
			waitFor(t, "alert", func() bool { return len(d.Alerts()) == 1 })
			b := d.Banners()
			if mode == config.AlertDefer {
				if len(b) != 0 {
					t.Fatalf("banners %q with alert_during_share = defer", b)
				}
				return
			}
			if len(b) != 1 || b[0] != "shareguard hid a window during the share — see the tray icon" {
				t.Fatalf("banners = %q", b)
			}
			// No share, no banner: alerts show as usual then.
			stopShare(d)
			waitFor(t, "share over", func() bool { return len(d.DNDCalls()) == 2 })
			d.AddProcess(platform.Process{PID: 900, Name: "CiscoCollabHost.exe"}) // Webex: not approved
			waitFor(t, "unapproved tool warned", func() bool { return len(d.Alerts()) == 2 })
			time.Sleep(50 * time.Millisecond)
			if n := len(d.Banners()); n != 1 {
				t.Errorf("%d banners, want none outside a share", n-1)
			}
		})
	}
}

// The banner is seen by the meeting: no language's text may carry a rule,
// an app or a title, so no placeholder at all.
func TestBannerTextsNameNothing(t *testing.T) {
	for _, lang := range assets.Languages {
		str := assets.MustStrings(lang)
		for _, key := range []string{"banner.hid", "banner.warn"} {
			s := str.T(key)
			if s == "" || s == key || strings.ContainsAny(s, "{}") {
				t.Errorf("%s %s = %q", lang, key, s)
			}
		}
	}
}

// A popup already on screen when the share starts is covered at once,
// before windows are minimized and before do-not-disturb withdraws it.
func TestPopupOnScreenAtShareStartIsCovered(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	d.AddWindow(platform.Window{ID: 60, Type: platform.TypeNotification, Title: "Ny chatt"})
	openJournal(d)
	var order []string
	var mu sync.Mutex
	d.OnMinimize(func(platform.WindowID) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, fmt.Sprintf("minimize after %d covers, dnd %v", len(d.Covered()), d.DND()))
	})
	startShare(d)
	waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
	waitFor(t, "DND on", d.DND)
	if got := d.Covered(); !slices.Equal(got, []platform.WindowID{60}) {
		t.Fatalf("covered %v, want the popup", got)
	}
	mu.Lock()
	if len(order) != 1 || order[0] != "minimize after 1 covers, dnd false" {
		t.Errorf("order: %q; want the popup covered before the minimize, DND after", order)
	}
	mu.Unlock()
	waitFor(t, "cover audited", func() bool { return h.count("action", "action", "cover", "kind", "popup") == 1 })
	// Popups later in the share are do-not-disturb's business.
	d.AddWindow(platform.Window{ID: 61, Type: platform.TypeNotification, Title: "Ny chatt 2"})
	time.Sleep(100 * time.Millisecond)
	if n := len(d.Covered()); n != 1 {
		t.Errorf("%d covers, want only the popup from the share's start", n)
	}
}

// A window manager under load may answer later than Minimize waits: the
// next look tries again, and the window is given back after the share.
func TestMinimizeTimeoutIsTriedAgain(t *testing.T) {
	d := fake.New()
	d.FailMinimize(journalWin, errors.New("window manager did not iconify it within 250ms"))
	calls := 0
	d.OnMinimize(func(platform.WindowID) {
		if calls++; calls == 2 {
			d.FailMinimize(journalWin, nil)
		}
	})
	cfg := testConfig(config.ModeBlock)
	cfg.RestoreAfterShare = true
	h := start(t, cfg, d)
	startShare(d)
	openJournal(d)
	waitFor(t, "minimized on the second try", func() bool { return minimized(d, journalWin) })
	if n := h.count("action", "action", "minimize"); n != 2 {
		t.Errorf("%d minimize actions, want a failed one and a good one", n)
	}
	waitFor(t, "alerts", func() bool { return len(d.Alerts()) == 2 })
	if a := d.Alerts(); !strings.Contains(a[0].Summary, "could not") || !strings.Contains(a[1].Summary, "hid") {
		t.Errorf("alerts = %+v, want could-not, then hid", a)
	}
	stopShare(d)
	waitFor(t, "given back", func() bool { return !minimized(d, journalWin) })
}
