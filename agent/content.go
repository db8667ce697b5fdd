package agent

import (
	"context"
	"image"
	"log/slog"
	"time"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
)

// Sampler reads the shared picture and reports what it finds, without
// text (agent/sample provides one). It is used from one goroutine.
type Sampler interface {
	Sample(ctx context.Context, screen image.Rectangle) ([]content.Hit, error)
	Next() time.Duration // how long to wait before the next frame
	Changed()            // the desktop changed: read the next frames promptly
	// Focus names the topmost shown windows, top first: they are read
	// first when much of the screen is to be read (a share's first frame).
	Focus(windows []image.Rectangle)
	Reset() // forget hashes and hits: the share ended
	Close() error
}

// releaser is a Sampler that keeps what is slow to load (the OCR engine's
// models) after Reset, until Release.
type releaser interface{ Release() }

// waker is a Sampler that can say when something was drawn that the
// next frame should see now rather than at its tick (see sample.Wake).
type waker interface{ Wake() <-chan struct{} }

// keepEngine is how long after a share the sampler keeps its engine: the
// next share of the same meeting, often a minute later, then starts
// reading at once instead of loading the models first (0.3 s on a quiet
// machine, 1-1.5 s beside a meeting app that starts to share). It is
// memory only (~35 MB); no CPU is spent while idle.
const keepEngine = 10 * time.Minute

// sampleLoop samples while a whole-screen share runs and hands the hits to
// the guard loop, which owns the desktop and the session. Between shares it
// sleeps on a channel: idle costs nothing.
func (a *Agent) sampleLoop(ctx context.Context) {
	active := false
	var release <-chan time.Time // the engine goes when it fires
	var drawn <-chan struct{}    // nil: frames come at their ticks
	if w, ok := a.sampler.(waker); ok {
		drawn = w.Wake()
	}
	var last time.Time // when the last frame was grabbed
	for {
		st := a.Status()
		cfg, _ := a.current()
		if !cfg.Content.Enabled || st.Paused || !content.ShouldSample(st.Shares) {
			if active {
				a.sampler.Reset() // drop frame hashes and hits between shares
				active = false
				release = time.After(a.keepEngine)
			}
			select {
			case <-ctx.Done():
				return
			case <-a.shareWake:
			case <-release:
				release = nil
				if r, ok := a.sampler.(releaser); ok {
					r.Release()
				}
			}
			continue
		}
		if !active {
			active, release = true, nil
			select {
			case <-a.sampleNow: // a change from before the share
			default:
			}
		} else if d := a.sampler.Next(); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			case <-a.sampleNow:
				t.Stop()
				a.sampler.Changed()
				// The window is mapped now and painted a moment later:
				// reading the unpainted picture costs a whole read.
				select {
				case <-ctx.Done():
					return
				case <-time.After(paintDelay):
				}
			case <-drawn:
				t.Stop()
				// A paint comes in several requests; and frames woken
				// by drawing come no closer than drawnGap.
				select {
				case <-ctx.Done():
					return
				case <-time.After(max(drawnDelay, drawnGap-time.Since(last))):
				}
			}
		}
		t0 := time.Now()
		last = t0
		if f := a.focus.Load(); f != nil {
			a.sampler.Focus(*f)
		}
		hits, err := a.sampler.Sample(ctx, image.Rectangle{})
		if a.log.Enabled(ctx, slog.LevelDebug) {
			a.log.Debug("sampled", "took", time.Since(t0), "hits", len(hits), "frame", a.sampler) // never text
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			a.log.Warn("sampling the shared picture failed", "err", err) // never carries text
			continue
		}
		select {
		case a.hits <- hits:
		default: // the loop is busy; the next frame repeats the hits
		}
	}
}

// desktopChanged tells sampleLoop, during a share, that a window was
// created, changed or activated: what it shows is read at once, and the
// next frames come quickly while it is painted.
func (a *Agent) desktopChanged(kinds eventKinds) {
	if a.session == nil || a.sampler == nil || kinds&(1<<platform.WindowCreated|1<<platform.WindowChanged|1<<platform.ActiveChanged) == 0 {
		return
	}
	select {
	case a.sampleNow <- struct{}{}:
	default:
	}
}

// paintDelay is how long after a window change the frame is grabbed.
const paintDelay = 50 * time.Millisecond

// drawnDelay is how long after something was drawn the frame is grabbed,
// and drawnGap the least time between frames woken so: continuous drawing
// (typing, a spinner) costs at most a frame per drawnGap, and the sampler
// wakes only within its CPU budget or a burst (see sample.Wake).
const (
	drawnDelay = 20 * time.Millisecond
	drawnGap   = 100 * time.Millisecond
)

// focusMax is how many of the topmost windows are read first.
const focusMax = 4

// setFocus hands sampleLoop the topmost shown windows of a snapshot in
// which shares run, top first, before the share's first frame is read.
// The sharing apps' own windows (the meeting itself) are left out: they
// come last like the rest of the screen.
func (a *Agent) setFocus(snap *platform.Snapshot, shares []detectors.Share) {
	if a.sampler == nil || len(shares) == 0 {
		return
	}
	sharing := func(pid int) bool {
		for _, s := range shares {
			if s.PID != 0 && s.PID == pid {
				return true
			}
		}
		return false
	}
	var top []image.Rectangle
	for i := len(snap.Windows) - 1; i >= 0 && len(top) < focusMax; i-- {
		w := snap.Windows[i]
		if w.Shown() && w.Bounds.W > 0 && w.Bounds.H > 0 && (w.Type == platform.TypeNormal || w.Type == platform.TypeDialog) && !sharing(w.PID) {
			b := w.Bounds
			top = append(top, image.Rect(b.X, b.Y, b.X+b.W, b.Y+b.H))
		}
	}
	a.focus.Store(&top)
}

// wakeSampler tells sampleLoop that the share state changed.
func (a *Agent) wakeSampler() {
	select {
	case a.shareWake <- struct{}{}:
	default:
	}
}

// evaluateContent maps hits to the windows under them and acts like any
// other finding: once per window per share, again if the window returns.
func (a *Agent) evaluateContent(ctx context.Context, hits []content.Hit, trigger time.Time) {
	a.pass(ctx, "content evaluation", func() { a.lookAtHits(ctx, hits, trigger) })
}

func (a *Agent) lookAtHits(ctx context.Context, hits []content.Hit, trigger time.Time) {
	cfg, pol := a.current()
	if a.session == nil || !a.guarding(pol) || len(hits) == 0 {
		return
	}
	snap, err := a.snapshot(ctx)
	if err != nil {
		return // evaluate reports snapshot failures
	}
	for _, f := range content.Locate(hits, &snap, cfg.ContentConfig()) {
		a.act(ctx, Planned{Finding: f, Do: pol.decide(f)}, trigger, &snap)
	}
}
