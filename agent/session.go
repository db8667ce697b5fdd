package agent

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
)

// session is the bookkeeping of one share period (from the first share
// starting to the last one stopping).
type session struct {
	seen    map[string]bool // findings already audited
	failed  map[string]int  // failed minimize attempts; at minimizeTries, warn only
	alerted map[string]bool
	hidden  []hidden // windows the guard minimized, to give back at the end
	dndUser bool     // the user switched DND off during the share; respected
	whole   bool     // the whole-screen advice was given
}

// minimizeTries is how often a window that would not minimize is tried
// before the guard only warns about it.
const minimizeTries = 3

// hidden is a window the guard minimized: where it stood in the stacking
// order then, and what the audit says about it (never its title).
type hidden struct {
	id    platform.WindowID
	pos   int
	event audit.Event
}

func newSession() *session {
	return &session{seen: map[string]bool{}, failed: map[string]int{}, alerted: map[string]bool{}}
}

// coverPopups covers the notification popups on screen when a share starts:
// do-not-disturb withdraws them, but only after the windows are hidden, and
// until then the meeting would see them. A cover goes with its popup.
func (a *Agent) coverPopups(ctx context.Context, planned []Planned, trigger time.Time) {
	cv, ok := a.desk.(platform.Coverer)
	if !ok {
		return
	}
	for _, p := range planned {
		if p.Kind != detectors.FindPopup || p.Window == 0 {
			continue
		}
		err := cv.Cover(ctx, p.Window)
		ev := findingEvent(p)
		ev.Event, ev.Action, ev.OK, ev.LatencyMS = audit.Action, "cover", audit.Bool(err == nil), audit.Millis(a.now().Sub(trigger))
		if err != nil {
			ev.Detail = err.Error()
		}
		a.record(ev)
	}
}

// findingEvent is what the audit says about a finding. Window is the raw
// title, which the audit log drops unless the machine policy asks for it
// redacted; nothing else carries it. A popup's title is a notification's
// text, which is never kept.
func findingEvent(p Planned) audit.Event {
	e := audit.Event{Kind: string(p.Kind), Rule: p.Rule, App: p.App, Process: p.Process, PID: p.PID}
	if p.Kind != detectors.FindPopup {
		e.Window = p.Title
	}
	return e
}

// syncShares starts and stops share sessions. A share starts on the first
// sign; one that is no longer seen ends only when it has stayed gone for
// grace: a share bar being minimized looks withdrawn for a moment (X11
// reports the unmap before the new WM_STATE), and ending the session then
// would let the popups held back show mid-share. The first share asks for
// DND on; the last one ending asks to restore the user's own setting and
// returns the ended session.
func (a *Agent) syncShares(shares []detectors.Share, at time.Time, grace time.Duration) (dndChange, *session) {
	now := make(map[string]detectors.Share, len(shares))
	for _, s := range shares {
		now[s.Key()] = s
	}
	changed := false
	for k, s := range now {
		delete(a.gone, k)
		if _, ok := a.shares[k]; !ok {
			changed = true
			a.record(audit.Event{Event: audit.ShareStarted, App: s.App, ShareKind: string(s.Kind), PID: s.PID})
			a.log.Info("share started", "app", s.App, "kind", s.Kind, "pid", s.PID)
		}
	}
	for k, s := range a.shares {
		if _, ok := now[k]; ok {
			continue
		}
		since, waiting := a.gone[k]
		if !waiting {
			since, a.gone[k] = at, at
		}
		if at.Sub(since) < grace {
			now[k] = s // not surely over yet
			continue
		}
		delete(a.gone, k)
		changed = true
		a.record(audit.Event{Event: audit.ShareStopped, App: s.App, ShareKind: string(s.Kind), PID: s.PID})
		a.log.Info("share stopped", "app", s.App, "kind", s.Kind, "pid", s.PID)
	}
	a.shares = now
	dnd := dndUnchanged
	var ended *session
	switch {
	case len(now) > 0 && a.session == nil:
		a.session = newSession()
		dnd = dndSwitchOn
		a.pace(true)
	case len(now) == 0 && a.session != nil:
		ended, a.session = a.session, nil
		dnd = dndSwitchBack
		a.pace(false)
	}
	if changed {
		// Built only on a change: no allocation per event otherwise.
		list := append([]detectors.Share(nil), shares...)
		for k, s := range now {
			if _, waiting := a.gone[k]; waiting {
				list = append(list, s)
			}
		}
		a.setStatus(func(s *Status) {
			s.Sharing = len(list) > 0
			s.Shares = list
			if !s.Sharing {
				s.SteppedIn = false
			}
		})
		a.wakeSampler()
	}
	return dnd, ended
}

// pace tells a desktop that finds changes by looking again and again
// whether a share is on (see platform.Pacer).
func (a *Agent) pace(sharing bool) {
	if p, ok := a.desk.(platform.Pacer); ok {
		p.SetSharing(sharing)
	}
}

// graceDeadline is when the first share now waiting in its grace period
// ends unless it is seen again.
func (a *Agent) graceDeadline(grace time.Duration) time.Time {
	var first time.Time
	for _, t := range a.gone {
		if first.IsZero() || t.Before(first) {
			first = t
		}
	}
	return first.Add(grace)
}

// giveBack restores, bottom first, the windows the guard minimized during
// a share that is now over, unless the user already restored or closed
// them. The platform must be able to (see platform.Unminimizer).
func (a *Agent) giveBack(ctx context.Context, s *session, snap *platform.Snapshot) {
	um, ok := a.desk.(platform.Unminimizer)
	if !ok || len(s.hidden) == 0 {
		return
	}
	slices.SortStableFunc(s.hidden, func(x, y hidden) int { return cmp.Compare(x.pos, y.pos) })
	for _, h := range s.hidden {
		if w, ok := snap.Window(h.id); !ok || !w.Minimized {
			continue // closed, or already back
		}
		err := um.Unminimize(ctx, h.id)
		if ctx.Err() != nil {
			return // the guard is stopping: the rest stay as they are
		}
		ev := h.event
		ev.Event, ev.Action, ev.OK, ev.Time = audit.Action, "restore", audit.Bool(err == nil), time.Time{}
		if err != nil {
			ev.Detail = err.Error()
			a.log.Warn("could not give a window back", "rule", ev.Rule, "app", ev.App, "err", err)
		}
		a.record(ev)
	}
}

// forgetGoneTools lets an unapproved tool be warned about again once it
// has stopped and started anew, and a recorder once its episode (running
// while a protected window is open) has ended and another begins.
func (a *Agent) forgetGoneTools(planned []Planned) {
	if len(a.toolsWarned) == 0 {
		return // nothing to forget: no allocation per event
	}
	present := map[string]bool{}
	for _, p := range planned {
		if p.Kind == detectors.FindUnapproved || p.Kind == detectors.FindRecorder {
			present[p.Key()] = true
		}
	}
	for k := range a.toolsWarned {
		if !present[k] {
			delete(a.toolsWarned, k)
		}
	}
}

// act handles one planned finding: audit it once, minimize if the policy
// says so (again if the user brought the window back), alert once.
func (a *Agent) act(ctx context.Context, p Planned, trigger time.Time, snap *platform.Snapshot) {
	key := p.Key()
	base := findingEvent(p)

	if p.Kind == detectors.FindUnapproved || p.Kind == detectors.FindRecorder {
		// Once per episode: until the tool stops, or (a recorder) no
		// protected window is open any more (forgetGoneTools).
		if a.toolsWarned[key] {
			return
		}
		a.toolsWarned[key] = true
		a.findingAndWarn(ctx, base, p, trigger)
		return
	}
	s := a.session
	if s == nil {
		return // detectors only report these during a share
	}
	first := !s.seen[key]
	if p.Do != detectors.ActionMinimize || s.failed[key] >= minimizeTries {
		if first {
			s.seen[key] = true
			a.findingAndWarn(ctx, base, p, trigger)
		}
		return
	}
	if first {
		s.seen[key] = true
		ev := base
		ev.Event = audit.Finding
		a.record(ev)
	}
	if !slices.ContainsFunc(s.hidden, func(h hidden) bool { return h.id == p.Window }) {
		// Given back after the share only if it is minimized then: a
		// minimize that timed out may still have taken effect.
		pos := slices.IndexFunc(snap.Windows, func(w platform.Window) bool { return w.ID == p.Window })
		back := base
		back.Window = "" // a title is kept no longer than the evaluation
		s.hidden = append(s.hidden, hidden{id: p.Window, pos: pos, event: back})
	}
	err := a.desk.Minimize(ctx, p.Window)
	latency := a.now().Sub(trigger)
	ev := base
	ev.Event, ev.Action, ev.OK, ev.LatencyMS = audit.Action, string(detectors.ActionMinimize), audit.Bool(err == nil), audit.Millis(latency)
	if err != nil {
		ev.Detail = err.Error()
	}
	a.record(ev)
	a.setStatus(func(st *Status) { st.SteppedIn = true })

	str := a.strings()
	if err != nil {
		// A window manager under load can take longer than Minimize
		// waits, so the next looks try again; an elevated window never
		// gives in, so the trying stops.
		s.failed[key]++
		a.log.Warn("could not minimize a protected window", "rule", p.Rule, "app", p.App, "try", s.failed[key], "err", err)
		if s.failed[key] > 1 {
			return
		}
		a.bannerFor("banner.warn")
		a.notify(ctx, platform.Alert{
			Severity: platform.SeverityCritical,
			Summary:  str.T("alert.failed.summary"),
			Body:     str.T("alert.failed.body", "rule", p.Rule, "app", appName(str, p)),
		})
		return
	}
	a.log.Info("minimized", "kind", p.Kind, "rule", p.Rule, "app", p.App, "latency", latency)
	if !s.alerted[key] {
		s.alerted[key] = true
		a.bannerFor("banner.hid")
		a.notify(ctx, platform.Alert{
			Severity: platform.SeverityCritical,
			Summary:  str.T("alert.minimized.summary"),
			Body:     str.T("alert.minimized.body", "rule", p.Rule, "app", appName(str, p)),
		})
	}
}

func (a *Agent) findingAndWarn(ctx context.Context, base audit.Event, p Planned, trigger time.Time) {
	ev := base
	ev.Event = audit.Finding
	a.record(ev)
	str := a.strings()
	summary, body := "alert.warn.summary", "alert.warn."+string(p.Kind)
	if p.Kind == detectors.FindRecorder {
		// No share: the recorder runs while a protected window is open,
		// and nothing is hidden.
		summary, body = "alert.recorder_running.summary", "alert.recorder_running.body"
	}
	a.bannerFor("banner.warn")
	a.notify(ctx, platform.Alert{
		Severity: platform.SeverityWarning,
		Summary:  str.T(summary),
		Body:     str.T(body, "rule", p.Rule, "app", appName(str, p)),
	})
	ev = base
	ev.Event, ev.Action, ev.OK, ev.LatencyMS = audit.Action, string(detectors.ActionWarn), audit.Bool(true), audit.Millis(a.now().Sub(trigger))
	a.record(ev)
	a.log.Info("warned", "kind", p.Kind, "rule", p.Rule, "app", p.App)
}

// WholeScreenRule names the advice to share one window, in audit events.
const WholeScreenRule = "whole_screen"

// adviseWholeScreen tells the user once per session that the whole screen
// is shared, when a share is known to be one (config.WholeScreen): the
// guidelines say share one application, since everything that comes up is
// seen, popups included. A share of unknown kind is guarded as a whole
// screen but not advised about: it may well be one window.
func (a *Agent) adviseWholeScreen(ctx context.Context, cfg *config.Config) {
	s := a.session
	if s == nil || s.whole || cfg.WholeScreen != config.WholeScreenWarn {
		return
	}
	for _, sh := range a.shares {
		if sh.Kind != detectors.KindScreen {
			continue
		}
		s.whole = true
		a.record(audit.Event{Event: audit.Finding, Kind: WholeScreenRule, Rule: WholeScreenRule, App: sh.App, Action: "warn"})
		str := a.strings()
		a.notify(ctx, platform.Alert{Severity: platform.SeverityWarning,
			Summary: str.T("alert.whole_screen.summary"), Body: str.T("alert.whole_screen.body")})
		a.bannerFor("banner.whole_screen")
		return
	}
}
