package agent

import (
	"slices"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
)

// Planned is a finding with the action the policy decided on.
type Planned struct {
	detectors.Finding
	Do detectors.Action
}

// Policy is the compiled, ready-to-evaluate form of a config: the detector
// input (built-in signatures included) and the global mode.
type Policy struct {
	Input   detectors.Input
	Mode    string
	Enabled bool
}

// NewPolicy compiles cfg once, so each evaluation only matches.
func NewPolicy(cfg *config.Config) Policy {
	in := cfg.Input()
	in.Signatures = append(detectors.BuiltinSignatures(), in.Signatures...)
	if !in.RecorderRunning {
		// Not warned about, so not looked for either: the platform
		// watches the processes the signatures name.
		in.Signatures = slices.DeleteFunc(in.Signatures, func(s detectors.Signature) bool { return s.Recorder })
	}
	return Policy{Input: in, Mode: string(cfg.Mode), Enabled: cfg.Enabled}
}

// Assess runs the detectors over snap and decides an action per finding.
// It is pure: `shareguard check` and the guard loop share it.
func (p Policy) Assess(snap *platform.Snapshot) ([]detectors.Share, []Planned) {
	shares, findings := detectors.Evaluate(snap, p.Input)
	planned := make([]Planned, 0, len(findings))
	for _, f := range findings {
		planned = append(planned, Planned{Finding: f, Do: p.decide(f)})
	}
	return shares, planned
}

// decide applies the global mode: "warn" never acts, "block" does what the
// rule asks. Tools and popups cannot be minimized away, so they only warn.
func (p Policy) decide(f detectors.Finding) detectors.Action {
	if p.Mode == "warn" || f.Window == 0 {
		return detectors.ActionWarn
	}
	switch f.Kind {
	case detectors.FindUnapproved:
		return detectors.ActionWarn
	}
	if f.Action == "" {
		return detectors.ActionWarn
	}
	return f.Action
}
