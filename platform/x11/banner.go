//go:build linux

package x11

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform"
)

// BannerClass is the WM_CLASS of the banner window, so tests and users can
// tell it apart.
const BannerClass = "shareguard-banner"

// Banner colours and layout: light text on dark grey, in the bottom right
// corner of the primary screen.
const (
	bannerBG      = 0x303030
	bannerFG      = 0xffffff
	bannerPad     = 10
	bannerMargin  = 16
	bannerMaxRune = 120
)

// banner is the one banner window shown at a time.
type banner struct {
	mu    sync.Mutex
	id    xproto.Window
	timer *time.Timer
}

// Banner shows text for d in a small override-redirect window of our own.
// The text is drawn into the window's background pixmap, so the server
// repaints it by itself and no Expose handling is needed. A newer banner
// replaces the one shown. The core font "fixed" exists on every X server
// (Xvfb will not start without it); it is Latin-1, which covers Swedish.
func (d *Desktop) Banner(ctx context.Context, text string, dur time.Duration) error {
	c, err := d.current()
	if err != nil {
		return fmt.Errorf("x11: banner: %w", err)
	}
	id, err := c.banner(toLatin1(text))
	if err != nil {
		return fmt.Errorf("x11: banner: %w", err)
	}
	d.ban.mu.Lock()
	defer d.ban.mu.Unlock()
	if d.ban.id != 0 {
		d.ban.timer.Stop()
		c.removeOwn(d.ban.id)
	}
	d.ban.id = id
	d.ban.timer = time.AfterFunc(dur, func() {
		d.ban.mu.Lock()
		defer d.ban.mu.Unlock()
		if d.ban.id == id {
			d.ban.id = 0
			c.removeOwn(id)
		}
	})
	return nil
}

func (c *conn) banner(text []byte) (xproto.Window, error) {
	font, err := xproto.NewFontId(c.x)
	if err != nil {
		return 0, err
	}
	if err := xproto.OpenFontChecked(c.x, font, uint16(len("fixed")), "fixed").Check(); err != nil {
		return 0, fmt.Errorf("open font fixed: %w", err)
	}
	defer xproto.CloseFont(c.x, font)
	ext, err := xproto.QueryTextExtents(c.x, xproto.Fontable(font), chars2b(text), uint16(len(text))).Reply()
	if err != nil {
		return 0, fmt.Errorf("text extents: %w", err)
	}
	w := int(ext.OverallWidth) + 2*bannerPad
	h := int(ext.FontAscent+ext.FontDescent) + 2*bannerPad
	scr := c.primary()
	x := scr.X + scr.W - w - bannerMargin
	y := scr.Y + scr.H - h - bannerMargin

	setup := xproto.Setup(c.x).DefaultScreen(c.x)
	pix, err := xproto.NewPixmapId(c.x)
	if err != nil {
		return 0, err
	}
	xproto.CreatePixmap(c.x, setup.RootDepth, pix, xproto.Drawable(c.root), uint16(w), uint16(h))
	defer xproto.FreePixmap(c.x, pix)
	gc, err := xproto.NewGcontextId(c.x)
	if err != nil {
		return 0, err
	}
	xproto.CreateGC(c.x, gc, xproto.Drawable(pix), xproto.GcForeground|xproto.GcBackground|xproto.GcFont,
		[]uint32{bannerBG, bannerBG, uint32(font)})
	defer xproto.FreeGC(c.x, gc)
	xproto.PolyFillRectangle(c.x, xproto.Drawable(pix), gc, []xproto.Rectangle{{Width: uint16(w), Height: uint16(h)}})
	xproto.ChangeGC(c.x, gc, xproto.GcForeground, []uint32{bannerFG})
	xproto.ImageText8(c.x, byte(len(text)), xproto.Drawable(pix), gc, bannerPad, int16(bannerPad+int(ext.FontAscent)), string(text))

	id, err := xproto.NewWindowId(c.x)
	if err != nil {
		return 0, err
	}
	c.m.addOwn(id)
	xproto.CreateWindow(c.x, 0, id, c.root, int16(x), int16(y), uint16(w), uint16(h), 0,
		xproto.WindowClassInputOutput, 0, xproto.CwBackPixmap|xproto.CwOverrideRedirect, []uint32{uint32(pix), 1})
	class := BannerClass + "\x00" + BannerClass + "\x00"
	xproto.ChangeProperty(c.x, xproto.PropModeReplace, id, xproto.AtomWmClass, xproto.AtomString, 8, uint32(len(class)), []byte(class))
	xproto.MapWindow(c.x, id)
	return id, nil
}

// removeOwn destroys a window of our own; the model forgets it on the
// DestroyNotify.
func (c *conn) removeOwn(id xproto.Window) { xproto.DestroyWindow(c.x, id) }

// primary is the primary screen's rectangle (the root's when unknown).
func (c *conn) primary() platform.Rect {
	if r, ok := c.m.primary(); ok {
		return r
	}
	return c.rootRect
}

// toLatin1 encodes s for a core font, shortened to bannerMaxRune: dashes
// become '-', anything else outside Latin-1 '?'.
func toLatin1(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if len(out) == bannerMaxRune {
			break
		}
		switch {
		case r == '—' || r == '–':
			out = append(out, '-')
		case r < 0x20:
			out = append(out, ' ')
		case r <= 0xff:
			out = append(out, byte(r))
		default:
			out = append(out, '?')
		}
	}
	return out
}

func chars2b(text []byte) []xproto.Char2b {
	out := make([]xproto.Char2b, len(text))
	for i, b := range text {
		out[i] = xproto.Char2b{Byte2: b}
	}
	return out
}
