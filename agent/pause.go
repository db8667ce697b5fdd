package agent

import (
	"errors"
	"time"

	"github.com/shareguard/shareguard/agent/audit"
)

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

func (a *Agent) sendPause(d time.Duration) { sendNewest(a.pause, d) }

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
