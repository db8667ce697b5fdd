package capture

import (
	"fmt"
	"image"
	"sync"
	"sync/atomic"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/damage"
	"github.com/jezek/xgb/xproto"
)

// watch reports drawing through the DAMAGE extension on a connection of
// its own: events are read on it by one goroutine, and the grab
// connection's replies never wait behind them. A damage object on the
// root window reports what is drawn into any window on it, composited
// or not. It reports each area once between grabs of the whole screen
// (delta rectangles, the damage emptied at each such grab): a video drawn
// 30 times a second costs an event or two per frame, not 30 a second,
// each a wake-up of the process.
type watch struct {
	mu    sync.Mutex
	x     *xgb.Conn // nil until the first Watch, and after Close
	root  xproto.Window
	id    damage.Damage // 0: not watching
	drawn atomic.Pointer[func(image.Rectangle)]
}

// Watch implements Watcher. Only one watch runs at a time: a second
// Watch replaces the first's callback.
func (g *x11) Watch(drawn func(image.Rectangle)) (stop func(), err error) {
	w := &g.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.x == nil {
		if err := w.dial(g.display); err != nil {
			return nil, err
		}
	}
	if w.id == 0 {
		id, err := damage.NewDamageId(w.x)
		if err != nil {
			return nil, fmt.Errorf("capture: damage id: %w", err)
		}
		if err := damage.CreateChecked(w.x, id, xproto.Drawable(w.root), damage.ReportLevelDeltaRectangles).Check(); err != nil {
			return nil, fmt.Errorf("capture: create damage: %w", err)
		}
		// A new damage object holds the whole screen, reported once; what
		// is drawn from now on is reported as it comes.
		damage.Subtract(w.x, id, 0, 0)
		w.id = id
	}
	w.drawn.Store(&drawn)
	var once sync.Once
	return func() { once.Do(w.stop) }, nil
}

func (w *watch) dial(display string) error {
	x, err := xgb.NewConnDisplay(display)
	if err != nil {
		return fmt.Errorf("capture: open display %q for damage: %w", display, err)
	}
	if err := damage.Init(x); err != nil {
		x.Close()
		return fmt.Errorf("capture: no DAMAGE extension: %w", err)
	}
	// The server takes requests only from clients that said which
	// version they speak.
	if _, err := damage.QueryVersion(x, 1, 1).Reply(); err != nil {
		x.Close()
		return fmt.Errorf("capture: DAMAGE version: %w", err)
	}
	w.x, w.root = x, xproto.Setup(x).DefaultScreen(x).Root
	go w.read(x)
	return nil
}

// read hands each damage event to the current callback until x closes.
func (w *watch) read(x *xgb.Conn) {
	for {
		ev, err := x.WaitForEvent()
		if ev == nil && err == nil {
			// Closed, or the server went: the next Watch dials again.
			w.mu.Lock()
			if w.x == x {
				w.x, w.id = nil, 0
			}
			w.mu.Unlock()
			return
		}
		e, ok := ev.(damage.NotifyEvent)
		if !ok {
			continue
		}
		if f := w.drawn.Load(); f != nil {
			a := e.Area
			(*f)(image.Rect(int(a.X), int(a.Y), int(a.X)+int(a.Width), int(a.Y)+int(a.Height)))
		}
	}
}

// repaired empties the damage before a grab of the whole screen, so what
// is drawn after it is reported again. It waits for the server, so the
// grab that follows sees all that was emptied.
func (w *watch) repaired() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.x != nil && w.id != 0 {
		damage.SubtractChecked(w.x, w.id, 0, 0).Check() // an error: reported as drawn again, harmless
	}
}

// stop ends the watch: the server stops reporting, and events already
// sent are dropped.
func (w *watch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.drawn.Store(nil)
	if w.x != nil && w.id != 0 {
		damage.Destroy(w.x, w.id)
	}
	w.id = 0
}

func (w *watch) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.drawn.Store(nil)
	if w.x != nil {
		w.x.Close()
	}
	w.x, w.id = nil, 0
}
