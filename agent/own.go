package agent

import (
	"context"
	"slices"

	"github.com/shareguard/shareguard/platform"
)

// snapshot reads the desktop without the guard's own windows: those of its
// process and of the processes it started (the tray host, an editor opened
// from the menu). The guard must never act on itself, and an alert's text
// names the rule and the app, so it can match a rule.
func (a *Agent) snapshot(ctx context.Context) (platform.Snapshot, error) {
	snap, err := a.desk.Snapshot(ctx)
	if err != nil {
		return snap, err
	}
	dropOwn(&snap, a.self)
	return snap, nil
}

// dropOwn removes the windows of process self and its descendants, as far
// as the snapshot's processes show them, and those processes. It
// allocates only when self has children in the snapshot.
func dropOwn(snap *platform.Snapshot, self int) {
	own := []int{self}
	for grew := true; grew; {
		grew = false
		for _, p := range snap.Processes {
			if slices.Contains(own, p.PPID) && !slices.Contains(own, p.PID) {
				own = append(own, p.PID)
				grew = true
			}
		}
	}
	mine := func(pid int) bool { return slices.Contains(own, pid) }
	if slices.ContainsFunc(snap.Windows, func(w platform.Window) bool { return mine(w.PID) }) {
		snap.Windows = slices.DeleteFunc(snap.Windows, func(w platform.Window) bool { return mine(w.PID) })
	}
	if slices.ContainsFunc(snap.Processes, func(p platform.Process) bool { return mine(p.PID) }) {
		snap.Processes = slices.DeleteFunc(snap.Processes, func(p platform.Process) bool { return mine(p.PID) })
	}
}
