// Package fake is a scriptable in-memory desktop for tests. It behaves like a
// window manager would: minimizing a window changes its state and emits an
// event, and do-not-disturb holds popups back.
package fake

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/shareguard/shareguard/platform"
)

// Desktop implements platform.Desktop in memory. All methods are safe for
// concurrent use.
type Desktop struct {
	mu        sync.Mutex
	windows   []platform.Window // stacking order
	procs     []platform.Process
	session   platform.Session
	watched   []string // the last WatchProcesses names
	active    platform.WindowID
	dnd       bool
	dndErr    error
	snapErr   error
	minErr    map[platform.WindowID]error
	minimized []platform.WindowID
	restored  []platform.WindowID // Unminimize calls, in order
	alerts    []platform.Alert
	banners   []string
	covered   []platform.WindowID
	dndCalls  []bool
	beforeDND func(on bool)
	sharing   []bool // SetSharing calls, in order
	snaps     int
	onMin     func(platform.WindowID)
	panicMsg  string
	closed    bool
	events    chan platform.Event
	now       func() time.Time
}

var _ platform.Desktop = (*Desktop)(nil)
var _ platform.ProcessWatcher = (*Desktop)(nil)

// New returns an empty desktop.
func New() *Desktop {
	return &Desktop{
		events: make(chan platform.Event, 256),
		minErr: map[platform.WindowID]error{},
		now:    time.Now,
	}
}

// emit sends an event without blocking; a full channel already holds a
// "look again" for the agent, so dropping is safe.
func (d *Desktop) emit(kind platform.EventKind, id platform.WindowID) {
	if d.closed {
		return
	}
	select {
	case d.events <- platform.Event{Kind: kind, Window: id, Time: d.now()}:
	default:
	}
}

// AddProcess registers a process; a pid already known is replaced, as in
// a real process table.
func (d *Desktop) AddProcess(p platform.Process) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.procs = slices.DeleteFunc(d.procs, func(q platform.Process) bool { return q.PID == p.PID })
	d.procs = append(d.procs, p)
	d.emit(platform.ProcessesChanged, 0)
}

// RemoveProcess forgets a process and every window it owns, as when the
// program is killed.
func (d *Desktop) RemoveProcess(pid int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.procs = slices.DeleteFunc(d.procs, func(p platform.Process) bool { return p.PID == pid })
	d.windows = slices.DeleteFunc(d.windows, func(w platform.Window) bool { return w.PID == pid })
	d.emit(platform.ProcessesChanged, 0)
}

// SetSession changes what the OS says about the session (a remote
// viewer connected or gone).
func (d *Desktop) SetSession(s platform.Session) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.session = s
	d.emit(platform.SessionChanged, 0)
}

// WatchProcesses implements platform.ProcessWatcher: it records the
// names. The fake reports every process added, watched or not.
func (d *Desktop) WatchProcesses(names []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.watched = slices.Clone(names)
}

// Watched returns the names of the last WatchProcesses call.
func (d *Desktop) Watched() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.watched)
}

// AddWindow maps a window on top of the stack. A zero-value Visible is
// taken as visible unless Minimized is set, for shorter tests.
func (d *Desktop) AddWindow(w platform.Window) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !w.Visible && !w.Minimized {
		w.Visible = true
	}
	d.windows = append(d.windows, w)
	if w.Type == platform.TypeNotification {
		d.emit(platform.NotificationShown, w.ID)
		return
	}
	d.emit(platform.WindowCreated, w.ID)
}

// RemoveWindow destroys a window.
func (d *Desktop) RemoveWindow(id platform.WindowID) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.windows = slices.DeleteFunc(d.windows, func(w platform.Window) bool { return w.ID == id })
	d.emit(platform.WindowDestroyed, id)
}

// SetTitle retitles a window.
func (d *Desktop) SetTitle(id platform.WindowID, title string) {
	d.update(id, func(w *platform.Window) { w.Title = title })
}

// Restore un-minimizes a window, as the user clicking it in the taskbar.
func (d *Desktop) Restore(id platform.WindowID) {
	d.update(id, func(w *platform.Window) { w.Minimized = false; w.Visible = true })
}

// Iconify minimizes a window as the user or its own app does (an X11
// iconic window is also unmapped).
func (d *Desktop) Iconify(id platform.WindowID) {
	d.update(id, func(w *platform.Window) { w.Minimized = true; w.Visible = false })
}

// Withdraw unmaps a window without iconifying it: how a window looks for
// a moment on X11 while it is being iconified, and for good when an app
// hides it.
func (d *Desktop) Withdraw(id platform.WindowID) {
	d.update(id, func(w *platform.Window) { w.Minimized = false; w.Visible = false })
}

func (d *Desktop) update(id platform.WindowID, f func(*platform.Window)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.windows {
		if d.windows[i].ID == id {
			f(&d.windows[i])
			d.emit(platform.WindowChanged, id)
			return
		}
	}
}

// Window returns the current state of a window.
func (d *Desktop) Window(id platform.WindowID) (platform.Window, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, w := range d.windows {
		if w.ID == id {
			return w, true
		}
	}
	return platform.Window{}, false
}

// SetUserDND sets do-not-disturb as the user would, without recording a call.
func (d *Desktop) SetUserDND(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dnd = on
}

// DND reports the current do-not-disturb state.
func (d *Desktop) DND() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dnd
}

// FailSnapshot makes Snapshot return err (nil clears it).
func (d *Desktop) FailSnapshot(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.snapErr = err
}

// PanicSnapshot makes Snapshot panic with msg ("" stops it), standing in
// for a bug anywhere on the evaluation path.
func (d *Desktop) PanicSnapshot(msg string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.panicMsg = msg
}

// FailMinimize makes Minimize of id return err, as for an elevated window.
func (d *Desktop) FailMinimize(id platform.WindowID, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.minErr[id] = err
}

// FailDND makes SetDoNotDisturb return err (nil clears it).
func (d *Desktop) FailDND(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dndErr = err
}

// BeforeDND runs f at the start of each SetDoNotDisturb call, before the
// setting changes: a test looks at what the agent had done by then.
func (d *Desktop) BeforeDND(f func(on bool)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.beforeDND = f
}

// Emit injects an event, e.g. DisplayLost.
func (d *Desktop) Emit(ev platform.Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ev.Time.IsZero() {
		ev.Time = d.now()
	}
	if !d.closed {
		select {
		case d.events <- ev:
		default:
		}
	}
}

// Minimized lists the windows Minimize succeeded on, in call order.
func (d *Desktop) Minimized() []platform.WindowID {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.minimized)
}

// Alerts lists the alerts shown.
func (d *Desktop) Alerts() []platform.Alert {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.alerts)
}

// DNDCalls lists the values SetDoNotDisturb was called with.
func (d *Desktop) DNDCalls() []bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.dndCalls)
}

// ClearHistory drops the recorded calls (minimized windows, alerts, DND
// calls), so long soak runs measure the agent, not this log.
func (d *Desktop) ClearHistory() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.minimized, d.alerts, d.dndCalls = nil, nil, nil
}

// Snapshots counts Snapshot calls, to prove the agent does no idle work.
func (d *Desktop) Snapshots() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.snaps
}

// Snapshot implements platform.Desktop.
func (d *Desktop) Snapshot(ctx context.Context) (platform.Snapshot, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.snaps++
	if d.panicMsg != "" {
		panic(d.panicMsg)
	}
	if d.closed {
		return platform.Snapshot{}, errors.New("fake desktop: closed")
	}
	if d.snapErr != nil {
		return platform.Snapshot{}, d.snapErr
	}
	return platform.Snapshot{
		Time:      d.now(),
		Windows:   slices.Clone(d.windows),
		Processes: slices.Clone(d.procs),
		Active:    d.active,
		Screens:   []platform.Screen{{Bounds: platform.Rect{W: 1920, H: 1080}, Primary: true}},
		Session:   d.session,
	}, nil
}

// Events implements platform.Desktop.
func (d *Desktop) Events() <-chan platform.Event { return d.events }

// OnMinimize calls f (without the desktop's lock) at the start of every
// Minimize, so a test can see what the agent had done before acting.
func (d *Desktop) OnMinimize(f func(platform.WindowID)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.onMin = f
}

// Minimize implements platform.Desktop.
func (d *Desktop) Minimize(ctx context.Context, id platform.WindowID) error {
	d.mu.Lock()
	f := d.onMin
	d.mu.Unlock()
	if f != nil {
		f(id)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.minErr[id]; err != nil {
		return fmt.Errorf("minimize window %d: %w", id, err)
	}
	for i := range d.windows {
		if d.windows[i].ID == id {
			d.windows[i].Minimized = true
			d.minimized = append(d.minimized, id)
			d.emit(platform.WindowChanged, id)
			return nil
		}
	}
	return fmt.Errorf("minimize window %d: no such window", id)
}

// Unminimize implements platform.Unminimizer as a window manager does: the
// window comes back on top of the stacking order.
func (d *Desktop) Unminimize(ctx context.Context, id platform.WindowID) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := slices.IndexFunc(d.windows, func(w platform.Window) bool { return w.ID == id })
	if i < 0 {
		return fmt.Errorf("unminimize window %d: no such window", id)
	}
	w := d.windows[i]
	w.Minimized, w.Visible = false, true
	d.windows = append(slices.Delete(d.windows, i, i+1), w)
	d.restored = append(d.restored, id)
	d.emit(platform.WindowChanged, id)
	return nil
}

// Unminimized lists the windows given back by Unminimize, in order.
func (d *Desktop) Unminimized() []platform.WindowID {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.restored)
}

// Notify implements platform.Desktop.
func (d *Desktop) Notify(ctx context.Context, a platform.Alert) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.alerts = append(d.alerts, a)
	return nil
}

// SetDoNotDisturb implements platform.Desktop.
func (d *Desktop) SetDoNotDisturb(ctx context.Context, on bool) (bool, error) {
	d.mu.Lock()
	before := d.beforeDND
	d.mu.Unlock()
	if before != nil {
		before(on)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dndErr != nil {
		return false, d.dndErr
	}
	prev := d.dnd
	d.dnd = on
	d.dndCalls = append(d.dndCalls, on)
	return prev, nil
}

// Banner implements platform.Bannerer: it records the text.
func (d *Desktop) Banner(ctx context.Context, text string, dur time.Duration) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.banners = append(d.banners, text)
	return nil
}

// Cover implements platform.Coverer: it records the window.
func (d *Desktop) Cover(ctx context.Context, id platform.WindowID) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.covered = append(d.covered, id)
	return nil
}

// Covered lists the windows covered, in order.
func (d *Desktop) Covered() []platform.WindowID {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.covered)
}

// SetSharing implements platform.Pacer: it records the call.
func (d *Desktop) SetSharing(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.sharing = append(d.sharing, on)
}

// SharingCalls lists the SetSharing calls, in order.
func (d *Desktop) SharingCalls() []bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.sharing)
}

// Banners lists the banner texts shown, in order.
func (d *Desktop) Banners() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.banners)
}

// DoNotDisturb implements platform.DNDReader.
func (d *Desktop) DoNotDisturb(ctx context.Context) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dndErr != nil {
		return false, d.dndErr
	}
	return d.dnd, nil
}

// Close implements platform.Desktop.
func (d *Desktop) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		d.closed = true
		close(d.events)
	}
	return nil
}

// Capabilities implements platform.Describer.
func (d *Desktop) Capabilities() []platform.Capability {
	return []platform.Capability{
		{Name: "window_titles", Available: true, Detail: "fake"},
		{Name: "minimize", Available: true, Detail: "fake"},
		{Name: "do_not_disturb", Available: true, Detail: "fake"},
	}
}
