// Package agent is the guard: it watches the desktop through a
// platform.Desktop, decides by policy what to do about each finding, acts,
// and records an audit event for everything it sees and does.
package agent

import (
	"context"
	"errors"
	"image"
	"log/slog"
	"os"
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
	"github.com/shareguard/shareguard/platform/osenv"
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
	self      int // the guard's pid: its windows and children's are never acted on
	now       func() time.Time
	onStatus  func(Status)
	reload    chan *config.Config
	pause     chan time.Duration // 0 resumes
	sampler   Sampler
	// keepEngine: how long the sampler keeps its engine after a share.
	keepEngine time.Duration
	hits       chan []content.Hit
	shareWake  chan struct{}
	sampleNow  chan struct{}                     // a window changed during a share
	focus      atomic.Pointer[[]image.Rectangle] // the topmost windows, for sampleLoop

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
	forward     string // the [audit] forward in force; "" until one is set
	systemLog   func() (audit.Forwarder, error)
	auditFailed atomic.Bool // record is also called from the config watcher
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
		self:        os.Getpid(),
		systemLog:   dialSystemLog,
		now:         o.Now,
		onStatus:    o.OnStatus,
		reload:      make(chan *config.Config, 1),
		pause:       make(chan time.Duration, 1),
		sampler:     o.Sampler,
		keepEngine:  keepEngine,
		hits:        make(chan []content.Hit, 1),
		shareWake:   make(chan struct{}, 1),
		sampleNow:   make(chan struct{}, 1),
		shares:      map[string]detectors.Share{},
		gone:        map[string]time.Time{},
		toolsWarned: map[string]bool{},
	}
	a.setConfig(o.Config)
	return a, nil
}

func (a *Agent) setConfig(cfg *config.Config) {
	lang := assets.PickLanguage(cfg.Language, osenv.Locale(os.Getenv))
	str, err := assets.LoadStrings(lang)
	if err != nil {
		str = assets.MustStrings(assets.Languages[0])
	}
	policy := NewPolicy(cfg)
	// Captures such as ffmpeg or x11vnc own no window: the desktop must
	// look for their processes itself.
	if w, ok := a.desk.(platform.ProcessWatcher); ok {
		w.WatchProcesses(detectors.WatchedProcesses(policy.Input.Signatures))
	}
	a.mu.Lock()
	a.cfg, a.policy, a.str = cfg, policy, str
	a.status.Enabled = cfg.Enabled
	a.mu.Unlock()
	a.audit.KeepTitles(cfg.Audit.WindowTitles == config.TitlesRedacted)
	a.forwardTo(cfg.Audit.Forward)
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
func (a *Agent) Reload(cfg *config.Config) { sendNewest(a.reload, cfg) }

// sendNewest puts v on ch (buffered, capacity 1), replacing a value the
// loop has not taken yet: the loop only ever wants the newest.
func sendNewest[T any](ch chan T, v T) {
	for {
		select {
		case ch <- v:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

// Rejected records that a config edit was invalid and tells the user; the
// running config stays in force.
func (a *Agent) Rejected(err error) {
	e := audit.Event{Event: audit.ConfigRejected, Detail: err.Error(), Time: a.now()}
	a.write(e)
	a.tellSystemLog(e)
	a.log.Warn("config rejected; keeping the previous one", "err", err)
	str := a.strings()
	a.send(context.Background(), platform.Alert{
		Severity: platform.SeverityWarning,
		Summary:  str.T("alert.config_rejected.summary"),
		Body:     str.T("alert.config_rejected.body"),
	})
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
	defer func() { a.shutdown(stopReason(ctx)) }()

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
			trigger, kinds := a.takeEvents(ev, events)
			if kinds != 0 {
				a.evaluate(ctx, trigger)
				a.desktopChanged(kinds)
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

// eventKinds is a set of platform.EventKind, one bit each.
type eventKinds uint32

// takeEvents handles ev and whatever else is already queued, and returns
// the earliest receive time (so latency is never understated) and the
// kinds of the events that need a look at the desktop (none: no look).
func (a *Agent) takeEvents(ev platform.Event, events <-chan platform.Event) (time.Time, eventKinds) {
	trigger := ev.Time
	var kinds eventKinds
	if a.handleEvent(ev) {
		kinds |= 1 << ev.Kind
	}
	for {
		select {
		case next, ok := <-events:
			if !ok {
				return trigger, kinds
			}
			if !next.Time.IsZero() && (trigger.IsZero() || next.Time.Before(trigger)) {
				trigger = next.Time
			}
			if a.handleEvent(next) {
				kinds |= 1 << next.Kind
			}
		default:
			if trigger.IsZero() {
				trigger = a.now()
			}
			return trigger, kinds
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
	a.pass(ctx, "evaluation", func() { a.look(ctx, trigger) })
}

// guarding reports whether findings are acted on now: guarding is enabled
// and not paused.
func (a *Agent) guarding(pol Policy) bool { return pol.Enabled && a.pausedUntil.IsZero() }

func (a *Agent) look(ctx context.Context, trigger time.Time) {
	cfg, pol := a.current()
	if !a.guarding(pol) {
		// Guarding is off: the session ends now, and the windows stay
		// minimized, since the share may well go on.
		dnd, _ := a.syncShares(nil, a.now(), 0)
		a.applyDND(ctx, dnd)
		a.settleCrashState(ctx)
		return
	}
	t0 := time.Now()
	snap, err := a.snapshot(ctx)
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
	a.setFocus(&snap, shares) // before syncShares wakes the sampler for a new share
	dnd, ended := a.syncShares(shares, a.now(), cfg.ShareEndGrace)
	a.forgetGoneTools(planned)
	a.adviseWholeScreen(ctx, cfg)
	tAssess := time.Since(t0) - tSnap
	if dnd == dndSwitchOn {
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

// shutdown ends every session (restoring DND) with a fresh, bounded
// context: the run context is usually cancelled by then. reason, if any,
// is agent_stopped's detail.
func (a *Agent) shutdown(reason string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	dnd, _ := a.syncShares(nil, a.now(), 0)
	a.applyDND(ctx, dnd)
	a.settleCrashState(ctx)
	a.record(audit.Event{Event: audit.Stopped, PID: os.Getpid(), Detail: reason})
}

// StopReason, given as the cause when Run's context is cancelled
// (context.WithCancelCause), is written as agent_stopped's detail: why the
// agent stopped, in the guard's own words ("logoff", "shutdown").
type StopReason string

func (r StopReason) Error() string { return string(r) }

func stopReason(ctx context.Context) string {
	var r StopReason
	if errors.As(context.Cause(ctx), &r) {
		return string(r)
	}
	return ""
}
