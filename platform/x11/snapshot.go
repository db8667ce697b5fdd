//go:build linux

package x11

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jezek/xgb/randr"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/internal/proccache"
	"github.com/shareguard/shareguard/platform/x11/internal/ctext"
)

// Snapshot copies the event-maintained model (managed windows in stacking
// order, bottom first, mapped unmanaged windows and notification popups)
// and adds their processes. It makes no X request at all.
func (d *Desktop) Snapshot(ctx context.Context) (platform.Snapshot, error) {
	c, err := d.current()
	if err != nil {
		return platform.Snapshot{}, err
	}
	if err := ctx.Err(); err != nil {
		return platform.Snapshot{}, fmt.Errorf("x11: snapshot: %w", err)
	}
	snap := c.m.snapshot()
	snap.Time = time.Now()
	snap.Processes = d.watch.Add(d.procs.Lookup(ctx, proccache.PIDsOf(snap.Windows)))
	return snap, nil
}

// errGone marks a window that vanished between listing and reading.
var errGone = errors.New("window gone")

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// classify tells X protocol errors about one window (it is gone) from a
// dead connection.
func classify(err error) error {
	switch err.(type) {
	case xproto.WindowError, xproto.DrawableError, xproto.MatchError:
		return errGone
	}
	return err
}

// classOf returns the class part of WM_CLASS ("instance\0class\0").
func classOf(v []byte) string {
	parts := bytes.Split(bytes.TrimRight(v, "\x00"), []byte{0})
	if len(parts) >= 2 && len(parts[1]) > 0 {
		return string(parts[1])
	}
	if len(parts) == 1 {
		return string(parts[0])
	}
	return ""
}

// textOf decodes a legacy text property (WM_NAME): STRING is Latin-1,
// COMPOUND_TEXT is what Xlib programs such as xterm set.
func (c *conn) textOf(r *xproto.GetPropertyReply) string {
	switch r.Type {
	case c.a.utf8String:
		return string(r.Value)
	case c.a.compoundText:
		return ctext.Decode(r.Value)
	}
	return latin1(r.Value)
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func (c *conn) requestScreens() randr.GetMonitorsCookie {
	var ck randr.GetMonitorsCookie
	if c.hasRandr {
		ck = randr.GetMonitors(c.x, c.root, true)
	}
	return ck
}

func (c *conn) screens(ck randr.GetMonitorsCookie) []platform.Screen {
	if c.hasRandr {
		if r, err := ck.Reply(); err == nil && len(r.Monitors) > 0 {
			out := make([]platform.Screen, len(r.Monitors))
			for i, m := range r.Monitors {
				out[i] = platform.Screen{
					Index:   i,
					Bounds:  platform.Rect{X: int(m.X), Y: int(m.Y), W: int(m.Width), H: int(m.Height)},
					Primary: m.Primary,
				}
			}
			if !slices.ContainsFunc(out, func(s platform.Screen) bool { return s.Primary }) {
				out[0].Primary = true
			}
			return out
		}
	}
	rect := c.rootRect
	if g, err := xproto.GetGeometry(c.x, xproto.Drawable(c.root)).Reply(); err == nil {
		rect = platform.Rect{W: int(g.Width), H: int(g.Height)}
	}
	return []platform.Screen{{Index: 0, Bounds: rect, Primary: true}}
}
