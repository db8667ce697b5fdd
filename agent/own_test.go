package agent

import (
	"os"
	"slices"
	"testing"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/fake"
)

// The guard's own windows (its alerts, its tray host's) can carry a rule's
// name; they are never acted on, never reported, while a stranger's window
// with the same title is.
func TestGuardNeverActsOnItself(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	self := os.Getpid()
	const child, grandchild = 4_000_001, 4_000_002
	const alertWin, trayWin, helperWin platform.WindowID = 901, 902, 903
	d.AddProcess(platform.Process{PID: self, PPID: 1, Name: "shareguard"})
	d.AddProcess(platform.Process{PID: child, PPID: self, Name: "shareguard"}) // the tray host
	d.AddProcess(platform.Process{PID: grandchild, PPID: child, Name: "xdg-open"})

	startShare(d)
	waitFor(t, "share_started", func() bool { return h.count("share_started") == 1 })
	d.AddWindow(platform.Window{ID: alertWin, PID: self, Title: "shareguard hid " + journalName, Class: "STATIC"})
	d.AddWindow(platform.Window{ID: trayWin, PID: child, Title: journalName, Class: "XTerm"})
	d.AddWindow(platform.Window{ID: helperWin, PID: grandchild, Title: "TakeCare 19121212-1212", Class: "XTerm"})
	openJournal(d) // a stranger's window, same title: acted on
	waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
	stopShare(d)
	waitFor(t, "share_stopped", func() bool { return h.count("share_stopped") == 1 })

	if got := d.Minimized(); !slices.Equal(got, []platform.WindowID{journalWin}) {
		t.Errorf("minimized %v, want only the journal %d", got, journalWin)
	}
	for _, e := range h.events() {
		pid, _ := e["pid"].(float64)
		switch e["event"] {
		case "agent_started", "agent_stopped":
		default:
			if int(pid) == self || int(pid) == child || int(pid) == grandchild {
				t.Errorf("audit event about the guard itself: %v", e)
			}
		}
	}
}

func TestDropOwn(t *testing.T) {
	snap := platform.Snapshot{
		Windows: []platform.Window{{ID: 1, PID: 10}, {ID: 2, PID: 11}, {ID: 3, PID: 12}, {ID: 4, PID: 20}, {ID: 5, PID: 0}},
		Processes: []platform.Process{
			{PID: 12, PPID: 11}, {PID: 11, PPID: 10}, {PID: 10, PPID: 1}, {PID: 20, PPID: 1},
		},
	}
	dropOwn(&snap, 10)
	var ids []platform.WindowID
	for _, w := range snap.Windows {
		ids = append(ids, w.ID)
	}
	if !slices.Equal(ids, []platform.WindowID{4, 5}) {
		t.Errorf("windows left %v, want [4 5]", ids)
	}
	if len(snap.Processes) != 1 || snap.Processes[0].PID != 20 {
		t.Errorf("processes left %v", snap.Processes)
	}
}
