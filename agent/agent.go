// Package agent is the guard: it watches the desktop through a
// platform.Desktop, decides by policy what to do about each finding, acts,
// and records an audit event for everything it sees and does.
package agent

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
)

// Options wires an Agent.
type Options struct {
	Desktop   platform.Desktop
	Config    *config.Config
	Audit     *audit.Log
	StatePath string       // crash-safe DND state; required
	Logger    *slog.Logger // nil: discard
	Now       func() time.Time
	// Sampler, if set, reads the shared picture during whole-screen shares.
	Sampler Sampler
	// OnStatus, if set, is called from the guard loop whenever the status
	// changes (the tray uses it). It must not block.
	OnStatus func(Status)
}

// Status is what the tray shows: never window titles or screen text.
type Status struct {
	Enabled     bool
	Sharing     bool
	Shares      []detectors.Share
	SteppedIn   bool // the guard acted during the current share
	Paused      bool
	PausedUntil time.Time
	DisplayLost bool   // the platform lost the display and is reconnecting
	LastError   string // short, title-free
}

// Agent runs the guard loop. Create it with New and run it with Run.
type Agent struct {
	desk      platform.Desktop
	audit     *audit.Log
	log       *slog.Logger
	statePath string
	now       func() time.Time
	onStatus  func(Status)
	reload    chan *config.Config
	pause     chan time.Duration // 0 resumes
	sampler   Sampler
	hits      chan []content.Hit
	shareWake chan struct{}

	mu     sync.Mutex // guards cfg, policy, str and status for other goroutines
	cfg    *config.Config
	policy Policy
	str    *assets.Strings
	status Status

	// Owned by the loop goroutine.
	shares      map[string]detectors.Share
	gone        map[string]time.Time // shares not seen since, kept for the grace period
	session     *session             // nil while nothing is shared
	dndPrev     *bool                // set while we hold DND on
	carried     *State               // DND left on by an unclean exit, until the first look
	toolsWarned map[string]bool
	dndChecked  time.Time // last read of the DND setting during a share
	snapFailing bool
	// batch holds the audit events and alerts of one evaluation: they are
	// written and shown after the windows are hidden, so no disk sync or
	// D-Bus round trip delays a minimize.
	batch       *batch
	pausedUntil time.Time
	auditFailed atomic.Bool // record is also called from the config watcher
}

// session is the bookkeeping of one share period (from the first share
// starting to the last one stopping).
type session struct {
	seen    map[string]bool // findings already audited
	failed  map[string]bool // minimize failed: warn only from now on
	alerted map[string]bool
	hidden  []hidden // windows the guard minimized, to give back at the end
	dndUser bool     // the user switched DND off during the share; respected
}

// hidden is a window the guard minimized: where it stood in the stacking
// order then, and what the audit says about it (never its title).
type hidden struct {
	id    platform.WindowID
	pos   int
	event audit.Event
}

func newSession() *session {
	return &session{seen: map[string]bool{}, failed: map[string]bool{}, alerted: map[string]bool{}}
}

// New checks the options and builds an Agent.
func New(o Options) (*Agent, error) {
	if o.Desktop == nil || o.Config == nil || o.Audit == nil {
		return nil, errors.New("agent: desktop, config and audit log are required")
	}
	if o.StatePath == "" {
		return nil, errors.New("agent: state path is required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	a := &Agent{
		desk:        o.Desktop,
		audit:       o.Audit,
		log:         o.Logger,
		statePath:   o.StatePath,
		now:         o.Now,
		onStatus:    o.OnStatus,
		reload:      make(chan *config.Config, 1),
		pause:       make(chan time.Duration, 1),
		sampler:     o.Sampler,
		hits:        make(chan []content.Hit, 1),
		shareWake:   make(chan struct{}, 1),
		shares:      map[string]detectors.Share{},
		gone:        map[string]time.Time{},
		toolsWarned: map[string]bool{},
	}
	a.setConfig(o.Config)
	return a, nil
}

func (a *Agent) setConfig(cfg *config.Config) {
	lang := assets.PickLanguage(cfg.Language, os.Getenv)
	str, err := assets.LoadStrings(lang)
	if err != nil {
		str = assets.MustStrings(assets.Languages[0])
	}
	a.mu.Lock()
	a.cfg, a.policy, a.str = cfg, NewPolicy(cfg), str
	a.status.Enabled = cfg.Enabled
	a.mu.Unlock()
	a.audit.KeepTitles(cfg.Audit.WindowTitles == config.TitlesRedacted)
}

// Config returns the config in force.
func (a *Agent) Config() *config.Config {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cfg
}

// Status returns the current status.
func (a *Agent) Status() Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status
}

// Reload hands a new, already validated config to the loop. The newest one
// wins if several arrive before the loop takes them.
func (a *Agent) Reload(cfg *config.Config) {
	for {
		select {
		case a.reload <- cfg:
			return
		default:
		}
		select {
		case <-a.reload:
		default:
		}
	}
}

// Rejected records that a config edit was invalid and tells the user; the
// running config stays in force.
func (a *Agent) Rejected(err error) {
	a.write(audit.Event{Event: audit.ConfigRejected, Detail: err.Error()})
	a.log.Warn("config rejected; keeping the previous one", "err", err)
	str := a.strings()
	a.send(context.Background(), platform.Alert{
		Severity: platform.SeverityWarning,
		Summary:  str.T("alert.config_rejected.summary"),
		Body:     str.T("alert.config_rejected.body"),
	})
}

// ErrPauseNotAllowed is returned by Pause when the config (usually the
// machine policy) says allow_pause = false.
var ErrPauseNotAllowed = errors.New("pausing the guard is not allowed by policy")

// Pause turns the guard off for d (the config's pause_duration when d is
// 0); it resumes by itself. While paused no share is guarded, so DND is
// restored at once.
func (a *Agent) Pause(d time.Duration) error {
	cfg, _ := a.current()
	if !cfg.AllowPause {
		return ErrPauseNotAllowed
	}
	if d <= 0 {
		d = cfg.PauseDuration
	}
	a.sendPause(d)
	return nil
}

// Resume ends a pause early.
func (a *Agent) Resume() { a.sendPause(0) }

func (a *Agent) sendPause(d time.Duration) {
	for {
		select {
		case a.pause <- d:
			return
		default:
		}
		select {
		case <-a.pause:
		default:
		}
	}
}

// setPause runs on the loop: d > 0 pauses until now+d, 0 resumes.
func (a *Agent) setPause(d time.Duration) {
	if d > 0 {
		a.pausedUntil = a.now().Add(d)
		a.record(audit.Event{Event: audit.Paused, Detail: "for " + d.String()})
		a.log.Info("guard paused", "for", d)
	} else if !a.pausedUntil.IsZero() {
		a.pausedUntil = time.Time{}
		a.record(audit.Event{Event: audit.Resumed})
		a.log.Info("guard resumed")
	}
	until := a.pausedUntil
	a.setStatus(func(s *Status) { s.Paused = !until.IsZero(); s.PausedUntil = until })
	a.wakeSampler()
}

func (a *Agent) strings() *assets.Strings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.str
}

func (a *Agent) current() (*config.Config, Policy) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cfg, a.policy
}

// Run guards until ctx ends or the desktop closes its event stream. On the
// way out it ends every share session, which restores do-not-disturb.
func (a *Agent) Run(ctx context.Context) error {
	a.carried = a.loadCrashState()
	a.record(audit.Event{Event: audit.Started, PID: os.Getpid()})
	defer a.shutdown()

	a.evaluate(ctx, a.now())
	if a.sampler != nil {
		sctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); a.sampleLoop(sctx) }()
		defer func() { stop(); <-done }()
	}
	events := a.desk.Events()
	var ticker *time.Ticker
	defer func() {
		if ticker != nil {
			ticker.Stop()
		}
	}()
	for {
		// Reconcile on a timer only while something is shared: idle costs
		// nothing, and platform events drive everything else.
		var tick, resume, graceOver <-chan time.Time
		if !a.pausedUntil.IsZero() {
			resume = time.After(a.pausedUntil.Sub(a.now()))
		}
		if len(a.gone) > 0 {
			cfg, _ := a.current()
			graceOver = time.After(a.graceDeadline(cfg.ShareEndGrace).Sub(a.now()))
		}
		if a.session != nil {
			if ticker == nil {
				cfg, _ := a.current()
				ticker = time.NewTicker(cfg.ReconcileInterval)
			}
			tick = ticker.C
		} else if ticker != nil {
			ticker.Stop()
			ticker = nil
		}

		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				return errors.New("agent: the desktop closed its event stream")
			}
			trigger, look := a.takeEvents(ev, events)
			if look {
				a.evaluate(ctx, trigger)
			}
		case <-tick:
			a.evaluate(ctx, a.now())
		case <-graceOver:
			a.evaluate(ctx, a.now())
		case hits := <-a.hits:
			a.evaluateContent(ctx, hits, a.now())
		case d := <-a.pause:
			a.setPause(d)
			a.evaluate(ctx, a.now())
		case <-resume:
			a.setPause(0)
			a.evaluate(ctx, a.now())
		case cfg := <-a.reload:
			a.applyConfig(cfg)
			if !cfg.AllowPause && !a.pausedUntil.IsZero() {
				a.setPause(0) // the new policy forbids pausing
			}
			if ticker != nil {
				ticker.Reset(cfg.ReconcileInterval)
			}
			a.evaluate(ctx, a.now())
		}
	}
}

// takeEvents handles ev and whatever else is already queued, and returns
// the earliest receive time (so latency is never understated) and whether
// the desktop needs a look.
func (a *Agent) takeEvents(ev platform.Event, events <-chan platform.Event) (time.Time, bool) {
	trigger := ev.Time
	look := a.handleEvent(ev)
	for {
		select {
		case next, ok := <-events:
			if !ok {
				return trigger, look
			}
			if !next.Time.IsZero() && (trigger.IsZero() || next.Time.Before(trigger)) {
				trigger = next.Time
			}
			look = a.handleEvent(next) || look
		default:
			if trigger.IsZero() {
				trigger = a.now()
			}
			return trigger, look
		}
	}
}

func (a *Agent) handleEvent(ev platform.Event) bool {
	switch ev.Kind {
	case platform.DisplayLost:
		detail := "display lost"
		if ev.Err != nil {
			detail += ": " + ev.Err.Error()
		}
		a.record(audit.Event{Event: audit.Error, Detail: detail})
		a.log.Warn("display lost; the platform is reconnecting", "err", ev.Err)
		a.setStatus(func(s *Status) { s.DisplayLost = true; s.LastError = "display lost" })
		return false
	case platform.DisplayRestored:
		a.log.Info("display restored")
		a.setStatus(func(s *Status) { s.DisplayLost = false; s.LastError = "" })
		return true
	}
	return true
}

func (a *Agent) applyConfig(cfg *config.Config) {
	a.setConfig(cfg)
	a.wakeSampler() // [content] enabled may have changed
	a.record(audit.Event{Event: audit.ConfigReloaded, Detail: strings.Join(cfg.Notes, "; ")})
	a.log.Info("config reloaded", "sources", cfg.Sources)
}

// evaluate looks at the desktop once and acts on what it finds. A panic in
// a detector must not take the guard down: it is recorded and the next
// event tries again.
func (a *Agent) evaluate(ctx context.Context, trigger time.Time) {
	a.batch = &batch{}
	defer a.flush(ctx)
	defer a.recoverPanic("evaluation")
	cfg, pol := a.current()
	if !pol.Enabled || !a.pausedUntil.IsZero() {
		// Guarding is off: the session ends now, and the windows stay
		// minimized, since the share may well go on.
		dnd, _ := a.syncShares(nil, a.now(), 0)
		a.applyDND(ctx, dnd)
		a.settleCrashState(ctx)
		return
	}
	t0 := time.Now()
	snap, err := a.desk.Snapshot(ctx)
	tSnap := time.Since(t0)
	if err != nil {
		if !a.snapFailing {
			a.snapFailing = true
			a.record(audit.Event{Event: audit.Error, Detail: "snapshot: " + err.Error()})
			a.log.Warn("cannot read the desktop", "err", err)
		}
		return
	}
	a.snapFailing = false
	shares, planned := pol.Assess(&snap)
	dnd, ended := a.syncShares(shares, a.now(), cfg.ShareEndGrace)
	a.forgetGoneTools(planned)
	tAssess := time.Since(t0) - tSnap
	if dnd == dndOn {
		a.coverPopups(ctx, planned, trigger)
	}
	for _, p := range planned {
		a.act(ctx, p, trigger, &snap)
	}
	if a.log.Enabled(ctx, slog.LevelDebug) { // no argument boxing per event otherwise
		a.log.Debug("evaluated", "since_event", t0.Sub(trigger), "snapshot", tSnap, "assess", tAssess,
			"act", time.Since(t0)-tSnap-tAssess, "windows", len(snap.Windows), "findings", len(planned))
	}
	// Windows first, then notifications: hiding a journal is what the
	// meeting must not wait for.
	a.applyDND(ctx, dnd)
	a.settleCrashState(ctx)
	a.watchDND(ctx, cfg, slices.ContainsFunc(planned, func(p Planned) bool { return p.Kind == detectors.FindPopup }))
	if ended != nil && cfg.RestoreAfterShare {
		a.giveBack(ctx, ended, &snap)
	}
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
		ev := audit.Event{Event: audit.Action, Kind: string(p.Kind), Rule: p.Rule, App: p.App, Process: p.Process, PID: p.PID,
			Action: "cover", OK: audit.Bool(err == nil), LatencyMS: audit.Millis(a.now().Sub(trigger))}
		if err != nil {
			ev.Detail = err.Error()
		}
		a.record(ev)
	}
}

// batch is what one evaluation has to say, in order.
type batch struct {
	events []audit.Event
	alerts []platform.Alert
	banner string // the banner's i18n key, "" for none
}

// flush writes the batched events and shows the alerts.
func (a *Agent) flush(ctx context.Context) {
	b := a.batch
	a.batch = nil
	if b == nil {
		return
	}
	for _, e := range b.events {
		a.write(e)
	}
	for _, al := range b.alerts {
		a.send(ctx, al)
	}
	if b.banner != "" {
		a.showBanner(ctx, b.banner)
	}
}

// bannerTime is how long the banner stays up.
const bannerTime = 5 * time.Second

// showBanner tells the user during a share that the guard stepped in,
// where do-not-disturb holds the alert itself back (see
// config.AlertDuringShare).
func (a *Agent) showBanner(ctx context.Context, key string) {
	cfg, _ := a.current()
	b, ok := a.desk.(platform.Bannerer)
	if !ok || a.session == nil || cfg.AlertDuringShare != config.AlertGeneric {
		return
	}
	if err := b.Banner(ctx, a.strings().T(key), bannerTime); err != nil {
		a.log.Debug("banner not shown", "err", err)
	}
}

// bannerFor asks for a banner in this evaluation: "hid" wins over "warn".
func (a *Agent) bannerFor(key string) {
	if a.batch != nil && a.batch.banner != "banner.hid" {
		a.batch.banner = key
	}
}

// dndChange is what a share transition asks of do-not-disturb.
type dndChange int

const (
	dndKeep dndChange = iota
	dndOn
	dndRestore
)

func (a *Agent) applyDND(ctx context.Context, c dndChange) {
	switch c {
	case dndOn:
		a.dndOn(ctx)
	case dndRestore:
		a.dndRestore(ctx)
	}
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
	list := make([]detectors.Share, 0, len(shares))
	for _, s := range shares {
		now[s.Key()] = s
		list = append(list, s)
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
			list = append(list, s)
			continue
		}
		delete(a.gone, k)
		changed = true
		a.record(audit.Event{Event: audit.ShareStopped, App: s.App, ShareKind: string(s.Kind), PID: s.PID})
		a.log.Info("share stopped", "app", s.App, "kind", s.Kind, "pid", s.PID)
	}
	a.shares = now
	dnd := dndKeep
	var ended *session
	switch {
	case len(now) > 0 && a.session == nil:
		a.session = newSession()
		dnd = dndOn
	case len(now) == 0 && a.session != nil:
		ended, a.session = a.session, nil
		dnd = dndRestore
	}
	if changed {
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
// has stopped and started anew.
func (a *Agent) forgetGoneTools(planned []Planned) {
	if len(a.toolsWarned) == 0 {
		return // nothing to forget: no allocation per event
	}
	present := map[string]bool{}
	for _, p := range planned {
		if p.Kind == detectors.FindUnapproved {
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
	// Window is the raw title: the audit log drops it unless the machine
	// policy asks for it redacted. Nothing else here may carry it.
	base := audit.Event{Kind: string(p.Kind), Rule: p.Rule, App: p.App, Process: p.Process, PID: p.PID, Window: p.Title}

	if p.Kind == detectors.FindUnapproved {
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
	if p.Do != detectors.ActionMinimize || s.failed[key] {
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
		s.failed[key] = true
		a.bannerFor("banner.warn")
		a.log.Warn("could not minimize a protected window", "rule", p.Rule, "app", p.App, "err", err)
		a.notify(ctx, platform.Alert{
			Severity: platform.SeverityCritical,
			Summary:  str.T("alert.failed.summary"),
			Body:     str.T("alert.failed.body", "rule", p.Rule, "app", appName(str, p)),
		})
		return
	}
	a.log.Info("minimized", "kind", p.Kind, "rule", p.Rule, "app", p.App, "latency", latency)
	if !slices.ContainsFunc(s.hidden, func(h hidden) bool { return h.id == p.Window }) {
		pos := slices.IndexFunc(snap.Windows, func(w platform.Window) bool { return w.ID == p.Window })
		back := base
		back.Window = "" // a title is kept no longer than the evaluation
		s.hidden = append(s.hidden, hidden{id: p.Window, pos: pos, event: back})
	}
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
	a.bannerFor("banner.warn")
	a.notify(ctx, platform.Alert{
		Severity: platform.SeverityWarning,
		Summary:  str.T("alert.warn.summary"),
		Body:     str.T("alert.warn."+string(p.Kind), "rule", p.Rule, "app", appName(str, p)),
	})
	ev = base
	ev.Event, ev.Action, ev.OK, ev.LatencyMS = audit.Action, string(detectors.ActionWarn), audit.Bool(true), audit.Millis(a.now().Sub(trigger))
	a.record(ev)
	a.log.Info("warned", "kind", p.Kind, "rule", p.Rule, "app", p.App)
}

// notify shows an alert, after the current evaluation's actions.
func (a *Agent) notify(ctx context.Context, al platform.Alert) {
	if a.batch != nil {
		a.batch.alerts = append(a.batch.alerts, al)
		return
	}
	a.send(ctx, al)
}

func (a *Agent) send(ctx context.Context, al platform.Alert) {
	if err := a.desk.Notify(ctx, al); err != nil {
		a.log.Debug("alert not shown", "err", err)
	}
}

// dndOn holds notifications back and remembers, on disk first, what the
// user had, so a crash cannot lose it.
func (a *Agent) dndOn(ctx context.Context) {
	prev, err := a.desk.SetDoNotDisturb(ctx, true)
	if err != nil {
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
	if err := SaveState(a.statePath, State{DNDChanged: true, DNDPrevious: prev, Since: a.now(), PID: os.Getpid()}); err != nil {
		a.log.Warn("cannot save state; a crash now would leave do-not-disturb on", "err", err)
	}
	a.record(audit.Event{Event: audit.DND, Action: "on", OK: audit.Bool(true), Detail: detail})
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

// shutdown ends every session (restoring DND) with a fresh, bounded
// context: the run context is usually cancelled by then.
func (a *Agent) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	dnd, _ := a.syncShares(nil, a.now(), 0)
	a.applyDND(ctx, dnd)
	a.settleCrashState(ctx)
	a.record(audit.Event{Event: audit.Stopped, PID: os.Getpid()})
}

// record stamps an audit event and writes it, or queues it while an
// evaluation is acting. Only the loop goroutine calls it.
func (a *Agent) record(e audit.Event) {
	if e.Time.IsZero() {
		e.Time = a.now()
	}
	if a.batch != nil {
		a.batch.events = append(a.batch.events, e)
		return
	}
	a.write(e)
}

// write writes an audit event now; a failing log must not stop the guard,
// so the failure goes to stderr once per streak. Safe from any goroutine.
func (a *Agent) write(e audit.Event) {
	if e.Time.IsZero() {
		e.Time = a.now()
	}
	if err := a.audit.Write(e); err != nil {
		if !a.auditFailed.Swap(true) {
			a.log.Error("audit log unwritable; guarding continues", "err", err)
		}
		return
	}
	a.auditFailed.Store(false)
}

func (a *Agent) setStatus(f func(*Status)) {
	a.mu.Lock()
	f(&a.status)
	st := a.status
	a.mu.Unlock()
	if a.onStatus != nil {
		a.onStatus(st)
	}
}

// appName is the application an alert names: never a window title; "the
// shared screen" when a content hit lies under no window.
func appName(str *assets.Strings, p Planned) string {
	if p.App == "" {
		return str.T("alert.app.screen")
	}
	return p.App
}

// recoverPanic records a panic of the evaluation path and lets the guard
// go on. A panic value is arbitrary text that could quote a title, so only
// the runtime's own messages (index out of range, nil dereference) are
// kept; anything else is named by its type.
func (a *Agent) recoverPanic(what string) {
	r := recover()
	if r == nil {
		return
	}
	msg := fmt.Sprintf("%T", r)
	if re, ok := r.(runtime.Error); ok {
		msg = re.Error()
	}
	a.record(audit.Event{Event: audit.Error, Detail: what + " panicked: " + msg})
	a.log.Error(what+" panicked", "panic", msg)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
