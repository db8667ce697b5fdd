//go:build windows

package windows

import (
	"time"

	"github.com/shareguard/shareguard/platform"
)

// defaultProcessInterval is how often the process list is looked at for
// watched processes: a capture can start with no window event at all.
const defaultProcessInterval = 2 * time.Second

var _ platform.ProcessWatcher = (*Desktop)(nil)

// WatchProcesses implements platform.ProcessWatcher: it scans at once, so
// the next Snapshot has them, and then every Options.ProcessInterval.
func (d *Desktop) WatchProcesses(names []string) {
	if d.watch.Set(names) && !d.closed.Load() {
		go d.watch.Run(d.opt.ProcessInterval, d.done, func() {
			d.emit(platform.Event{Kind: platform.ProcessesChanged, Time: time.Now()})
		})
	}
}
