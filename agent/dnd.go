package agent

import (
	"context"
	"fmt"
	"os"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/platform"
)

// dndChange is what a share transition asks of do-not-disturb.
type dndChange int

const (
	dndUnchanged  dndChange = iota
	dndSwitchOn             // a share started: hold notifications back
	dndSwitchBack           // the last share ended: the user's setting returns
)

func (a *Agent) applyDND(ctx context.Context, c dndChange) {
	switch c {
	case dndSwitchOn:
		a.dndOn(ctx)
	case dndSwitchBack:
		a.dndRestore(ctx)
	}
}

// dndOn holds notifications back and remembers, on disk first, what the
// user had, so a crash cannot lose it.
func (a *Agent) dndOn(ctx context.Context) {
	// Write ahead: a kill between switching and saving would leave
	// do-not-disturb on with no record to undo it.
	saved, ahead := a.saveIntent(ctx)
	prev, err := a.desk.SetDoNotDisturb(ctx, true)
	if err != nil {
		if ahead {
			if err := ClearState(a.statePath); err != nil {
				a.log.Warn("cannot clear state", "err", err)
			}
		}
		a.record(audit.Event{Event: audit.DND, Action: "on", OK: audit.Bool(false), Detail: err.Error()})
		a.log.Warn("cannot turn on do-not-disturb", "err", err)
		return
	}
	detail := "previous=" + onOff(prev)
	if a.carried != nil {
		// A share was running when the last run died, and still is: the
		// DND on now is ours, the user's own setting is the saved one.
		prev = a.carried.DNDPrevious
		a.carried = nil
		detail = "previous=" + onOff(prev) + "; kept on across an unclean exit"
	}
	a.dndPrev = &prev
	if ahead && saved == prev {
		a.record(audit.Event{Event: audit.DND, Action: "on", OK: audit.Bool(true), Detail: detail})
		return
	}
	if err := SaveState(a.statePath, State{DNDChanged: true, DNDPrevious: prev, Since: a.now(), PID: os.Getpid()}); err != nil {
		a.log.Warn("cannot save state; a crash now would leave do-not-disturb on", "err", err)
	}
	a.record(audit.Event{Event: audit.DND, Action: "on", OK: audit.Bool(true), Detail: detail})
}

// saveIntent records, before do-not-disturb is switched on, the setting to
// put back, when the desktop can read it. A run carried over from an
// unclean exit has its record already.
func (a *Agent) saveIntent(ctx context.Context) (prev, ok bool) {
	r, can := a.desk.(platform.DNDReader)
	if !can || a.carried != nil {
		return false, false
	}
	prev, err := r.DoNotDisturb(ctx)
	if err != nil {
		return false, false
	}
	if err := SaveState(a.statePath, State{DNDChanged: true, DNDPrevious: prev, Since: a.now(), PID: os.Getpid()}); err != nil {
		a.log.Warn("cannot save state; a crash now would leave do-not-disturb on", "err", err)
		return false, false
	}
	return prev, true
}

// watchDND notices the user switching do-not-disturb off during a share,
// which lets popups into the shared picture. It reads the setting at most
// once per reconcile interval, and at once when a popup shows.
func (a *Agent) watchDND(ctx context.Context, cfg *config.Config, popup bool) {
	s := a.session
	if s == nil || a.dndPrev == nil || s.dndUser {
		return
	}
	r, ok := a.desk.(platform.DNDReader)
	now := a.now()
	if !ok || !popup && now.Sub(a.dndChecked) < cfg.ReconcileInterval {
		return
	}
	a.dndChecked = now
	if on, err := r.DoNotDisturb(ctx); err != nil || on {
		return
	}
	a.record(audit.Event{Event: audit.DND, Action: "off", OK: audit.Bool(true), Detail: "changed by user"})
	a.log.Info("do-not-disturb switched off by the user during a share", "policy", cfg.DNDDuringShare)
	if cfg.DNDDuringShare == config.DNDEnforce {
		if _, err := a.desk.SetDoNotDisturb(ctx, true); err != nil {
			a.record(audit.Event{Event: audit.DND, Action: "on", OK: audit.Bool(false), Detail: "enforced: " + err.Error()})
			return
		}
		a.record(audit.Event{Event: audit.DND, Action: "on", OK: audit.Bool(true), Detail: "enforced by policy after the user switched it off"})
		return
	}
	// The user's choice is their setting now, also after the share.
	s.dndUser = true
	a.dndPrev = nil
	if err := ClearState(a.statePath); err != nil {
		a.log.Warn("cannot clear state", "err", err)
	}
	str := a.strings()
	a.notify(ctx, platform.Alert{
		Severity: platform.SeverityWarning,
		Summary:  str.T("alert.dnd_off.summary"),
		Body:     str.T("alert.dnd_off.body"),
	})
}

// dndRestore puts the user's own do-not-disturb setting back.
func (a *Agent) dndRestore(ctx context.Context) {
	if a.dndPrev == nil {
		return
	}
	prev := *a.dndPrev
	if _, err := a.desk.SetDoNotDisturb(ctx, prev); err != nil {
		a.record(audit.Event{Event: audit.DND, Action: "restore", OK: audit.Bool(false), Detail: err.Error()})
		a.log.Warn("cannot restore do-not-disturb; will retry at next start", "err", err)
		return
	}
	a.dndPrev = nil
	if err := ClearState(a.statePath); err != nil {
		a.log.Warn("cannot clear state", "err", err)
	}
	a.record(audit.Event{Event: audit.DND, Action: "restore", OK: audit.Bool(true), Detail: "restored=" + onOff(prev)})
}

// loadCrashState reads a DND change a previous run did not get to undo.
// It is not undone yet: if a share is still running, restoring DND first
// would flash the popups held back until the share is seen again.
func (a *Agent) loadCrashState() *State {
	st, err := LoadState(a.statePath)
	if err != nil {
		a.log.Warn("unreadable state file", "err", err)
		a.record(audit.Event{Event: audit.Error, Detail: err.Error()})
		return nil
	}
	if !st.DNDChanged {
		return nil
	}
	return &st
}

// settleCrashState restores the user's DND setting left by an unclean exit
// once a look at the desktop found no share (with a share, dndOn carries
// it into the session instead).
func (a *Agent) settleCrashState(ctx context.Context) {
	if a.carried == nil || a.session != nil {
		return
	}
	st := a.carried
	a.carried = nil
	if _, err := a.desk.SetDoNotDisturb(ctx, st.DNDPrevious); err != nil {
		a.record(audit.Event{Event: audit.DND, Action: "restore", OK: audit.Bool(false), Detail: "after unclean exit: " + err.Error()})
		a.log.Warn("cannot restore do-not-disturb left by a previous run", "err", err)
		return
	}
	if err := ClearState(a.statePath); err != nil {
		a.log.Warn("cannot clear state", "err", err)
	}
	a.record(audit.Event{Event: audit.DND, Action: "restore", OK: audit.Bool(true), Detail: "after unclean exit; restored=" + onOff(st.DNDPrevious)})
}

// RestoreCrashState puts back the do-not-disturb setting that a run which
// did not stop cleanly left (the state file says so), as the next start
// does when no share is running, and clears the record: for `shareguard
// restore`, with no agent running. had is false when there was nothing to
// put back; restored is the setting put back.
func RestoreCrashState(ctx context.Context, desk platform.Desktop, statePath string) (had, restored bool, err error) {
	st, err := LoadState(statePath)
	if err != nil || !st.DNDChanged {
		return false, false, err
	}
	if _, err := desk.SetDoNotDisturb(ctx, st.DNDPrevious); err != nil {
		return true, false, fmt.Errorf("do-not-disturb: %w (the record in %s stays for the next try)", err, statePath)
	}
	return true, st.DNDPrevious, ClearState(statePath)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
