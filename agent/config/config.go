// Package config loads shareguard's settings from three TOML layers: the
// embedded default, the machine policy deployed by IT, and the user's own
// file. The policy always wins: a user file can make the guard stricter but
// never weaker. Every problem in a file is reported as "path:line:col: msg".
package config

import (
	"time"

	"github.com/shareguard/shareguard/detectors"
)

// Mode is the global reaction to findings.
type Mode string

const (
	ModeBlock Mode = "block" // act per [actions] (minimize where asked)
	ModeWarn  Mode = "warn"  // only warn, never minimize
)

// Layer names where a File came from; it decides what the file may contain.
type Layer string

const (
	LayerDefault Layer = "default"
	LayerPolicy  Layer = "policy"
	LayerUser    Layer = "user"
)

// Limits enforced by validation.
const (
	MaxFileSize          = 1 << 20
	MinReconcileInterval = 100 * time.Millisecond
	MaxReconcileInterval = time.Minute
	MinPauseDuration     = time.Minute
	MaxPauseDuration     = 24 * time.Hour
	MaxAuditSizeMB       = 1024
	MaxAuditKeep         = 100
	MaxShareEndGrace     = 30 * time.Second
)

// File is one parsed, validated layer. Nil pointers (and *Set == false)
// mean "not set here": the value is inherited from the layer below.
type File struct {
	Path  string
	Layer Layer

	Enabled           *bool
	Mode              *Mode
	Language          *string
	AllowPause        *bool
	AllowQuit         *bool
	PauseDuration     *time.Duration
	ReconcileInterval *time.Duration
	ShareEndGrace     *time.Duration
	RestoreAfterShare *bool
	DNDDuringShare    *string
	AlertDuringShare  *string
	WholeScreen       *string
	RecorderRunning   *string
	ApprovedTools     []string
	ApprovedToolsSet  bool // an empty list set on purpose approves nothing
	ReplaceDefaults   bool // policy only

	Actions FileActions
	Audit   FileAudit
	Content FileContent

	Protected  []RuleSpec
	Signatures []SignatureSpec
}

// FileActions holds the [actions] table of one layer.
type FileActions struct {
	ProtectedApp   *detectors.Action
	PnrInTitle     *detectors.Action
	Popup          *detectors.Action
	UnapprovedTool *detectors.Action
}

// FileAudit holds the [audit] table of one layer.
type FileAudit struct {
	Path      *string
	MaxSizeMB *int
	Keep      *int
	Forward   *string
	// WindowTitles is allowed in the default and the machine policy only:
	// a user file that sets it is refused.
	WindowTitles *string
}

// RuleSpec is one [[protected]] entry as written (patterns uncompiled).
type RuleSpec struct {
	Name      string
	Titles    []string
	Processes []string
	Classes   []string
	Action    detectors.Action // "" = [actions].protected_app
}

// SignatureSpec is one [[signature]] entry as written.
type SignatureSpec struct {
	Name    string
	App     string
	Kind    detectors.ShareKind
	Title   string
	Class   string
	Process string
	Meeting bool
	// Args: globs each of which must match one argument of the process's
	// command line; NeedsClient: the process must have a connected client.
	Args        []string
	NeedsClient bool
}

// Actions are the effective reactions per finding kind.
type Actions struct {
	ProtectedApp   detectors.Action
	PnrInTitle     detectors.Action
	Popup          detectors.Action
	UnapprovedTool detectors.Action
}

// Audit is the effective audit-log setting. An empty Path means the
// default location under the user's state directory (the agent decides it).
type Audit struct {
	Path      string
	MaxSizeMB int
	Keep      int
	Forward   string // "", "syslog", "journald" or "eventlog" (Windows): also send each event there
	// WindowTitles says whether audit events carry the acted-on window's
	// title: TitlesOmit (never) or TitlesRedacted (numbers redacted, names
	// readable). Only the machine policy can turn it on.
	WindowTitles string
}

// Values of DNDDuringShare.
const (
	DNDRespect = "respect"
	DNDEnforce = "enforce"
)

// Values of AlertDuringShare.
const (
	AlertGeneric = "generic"
	AlertDefer   = "defer"
)

// Values of WholeScreen.
const (
	WholeScreenWarn = "warn"
	WholeScreenOff  = "off"
)

// Values of RecorderRunning.
const (
	RecorderWarn = "warn"
	RecorderOff  = "off"
)

// Values of Audit.WindowTitles.
const (
	TitlesOmit     = "omit"
	TitlesRedacted = "redacted"
)

// Source is one file that contributed to a Config.
type Source struct {
	Layer Layer
	Path  string // "" for the embedded default
}

func (s Source) String() string {
	if s.Path == "" {
		return string(s.Layer) + " (embedded)"
	}
	return string(s.Layer) + " " + s.Path
}

// Config is the effective configuration the agent runs with.
type Config struct {
	Enabled    bool
	Mode       Mode
	Language   string // "", "sv" or "en"
	AllowPause bool
	// AllowQuit: the tray offers Quit. A policy's false removes it, so a
	// user cannot stop the guard from the menu.
	AllowQuit         bool
	PauseDuration     time.Duration
	ReconcileInterval time.Duration
	// ShareEndGrace is how long a share's indicator must stay gone before
	// the share counts as over: a minimized indicator looks withdrawn for
	// a moment, and ending the share then would let held popups out.
	ShareEndGrace time.Duration
	// RestoreAfterShare gives back, when the share ends, the windows the
	// guard minimized during it.
	RestoreAfterShare bool
	// DNDDuringShare says what happens when the user switches
	// do-not-disturb off during a share: DNDRespect (warn once, leave it)
	// or DNDEnforce (switch it back on).
	DNDDuringShare string
	// AlertDuringShare: while a share runs, do-not-disturb holds the
	// guard's own alerts back too. AlertGeneric shows a short banner that
	// names no rule and no app (the meeting sees it); AlertDefer shows
	// nothing until the share ends.
	AlertDuringShare string
	// WholeScreen: WholeScreenWarn tells the user once per share that the
	// whole screen is shared and one window would be safer (the
	// guidelines' rule); WholeScreenOff says nothing.
	WholeScreen string
	// RecorderRunning: RecorderWarn warns once while a screen recorder
	// that gives no sign of recording (OBS, ...) runs and a protected
	// window is open; RecorderOff says nothing and does not look for them.
	RecorderRunning string
	ApprovedTools   []string
	Actions         Actions
	Audit           Audit
	Content         Content
	// Rules are compiled; every rule's Action is resolved (never "").
	Rules []detectors.Rule
	// Signatures are the configured ones only; the agent adds the
	// built-in table.
	Signatures []detectors.Signature
	Sources    []Source
	// Notes say where a user setting was overridden by the machine policy
	// (or could not strengthen/extend something), for `config show` and
	// the audit log.
	Notes []string
}

// Input builds the detector input from the effective config. The global
// Mode is not applied here: findings carry what the rule asks for and the
// agent downgrades to warn in warn mode.
func (c *Config) Input() detectors.Input {
	in := detectors.Input{
		Rules:            append([]detectors.Rule(nil), c.Rules...),
		Signatures:       append([]detectors.Signature(nil), c.Signatures...),
		PnrInTitleAction: c.Actions.PnrInTitle,
		PopupAction:      c.Actions.Popup,
		UnapprovedAction: c.Actions.UnapprovedTool,
		RecorderRunning:  c.RecorderRunning != RecorderOff,
	}
	if c.ApprovedTools != nil {
		in.Approved = append([]string{}, c.ApprovedTools...)
	}
	return in
}
