//go:build linux

package x11

import (
	"sync"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// propCache keeps the properties of watched clients (title, class, pid,
// type, state) between snapshots, so an idle desktop costs three requests
// per window instead of ten. An entry is dropped by the event goroutine
// when a PropertyNotify says one of them changed.
//
// Only windows whose PropertyChange selection was sent before the reads
// are cached (the server then reports every later change to us). The
// generation counter closes the race between a snapshot storing what it
// read and the event goroutine dropping it: a snapshot stores only if no
// change was seen since it sent its requests.
type propCache struct {
	mu      sync.Mutex
	watched map[xproto.Window]bool
	gen     map[xproto.Window]uint64
	props   map[xproto.Window]platform.Window
}

func newPropCache() *propCache {
	return &propCache{
		watched: map[xproto.Window]bool{},
		gen:     map[xproto.Window]uint64{},
		props:   map[xproto.Window]platform.Window{},
	}
}

// lookup returns the cached properties, or whether (and at which
// generation) what is about to be read may be stored.
func (pc *propCache) lookup(w xproto.Window) (p platform.Window, hit, cacheable bool, gen uint64) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if !pc.watched[w] {
		return p, false, false, 0
	}
	p, hit = pc.props[w]
	return p, hit, true, pc.gen[w]
}

func (pc *propCache) store(w xproto.Window, gen uint64, p platform.Window) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.watched[w] && pc.gen[w] == gen {
		pc.props[w] = p
	}
}

func (pc *propCache) markWatched(w xproto.Window) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.watched[w] = true
}

func (pc *propCache) invalidate(w xproto.Window) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.gen[w]++
	delete(pc.props, w)
}

func (pc *propCache) forget(w xproto.Window) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	delete(pc.watched, w)
	delete(pc.props, w)
	pc.gen[w]++ // keep counting: a snapshot in flight must not store
}
