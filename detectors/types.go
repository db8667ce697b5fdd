// Package detectors turns a desktop snapshot into share sessions and
// findings. Everything here is a pure function of its inputs: no OS calls,
// no clocks, no global state beyond the built-in signature table.
package detectors

import (
	"strconv"

	"github.com/shareguard/shareguard/platform"
)

// ShareKind says how much of the desktop a share shows.
type ShareKind string

const (
	KindScreen  ShareKind = "screen"
	KindWindow  ShareKind = "window"
	KindTab     ShareKind = "tab"
	KindUnknown ShareKind = "unknown" // treated as a whole-screen share
	// Captures beyond meetings, guarded like a whole-screen share.
	KindRecording ShareKind = "recording" // a screen recorder is grabbing the screen
	KindRemote    ShareKind = "remote"    // someone views or controls the screen remotely
)

// WholeScreen reports whether everything visible can be in the picture.
func (k ShareKind) WholeScreen() bool {
	return k == KindScreen || k == KindUnknown || k == "" || k == KindRecording || k == KindRemote
}

// Share is one running screen share.
type Share struct {
	App       string // display name, e.g. "Zoom", "Microsoft Teams", "Google Meet"
	Kind      ShareKind
	PID       int
	Window    platform.WindowID // the indicator/toolbar window; 0 if found by process
	Signature string            // name of the signature that matched
}

// Key identifies a share across snapshots.
func (s Share) Key() string { return s.Signature + "/" + itoa(s.PID) }

// Action is what a rule asks for.
type Action string

const (
	ActionWarn     Action = "warn"
	ActionMinimize Action = "minimize"
)

// Stronger returns the stronger of two actions (minimize beats warn).
func Stronger(a, b Action) Action {
	if a == ActionMinimize || b == ActionMinimize {
		return ActionMinimize
	}
	if a == "" {
		return b
	}
	return a
}

// FindingKind names what was found; these strings appear in audit events.
type FindingKind string

const (
	FindProtectedApp  FindingKind = "protected_app"
	FindPnrInTitle    FindingKind = "personnummer_in_title"
	FindPopup         FindingKind = "popup"
	FindUnapproved    FindingKind = "unapproved_tool"
	FindScreenContent FindingKind = "screen_content"
	// FindRecorder: a screen recorder runs while a protected window is
	// open. The recorder gives no sign of recording, so it is a warning,
	// not a share.
	FindRecorder FindingKind = "recorder_running"
)

// RecorderRule is the rule name of recorder_running findings.
const RecorderRule = "recorder_running"

// Finding is one thing that should not be in a shared picture (or a tool
// that should not be used). Title is raw personal data: it is matched
// against rules and never shown, logged or recorded (the audit log keeps
// it, redacted, only when the machine policy asks).
type Finding struct {
	Kind    FindingKind
	Rule    string // rule name, e.g. "TakeCare", "personnummer", "popup", "unapproved:Slack"
	App     string // the application the finding is about, e.g. "TakeCare" or "Slack"
	Window  platform.WindowID
	PID     int
	Process string // the window's process base name, "" when unknown
	Title   string // raw window title: personal data, never logged or recorded
	Action  Action // what the rule asks for, before the global mode applies
}

// Key identifies a finding within one share session.
func (f Finding) Key() string {
	return string(f.Kind) + "/" + f.Rule + "/" + itoa(int(f.Window)) + "/" + itoa(f.PID)
}

func itoa(n int) string { return strconv.Itoa(n) }
