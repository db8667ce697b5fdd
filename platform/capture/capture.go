// Package capture grabs the shared picture for content scanning on one
// kept-open display connection (opening a connection per frame, as
// kbinani/screenshot does, costs 20-28 ms and fails intermittently under
// rapid reconnects). Frames stay in memory; the caller reuses and clears
// the buffer.
package capture

import (
	"errors"
	"image"
)

// ErrUnsupported is returned (wrapped) where no grabber exists yet.
var ErrUnsupported = errors.New("screen capture is not supported on this platform")

// Grabber reads screen pixels.
type Grabber interface {
	// Bounds is the whole screen (all monitors) in desktop coordinates.
	Bounds() image.Rectangle
	// Grab reads r into dst (reallocated when too small) and returns it.
	// dst.Rect is r, so pixel coordinates are desktop coordinates.
	Grab(r image.Rectangle, dst *image.RGBA) (*image.RGBA, error)
	Close() error
}

// Watcher is a Grabber that can also say where the screen is drawn on,
// so a frame is grabbed when something is drawn instead of at the next
// tick.
type Watcher interface {
	// Watch calls drawn with each area drawn on, in desktop coordinates,
	// from a goroutine of its own, until stop is called. Nothing is
	// watched, and nothing costs, while no watch runs.
	Watch(drawn func(image.Rectangle)) (stop func(), err error)
}
