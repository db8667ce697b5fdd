//go:build linux

package x11

import (
	"slices"
	"sync"
	"time"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/internal/procscan"
)

// defaultProcessInterval is how often /proc is looked at for watched
// processes: a capture can start with no window event at all.
const defaultProcessInterval = 2 * time.Second

var _ platform.ProcessWatcher = (*Desktop)(nil)

// procWatch keeps the watched processes of the last scan.
type procWatch struct {
	mu      sync.Mutex
	scan    procscan.Scanner
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
	if !slices.Equal(w.names, names) {
		w.names = slices.Clone(names)
		w.scan.SetNames(names)
		w.latest, _ = w.scan.Scan()
	}
	start := !w.started && len(names) > 0
	if start {
		w.started = true
		w.kick = make(chan struct{}, 1)
	}
	kick := w.kick
	w.mu.Unlock()
	if start {
		d.mu.Lock()
		if d.closed {
			d.mu.Unlock()
			return
		}
		d.wg.Add(1)
		d.mu.Unlock()
		go d.watchLoop()
	} else if kick != nil {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
}

func (d *Desktop) watchLoop() {
	defer d.wg.Done()
	w := &d.watch
	every := d.opt.ProcessInterval
	if every <= 0 {
		every = defaultProcessInterval
	}
	t := time.NewTicker(every)
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
		case <-w.kick:
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
// command line and clients of those that own windows too.
func (d *Desktop) addWatched(ps []platform.Process) []platform.Process {
	w := &d.watch
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
