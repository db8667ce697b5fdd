//go:build windows

// Package windows implements platform.Desktop for Windows in pure Go
// (CGO_ENABLED=0). One locked OS thread owns a message loop with
// out-of-context WinEvent hooks and a reconcile sweep (EnumWindows on a
// timer, because hooks miss things and Wine delivers only create/focus);
// snapshots and our own alert window run on that thread too. Minimize uses
// ShowWindowAsync and confirms with IsIconic; do-not-disturb switches
// toasts off in the per-user registry and restores the exact previous value.
package windows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/internal/proccache"
	"github.com/shareguard/shareguard/platform/internal/procwatch"
	"github.com/shareguard/shareguard/platform/internal/wincap"
)

// Options configures Open. Zero values mean the defaults.
type Options struct {
	Logger *slog.Logger // nil = discard
	// Sweep is the reconcile interval (default 250 ms).
	Sweep time.Duration
	// Glance is how often, while a share is on (see SetSharing), the
	// watcher looks for windows that are shown now but were not at its
	// last look: a user's restore, which Wine announces with no event
	// and Windows not always (default 33 ms, a frame at 30 fps).
	Glance time.Duration
	// MinimizeTimeout bounds the wait for IsIconic after asking a window to
	// minimize (default 1 s).
	MinimizeTimeout time.Duration
	// ProcessInterval is how often the process list is looked at for the
	// watched processes (see WatchProcesses; default 2 s).
	ProcessInterval time.Duration
	// AlertDuration is how long an alert window stays up (default 6 s).
	AlertDuration time.Duration
	// NotificationsKey and StateKey are HKCU-relative registry paths; tests
	// point them elsewhere. Defaults: the Windows notification settings key
	// and Software\shareguard.
	NotificationsKey string
	StateKey         string
}

const (
	defaultSweep           = 250 * time.Millisecond
	defaultGlance          = time.Second / 30
	defaultMinimizeTimeout = time.Second
	defaultAlertDuration   = 6 * time.Second
	// eventBuffer bounds the event channel; when it is full, events are
	// dropped and one "look again" event follows at the next sweep.
	eventBuffer = 64
)

// Desktop is the Windows desktop. Safe for concurrent use.
type Desktop struct {
	log *slog.Logger
	opt Options

	events chan platform.Event
	dirty  atomic.Bool // an event was dropped; send a catch-up event

	tid    uint32 // the watcher thread
	calls  chan func()
	done   chan struct{} // closed when the watcher thread has exited
	closed atomic.Bool
	once   sync.Once

	w     *watcher                          // set before Open returns; used only on the watcher thread
	procs proccache.Cache[windows.Filetime] // keyed by creation time
	watch procwatch.Watch                   // processes that own no window (WatchProcesses)
	dnd   *dndStore

	// pacer glances at the windows while a share is on (SetSharing).
	pacer struct {
		sync.Mutex
		stop chan struct{} // nil while no share is on
	}
	glancing atomic.Bool // a glance is posted to the watcher thread

	sessionEnd atomic.Pointer[sessionHook] // OnSessionEnd's hook

	dwmOK        bool // DwmGetWindowAttribute answered at Open
	hooksOK      int  // hooks installed
	affinityMode atomic.Uint32
}

var _ platform.Desktop = (*Desktop)(nil)
var _ platform.Describer = (*Desktop)(nil)
var _ platform.Pacer = (*Desktop)(nil)

// Open starts the watcher thread and returns once its hooks and timer are
// in place.
func Open(ctx context.Context, opt Options) (*Desktop, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("windows: open: %w", err)
	}
	if err := user32.Load(); err != nil {
		return nil, fmt.Errorf("windows: open: %w", err)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Sweep <= 0 {
		opt.Sweep = defaultSweep
	}
	if opt.Glance <= 0 {
		opt.Glance = defaultGlance
	}
	if opt.MinimizeTimeout <= 0 {
		opt.MinimizeTimeout = defaultMinimizeTimeout
	}
	if opt.AlertDuration <= 0 {
		opt.AlertDuration = defaultAlertDuration
	}
	if opt.ProcessInterval <= 0 {
		opt.ProcessInterval = defaultProcessInterval
	}
	d := &Desktop{
		log:    opt.Logger.With("component", "windows"),
		opt:    opt,
		events: make(chan platform.Event, eventBuffer),
		calls:  make(chan func(), 16),
		done:   make(chan struct{}),
		dnd:    newDNDStore(opt.NotificationsKey, opt.StateKey),
		procs:  proccache.Cache[windows.Filetime]{Stamp: creationTime, Describe: describe},
	}
	d.watch.Scanner = &wincap.Scanner{Sys: winSys{}}
	ready := make(chan error, 1)
	go d.thread(ready)
	select {
	case err := <-ready:
		if err != nil {
			return nil, err
		}
	case <-ctx.Done():
		d.Close()
		return nil, fmt.Errorf("windows: open: %w", ctx.Err())
	}
	d.probeDND(ctx)
	return d, nil
}

// probeDND puts back what an older build left switched off, and finds out
// whether quiet hours can be switched here.
func (d *Desktop) probeDND(ctx context.Context) {
	if had, err := d.dnd.restoreLegacy(); err != nil {
		d.log.Warn("cannot put back the toast setting an older version changed", "err", err)
	} else if had {
		d.log.Info("toast setting an older version changed put back")
	}
	go d.dnd.probe(context.WithoutCancel(ctx))
}

// Events delivers change notifications; closed by Close.
func (d *Desktop) Events() <-chan platform.Event { return d.events }

// Close stops the watcher thread, removes the hooks and closes Events.
func (d *Desktop) Close() error {
	d.once.Do(func() {
		d.closed.Store(true)
		if err := postThreadMessage(d.tid, wmQuit, 0, 0); err != nil {
			d.log.Warn("cannot stop the watcher thread", "err", err)
			return
		}
		<-d.done
	})
	return nil
}

// errClosed is returned after Close.
var errClosed = errors.New("windows: desktop closed")

// call runs fn on the watcher thread and waits for it. Work that touches
// our own windows or the hooks must run there: a window belongs to the
// thread that made it, and GetWindowTextW on our own window from another
// thread can hang.
func (d *Desktop) call(ctx context.Context, fn func()) error {
	if d.closed.Load() {
		return errClosed
	}
	finished := make(chan struct{})
	wrapped := func() { fn(); close(finished) }
	select {
	case d.calls <- wrapped:
	case <-d.done:
		return errClosed
	case <-ctx.Done():
		return fmt.Errorf("windows: %w", ctx.Err())
	}
	if err := postThreadMessage(d.tid, wmCall, 0, 0); err != nil {
		// The call stays queued and runs with the next one or the next
		// sweep; wait for it anyway.
		d.log.Debug("cannot wake the watcher thread", "err", err)
	}
	select {
	case <-finished:
		return nil
	case <-d.done:
		return errClosed
	case <-ctx.Done():
		return fmt.Errorf("windows: %w", ctx.Err())
	}
}

// post queues fn for the watcher thread without waiting for it; it is
// dropped when the queue is full or the desktop closed.
func (d *Desktop) post(fn func()) {
	if d.closed.Load() {
		return
	}
	select {
	case d.calls <- fn:
		if err := postThreadMessage(d.tid, wmCall, 0, 0); err != nil {
			d.log.Debug("cannot wake the watcher thread", "err", err)
		}
	default:
	}
}

// emit sends an event without ever blocking the watcher thread; a full
// channel marks the desktop dirty and the next sweep sends one catch-up.
func (d *Desktop) emit(ev platform.Event) {
	select {
	case d.events <- ev:
	default:
		d.dirty.Store(true)
	}
}

// thread is the watcher: one locked OS thread with a message loop.
func (d *Desktop) thread(ready chan<- error) {
	runtime.LockOSThread() // never unlocked: the thread holds hooks and windows
	defer close(d.done)
	defer close(d.events)

	d.tid = windows.GetCurrentThreadId()
	var m msg
	// Make sure the thread has a message queue before anyone posts to it.
	procPeekMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, wmApp, wmApp, pmNoRemove)

	w := newWatcher(d)
	w.install()
	_, d.dwmOK = cloaked(foregroundWindow())
	sweepTimer, _, err := procSetTimer.Call(0, 0, uintptr(d.opt.Sweep/time.Millisecond), 0)
	if sweepTimer == 0 {
		w.uninstall()
		ready <- fmt.Errorf("windows: reconcile timer: %w", err)
		return
	}
	w.sweep(time.Now(), false) // the baseline: no events for what exists
	if err := w.createSessionWindow(); err != nil {
		d.log.Warn("logoff will not be heard: do-not-disturb is put back at the next start", "err", err)
	}
	ready <- nil
	w.addSpares() // covers ready for the first Minimize

	for {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 { // WM_QUIT or error
			break
		}
		switch {
		case m.Hwnd == 0 && m.Message == wmCall:
			d.runCalls()
			continue
		case m.Hwnd == 0 && m.Message == wmGlance:
			d.glancing.Store(false)
			w.glance(time.Now())
			continue
		case m.Hwnd == 0 && m.Message == wmTimer && m.WParam == sweepTimer:
			d.runCalls()
			w.sweep(time.Now(), true)
			continue
		case m.Hwnd == 0 && m.Message == wmTimer:
			w.timer(m.WParam)
			continue
		}
		procTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
		procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
	}
	procKillTimer.Call(0, sweepTimer)
	if w.sessionWin != 0 {
		procDestroyWindow.Call(w.sessionWin)
	}
	w.uninstall()
	w.closeAlert()
	w.closeCovers()
	// Run what was queued so no caller waits for nothing; later callers
	// see done.
	d.runCalls()
}

// SetSharing implements platform.Pacer: while a share is on, the watcher
// glances at the windows every Options.Glance (see watcher.glance) besides
// its sweep. A Go ticker paces it, not SetTimer: Windows rounds thread
// timers up to its 15.6 ms tick, which would make 33 ms nearly 47; Go's
// timers are high-resolution. A glance the thread has not got to yet is
// not posted again.
func (d *Desktop) SetSharing(on bool) {
	d.pacer.Lock()
	defer d.pacer.Unlock()
	switch {
	case on && d.pacer.stop == nil && !d.closed.Load():
		d.pacer.stop = make(chan struct{})
		go d.pace(d.pacer.stop)
	case !on && d.pacer.stop != nil:
		close(d.pacer.stop)
		d.pacer.stop = nil
		d.post(func() { clear(d.w.ours) }) // restores are the user's again
	}
}

// sharing reports whether a share is on (SetSharing).
func (d *Desktop) sharing() bool {
	d.pacer.Lock()
	defer d.pacer.Unlock()
	return d.pacer.stop != nil
}

func (d *Desktop) pace(stop <-chan struct{}) {
	t := time.NewTicker(d.opt.Glance)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-d.done:
			return
		case <-t.C:
			if !d.glancing.CompareAndSwap(false, true) {
				continue
			}
			if err := postThreadMessage(d.tid, wmGlance, 0, 0); err != nil {
				d.glancing.Store(false)
			}
		}
	}
}

func (d *Desktop) runCalls() {
	for {
		select {
		case fn := <-d.calls:
			fn()
		default:
			return
		}
	}
}

// Capabilities says what works here and how.
func (d *Desktop) Capabilities() []platform.Capability {
	cloak := platform.Capability{Name: "cloaked_windows", Available: d.dwmOK, Detail: "DwmGetWindowAttribute(DWMWA_CLOAKED)"}
	if !d.dwmOK {
		cloak.Detail = "DwmGetWindowAttribute unavailable (no DWM, or Wine): cloaked windows count as visible"
	}
	hooks := platform.Capability{Name: "window_events", Available: d.hooksOK > 0,
		Detail: fmt.Sprintf("SetWinEventHook out of context (%d hooks) plus an EnumWindows sweep every %v, and a glance for shown windows every %v during a share", d.hooksOK, d.opt.Sweep, d.opt.Glance)}
	if d.hooksOK == 0 {
		hooks.Detail = fmt.Sprintf("no WinEvent hook could be installed; EnumWindows sweep every %v, and a glance for shown windows every %v during a share", d.opt.Sweep, d.opt.Glance)
	}
	notify := platform.Capability{Name: "notify", Available: true,
		Detail: "own topmost alert window excluded from capture (SetWindowDisplayAffinity WDA_EXCLUDEFROMCAPTURE, else WDA_MONITOR); native toasts are not implemented (they need WinRT and a registered AppUserModelID)"}
	switch d.affinityMode.Load() {
	case affinityFailed:
		notify.Detail = "own topmost alert window; SetWindowDisplayAffinity failed, so the alert (fixed text, no titles) can be in the shared picture; native toasts are not implemented"
	}
	return []platform.Capability{
		{Name: "window_titles", Available: true, Detail: "EnumWindows, GetWindowTextW, GetClassNameW"},
		hooks,
		cloak,
		{Name: "share_detection", Available: true, Detail: "share toolbar/indicator windows by class and title (Zoom, Teams also by structure, Chromium, Firefox); a Chromium tab share shows no indicator window and is not detected"},
		{Name: "capture_detection", Available: true, Detail: fmt.Sprintf("screen recordings: ffmpeg with gdigrab -i desktop or ddagrab in its command line (ShareX; unverified with the real ShareX), read once per new process from a process list every %v; remote sessions: the TeamViewer Panel window (TV_ControlWin; unverified), Remote Assistance (someone else controlling the session) by GetSystemMetrics SM_REMOTECONTROL at every sweep; working through Remote Desktop or a VDI is not a capture; not detected: Quick Assist (no public session signal), VNC servers. Recorders that show no sign of recording only warn while a protected window is open (recorder_running): OBS Studio, Loom, Snagit, Camtasia (names unverified)", d.opt.ProcessInterval)},
		{Name: "minimize", Available: true, Detail: "a black topmost cover of ours over the window (and the way the minimize animation takes it) first, then ShowWindowAsync(SW_MINIMIZE) confirmed with IsIconic; windows of elevated processes are reported, not skipped"},
		notify,
		d.dnd.capability(),
		{Name: "notification_popups", Available: true, Detail: `toast windows (class Windows.UI.Core.CoreWindow, title "New notification" or "Ny avisering"), unverified on real Windows`},
		{Name: "restore_windows", Available: true, Detail: "ShowWindowAsync(SW_SHOWNOACTIVATE) confirmed with IsIconic"},
		{Name: "share_banner", Available: false, Detail: "not needed: the alert window itself is kept out of the capture and shows during the share"},
		{Name: "popup_cover", Available: false, Detail: "not implemented on Windows: toasts already shown when a share starts stay until toasts are switched off"},
	}
}
