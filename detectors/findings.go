package detectors

import (
	"cmp"
	"slices"
	"strings"

	"github.com/shareguard/shareguard/detectors/pnr"
	"github.com/shareguard/shareguard/platform"
)

// Evaluate finds the running shares and everything that should not be in
// them. Without a share only unapproved-tool findings are possible. While
// any share runs, shown windows of protected apps and shown windows with a
// personnummer in the title are found; popups only while a whole-screen
// share runs (a window or tab share does not show them). Each window gives
// at most one finding. Unapproved-tool findings come first (in Meetings
// order), then recorder_running findings (in signature order, then pid),
// then window findings ordered by window id, which does not change when
// windows are restacked. Nil in.Signatures means the built-in table.
func Evaluate(snap *platform.Snapshot, in Input) (shares []Share, findings []Finding) {
	if snap == nil {
		return nil, nil
	}
	sigs := in.Signatures
	if sigs == nil {
		sigs = builtin
	}
	v := newView(snap, sigs, in.Rules)
	hits := v.scan(sigs)
	shares = v.collapse(sigs, hits, wantSharing)
	if in.Approved != nil {
		findings = unapproved(v.collapse(sigs, hits, wantMeetings), in)
	}
	if in.RecorderRunning {
		findings = v.recorders(sigs, hits, in, findings)
	}
	if len(shares) == 0 {
		return shares, findings
	}
	whole := false
	for _, s := range shares {
		whole = whole || s.Kind.WholeScreen()
	}
	start := len(findings)
	for wi := range v.wins {
		wv := &v.wins[wi]
		w := wv.w
		// The sharing app's own indicator is not content; hidden and
		// minimized windows are not in the picture.
		if !w.Shown() || wv.indicator {
			continue
		}
		if w.Type == platform.TypeNotification {
			if whole {
				findings = append(findings, Finding{Kind: FindPopup, Rule: "popup", App: ownerName(wv, "notification"),
					Window: w.ID, PID: w.PID, Process: ownerName(wv, ""), Title: w.Title, Action: in.PopupAction})
			}
			continue
		}
		f, ok := v.windowFinding(wv, in)
		if !ok {
			continue
		}
		// Minimizing a panel or the desktop would break the session and
		// hide nothing; such a window is only ever warned about.
		if w.Type == platform.TypeDock || w.Type == platform.TypeDesktop {
			f.Action = ActionWarn
		}
		findings = append(findings, f)
	}
	slices.SortStableFunc(findings[start:], func(a, b Finding) int { return cmp.Compare(a.Window, b.Window) })
	return shares, findings
}

// windowFinding checks one shown window against the rules, then for a
// personnummer in its title.
func (v *view) windowFinding(wv *winView, in Input) (Finding, bool) {
	w := wv.w
	first := -1
	var action Action
	for ri := range v.rules {
		if !v.ruleMatches(ri, wv) {
			continue
		}
		a := in.Rules[ri].Action
		if a == "" {
			a = ActionMinimize
		}
		if first < 0 {
			first, action = ri, a
		} else {
			action = Stronger(action, a)
		}
	}
	if first >= 0 {
		name := in.Rules[first].Name
		return Finding{Kind: FindProtectedApp, Rule: name, App: name, Window: w.ID, PID: w.PID,
			Process: ownerName(wv, ""), Title: w.Title, Action: action}, true
	}
	if w.Title != "" && pnr.Contains(w.Title) {
		return Finding{Kind: FindPnrInTitle, Rule: "personnummer", App: ownerName(wv, "unknown"),
			Window: w.ID, PID: w.PID, Process: ownerName(wv, ""), Title: w.Title, Action: in.PnrInTitleAction}, true
	}
	return Finding{}, false
}

func (v *view) ruleMatches(ri int, wv *winView) bool {
	r := &v.rules[ri]
	for i := range r.titles {
		if r.titles[i].match(wv.w.Title, wv.title) {
			return true
		}
	}
	if wv.proc != nil {
		for i := range r.processes {
			if r.processes[i].matchProcess(wv.proc) {
				return true
			}
		}
	}
	for i := range r.classes {
		if r.classes[i].match(wv.w.Class, wv.cls) {
			return true
		}
	}
	return false
}

func ownerName(wv *winView, fallback string) string {
	if wv.proc != nil && wv.proc.name != "" {
		return wv.proc.name
	}
	return fallback
}

// unapproved gives one finding per (app, pid) for meeting apps that are
// not approved. The finding is about the tool, not a window: Window and
// Title stay empty so its key does not change when the app's windows do,
// and so no policy ever minimizes a meeting app's window for it.
func unapproved(meetings []Share, in Input) []Finding {
	var out []Finding
	for _, m := range meetings {
		if m.Kind == KindRecording || m.Kind == KindRemote {
			continue // a capture, not a meeting tool
		}
		if slices.ContainsFunc(in.Approved, func(a string) bool { return strings.EqualFold(strings.TrimSpace(a), m.App) }) {
			continue
		}
		if slices.ContainsFunc(out, func(f Finding) bool { return f.PID == m.PID && strings.EqualFold(f.App, m.App) }) {
			continue
		}
		out = append(out, Finding{Kind: FindUnapproved, Rule: "unapproved:" + m.App, App: m.App, PID: m.PID, Action: in.UnapprovedAction})
	}
	return out
}

// recorders appends a recorder_running finding per running recorder
// (signature, pid) while a protected window is open, shown or minimized:
// a recording started now would catch it as soon as it is brought up. The
// rules are matched only when a recorder runs, so an idle look pays
// nothing for this. The finding names the recorder, never a window.
func (v *view) recorders(sigs []Signature, hits []hit, in Input, findings []Finding) []Finding {
	recs := v.collapse(sigs, hits, wantRecorders)
	if len(recs) == 0 || !v.protectedOpen() {
		return findings
	}
	for _, r := range recs {
		f := Finding{Kind: FindRecorder, Rule: RecorderRule, App: r.App, PID: r.PID, Action: ActionWarn}
		if p := v.proc(r.PID); p != nil {
			f.Process = p.name
		}
		findings = append(findings, f)
	}
	return findings
}

// protectedOpen reports whether a window of a protected rule is open.
func (v *view) protectedOpen() bool {
	for wi := range v.wins {
		wv := &v.wins[wi]
		if !wv.w.Visible && !wv.w.Minimized {
			continue
		}
		for ri := range v.rules {
			if v.ruleMatches(ri, wv) {
				return true
			}
		}
	}
	return false
}
