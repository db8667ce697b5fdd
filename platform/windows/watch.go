//go:build windows

package windows

import (
	"slices"
	"sync"
	"time"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/internal/wincap"
)

// defaultProcessInterval is how often the process list is looked at for
// watched processes: a capture can start with no window event at all.
const defaultProcessInterval = 2 * time.Second

var _ platform.ProcessWatcher = (*Desktop)(nil)

// procWatch keeps the watched processes of the last scan.
type procWatch struct {
	mu      sync.Mutex
	scan    wincap.Scanner
	names   []string
	latest  []platform.Process
	started bool
	kick    chan struct{}
}

// WatchProcesses implements platform.ProcessWatcher: it scans at once, so
// the next Snapshot has them, and then every Options.ProcessInterval.
func (d *Desktop) WatchProcesses(names []string) {
	w := &d.watch
	w.mu.Lock()
	if w.scan.Sys == nil {
		w.scan.Sys = winSys{}
	}
	if !slices.Equal(w.names, names) {
		w.names = slices.Clone(names)
		w.scan.SetNames(names)
		w.latest, _ = w.scan.Scan()
	}
	start := !w.started && len(names) > 0 && !d.closed.Load()
	if start {
		w.started = true
		w.kick = make(chan struct{}, 1)
	}
	kick := w.kick
	w.mu.Unlock()
	if start {
		go d.watchLoop(kick)
	} else if kick != nil {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
}

func (d *Desktop) watchLoop(kick <-chan struct{}) {
	w := &d.watch
	t := time.NewTicker(d.opt.ProcessInterval)
	defer t.Stop()
	for {
		w.mu.Lock()
		idle := len(w.names) == 0
		w.mu.Unlock()
		var tick <-chan time.Time
		if !idle {
			tick = t.C
		}
		select {
		case <-d.done:
			return
		case <-kick:
			continue
		case <-tick:
		}
		w.mu.Lock()
		ps, changed := w.scan.Scan()
		w.latest = ps
		w.mu.Unlock()
		if changed {
			d.emit(platform.Event{Kind: platform.ProcessesChanged, Time: time.Now()})
		}
	}
}

// addWatched adds the watched processes to a snapshot's, filling in the
// command line of those that own windows too.
func (d *Desktop) addWatched(ps []platform.Process) []platform.Process {
	w := &d.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.latest {
		if i := slices.IndexFunc(ps, func(q platform.Process) bool { return q.PID == p.PID }); i >= 0 {
			ps[i].Args = p.Args
			continue
		}
		ps = append(ps, p)
	}
	return ps
}
