package detectors

import (
	"cmp"
	"slices"

	"github.com/shareguard/shareguard/platform"
)

// Shares returns the screen shares running in the snapshot, one per
// (signature, pid), ordered by signature position and then pid so the
// order does not change when windows are restacked. Nil sigs means the
// built-in table.
func Shares(snap *platform.Snapshot, sigs []Signature) []Share {
	if snap == nil {
		return nil
	}
	if sigs == nil {
		sigs = builtin
	}
	v := newView(snap, sigs, nil)
	return v.collapse(sigs, v.scan(sigs), wantSharing)
}

// collapseWant says which hits collapse keeps.
type collapseWant int

const (
	wantSharing   collapseWant = iota // shares
	wantMeetings                      // shares and meetings (for unapproved tools)
	wantRecorders                     // recorders only
)

// hit is one signature match: a window (win >= 0) or a process (win < 0).
type hit struct {
	sig int
	pid int
	win int // index into view.wins; -1 for a process match
	app string
}

// scan matches the signatures against windows and processes. A window
// counts for the first sharing signature and the first meeting signature
// it matches, so a configured signature cannot double a built-in one.
// Windows that match a sharing signature are marked as indicators.
func (v *view) scan(sigs []Signature) []hit {
	var hits []hit
	for wi := range v.wins {
		wv := &v.wins[wi]
		// An indicator counts while mapped and also while minimized: the
		// capture goes on when the user minimizes the indicator (Firefox
		// even has a button for it, Zoom's toolbar can be hidden), and X11
		// reports an iconified window as unmapped. A window that is neither
		// (withdrawn, hidden, cloaked) is a leftover: apps keep their
		// toolbars around hidden after a share ends.
		if !wv.w.Visible && !wv.w.Minimized {
			continue
		}
		sharing, meeting := false, false
		for si := range sigs {
			if sigs[si].Meeting && meeting || !sigs[si].Meeting && sharing {
				continue
			}
			app, ok := v.matchWindow(sigs, si, wv)
			if !ok {
				continue
			}
			if sigs[si].Meeting {
				meeting = true
			} else {
				sharing, wv.indicator = true, true
			}
			hits = append(hits, hit{sig: si, pid: wv.w.PID, win: wi, app: app})
			if sharing && meeting {
				break
			}
		}
	}
	for si := range sigs {
		if sigs[si].Session != "" && v.snap != nil && sigs[si].Session.holds(v.snap.Session) {
			hits = append(hits, hit{sig: si, win: -1, app: sigs[si].App})
		}
	}
	for pi := range v.procs {
		p := &v.procs[pi]
		for si := range sigs {
			sm := &v.sigs[si]
			if sm.title.g.IsSet() || sm.class.g.IsSet() || !sm.process.matchProcess(p) || !sigs[si].procFacts(p.src) {
				continue
			}
			// Electron and Chromium apps run many processes of one name;
			// the topmost one of the family stands for all of them.
			if parent := v.proc(p.ppid); parent != nil && parent != p && sm.process.matchProcess(parent) && sigs[si].procFacts(parent.src) {
				continue
			}
			app := sigs[si].App
			if app == "" {
				app = sigs[si].Name
			}
			hits = append(hits, hit{sig: si, pid: p.pid, win: -1, app: app})
		}
	}
	return hits
}

// matchWindow checks one window signature against one window and returns
// the app it names.
func (v *view) matchWindow(sigs []Signature, si int, wv *winView) (string, bool) {
	sm := &v.sigs[si]
	if !sm.title.g.IsSet() && !sm.class.g.IsSet() {
		return "", false // process-only
	}
	if !sigs[si].Shape.fits(wv.w) {
		return "", false
	}
	if sm.title.g.IsSet() && !sm.title.match(wv.w.Title, wv.title) {
		return "", false
	}
	if sm.class.g.IsSet() && !sm.class.match(wv.w.Class, wv.cls) {
		return "", false
	}
	if sm.process.g.IsSet() && !sm.process.matchProcess(wv.proc) {
		return "", false
	}
	if (len(sigs[si].Args) > 0 || sigs[si].NeedsClient) && (wv.proc == nil || !sigs[si].procFacts(wv.proc.src)) {
		return "", false
	}
	app := sigs[si].App
	if app != "" {
		return app, true
	}
	if !sm.title.g.IsSet() {
		return sigs[si].Name, true
	}
	origin, ok := indicatorOrigin(wv.w.Title, wv.title, wv.w.OnTop)
	if !ok {
		return "", false
	}
	return AppForOrigin(origin), true
}

// collapse turns hits into one Share per (signature, pid): sharing ones
// only, or meetings too; recorders (which share nothing) only when asked
// for alone. Of several windows it keeps the one on top (the real
// indicator is always on top), then the lowest id.
func (v *view) collapse(sigs []Signature, hits []hit, want collapseWant) []Share {
	sel := make([]hit, 0, len(hits))
	for _, h := range hits {
		sg := &sigs[h.sig]
		switch {
		case want == wantRecorders && sg.Recorder,
			want == wantSharing && !sg.Meeting && !sg.Recorder,
			want == wantMeetings && !sg.Recorder:
			sel = append(sel, h)
		}
	}
	onTop := func(h hit) int {
		if h.win >= 0 && v.wins[h.win].w.OnTop {
			return 0
		}
		return 1
	}
	winID := func(h hit) platform.WindowID {
		if h.win < 0 {
			return 0
		}
		return v.wins[h.win].w.ID
	}
	slices.SortStableFunc(sel, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.sig, b.sig), cmp.Compare(a.pid, b.pid),
			cmp.Compare(onTop(a), onTop(b)), cmp.Compare(winID(a), winID(b)))
	})
	var out []Share
	for i, h := range sel {
		if i > 0 && sel[i-1].sig == h.sig && sel[i-1].pid == h.pid {
			continue
		}
		out = append(out, Share{App: h.app, Kind: sigs[h.sig].Kind, PID: h.pid, Window: winID(h), Signature: sigs[h.sig].Name})
	}
	return out
}

// procFacts checks what a signature asks of a process beyond its name:
// arguments in its command line and a connected client.
func (sg *Signature) procFacts(p *platform.Process) bool {
	if len(sg.Args) == 0 && !sg.NeedsClient {
		return true
	}
	if p == nil || sg.NeedsClient && p.Clients <= 0 {
		return false
	}
	for _, g := range sg.Args {
		if !slices.ContainsFunc(p.Args, g.Match) {
			return false
		}
	}
	return true
}
