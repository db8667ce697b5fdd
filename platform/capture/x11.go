//go:build linux

package capture

import (
	"encoding/binary"
	"fmt"
	"image"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// x11 grabs on one connection, redialled after an error: through shared
// memory (MIT-SHM) when the server offers it, else with core GetImage.
type x11 struct {
	mu      sync.Mutex
	display string
	x       *xgb.Conn
	root    xproto.Window
	bounds  image.Rectangle
	shm     *shmBuf // nil: core GetImage
	noShm   bool    // tests: never use MIT-SHM
	watch   watch   // see Watch
}

// Open connects to display ("" for $DISPLAY) and checks that the root
// window's pixels are 32-bit little-endian, the only layout converted.
func Open(display string) (Grabber, error) {
	g := &x11{display: display}
	if err := g.dial(); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *x11) dial() error {
	x, err := xgb.NewConnDisplay(g.display)
	if err != nil {
		return fmt.Errorf("capture: open display %q: %w", g.display, err)
	}
	setup := xproto.Setup(x)
	scr := setup.DefaultScreen(x)
	if setup.ImageByteOrder != xproto.ImageOrderLSBFirst {
		x.Close()
		return fmt.Errorf("capture: display byte order is MSB first: %w", ErrUnsupported)
	}
	ok := false
	for _, f := range setup.PixmapFormats {
		if f.Depth == scr.RootDepth && f.BitsPerPixel == 32 {
			ok = true
		}
	}
	if !ok || scr.RootDepth < 24 {
		x.Close()
		return fmt.Errorf("capture: root depth %d is not 24/32-bit: %w", scr.RootDepth, ErrUnsupported)
	}
	g.x, g.root = x, scr.Root
	g.bounds = image.Rect(0, 0, int(scr.WidthInPixels), int(scr.HeightInPixels))
	if !g.noShm {
		g.shm, _ = newShm(x, g.bounds.Dx()*g.bounds.Dy()*4) // nil: GetImage it is
	}
	return nil
}

// closeX drops the connection and its shared segment.
func (g *x11) closeX() {
	if g.shm != nil {
		g.shm.close(g.x)
		g.shm = nil
	}
	if g.x != nil {
		g.x.Close()
		g.x = nil
	}
}

func (g *x11) Bounds() image.Rectangle {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.bounds
}

// Grab reads r in horizontal bands so no single reply exceeds a few MB.
func (g *x11) Grab(r image.Rectangle, dst *image.RGBA) (*image.RGBA, error) {
	if r == g.Bounds() {
		g.watch.repaired()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.x == nil {
		if err := g.dial(); err != nil {
			return dst, err
		}
	}
	r = r.Intersect(g.bounds)
	if r.Empty() {
		return dst, fmt.Errorf("capture: region %v is off screen %v", r, g.bounds)
	}
	w, h := r.Dx(), r.Dy()
	if dst == nil || cap(dst.Pix) < w*h*4 {
		dst = image.NewRGBA(r)
	} else {
		dst.Pix, dst.Stride, dst.Rect = dst.Pix[:w*h*4], w*4, r
	}
	if g.shm != nil {
		data, err := g.shm.get(g.x, g.root, r.Min.X, r.Min.Y, w, h)
		if err != nil {
			g.closeX() // dial again next time
			return dst, err
		}
		toRGBA(dst.Pix, data)
		return dst, nil
	}
	band := max(1, (4<<20)/(w*4))
	for y := 0; y < h; y += band {
		bh := min(band, h-y)
		reply, err := xproto.GetImage(g.x, xproto.ImageFormatZPixmap, xproto.Drawable(g.root),
			int16(r.Min.X), int16(r.Min.Y+y), uint16(w), uint16(bh), 0xffffffff).Reply()
		if err != nil {
			g.closeX() // dial again next time
			return dst, fmt.Errorf("capture: GetImage: %w", err)
		}
		data := reply.Data
		if len(data) < w*bh*4 {
			return dst, fmt.Errorf("capture: short image reply (%d bytes for %dx%d)", len(data), w, bh)
		}
		out := dst.Pix[y*w*4 : (y+bh)*w*4]
		toRGBA(out, data)
	}
	return dst, nil
}

// toRGBA converts BGRx pixels to RGBA, two pixels a word, and wipes
// what it read, in the same pass: converting and wiping each whole frame
// is most of a still share's CPU.
func toRGBA(out, data []byte) {
	n := min(len(out), len(data)) &^ 7
	for i := 0; i < n; i += 8 {
		v := binary.LittleEndian.Uint64(data[i:])
		binary.LittleEndian.PutUint64(data[i:], 0)
		v = v&0x0000ff000000ff00 | v&0x000000ff000000ff<<16 | v>>16&0x000000ff000000ff | 0xff000000ff000000
		binary.LittleEndian.PutUint64(out[i:], v)
	}
	for i := n; i+4 <= len(out); i += 4 {
		v := binary.LittleEndian.Uint32(data[i:])
		v = v&0x0000ff00 | v&0xff<<16 | v>>16&0xff | 0xff000000
		binary.LittleEndian.PutUint32(out[i:], v)
	}
	clear(data[n:])
}

func (g *x11) Close() error {
	g.watch.close()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closeX()
	return nil
}
