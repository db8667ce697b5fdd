//go:build linux

package x11

import (
	"time"

	"github.com/shareguard/shareguard/platform"
)

// defaultProcessInterval is how often /proc is looked at for watched
// processes: a capture can start with no window event at all.
const defaultProcessInterval = 2 * time.Second

var _ platform.ProcessWatcher = (*Desktop)(nil)

// WatchProcesses implements platform.ProcessWatcher: it scans at once, so
// the next Snapshot has them, and then every Options.ProcessInterval.
func (d *Desktop) WatchProcesses(names []string) {
	if !d.watch.Set(names) {
		return
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.wg.Add(1)
	d.mu.Unlock()
	every := d.opt.ProcessInterval
	if every <= 0 {
		every = defaultProcessInterval
	}
	go func() {
		defer d.wg.Done()
		d.watch.Run(every, d.done, func() { d.emit(platform.Event{Kind: platform.ProcessesChanged, Time: time.Now()}) })
	}()
}
