// Package sample reads the shared picture while a whole-screen share runs:
// it grabs frames (platform/capture), recognises only what changed or
// scrolled (the tile pipeline, with platform/ocr's engine), judges the
// text (detectors/content) and keeps its CPU within a budget. A Sampler is
// the agent's Sampler. Pixels and text stay in memory and are dropped
// after each frame; between frames only row hashes, hits and line hashes
// (see Pipeline) are kept.
package sample

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"log/slog"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/capture"
	"github.com/shareguard/shareguard/platform/ocr"
)

// DefaultCPUBudget is the share of one core the sampler aims to stay
// under on average. Time spent is a debt that drains at the budget rate;
// a debt up to BurstWindow worth of budget is allowed (the first,
// full-frame sample of a share), beyond it sampling waits.
const DefaultCPUBudget = 0.10

// BurstWindow sets the allowed burst: budget x BurstWindow of CPU time.
const BurstWindow = 20 * time.Second

// DefaultMaxOCRPixels bounds the area read per frame: an eighth of a
// 1080p screen, a few hundred ms of Tesseract. The first frame of a share
// and large changes are read over several frames, one right after the
// other, so a window raised meanwhile waits at most one such frame.
const DefaultMaxOCRPixels = 250_000

// Sampler grabs the screen on a kept-open connection and runs the tile
// pipeline on it. The agent calls Sample while a whole-screen (or
// unknown-kind) share runs, waits Next() between calls, and calls Reset
// when the share ends. Not safe for concurrent use.
type Sampler struct {
	cfg    content.Config
	grab   capture.Grabber
	eng    ocr.Engine
	pipe   *Pipeline
	frame  *image.RGBA
	again  *image.RGBA // a region grabbed again (recheck)
	budget float64
	debt   time.Duration // CPU-ish time spent beyond the budget rate
	last   time.Time     // end of the last Sample
	// reading is true until the first whole picture of a share has been
	// read: that one-off read is not throttled and not counted, since a
	// journal already open when the share starts is the case that
	// matters most.
	reading    bool
	readPixels int // pixels read during the first read so far
	// burstUntil: the desktop changed (a window mapped, raised, restored)
	// and the next frames come quickly until then.
	burstUntil time.Time
	// due: until then the budget is spent, and frames only grab, compare
	// and read small just-changed regions (light frames).
	due time.Time
	now func() time.Time
	cpu func() (time.Duration, bool) // process CPU time, if known
	// work reads at a low priority (the meeting app goes first); urgent
	// at the guard's own, for the first read of a share and bursts.
	work, urgent *ocr.Worker
	// pair is a second engine that side, a thread at the guard's own
	// priority, runs beside urgent, so urgent reads use two cores (see
	// Pipeline.Pair); nil on a single core.
	pair ocr.Engine
	side *ocr.Worker
	// drawing wakes the caller before the next tick when something is
	// drawn during a share (nil where the platform cannot say).
	drawing *drawing
}

// BurstFor is how long after a desktop change frames come every
// BurstStep: a window's content is painted some time after it is mapped,
// and a number must be read in the first frames that show it.
const (
	BurstFor  = time.Second
	BurstStep = 100 * time.Millisecond
)

// MaxWait bounds how long the CPU budget makes the next frame wait: a
// line typed into a shared window waits at most this long to be read,
// however much earlier reads cost. The debt is capped to match, so a busy
// minute is not paid for with minutes of slow frames.
const MaxWait = 2 * time.Second

// Options are the settings that content.Config does not carry.
type Options struct {
	Display   string      // X display, "" for $DISPLAY
	OCR       ocr.Options // engine options
	CPUBudget float64     // 0 for DefaultCPUBudget; 1 turns the throttle off
	// MaxOCRPixels: 0 for DefaultMaxOCRPixels, negative for no bound.
	MaxOCRPixels int
}

// New opens the OCR engine and the capture connection. It returns an
// error wrapping ocr.ErrUnavailable when this build or machine has no OCR,
// or capture.ErrUnsupported when the platform cannot grab the screen;
// the agent then reports content scanning as unavailable and goes on.
func New(cfg content.Config, o Options) (*Sampler, error) {
	scan, err := content.NewScanner(cfg)
	if err != nil {
		return nil, err
	}
	// Open once now, so a missing engine or language is reported at
	// start, then only while a share is read (see ocr.Lazy).
	eng, err := ocr.Open(o.OCR)
	if err != nil {
		return nil, err
	}
	eng.Close()
	g, err := capture.Open(o.Display)
	if err != nil {
		return nil, err
	}
	open := func() (ocr.Engine, error) { return ocr.Open(o.OCR) }
	s := newSampler(cfg, scan, g, ocr.NewLazy(open), o.CPUBudget)
	if runtime.NumCPU() > 1 {
		s.SetPair(ocr.NewLazy(open))
	}
	switch {
	case o.MaxOCRPixels == 0:
		s.pipe.MaxOCRPixels = DefaultMaxOCRPixels
	case o.MaxOCRPixels > 0:
		s.pipe.MaxOCRPixels = o.MaxOCRPixels
	}
	return s, nil
}

// NewWith builds a sampler from parts (tests, other platforms).
func NewWith(cfg content.Config, g capture.Grabber, eng ocr.Engine, budget float64) (*Sampler, error) {
	scan, err := content.NewScanner(cfg)
	if err != nil {
		return nil, err
	}
	return newSampler(cfg, scan, g, eng, budget), nil
}

func newSampler(cfg content.Config, scan *content.Scanner, g capture.Grabber, eng ocr.Engine, budget float64) *Sampler {
	if budget <= 0 || budget > 1 {
		budget = DefaultCPUBudget
	}
	p := NewPipeline(eng, scan)
	p.StopAtHit = true
	s := &Sampler{cfg: cfg, grab: g, eng: eng, pipe: p, budget: budget, now: time.Now, cpu: processCPU, reading: true, work: ocr.NewWorker(), urgent: ocr.NewUrgentWorker()}
	p.Recheck = s.recheck
	if w, ok := g.(capture.Watcher); ok {
		s.drawing = newDrawing(w, func() time.Time { return s.now() })
	}
	return s
}

// SetPair gives the sampler a second engine, which reads lines beside
// the first in urgent reads (the first read of a share, what just
// appeared); the sampler closes it.
func (s *Sampler) SetPair(e ocr.Engine) {
	s.pair = e
	if s.side == nil {
		s.side = ocr.NewUrgentWorker()
	}
}

// pairRead recognises img with the second engine on its thread. It runs
// on a goroutine of Pipeline.Read's: a panic in the engine is an error
// here, not the end of the guard.
func (s *Sampler) pairRead(img *image.Gray) (lines []platform.Line, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("second engine: %v", p)
		}
	}()
	s.side.Do(func() { lines, err = s.pair.Recognize(img) })
	return lines, err
}

// recheck grabs r again and reports whether it differs from the frame
// being read; an error counts as settled (the frame is read as it is).
func (s *Sampler) recheck(r image.Rectangle) bool {
	again, err := s.grab.Grab(r, s.again)
	s.again = again
	if err != nil || s.frame == nil {
		return false
	}
	defer clear(again.Pix)
	w := r.Dx() * 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		a := again.Pix[again.PixOffset(r.Min.X, y):][:w]
		b := s.frame.Pix[s.frame.PixOffset(r.Min.X, y):][:w]
		if !bytes.Equal(a, b) {
			return true
		}
	}
	return false
}

// Sample grabs screen (the zero rectangle means the whole screen) and
// returns the hits on it. Hits are in desktop coordinates; pass them to
// content.Locate with a snapshot taken around the same time. The frame
// buffer is cleared before Sample returns.
func (s *Sampler) Sample(ctx context.Context, screen image.Rectangle) ([]content.Hit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	start := s.now()
	cpu0, haveCPU := s.cpu()
	light := false
	defer func() {
		end := s.now()
		spent := end.Sub(start)
		if cpu1, ok := s.cpu(); ok && haveCPU {
			// A loaded machine stretches wall time, not work; two
			// engines at once spend more than it.
			spent = cpu1 - cpu0
		}
		if !s.last.IsZero() {
			s.debt -= time.Duration(s.budget * float64(start.Sub(s.last)))
		}
		s.debt = max(s.debt, 0)
		if !s.reading {
			s.debt += spent
		}
		s.debt = min(s.debt, time.Duration(s.budget*float64(BurstWindow+MaxWait)))
		// The first read ends when nothing is left over, or when twice a
		// whole screen's pixels have been read, so a screen that never
		// stops changing is throttled after all.
		s.readPixels += s.pipe.Last.OCRPixels
		s.reading = s.reading && s.pipe.Last.Deferred > 0 && s.readPixels < 2*screen.Dx()*screen.Dy()
		s.last = end
		if !light {
			s.due = end.Add(s.budgetWait())
		}
		s.drawing.budget(s.due)
	}()
	drawn := s.drawing.take()
	if screen.Empty() {
		screen = s.grab.Bounds()
	}
	// Grab and compare on the caller's thread: a few milliseconds that
	// say how much there is to read, and so where and how much to read.
	urgent := s.reading || s.pipe.Last.Stopped || start.Before(s.burstUntil)
	light = !urgent && start.Before(s.due)
	f, err := s.grab.Grab(screen, s.frame)
	s.frame = f
	if err != nil {
		return nil, fmt.Errorf("content sampling: %w", err)
	}
	defer clear(s.frame.Pix)
	plan := s.pipe.Prepare(f)
	s.drawing.learn(drawn, s.pipe)
	quick := 0
	switch {
	case urgent:
	case light, plan.Fresh > 0 && plan.Fresh <= QuickPixels:
		// What just appeared (a line typed, a popup) is read now, at the
		// guard's own priority, up to QuickPixels, budget or not; what
		// waits from earlier frames is left for a frame of its own, and
		// over budget for when the budget's wait is over.
		urgent, quick = true, QuickPixels
	}
	var hits []content.Hit
	w := s.work
	// Line by line, with the second engine, where a number may be
	// anywhere in much that is new (the first read, a window just shown);
	// what just appeared in a frame (a line typed, a scroll) is small and
	// is read in one call, which costs less engine work.
	byLine := urgent && quick == 0
	s.pipe.Pair, s.pipe.LineByLine = nil, byLine
	if urgent {
		w = s.urgent
	}
	if byLine && s.pair != nil {
		s.pipe.Pair = s.pairRead
	}
	w.Do(func() { hits, err = s.pipe.Read(s.frame, plan, quick) })
	if err != nil {
		return nil, fmt.Errorf("content sampling: %w", err)
	}
	return hits, nil
}

// QuickPixels bounds the just-changed area read at once when nothing else
// would be (a frame over budget) or at the guard's priority when it would
// be read at the low one: one band (FreshBandPixels), a few lines of text
// across a table that moved down, a notification. Changes that go on in
// every frame (video, scrolling on) are read every tenth frame only
// (animatedAfter), which bounds what this costs over budget.
const QuickPixels = FreshBandPixels

// LogValue is what the last Sample did, for the debug log (no text).
func (s *Sampler) LogValue() slog.Value {
	l := s.pipe.Last
	return slog.GroupValue(slog.Int("changed", l.ChangedTiles), slog.Int("fresh", l.Fresh), slog.Int("regions", l.Regions),
		slog.Int("px", l.OCRPixels), slog.Int("deferred", l.Deferred), slog.Bool("stopped", l.Stopped), slog.Bool("unsettled", l.Unsettled), slog.Bool("known", l.Known),
		slog.Int("animated", l.Animated), slog.Int("focus", len(s.pipe.Focus)), slog.Bool("reading", s.reading), slog.Bool("watching", s.drawing.watching()), slog.Int("drawn", s.drawing.reports()))
}

// Last is what the last Sample recognised (tiles, regions, pixels).
func (s *Sampler) Last() Stats { return s.pipe.Last }

// Next is how long to wait before the next Sample: none while the first
// whole read of a share goes on or a frame ended early at a hit (the rest
// of that frame waits); BurstStep for a while after the desktop changed,
// even over budget; otherwise the configured interval. Frames over budget
// (a document scrolled for a long time) are light: see Sample.
func (s *Sampler) Next() time.Duration {
	if s.reading || s.pipe.Last.Stopped {
		return 0
	}
	d := s.cfg.Interval
	if d <= 0 {
		d = time.Second
	}
	// A window just appeared or changed: read it while it is painted,
	// budget or not. A window whose number shows for 20 s because the
	// sampler had spent its budget on earlier ones is a leak.
	if s.now().Before(s.burstUntil) {
		return min(d, BurstStep)
	}
	// Over budget, frames still come at the interval but only grab and
	// compare (a few ms), and read small just-changed regions, until the
	// budget's wait is over (see Sample).
	return d
}

// budgetWait is how long, from now, large reads wait for the spent budget:
// until the debt is back within the burst, at most MaxWait.
func (s *Sampler) budgetWait() time.Duration {
	if s.budget >= 1 {
		return 0
	}
	burst := time.Duration(s.budget * float64(BurstWindow))
	over := s.debt - burst
	if over <= 0 {
		return 0
	}
	return min(max(s.cfg.Interval, time.Duration(float64(over)/s.budget)), MaxWait)
}

// Focus sets the topmost shown windows, top first: a large read (the
// first frame of a share) starts inside them.
func (s *Sampler) Focus(windows []image.Rectangle) { s.pipe.Focus = windows }

// Changed says the desktop just changed (a window mapped, raised or
// restored): the frames of the next BurstFor come every BurstStep.
func (s *Sampler) Changed() {
	s.burstUntil = s.now().Add(BurstFor)
	s.drawing.burst(s.burstUntil)
}

// Reset forgets every tile and hit (call it when the share ends) and
// gives the frame buffers back; the engine stays until Release.
func (s *Sampler) Reset() {
	s.drawing.end()
	s.pipe.Reset()
	s.debt, s.last, s.reading, s.readPixels, s.burstUntil, s.due = 0, time.Time{}, true, 0, time.Time{}, time.Time{}
	if s.frame != nil {
		clear(s.frame.Pix)
	}
	if _, ok := s.eng.(*ocr.Lazy); ok {
		s.frame, s.again, s.pipe.gray = nil, nil, nil
		debug.FreeOSMemory()
	}
}

// Release closes a lazily opened engine until the next share: between
// meetings the guard holds none of its models.
func (s *Sampler) Release() {
	s.pipe.Forget()
	released := false
	for _, e := range []ocr.Engine{s.eng, s.pair} {
		if l, ok := e.(*ocr.Lazy); ok && l.Release() == nil {
			released = true
		}
	}
	if released {
		debug.FreeOSMemory()
	}
}

// Close releases the engine and the display connection.
func (s *Sampler) Close() error {
	s.Reset()
	s.Release()
	s.work.Close()
	s.urgent.Close()
	if s.pair != nil {
		s.side.Close()
		s.pair.Close()
	}
	err1 := s.eng.Close()
	err2 := s.grab.Close()
	if err1 != nil {
		return err1
	}
	return err2
}
