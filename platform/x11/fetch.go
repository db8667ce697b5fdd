//go:build linux

package x11

import (
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/res"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// queue hands the replies to wait for from the event reader to the
// fetcher, in the order the requests were sent. The reader applies what an
// event itself says at once and sends any requests before queueing the
// job, so a reply always describes the state after its event; the fetcher
// waits for replies, so the reader never does.
type queue struct {
	mu     sync.Mutex
	jobs   []func()
	signal chan struct{}
	closed bool
}

func newQueue() *queue { return &queue{signal: make(chan struct{}, 1)} }

func (q *queue) push(j func()) {
	q.mu.Lock()
	q.jobs = append(q.jobs, j)
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// drain does the jobs queued so far on the caller's goroutine; populate
// uses it before the fetcher runs.
func (q *queue) drain() {
	q.mu.Lock()
	jobs := q.jobs
	q.jobs = nil
	q.mu.Unlock()
	for _, j := range jobs {
		j()
	}
}

// run does the jobs until the queue is closed and empty.
func (q *queue) run() {
	for {
		q.mu.Lock()
		jobs, closed := q.jobs, q.closed
		q.jobs = nil
		q.mu.Unlock()
		for i, j := range jobs {
			j()
			jobs[i] = nil
		}
		if len(jobs) > 0 {
			continue
		}
		if closed {
			return
		}
		<-q.signal
	}
}

// propCookies are the property requests for one window, sent before any
// reply is read.
type propCookies struct {
	netName, name, class, pid, wtype, state, icccm xproto.GetPropertyCookie
	icon                                           xproto.GetPropertyCookie
	attrs                                          xproto.GetWindowAttributesCookie
	owner                                          res.QueryClientIdsCookie
	hasOwner                                       bool
}

const maxTitleLongs = 1024 // 4 KiB of title is plenty

func (c *conn) requestProps(w xproto.Window) propCookies {
	a := &c.a
	get := func(prop, typ xproto.Atom, longs uint32) xproto.GetPropertyCookie {
		return xproto.GetProperty(c.x, false, w, prop, typ, 0, longs)
	}
	k := propCookies{
		netName: get(a.netWMName, a.utf8String, maxTitleLongs),
		name:    get(xproto.AtomWmName, xproto.GetPropertyTypeAny, maxTitleLongs),
		class:   get(xproto.AtomWmClass, xproto.AtomString, 256),
		pid:     get(a.netWMPID, xproto.AtomCardinal, 1),
		wtype:   get(a.netWMWindowType, xproto.AtomAtom, 32),
		state:   get(a.netWMState, xproto.AtomAtom, 32),
		icccm:   get(a.wmState, a.wmState, 2),
		icon:    get(a.iconGeometry, xproto.AtomCardinal, 4),
		// The map state too: a window mapped before our selection took
		// effect sent us no MapNotify.
		attrs: xproto.GetWindowAttributes(c.x, w),
	}
	if c.hasRes {
		// Windows without _NET_WM_PID (dunst popups) are owned by a local
		// client X-Resource can name.
		spec := res.ClientIdSpec{Client: uint32(w), Mask: res.ClientIdMaskLocalClientPID}
		k.owner, k.hasOwner = res.QueryClientIds(c.x, 1, []res.ClientIdSpec{spec}), true
	}
	return k
}

// props is what readProps learned about one window.
type props struct {
	w              platform.Window // Title, Class, PID, Type, OnTop
	iconic, hidden bool
	mapped         bool
	seq            uint64        // the window's map sequence when the request was sent
	icon           platform.Rect // _NET_WM_ICON_GEOMETRY: where an iconify animation goes
}

// readProps collects the replies; an error means the window is gone (or the
// connection is).
func (c *conn) readProps(k propCookies) (props, error) {
	var p props
	w := &p.w
	r, err := k.netName.Reply()
	if err != nil {
		drainProps(k)
		return p, err
	}
	if r.ValueLen > 0 {
		w.Title = string(r.Value)
	}
	if r, err := k.name.Reply(); err == nil && w.Title == "" && r.ValueLen > 0 && r.Format == 8 {
		w.Title = c.textOf(r)
	}
	if r, err := k.class.Reply(); err == nil {
		w.Class = classOf(r.Value)
	}
	if r, err := k.pid.Reply(); err == nil {
		if pid, ok := cardinalOf(r); ok {
			w.PID = int(pid)
		}
	}
	w.Type = platform.TypeNormal
	if r, err := k.wtype.Reply(); err == nil {
		for _, t := range atomsOf(r) {
			if wt, ok := c.a.types[t]; ok {
				w.Type = wt
				break
			}
		}
	}
	if r, err := k.state.Reply(); err == nil {
		for _, s := range atomsOf(r) {
			switch s {
			case c.a.stateHidden:
				p.hidden = true
			case c.a.stateAbove:
				w.OnTop = true
			}
		}
	}
	if r, err := k.icccm.Reply(); err == nil {
		if st, ok := cardinalOf(r); ok && st == wmStateIconic {
			p.iconic = true
		}
	}
	if r, err := k.icon.Reply(); err == nil && r.Format == 32 && len(r.Value) >= 16 {
		v := func(i int) int { return int(int32(xgb.Get32(r.Value[4*i:]))) }
		p.icon = platform.Rect{X: v(0), Y: v(1), W: v(2), H: v(3)}
	}
	if r, err := k.attrs.Reply(); err == nil {
		p.mapped = r.MapState != xproto.MapStateUnmapped
	}
	if k.hasOwner {
		if r, err := k.owner.Reply(); err == nil && w.PID == 0 {
			for _, id := range r.Ids {
				if id.Spec.Mask&res.ClientIdMaskLocalClientPID != 0 && len(id.Value) > 0 {
					w.PID = int(id.Value[0])
				}
			}
		}
	}
	return p, nil
}

func drainProps(k propCookies) {
	for _, ck := range []xproto.GetPropertyCookie{k.name, k.class, k.pid, k.wtype, k.state, k.icccm, k.icon} {
		ck.Reply()
	}
	k.attrs.Reply()
	if k.hasOwner {
		k.owner.Reply()
	}
}
