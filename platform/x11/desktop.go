//go:build linux

// Package x11 implements platform.Desktop for Linux X11 with one kept-open
// X connection (jezek/xgb): EWMH window lists, ICCCM iconify, notification
// popups seen through root MapNotify, do-not-disturb through the running
// notification daemon, and reconnects when the X server goes away.
package x11

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/internal/proccache"
	"github.com/shareguard/shareguard/platform/internal/procscan"
	"github.com/shareguard/shareguard/platform/internal/procwatch"
)

// Options configures Open.
type Options struct {
	Display string       // "" = $DISPLAY
	Logger  *slog.Logger // nil = discard
	// BusAddress is the session D-Bus address for Notify and do-not-disturb;
	// "" = $DBUS_SESSION_BUS_ADDRESS. Tests point it at their own bus.
	BusAddress string
	// Env, when set, is the environment for helper commands (dunstctl,
	// gsettings, xfconf-query); nil = this process's environment.
	Env []string
	// ProcessInterval is how often watched processes are looked for
	// (see WatchProcesses); 0 = every 2 s.
	ProcessInterval time.Duration
}

// eventBuffer bounds the event channel; when it is full, events are dropped
// and one "look again" event follows (see emit).
const eventBuffer = 64

// Reconnect backoff after the display is lost.
const (
	backoffMin = 100 * time.Millisecond
	backoffMax = 5 * time.Second
)

// Desktop is the X11 desktop. Safe for concurrent use.
type Desktop struct {
	log     *slog.Logger
	display string
	opt     Options

	events chan platform.Event
	dirty  atomic.Bool
	done   chan struct{}
	wg     sync.WaitGroup
	once   sync.Once

	mu      sync.Mutex // guards cur to waiters; a method ending in Locked expects it held
	cur     *conn      // nil while the display is lost
	lostErr error
	closed  bool
	waiters map[xproto.Window][]chan struct{} // Minimize waiting for WM_STATE

	procs proccache.Cache[string] // keyed by /proc start time
	watch procwatch.Watch
	bus   busState
	ban   banner
}

var _ platform.Desktop = (*Desktop)(nil)
var _ platform.Describer = (*Desktop)(nil)

// Open connects to the display and starts watching it. It fails (wrapped,
// clear) when there is no display; it never touches GTK.
func Open(ctx context.Context, opt Options) (*Desktop, error) {
	display := opt.Display
	if display == "" {
		display = os.Getenv("DISPLAY")
	}
	if display == "" {
		return nil, fmt.Errorf("x11: no display: DISPLAY is not set")
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("x11: open: %w", err)
	}
	c, err := dial(display)
	if err != nil {
		return nil, err
	}
	d := &Desktop{
		log:     log.With("component", "x11"),
		display: display,
		opt:     opt,
		events:  make(chan platform.Event, eventBuffer),
		done:    make(chan struct{}),
		cur:     c,
		waiters: make(map[xproto.Window][]chan struct{}),
		procs:   proccache.Cache[string]{Stamp: startTime, Describe: describe},
	}
	d.watch.Scanner = &procscan.Scanner{}
	d.bus.addr = opt.BusAddress
	w := newWatcher(d, c)
	if err := w.populate(); err != nil {
		c.x.Close()
		return nil, err
	}
	d.wg.Add(1)
	go d.run(w)
	return d, nil
}

// current returns the live connection or the reason there is none.
func (d *Desktop) current() (*conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, fmt.Errorf("x11: desktop closed")
	}
	if d.cur == nil {
		return nil, fmt.Errorf("x11: display %q unavailable: %w", d.display, d.lostErr)
	}
	return d.cur, nil
}

// Events delivers change notifications; closed by Close.
func (d *Desktop) Events() <-chan platform.Event { return d.events }

// emit never blocks. When the channel is full the event is dropped and the
// dirty flag makes the next successful send be preceded by a whole-desktop
// "look again" (the queued events already make the reader look again, so
// nothing is lost but the window id of the dropped ones).
func (d *Desktop) emit(ev platform.Event) {
	if d.dirty.Load() {
		select {
		case d.events <- platform.Event{Kind: platform.WindowChanged, Time: ev.Time}:
			d.dirty.Store(false)
		default:
		}
	}
	select {
	case d.events <- ev:
	default:
		d.dirty.Store(true)
	}
}

// run owns the event channel's writing side: it reads X events and, when the
// connection dies, reconnects with backoff.
func (d *Desktop) run(w *watcher) {
	defer d.wg.Done()
	for {
		w.loop()
		if d.isDone() {
			return
		}
		err := fmt.Errorf("x11: connection to display %q lost", d.display)
		d.mu.Lock()
		d.cur = nil
		d.lostErr = err
		d.wakeAllLocked()
		d.mu.Unlock()
		d.log.Warn("display lost", "display", d.display)
		d.emit(platform.Event{Kind: platform.DisplayLost, Time: time.Now(), Err: err})

		w = d.reconnect()
		if w == nil {
			return
		}
		d.log.Info("display restored", "display", d.display)
		d.emit(platform.Event{Kind: platform.DisplayRestored, Time: time.Now()})
	}
}

func (d *Desktop) isDone() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// reconnect retries from 100 ms doubling to 5 s and reads the desktop
// before publishing the connection; nil when closed meanwhile.
func (d *Desktop) reconnect() *watcher {
	delay := backoffMin
	t := time.NewTimer(delay)
	defer t.Stop()
	for {
		select {
		case <-d.done:
			return nil
		case <-t.C:
		}
		c, err := dial(d.display)
		var w *watcher
		if err == nil {
			w = newWatcher(d, c)
			if err = w.populate(); err != nil {
				c.x.Close()
			}
		}
		if err == nil {
			d.mu.Lock()
			if d.closed {
				d.mu.Unlock()
				c.x.Close()
				return nil
			}
			d.cur = c
			d.lostErr = nil
			d.mu.Unlock()
			return w
		}
		d.log.Debug("reconnect failed", "display", d.display, "err", err, "retry_in", delay)
		delay = min(delay*2, backoffMax)
		t.Reset(delay)
	}
}

// Close stops watching, closes the X and D-Bus connections and the event
// channel. Safe to call more than once.
func (d *Desktop) Close() error {
	d.once.Do(func() {
		close(d.done)
		d.mu.Lock()
		d.closed = true
		if d.cur != nil {
			d.cur.x.Close()
		}
		d.wakeAllLocked()
		d.mu.Unlock()
		d.wg.Wait()
		close(d.events)
		d.bus.close()
	})
	return nil
}

// addWaiter registers interest in state changes of w (for Minimize).
func (d *Desktop) addWaiter(w xproto.Window) chan struct{} {
	ch := make(chan struct{}, 1)
	d.mu.Lock()
	d.waiters[w] = append(d.waiters[w], ch)
	d.mu.Unlock()
	return ch
}

func (d *Desktop) removeWaiter(w xproto.Window, ch chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	list := d.waiters[w]
	for i, c := range list {
		if c == ch {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(d.waiters, w)
	} else {
		d.waiters[w] = list
	}
}

func (d *Desktop) wake(w xproto.Window) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, ch := range d.waiters[w] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (d *Desktop) wakeAllLocked() {
	for _, list := range d.waiters {
		for _, ch := range list {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}
