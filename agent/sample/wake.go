package sample

import (
	"image"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shareguard/shareguard/platform/capture"
)

// Wake receives when something was drawn during a share that the next
// frame should look at now rather than at its tick: outside video tiles
// and tiles drawn on without changing, within the CPU budget or during a
// burst (see Changed). It is nil
// where the platform cannot say what is drawn.
func (s *Sampler) Wake() <-chan struct{} {
	if s.drawing == nil {
		return nil
	}
	return s.drawing.wake
}

// idleAfter is how many frames in a row a tile is drawn on without
// changing before drawing there wakes no one: a video of a still picture
// (a share's own preview) is drawn 30 times a second with the same
// pixels, and each wake-up costs a grab.
const idleAfter = 2

// drawing turns what the platform reports drawn (capture.Watcher) into
// wake-ups. Its methods are safe on nil (no watcher): they do nothing.
// The watcher's callback, drawn, runs on the watcher's goroutine; the
// rest on Sample's.
type drawing struct {
	watcher capture.Watcher
	stop    func() // nil: no watch runs
	running bool   // the watch started without error
	wake    chan struct{}
	now     func() time.Time
	quiet   atomic.Pointer[quiet] // the still tiles of the last frame
	idle    []uint8               // per tile: frames in a row drawn on without changing
	// due is the end of the CPU budget's wait (Sampler.due), until the
	// end of a burst (Sampler.Changed), in Unix nanoseconds: drawing wakes
	// over budget only in a burst, whose frames come over budget anyway,
	// no closer than the wake-ups would.
	due, until atomic.Int64

	mu    sync.Mutex
	marks []bool // tiles drawn on since the last grab, in quiet's grid
	calls int    // drawn calls since the last grab, for the debug log
	last  int    // calls before the last grab
}

// quiet is where drawing wakes no one: in still tiles (video, or drawn on
// without changing).
type quiet struct {
	bounds image.Rectangle
	cols   int
	still  []bool // per tile, row by row
}

func newDrawing(w capture.Watcher, now func() time.Time) *drawing {
	return &drawing{watcher: w, wake: make(chan struct{}, 1), now: now}
}

// tiles calls f with the index of each tile of q's grid under r.
func (q *quiet) tiles(r image.Rectangle, f func(i int)) {
	r = r.Intersect(q.bounds).Sub(q.bounds.Min)
	if r.Empty() {
		return
	}
	for ty := r.Min.Y / TileSize; ty <= (r.Max.Y-1)/TileSize; ty++ {
		for tx := r.Min.X / TileSize; tx <= (r.Max.X-1)/TileSize; tx++ {
			if i := ty*q.cols + tx; i < len(q.still) {
				f(i)
			}
		}
	}
}

// drawn is the watcher's callback: it marks the tiles drawn on and wakes
// the caller unless they are all still or the budget is spent.
func (d *drawing) drawn(r image.Rectangle) {
	q := d.quiet.Load()
	if q == nil {
		return
	}
	wake := false
	d.mu.Lock()
	d.calls++
	if len(d.marks) != len(q.still) {
		d.marks = make([]bool, len(q.still))
	}
	q.tiles(r, func(i int) {
		d.marks[i] = true
		wake = wake || !q.still[i]
	})
	d.mu.Unlock()
	if now := d.now().UnixNano(); !wake || now < d.due.Load() && now >= d.until.Load() {
		return
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// take starts the watch if none runs (a share's first frame) and returns
// the tiles drawn on since the last call; call it before the grab.
func (d *drawing) take() []bool {
	if d == nil {
		return nil
	}
	if d.stop == nil {
		stop, err := d.watcher.Watch(d.drawn)
		d.running = err == nil
		if err != nil {
			stop = func() {} // frames come at their ticks; next share tries again
		}
		d.stop = stop
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	m := d.marks
	d.marks, d.last, d.calls = nil, d.calls, 0
	return m
}

// learn counts, for the tiles drawn on, the frames in a row they did not
// change in (p has just prepared the frame grabbed after take), and
// hands drawn the grid and its still tiles.
func (d *drawing) learn(marks []bool, p *Pipeline) {
	if d == nil {
		return
	}
	if len(d.idle) != len(p.streak) {
		d.idle = make([]uint8, len(p.streak))
	}
	if len(marks) == len(p.streak) {
		for i, m := range marks {
			switch {
			case p.streak[i] > 0: // changed since the last grab
				d.idle[i] = 0
			case m:
				d.idle[i] = min(d.idle[i]+1, idleAfter)
			}
		}
	}
	q := &quiet{bounds: p.bounds, cols: p.cols, still: make([]bool, len(p.streak))}
	for i, n := range p.streak {
		q.still[i] = n >= animatedAfter || i < len(d.idle) && d.idle[i] >= idleAfter
	}
	d.quiet.Store(q)
}

// budget says until when the CPU budget is spent (Sampler.due).
func (d *drawing) budget(due time.Time) {
	if d == nil {
		return
	}
	if due.IsZero() {
		d.due.Store(0) // UnixNano of the zero time is undefined
		return
	}
	d.due.Store(due.UnixNano())
}

// burst lets drawing wake over budget until the given time.
func (d *drawing) burst(until time.Time) {
	if d != nil {
		d.until.Store(until.UnixNano())
	}
}

// end stops the watch (the share ended) and forgets what it learnt.
func (d *drawing) end() {
	if d == nil {
		return
	}
	if d.stop != nil {
		d.stop()
		d.stop, d.running = nil, false
	}
	d.quiet.Store(nil)
	d.due.Store(0)
	d.until.Store(0)
	d.idle = nil
	d.mu.Lock()
	d.marks = nil
	d.mu.Unlock()
	select {
	case <-d.wake:
	default:
	}
}

// watching reports whether a watch runs for this share.
func (d *drawing) watching() bool { return d != nil && d.running }

// reports is how many areas were reported drawn before the last grab.
func (d *drawing) reports() int {
	if d == nil {
		return 0
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.last
}
