//go:build windows

package windows

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/internal/proccache"
	"github.com/shareguard/shareguard/platform/internal/wincap"
)

// Callbacks made by windows.NewCallback are never freed and their number is
// limited, so they are made once per process. A WinEventProc gets no user
// pointer; out-of-context hooks are called on the thread that installed
// them, so the hook finds its watcher by thread id. This registry is the
// package's only shared state.
var callbacks struct {
	once         sync.Once
	winEvent     uintptr
	enumWindows  uintptr
	enumMonitors uintptr
	sessionProc  uintptr  // session.go
	watchers     sync.Map // thread id (uint32) -> *watcher
}

func initCallbacks() {
	callbacks.once.Do(func() {
		callbacks.winEvent = windows.NewCallback(winEventProc)
		callbacks.enumWindows = windows.NewCallback(enumWindowsProc)
		callbacks.enumMonitors = windows.NewCallback(enumMonitorsProc)
		callbacks.sessionProc = windows.NewCallback(sessionWndProc)
	})
}

func winEventProc(hook, event, hwnd, idObject, idChild, thread, msTime uintptr) uintptr {
	if hwnd == 0 || int32(idObject) != objidWindow || int32(idChild) != childidSelf {
		return 0
	}
	if v, ok := callbacks.watchers.Load(windows.GetCurrentThreadId()); ok {
		v.(*watcher).onEvent(uint32(event), hwnd, time.Now())
	}
	return 0
}

func enumWindowsProc(hwnd uintptr, list *[]uintptr) uintptr {
	*list = append(*list, hwnd)
	return 1
}

func enumMonitorsProc(hmon, hdc uintptr, r *rect, list *[]platform.Screen) uintptr {
	mi := monitorInfo{Size: uint32(unsafe.Sizeof(monitorInfo{}))}
	ok, _, _ := procGetMonitorInfoW.Call(hmon, uintptr(unsafe.Pointer(&mi)))
	if ok == 0 {
		return 1
	}
	*list = append(*list, platform.Screen{
		Index:   len(*list),
		Bounds:  toRect(mi.Monitor),
		Primary: mi.Flags&monitorInfoPrimary != 0,
	})
	return 1
}

// watcher is owned by the watcher thread: every method runs there.
type watcher struct {
	d     *Desktop
	hooks []uintptr
	known map[uintptr]platform.Window // as of the last sweep
	// fixed caches each window's process and class (see read); the sweep
	// forgets windows that are gone.
	fixed map[uintptr]fixedInfo
	// announced holds windows reported created by a hook since the last
	// sweep, so one that is gone before any sweep saw it is still
	// reported destroyed.
	announced map[uintptr]time.Time // when the hook said so
	// ours holds the windows the guard minimized during this share (see
	// minimized), with where each was shown: a glance looks at each of
	// them and covers one that shows again at once (coverAtOnce), there
	// too, since under Wine a window being restored can still report its
	// minimized rectangle. Cleared when the share ends.
	ours   map[uintptr]platform.Rect
	active uintptr
	pids   map[int]bool
	self   uint32    // our process id: our own windows raise no events from a glance
	swept  time.Time // the last sweep
	looked time.Time // the last sweep or glance: the last look at which windows are shown
	list   []uintptr
	text   []uint16
	class  []uint16
	alert  alertWindow
	// Covers (see cover.go): target window -> its cover; own lists the
	// cover windows, which the sweep and snapshots skip.
	covers     map[uintptr]coverWindow
	spares     []uintptr // hidden covers, ready
	own        map[uintptr]bool
	coverGen   uint64
	coverClass bool    // CoverClass is registered
	inst       uintptr // our module, for our window classes
	sessionWin uintptr // the hidden window that hears of logoff (session.go)
	// affinity reads a window's display affinity: displayAffinity, or a
	// stand-in in tests (Wine keeps no affinity: it reads 0 for all).
	affinity func(h uintptr) uint32
	// metric is GetSystemMetrics, or a stand-in in tests (Wine reports
	// no remote session); session is what it said at the last sweep.
	metric  func(index int) int
	session platform.Session
}

func newWatcher(d *Desktop) *watcher {
	initCallbacks()
	w := &watcher{
		d:         d,
		known:     map[uintptr]platform.Window{},
		fixed:     map[uintptr]fixedInfo{},
		announced: map[uintptr]time.Time{},
		ours:      map[uintptr]platform.Rect{},
		pids:      map[int]bool{},
		self:      windows.GetCurrentProcessId(),
		covers:    map[uintptr]coverWindow{},
		own:       map[uintptr]bool{},
		text:      make([]uint16, 512),
		class:     make([]uint16, 256),
		affinity:  displayAffinity,
		metric:    systemMetric,
	}
	w.inst, _, _ = procGetModuleHandleW.Call(0)
	d.w = w
	return w
}

// hookRanges are the WinEvents we listen to, as (min, max) pairs.
var hookRanges = [][2]uint32{
	{eventSystemForeground, eventSystemForeground},
	{eventSystemMinimizeStart, eventSystemMinimizeEnd},
	{eventObjectCreate, eventObjectHide},
	{eventObjectNameChange, eventObjectNameChange},
	{eventObjectCloaked, eventObjectUncloaked},
}

func (w *watcher) install() {
	callbacks.watchers.Store(w.d.tid, w)
	for _, r := range hookRanges {
		h, _, err := procSetWinEventHook.Call(uintptr(r[0]), uintptr(r[1]), 0, callbacks.winEvent, 0, 0,
			winEventOutOfContext|winEventSkipOwnProcess)
		if h == 0 {
			w.d.log.Warn("WinEvent hook not installed; the sweep covers it", "events", fmt.Sprintf("%#x-%#x", r[0], r[1]), "err", err)
			continue
		}
		w.hooks = append(w.hooks, h)
	}
	w.d.hooksOK = len(w.hooks)
}

func (w *watcher) uninstall() {
	for _, h := range w.hooks {
		procUnhookWinEvent.Call(h)
	}
	w.hooks = nil
	callbacks.watchers.Delete(w.d.tid)
}

// onEvent turns a WinEvent into a platform event. It must be quick and
// never block: it runs inside the message loop.
func (w *watcher) onEvent(event uint32, hwnd uintptr, now time.Time) {
	id := platform.WindowID(hwnd)
	switch event {
	case eventSystemForeground:
		w.d.emit(platform.Event{Kind: platform.ActiveChanged, Window: id, Time: now})
	case eventObjectDestroy:
		delete(w.fixed, hwnd)
		// The window is gone, so only windows we knew are worth a look.
		_, ann := w.announced[hwnd]
		if _, ok := w.known[hwnd]; ok || ann {
			delete(w.announced, hwnd)
			w.d.emit(platform.Event{Kind: platform.WindowDestroyed, Window: id, Time: now})
		}
	case eventObjectCreate:
		if isTopLevel(hwnd) {
			w.announced[hwnd] = now
			w.d.emit(platform.Event{Kind: platform.WindowCreated, Window: id, Time: now})
		}
	case eventObjectShow:
		if !isTopLevel(hwnd) {
			return
		}
		kind := platform.WindowChanged
		if classify(className(hwnd, w.class), windowText(hwnd, w.text), windowLong(hwnd, gwlExStyle)) == platform.TypeNotification {
			kind = platform.NotificationShown
		}
		w.d.emit(platform.Event{Kind: kind, Window: id, Time: now})
	default:
		if isTopLevel(hwnd) {
			w.d.emit(platform.Event{Kind: platform.WindowChanged, Window: id, Time: now})
		}
	}
}

// enumerate lists top-level windows, topmost first (EnumWindows order).
func (w *watcher) enumerate() []uintptr {
	w.list = w.list[:0]
	procEnumWindows.Call(callbacks.enumWindows, uintptr(unsafe.Pointer(&w.list)))
	return w.list
}

// read describes one top-level window; ok is false for windows that are
// not WS_VISIBLE (message-only, hidden helpers: hundreds on a real desktop).
// Minimized windows keep WS_VISIBLE and are included.
//
// Every call here is a wineserver round trip under Wine (35-70 µs on the
// build machine), so read makes as few as it can: one style word says
// visible and minimized, the title is read in one call unless it fills
// the buffer, and a window's process and class, which never change, are
// read once (fixed).
func (w *watcher) read(h uintptr) (platform.Window, bool) {
	style := windowLong(h, gwlStyle)
	if style&wsVisible == 0 {
		return platform.Window{}, false
	}
	f, ok := w.fixed[h]
	if !ok {
		pid, _ := windowPID(h)
		f = fixedInfo{pid: int(pid), class: className(h, w.class)}
		w.fixed[h] = f
	}
	ex := windowLong(h, gwlExStyle)
	title := w.title(h)
	win := platform.Window{
		ID:        platform.WindowID(h),
		PID:       f.pid,
		Title:     title,
		Class:     f.class,
		Type:      classify(f.class, title, ex),
		Minimized: style&wsMinimize != 0,
		Visible:   true,
		OnTop:     ex&wsExTopmost != 0,
	}
	if r, ok := windowRect(h); ok {
		win.Bounds = toRect(r)
	}
	if c, ok := cloaked(h); ok && c {
		win.Visible = false
	}
	if win.OnTop {
		win.CaptureExcluded = w.affinity(h) == wdaExcludeFromCapture
	}
	return win, true
}

// fixedInfo is what never changes about a window: its process and class.
type fixedInfo struct {
	pid   int
	class string
}

// title reads a window's title in one call, or two when it fills w.text
// (then it may be longer).
func (w *watcher) title(h uintptr) string {
	got, _, _ := procGetWindowTextW.Call(h, uintptr(unsafe.Pointer(&w.text[0])), uintptr(len(w.text)))
	if int(got) < len(w.text)-1 {
		return windows.UTF16ToString(w.text[:got])
	}
	return windowText(h, w.text)
}

// windows reads every visible top-level window, bottom first (the
// Snapshot order).
func (w *watcher) windows() []platform.Window {
	hs := w.enumerate()
	out := make([]platform.Window, 0, len(hs))
	for _, h := range hs {
		if w.own[h] {
			continue
		}
		if win, ok := w.read(h); ok {
			out = append(out, win)
		}
	}
	slices.Reverse(out)
	return out
}

func (w *watcher) screens() []platform.Screen {
	var list []platform.Screen
	procEnumDisplayMonitors.Call(0, 0, callbacks.enumMonitors, uintptr(unsafe.Pointer(&list)))
	return list
}

// sweep compares the desktop with the last sweep and emits what the hooks
// may have missed. With emit false it only records the baseline. Its
// events carry the time of the sweep before: the change may be that old.
func (w *watcher) sweep(now time.Time, emit bool) {
	since := w.swept
	if since.IsZero() {
		since = now
	}
	w.swept, w.looked = now, now
	cur := make(map[uintptr]platform.Window, len(w.known)+8)
	pids := make(map[int]bool, len(w.pids)+4)
	for _, h := range w.enumerate() {
		if w.own[h] {
			continue // a cover: ours, and gone soon
		}
		if win, ok := w.read(h); ok {
			cur[h] = win
			pids[win.PID] = true
		}
	}
	for h := range w.fixed {
		if _, ok := cur[h]; !ok {
			delete(w.fixed, h) // gone or hidden: read afresh if it shows
		}
	}
	active := foregroundWindow()
	if emit {
		sent := false
		send := func(k platform.EventKind, h uintptr) {
			w.d.emit(platform.Event{Kind: k, Window: platform.WindowID(h), Time: since})
			sent = true
		}
		for h, win := range cur {
			old, ok := w.known[h]
			switch {
			case !ok && win.Type == platform.TypeNotification:
				send(platform.NotificationShown, h)
			case !ok:
				send(platform.WindowCreated, h)
			case old != win:
				send(platform.WindowChanged, h)
			}
		}
		for h := range w.known {
			if _, ok := cur[h]; !ok {
				send(platform.WindowDestroyed, h)
			}
		}
		for h := range w.announced {
			_, inCur := cur[h]
			_, before := w.known[h]
			if !inCur && !before && !isWindow(h) {
				send(platform.WindowDestroyed, h)
			}
		}
		if active != w.active {
			send(platform.ActiveChanged, active)
		}
		if !sameSet(pids, w.pids) {
			send(platform.ProcessesChanged, 0)
		}
		// A remote viewer connecting shows in no window: ask at every
		// sweep, which runs anyway.
		if s := wincap.SessionFrom(w.metric); s != w.session {
			w.session = s
			send(platform.SessionChanged, 0)
		}
		if w.d.dirty.Swap(false) && !sent {
			send(platform.WindowChanged, 0) // catch up on dropped events
		}
	}
	for h := range w.ours {
		if _, ok := cur[h]; !ok && !isWindow(h) {
			delete(w.ours, h)
		}
	}
	for h := range w.announced {
		// Keep a hidden, still existing window until it shows or dies.
		if _, ok := cur[h]; ok || !isWindow(h) {
			delete(w.announced, h)
		}
	}
	w.known, w.pids, w.active = cur, pids, active
}

// glance looks, while a share is on, for windows that turned shown since
// the last look: a minimized window the user restored (Windows sends
// EVENT_SYSTEM_MINIMIZEEND; Wine 8 sends no event at all, measured with
// .ci/wine-timeline), or a window announced by its creation hook in the
// last announcedGlance that has shown. Every user32 call on another
// process's window is a wineserver round trip under Wine (35-70 µs), so a
// glance makes as few as it can:
//   - a window the guard minimized during this share (ours): one style
//     word each, every glance, and a cover at once when it shows;
//   - an announced window: one style word each;
//   - every other minimized window: one style word each. (Reading them
//     only when the EnumWindows list changed was tried: under Wine 8
//     EnumWindows costs a server call per window, more than this.)
//
// A window that turned shown is read in full, recorded, and reported with
// the time of the last look, which did not see it yet: it may have been
// on the screen since then, not longer. Our own windows are recorded, not
// reported.
func (w *watcher) glance(now time.Time) {
	since := w.looked
	w.looked = now
	for h := range w.ours {
		if old, ok := w.known[h]; ok && old.Minimized {
			w.glanceAt(h, true, since)
		}
	}
	for h, at := range w.announced {
		if _, ok := w.known[h]; !ok && now.Sub(at) < announcedGlance {
			w.glanceAt(h, false, since)
		}
	}
	for h, old := range w.known {
		if _, mine := w.ours[h]; old.Minimized && !mine {
			w.glanceAt(h, true, since)
		}
	}
}

// announcedGlance is how long after its creation hook a window not shown
// yet is glanced at: applications keep hidden windows of their own, which
// would cost a call each, every glance, for as long as they live. One that
// shows later is found by the sweep (under Wine) or by its show event.
const announcedGlance = 2 * time.Second

func (w *watcher) glanceAt(h uintptr, known bool, since time.Time) {
	style := windowLong(h, gwlStyle)
	if style&wsVisible == 0 || style&wsMinimize != 0 {
		return
	}
	if was, ok := w.ours[h]; ok {
		w.coverAtOnce(h, was) // before anything else is read
	}
	win, visible := w.read(h)
	if !visible {
		return
	}
	w.known[h] = win
	if uint32(win.PID) == w.self {
		return
	}
	kind := platform.WindowChanged
	switch {
	case win.Type == platform.TypeNotification:
		kind = platform.NotificationShown
	case !known:
		kind = platform.WindowCreated
	}
	w.d.emit(platform.Event{Kind: kind, Window: platform.WindowID(h), Time: since})
}

// minimized records that a window is minimized now (we minimized it), so
// the next glance watches it for a restore without waiting for the sweep.
func (w *watcher) minimized(h uintptr) {
	win, ok := w.known[h]
	if ok {
		if w.d.sharing() && !win.Minimized {
			w.ours[h] = win.Bounds
		}
		win.Minimized = true
		w.known[h] = win
	}
}

func sameSet(a, b map[int]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func toRect(r rect) platform.Rect {
	return platform.Rect{X: int(r.Left), Y: int(r.Top), W: int(r.Right - r.Left), H: int(r.Bottom - r.Top)}
}

// classify gives a window its role from its class and extended style.
func classify(class, title string, ex uintptr) platform.WindowType {
	switch class {
	case "Shell_TrayWnd", "Shell_SecondaryTrayWnd":
		return platform.TypeDock
	case "Progman", "WorkerW":
		return platform.TypeDesktop
	case "#32768":
		return platform.TypeMenu
	case "#32770":
		return platform.TypeDialog
	case "tooltips_class32":
		return platform.TypeOther
	case "Windows.UI.Core.CoreWindow":
		// Toasts are drawn by ShellExperienceHost in a CoreWindow whose
		// title follows the display language (SamsidParty/TopNotify's
		// table; the Swedish one is also in a second project).
		if title == "New notification" || title == "Ny avisering" {
			return platform.TypeNotification
		}
	}
	if ex&wsExToolWindow != 0 {
		return platform.TypeUtility
	}
	return platform.TypeNormal
}

// Snapshot reads the current windows, their processes and the screens.
func (d *Desktop) Snapshot(ctx context.Context) (platform.Snapshot, error) {
	var (
		wins    []platform.Window
		active  uintptr
		screens []platform.Screen
		session platform.Session
	)
	err := d.call(ctx, func() {
		wins = d.w.windows()
		active = foregroundWindow()
		screens = d.w.screens()
		session = wincap.SessionFrom(d.w.metric)
	})
	if err != nil {
		return platform.Snapshot{}, fmt.Errorf("windows: snapshot: %w", err)
	}
	return platform.Snapshot{
		Time:      time.Now(),
		Windows:   wins,
		Processes: d.watch.Add(d.procs.Lookup(ctx, proccache.PIDsOf(wins))),
		Active:    platform.WindowID(active),
		Screens:   screens,
		Session:   session,
	}, nil
}
