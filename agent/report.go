package agent

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/platform"
)

// Reporting: what an evaluation records and shows goes out after it has
// acted, and a panic in it is recorded rather than fatal.

// pass runs one evaluation: its audit events and alerts are batched until
// it returns, and a panic in it is recorded, not fatal.
func (a *Agent) pass(ctx context.Context, what string, f func()) {
	a.batch = &batch{}
	defer a.flush(ctx)
	defer a.recoverPanic(what)
	f()
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

// forwardTo follows [audit] forward whenever the config changes: the
// forwarder is opened anew when the setting changed. One that cannot open
// leaves events in the file only, and says so in the log and the audit.
func (a *Agent) forwardTo(to string) {
	if to == a.forward {
		return
	}
	a.forward = to
	fwd, err := audit.Dial(to)
	a.audit.SetForwarder(fwd) // nil: the file only
	if err != nil {
		a.log.Warn("audit events are only written to the file", "forward", to, "err", err)
		a.write(audit.Event{Event: audit.Error, Detail: "audit forward " + to + ": " + err.Error()})
		return
	}
	if to != "" {
		a.log.Info("audit events forwarded", "to", to)
	}
}

// dialSystemLog opens this OS's system log: the first forward it has.
func dialSystemLog() (audit.Forwarder, error) {
	fs := audit.Forwards()
	if len(fs) == 0 {
		return nil, errors.New("no system log on this OS")
	}
	return audit.Dial(fs[0])
}

// tellSystemLog sends e to this OS's system log (the Event Log on
// Windows, syslog elsewhere) when no forwarder is set: a rejected file may
// be the very policy that names the forward, and IT must hear of it.
// Best effort: a machine without the log loses nothing else.
func (a *Agent) tellSystemLog(e audit.Event) {
	if a.audit.Forwarding() {
		return // the forwarder in force has it
	}
	fwd, err := a.systemLog()
	if err != nil {
		return
	}
	defer fwd.Close()
	if err := fwd.Forward(e); err != nil {
		a.log.Debug("system log refused the event", "err", err)
	}
}
