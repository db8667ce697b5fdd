// Package platform is the boundary between shareguard and the operating
// system. It defines the vocabulary (windows, processes, snapshots, events,
// recognised text) and the Desktop interface; each OS implementation lives in a subpackage
// behind build tags, and platform/fake is a scriptable desktop for tests.
//
// Nothing in this package touches the OS.
//
// # Porting to a new OS
//
// Everything OS-specific lives in files named for their OS (name_<os>.go,
// or a //go:build line) in these packages; a new OS adds its own file
// beside each, or is covered by the _other.go fallback, which says plainly
// that the feature is unsupported (ErrUnsupported, or a Capability that is
// not Available, so `check` and the tray can say so).
//
//   - platform/<os> (today x11, windows): the Desktop itself: a model of
//     the windows kept by change events, Snapshot, Events, Minimize
//     (confirmed), Unminimize, Notify, SetDoNotDisturb and DoNotDisturb,
//     Cover, Banner, Capabilities, and SetSharing where some changes are
//     found only by polling (Pacer); WatchProcesses (ProcessWatcher) for
//     captures that own no window, and Snapshot.Session where the OS says
//     whether the session is viewed remotely. One package per windowing
//     system.
//   - cmd/shareguard/desktop_<os>.go: opens that Desktop (desktop_other.go
//     refuses).
//   - platform/osenv: the user's OS services: paths_<os>.go (state dir,
//     policy path, opening the settings file), locale_<os>.go,
//     instance_<os>.go (one agent per session), autostart_<os>.go (start
//     at login), trust_<os>.go (a policy file the user cannot have written).
//   - platform/capture: grabbing the shared picture for content scanning
//     (x11.go; other.go refuses).
//   - platform/ocr: the OCR engine (tesseract.go on Linux; stub.go and its
//     stub_reason_*.go elsewhere).
//   - agent/sample: cputime_<os>.go, the process CPU time the sampling
//     budget counts (cputime_other.go falls back to wall time).
//   - platform/priority: raising the guard's threads (priority_linux.go
//     through RealtimeKit; priority_other.go leaves them).
//   - agent/audit: forward_<os>.go (syslog and journald on Unix, the Event
//     Log on Windows) and eventlog_other.go.
//   - agent/tray: host_systray.go (the cgo-free toolkit on Windows, cgo on
//     Linux and macOS; host_none.go otherwise), display_<os>.go (whether a
//     display exists), icon_<os>.go (icon format).
//
// Tests: platform/fake runs every agent test on any OS; a Desktop's own
// tests start the real windowing system (platform/x11/xtest on Xvfb; the
// Windows tests under Wine, see .ci/wine-test).
package platform

import (
	"context"
	"errors"
	"time"
)

// WindowID identifies a top-level window for as long as it exists
// (an X11 window id, a Windows HWND).
type WindowID uint64

// WindowType says what role a window plays on the desktop.
type WindowType int

const (
	TypeNormal WindowType = iota
	TypeDialog
	TypeNotification // notification popups (toasts, bubbles)
	TypeDock         // panels, taskbars
	TypeUtility      // tool palettes, floating toolbars
	TypeSplash
	TypeMenu
	TypeDesktop
	TypeOther
)

var typeNames = [...]string{"normal", "dialog", "notification", "dock", "utility", "splash", "menu", "desktop", "other"}

func (t WindowType) String() string {
	if t < 0 || int(t) >= len(typeNames) {
		return "other"
	}
	return typeNames[t]
}

// Rect is a rectangle in desktop pixel coordinates.
type Rect struct {
	X, Y, W, H int
}

// Empty reports whether r has no area.
func (r Rect) Empty() bool { return r.W <= 0 || r.H <= 0 }

// Intersects reports whether r and o overlap.
func (r Rect) Intersects(o Rect) bool {
	return !r.Empty() && !o.Empty() &&
		r.X < o.X+o.W && o.X < r.X+r.W &&
		r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

// Union is the smallest rectangle holding r and o (an empty one adds
// nothing).
func (r Rect) Union(o Rect) Rect {
	if r.Empty() {
		return o
	}
	if o.Empty() {
		return r
	}
	x0, y0 := min(r.X, o.X), min(r.Y, o.Y)
	x1, y1 := max(r.X+r.W, o.X+o.W), max(r.Y+r.H, o.Y+o.H)
	return Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// Window is one top-level window as the platform sees it.
type Window struct {
	ID        WindowID
	PID       int // 0 when unknown
	Title     string
	Class     string // X11 WM_CLASS class (or instance), Windows window class
	Type      WindowType
	Bounds    Rect
	Minimized bool // iconified / IsIconic
	Visible   bool // mapped and not cloaked or hidden
	OnTop     bool // _NET_WM_STATE_ABOVE / WS_EX_TOPMOST
	// CaptureExcluded: its owner keeps it out of screen captures (Windows
	// display affinity WDA_EXCLUDEFROMCAPTURE). Read for on-top windows
	// only: share bars are on top, and it costs a call per window.
	CaptureExcluded bool
}

// Shown reports whether the window can be in a picture of the screen.
func (w Window) Shown() bool { return w.Visible && !w.Minimized }

// Process is a running process that owns at least one window, or one the
// platform reports because a signature names it.
type Process struct {
	PID  int
	PPID int
	Name string // base name, e.g. "ms-teams.exe", "chromium"
	Exe  string // full path when known
	// Args is the command line, read only for watched processes (see
	// ProcessWatcher): it tells a screen grab from any other ffmpeg.
	Args []string
	// Clients counts established inbound TCP connections to ports the
	// process listens on; read only for watched processes. A server
	// that only listens has none.
	Clients int
}

// Session is what the OS says about the desktop session itself: whether
// someone sees or controls it from elsewhere, with no window or process
// of its own to show it (Windows: GetSystemMetrics). Zero where the
// platform cannot tell.
type Session struct {
	// Remote: the session is shown on another machine (a Remote Desktop
	// or other Terminal Services client session, SM_REMOTESESSION).
	Remote bool
	// RemoteControlled: the session is being controlled from elsewhere
	// (Remote Assistance, session shadowing; SM_REMOTECONTROL).
	RemoteControlled bool
}

// Screen is one monitor.
type Screen struct {
	Index   int
	Bounds  Rect
	Primary bool
}

// Snapshot is the desktop at one moment.
type Snapshot struct {
	Time      time.Time
	Windows   []Window // stacking order, bottom first, when the platform knows it
	Processes []Process
	Active    WindowID // 0 when none
	Screens   []Screen
	Session   Session
}

// Process returns the process with the given pid.
func (s *Snapshot) Process(pid int) (Process, bool) {
	for _, p := range s.Processes {
		if p.PID == pid {
			return p, true
		}
	}
	return Process{}, false
}

// Window returns the window with the given id.
func (s *Snapshot) Window(id WindowID) (Window, bool) {
	for _, w := range s.Windows {
		if w.ID == id {
			return w, true
		}
	}
	return Window{}, false
}

// EventKind says what changed.
type EventKind int

const (
	WindowCreated EventKind = iota
	WindowDestroyed
	WindowChanged // title, state, geometry or type changed
	ActiveChanged
	NotificationShown // a notification popup was mapped
	ProcessesChanged
	DisplayLost     // the connection to the display is gone; the platform retries
	DisplayRestored // the display is back; a fresh snapshot is due
	SessionChanged  // the Session changed (a remote viewer connected or left)
)

var eventNames = [...]string{"window_created", "window_destroyed", "window_changed", "active_changed", "notification_shown", "processes_changed", "display_lost", "display_restored", "session_changed"}

func (k EventKind) String() string {
	if k < 0 || int(k) >= len(eventNames) {
		return "unknown"
	}
	return eventNames[k]
}

// Event tells the agent that the desktop changed. Platforms may coalesce
// events; an event only means "look again", the snapshot holds the truth.
type Event struct {
	Kind   EventKind
	Window WindowID // 0 when not about one window
	// Time is when the platform received the change from the OS. For a
	// change the platform found by looking (a sweep), it is the look
	// before, which did not see the change yet: the change is no older,
	// so a latency counted from Time is never understated.
	Time time.Time
	Err  error // set on DisplayLost
}

// Severity of an alert shown to the user.
type Severity int

const (
	SeverityInfo Severity = iota
	SeverityWarning
	SeverityCritical // the guard acted (blocked)
)

// Alert is a message for the user. Its text is built from fixed, translated
// strings plus a rule name and an app name; never from screen content.
type Alert struct {
	Severity Severity
	Summary  string
	Body     string
}

// ErrUnsupported is returned (wrapped) by operations a platform cannot do.
var ErrUnsupported = errors.New("not supported on this platform")

// Desktop is what the agent needs from the OS.
type Desktop interface {
	// Snapshot reads the current windows, their processes and screens.
	Snapshot(ctx context.Context) (Snapshot, error)
	// Events delivers change notifications. It is closed by Close.
	Events() <-chan Event
	// Minimize iconifies a window and confirms that it took effect.
	Minimize(ctx context.Context, id WindowID) error
	// Notify shows an alert to the user.
	Notify(ctx context.Context, a Alert) error
	// SetDoNotDisturb turns notification popups off (on=true) or back on,
	// and returns the state before the call so it can be restored exactly.
	SetDoNotDisturb(ctx context.Context, on bool) (previous bool, err error)
	// Close releases OS resources and closes the event channel.
	Close() error
}

// Unminimizer is implemented by desktops that can give a minimized window
// back, in its place in the stacking order, without taking the focus where
// the OS allows. Like Minimize it confirms that it took effect.
type Unminimizer interface {
	Unminimize(ctx context.Context, id WindowID) error
}

// DNDReader is implemented by desktops that can read whether
// do-not-disturb is on without changing it, so the agent notices the user
// switching it off during a share.
type DNDReader interface {
	DoNotDisturb(ctx context.Context) (bool, error)
}

// Bannerer is implemented by desktops that can show a short message of
// the guard's own while do-not-disturb holds notifications back (the
// guard's alerts among them). The meeting sees it too: text must name no
// rule, app or title.
type Bannerer interface {
	Banner(ctx context.Context, text string, d time.Duration) error
}

// Coverer is implemented by desktops that can keep a window out of the
// picture without minimizing it (a notification popup cannot be
// minimized), until the window goes away.
type Coverer interface {
	Cover(ctx context.Context, id WindowID) error
}

// Pacer is implemented by desktops that find some changes only by looking
// again and again (Windows: WinEvent hooks miss a user's restore, and
// Wine's deliver only creation and focus). The agent calls SetSharing(true)
// when a share starts, so the desktop looks at the pace of the shared
// picture's frames, and SetSharing(false) when the last share ends, so it
// goes back to its idle pace. It must not block.
type Pacer interface {
	SetSharing(on bool)
}

// ProcessWatcher is implemented by desktops that can report processes
// that own no window: a screen recorder or a remote-desktop server can
// start a capture with no window event at all. Names are process base
// names, compared case-insensitively. The desktop looks for them
// periodically, reports them in Snapshot.Processes with Args and Clients,
// and emits ProcessesChanged when one appears, goes away or its client
// count changes. Nil or empty names stop the watch.
type ProcessWatcher interface {
	WatchProcesses(names []string)
}

// Capability is a feature a platform may or may not provide.
type Capability struct {
	Name      string // e.g. "window_titles", "minimize", "do_not_disturb", "share_detection"
	Available bool
	Detail    string // why not, or which mechanism (e.g. "dunst")
}

// Describer is implemented by desktops that can say what they can and cannot
// do; `shareguard check` and the tray show it.
type Describer interface {
	Capabilities() []Capability
}
