// Package procwatch keeps a desktop's watched processes (those a capture
// signature names, which may own no window): it scans when the names
// change, so the next snapshot has them, then every interval, and says
// when what it found changed. The OS look is the Scanner (procscan on
// Linux, wincap on Windows).
package procwatch

import (
	"slices"
	"sync"
	"time"

	"github.com/shareguard/shareguard/platform"
)

// Scanner looks for the processes with the given names.
type Scanner interface {
	SetNames(names []string)
	Scan() (ps []platform.Process, changed bool)
}

// Watch is safe for concurrent use. Set Scanner before the first call.
type Watch struct {
	Scanner Scanner

	mu      sync.Mutex
	names   []string
	latest  []platform.Process
	started bool
	kick    chan struct{}
}

// Set watches names, scanning at once when they changed. It reports
// whether the caller must start Run: the first time names are given.
func (w *Watch) Set(names []string) (start bool) {
	w.mu.Lock()
	if !slices.Equal(w.names, names) {
		w.names = slices.Clone(names)
		w.Scanner.SetNames(names)
		w.latest, _ = w.Scanner.Scan()
	}
	start = !w.started && len(names) > 0
	if start {
		w.started = true
		w.kick = make(chan struct{}, 1)
	}
	kick := w.kick
	w.mu.Unlock()
	if !start && kick != nil {
		select { // the loop looks again whether it is idle
		case kick <- struct{}{}:
		default:
		}
	}
	return start
}

// Run scans every interval while names are watched (idle otherwise)
// until done is closed, and calls changed after a scan that changed.
func (w *Watch) Run(every time.Duration, done <-chan struct{}, changed func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		w.mu.Lock()
		idle, kick := len(w.names) == 0, w.kick
		w.mu.Unlock()
		var tick <-chan time.Time
		if !idle {
			tick = t.C
		}
		select {
		case <-done:
			return
		case <-kick:
			continue
		case <-tick:
		}
		w.mu.Lock()
		ps, ch := w.Scanner.Scan()
		w.latest = ps
		w.mu.Unlock()
		if ch {
			changed()
		}
	}
}

// ScanNow scans once, as Run does, and returns how long it took (for
// benchmarks).
func (w *Watch) ScanNow() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	t0 := time.Now()
	w.latest, _ = w.Scanner.Scan()
	return time.Since(t0)
}

// Add adds the watched processes to a snapshot's, filling in the command
// line and clients of those that own windows too.
func (w *Watch) Add(ps []platform.Process) []platform.Process {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.latest {
		if i := slices.IndexFunc(ps, func(q platform.Process) bool { return q.PID == p.PID }); i >= 0 {
			ps[i].Args, ps[i].Clients = p.Args, p.Clients
			continue
		}
		ps = append(ps, p)
	}
	return ps
}
