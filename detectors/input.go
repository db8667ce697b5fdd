package detectors

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
}
