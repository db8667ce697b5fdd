package detectors

import "github.com/shareguard/shareguard/platform"

// Signature recognises a meeting app from its windows or processes. Empty
// globs are not checked; a signature with no window globs matches on the
// process alone. Titles, classes and process names match case-insensitively.
type Signature struct {
	Name    string // unique, e.g. "chromium-screen"
	App     string // display name; for browsers the origin may refine it
	Kind    ShareKind
	Title   Glob
	Class   Glob
	Process Glob // matched with ".exe" optional
	// Meeting marks a signature that only says the app is running or in a
	// meeting (not that it shares); used for unapproved-tool findings.
	Meeting bool
	// Shape, if set, is what the window must look like besides: for a
	// share bar whose title is translated, its structure is the signal
	// that holds in every language.
	Shape Shape
	// Args, if set, must each match one argument of the process's command
	// line: for a capture tool that is also used for other things (ffmpeg
	// grabbing the screen with "x11grab", not converting a file).
	Args []Glob
	// NeedsClient: the process must have an established inbound
	// connection (a VNC server with a viewer connected, not one that only
	// listens).
	NeedsClient bool
	// Session, if set, matches the session's own state (Snapshot.Session)
	// instead of a window or process: a Remote Desktop session has
	// neither on the machine it shows.
	Session SessionFact
	// Recorder marks a screen recorder that gives no sign of recording:
	// while it runs and a protected window is open, a recorder_running
	// finding warns (if Input.RecorderRunning). It is never a share.
	Recorder bool
}

// SessionFact names a fact of platform.Session a signature can match.
type SessionFact string

const (
	SessionRemote           SessionFact = "remote"            // Session.Remote
	SessionRemoteControlled SessionFact = "remote_controlled" // Session.RemoteControlled
)

// holds reports whether the session has the fact.
func (f SessionFact) holds(s platform.Session) bool {
	switch f {
	case SessionRemote:
		return s.Remote
	case SessionRemoteControlled:
		return s.RemoteControlled
	}
	return false
}

// Shape describes a window by structure rather than words. The zero Shape
// accepts any window.
type Shape struct {
	OnTop           bool // always on top
	CaptureExcluded bool // kept out of screen captures by its owner
	// MaxHeight > 0: toolbar-sized, at most this tall and wider than tall.
	MaxHeight int
}

// fits reports whether w has the shape.
func (s Shape) fits(w *platform.Window) bool {
	if s.OnTop && !w.OnTop || s.CaptureExcluded && !w.CaptureExcluded {
		return false
	}
	if s.MaxHeight > 0 && (w.Bounds.H > s.MaxHeight || w.Bounds.W <= w.Bounds.H) {
		return false
	}
	return true
}

// Rule protects an application: any shown window matching one of its
// title, process or class globs is a finding.
type Rule struct {
	Name      string
	Titles    []Glob
	Processes []Glob // ".exe" optional
	Classes   []Glob
	Action    Action
}

// Input is everything the detectors need besides the snapshot. The agent
// builds it from the effective config.
type Input struct {
	Signatures []Signature // built-ins plus configured ones
	Rules      []Rule
	// Approved lists meeting tools allowed to be used (display names as in
	// Signature.App, compared case-insensitively). Nil means "no check".
	Approved []string
	// Actions for the findings that are not rule-based.
	PnrInTitleAction Action
	PopupAction      Action
	UnapprovedAction Action
	// RecorderRunning: warn about a running recorder (Signature.Recorder)
	// while a protected window is open.
	RecorderRunning bool
}
