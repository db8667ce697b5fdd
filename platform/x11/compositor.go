//go:build linux

package x11

import (
	"time"

	"github.com/jezek/xgb/composite"
	"github.com/jezek/xgb/xproto"
)

// overlayDelay is how long after a compositing manager took the selection
// we ask for its overlay window. picom takes the selection first and the
// overlay after; asking in between would create the overlay ourselves,
// and our release would destroy it again under the compositor.
const overlayDelay = time.Second

// compositorChanged records who holds the compositing manager selection
// (0: nobody). While a compositor runs, spare covers wait off the screen
// and the guard learns the overlay window the compositor draws the screen
// into, after wait (0 when the compositor was already there).
func (w *watcher) compositorChanged(owner xproto.Window, wait time.Duration) {
	w.m.setCompositor(owner != 0)
	if owner == 0 {
		return
	}
	w.c.addSpares()
	if !w.c.hasComposite {
		return
	}
	ask := func() {
		if !w.m.compositing() {
			return
		}
		// The compositor holds the overlay: asking returns it, and
		// releasing our claim at once leaves it to the compositor.
		ck := composite.GetOverlayWindow(w.c.x, w.c.root)
		composite.ReleaseOverlayWindow(w.c.x, w.c.root)
		w.q.push(func() {
			r, err := ck.Reply()
			if err != nil {
				return
			}
			w.m.setOverlay(r.OverlayWin)
		})
	}
	if wait == 0 {
		ask()
		return
	}
	time.AfterFunc(wait, ask)
}
