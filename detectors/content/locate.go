package content

import (
	"image"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
)

// Locate turns screen hits into findings: each hit belongs to the topmost
// shown window that contains the centre of its rectangle (snapshot windows
// are bottom first). Hits of a confidence whose action is "" are dropped.
// One finding is made per window and rule, at the highest confidence seen.
//
// A hit over no nameable window (the desktop, a panel, a notification
// popup, or nothing) gives a
// finding with Window 0 and at most ActionWarn, because there is nothing
// to minimize.
//
// Finding.Rule is "<rule>/<confidence>", e.g. "personnummer/high", so that
// a number that gains a keyword is a new finding for the session.
func Locate(hits []Hit, snap *platform.Snapshot, cfg Config) []detectors.Finding {
	type key struct {
		win  platform.WindowID
		rule string
	}
	best := map[key]int{} // index into out
	var out []detectors.Finding
	var confs []Confidence
	for _, h := range hits {
		act := cfg.ActionFor(h.Confidence)
		if act == "" {
			continue
		}
		f := detectors.Finding{Kind: detectors.FindScreenContent, Rule: h.Rule + "/" + h.Confidence.String(), Action: act}
		if w, ok := windowAt(snap, center(h.Rect)); ok {
			f.Window, f.PID, f.Title = w.ID, w.PID, w.Title
			if p, ok := snap.Process(w.PID); ok {
				f.App, f.Process = p.Name, p.Name
			}
		} else if f.Action == detectors.ActionMinimize {
			f.Action = detectors.ActionWarn
		}
		k := key{f.Window, h.Rule}
		if i, ok := best[k]; ok {
			if h.Confidence > confs[i] {
				out[i], confs[i] = f, h.Confidence
			}
			continue
		}
		best[k] = len(out)
		out = append(out, f)
		confs = append(confs, h.Confidence)
	}
	return out
}

func center(r image.Rectangle) image.Point {
	return image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
}

// windowAt returns the topmost shown window under p that can be acted on.
func windowAt(snap *platform.Snapshot, p image.Point) (platform.Window, bool) {
	if snap == nil {
		return platform.Window{}, false
	}
	for i := len(snap.Windows) - 1; i >= 0; i-- {
		w := snap.Windows[i]
		if !w.Shown() || w.Bounds.Empty() {
			continue
		}
		b := w.Bounds
		if p.X < b.X || p.X >= b.X+b.W || p.Y < b.Y || p.Y >= b.Y+b.H {
			continue
		}
		switch w.Type {
		case platform.TypeDesktop, platform.TypeDock, platform.TypeNotification:
			// The picture shows it, but there is nothing to minimize
			// (a popup is the popup guard's business); a window below
			// cannot be showing through either.
			return platform.Window{}, false
		}
		return w, true
	}
	return platform.Window{}, false
}

// ShouldSample reports whether the shared picture can show the whole
// desktop: some running share is a whole-screen or unknown-kind share. A
// window or tab share shows only what its app draws, which the window
// rules already cover.
func ShouldSample(shares []detectors.Share) bool {
	for _, s := range shares {
		if s.Kind.WholeScreen() {
			return true
		}
	}
	return false
}
