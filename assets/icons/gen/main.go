// Command gen draws shareguard's tray icons: a shield with a coloured state
// dot, in PNG (Linux, macOS) and ICO (Windows). Run it from assets/ with
// `go generate`; the output is committed so builds need no drawing.
//
// Legibility on light and dark panels comes from the outline: a dark shield
// with a light rim, and a dot ringed in white and then dark.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

// State colours. The Xvfb test looks for these in the tray, so keep them in
// step with agent/tray's iconColors.
var states = []struct {
	name string
	dot  color.NRGBA
}{
	{"guarding", color.NRGBA{0x2e, 0x9d, 0x3a, 0xff}},  // green
	{"sharing", color.NRGBA{0x1e, 0x66, 0xd0, 0xff}},   // blue
	{"steppedin", color.NRGBA{0xe8, 0x4a, 0x10, 0xff}}, // red-orange
	{"paused", color.NRGBA{0x9a, 0x9a, 0x9a, 0xff}},    // grey
	{"error", color.NRGBA{0xf5, 0xc0, 0x10, 0xff}},     // yellow
}

var (
	body = color.NRGBA{0x33, 0x3d, 0x47, 0xff} // dark slate
	rim  = color.NRGBA{0xf2, 0xf2, 0xf2, 0xff}
)

func main() {
	out := flag.String("out", "icons", "output directory")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, s := range states {
		big := draw(32, s.dot, s.name)
		small := draw(16, s.dot, s.name)
		var pb bytes.Buffer
		if err := png.Encode(&pb, big); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*out, s.name+".png"), pb.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*out, s.name+".ico"), ico(small, big), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// draw renders one icon of size n with 4x4 supersampling.
func draw(n int, dot color.NRGBA, state string) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	const ss = 4
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					// Unit coordinates: the icon spans 0..1.
					u := (float64(x) + (float64(sx)+0.5)/ss) / float64(n)
					v := (float64(y) + (float64(sy)+0.5)/ss) / float64(n)
					c, ok := sample(u, v, dot, state)
					if !ok {
						continue
					}
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
					a++
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(r / a), G: uint8(g / a), B: uint8(b / a),
				A: uint8(255 * a / (ss * ss)),
			})
		}
	}
	return img
}

// sample returns the colour at (u, v) and whether anything is drawn there.
func sample(u, v float64, dot color.NRGBA, state string) (color.NRGBA, bool) {
	// The state dot sits bottom right, over the shield.
	dx, dy := u-0.70, v-0.70
	d := math.Hypot(dx, dy)
	switch {
	case d < 0.20:
		if state == "paused" && math.Abs(dy) < 0.10 && (math.Abs(dx-0.05) < 0.03 || math.Abs(dx+0.05) < 0.03) {
			return rim, true // pause bars
		}
		if state == "error" && math.Abs(dx) < 0.03 && (dy > -0.12 && dy < 0.04 || dy > 0.08 && dy < 0.13) {
			return body, true // exclamation mark
		}
		return dot, true
	case d < 0.25:
		return rim, true
	case d < 0.29:
		return body, true
	}
	// Shield: flat top, straight sides, rounded to a point at the bottom.
	if s := shield(u, v, 0); s {
		if shield(u, v, 0.07) {
			return body, true
		}
		return rim, true
	}
	return color.NRGBA{}, false
}

// shield reports whether (u, v) lies inside the shield shrunk by inset.
func shield(u, v, inset float64) bool {
	const top, mid, bottom, half = 0.04, 0.45, 0.97, 0.40
	x := math.Abs(u - 0.5)
	if v < top+inset || v > bottom-inset {
		return false
	}
	if v <= mid {
		return x <= half-inset
	}
	t := (v - mid) / (bottom - mid) // 0..1 down the lower half
	w := half * math.Sqrt(math.Max(0, 1-t*t))
	return x <= w-inset
}

// ico writes a Windows icon with 32-bit BMP images (not PNG-compressed
// entries, which LoadImage on older Windows cannot read).
func ico(imgs ...*image.NRGBA) []byte {
	var dir, data bytes.Buffer
	binary.Write(&dir, binary.LittleEndian, [3]uint16{0, 1, uint16(len(imgs))})
	offset := 6 + 16*len(imgs)
	for _, img := range imgs {
		n := img.Bounds().Dx()
		bmp := dib(img)
		binary.Write(&dir, binary.LittleEndian, struct {
			W, H, Colors, Reserved uint8
			Planes, Bits           uint16
			Size, Offset           uint32
		}{uint8(n), uint8(n), 0, 0, 1, 32, uint32(len(bmp)), uint32(offset)})
		data.Write(bmp)
		offset += len(bmp)
	}
	dir.Write(data.Bytes())
	return dir.Bytes()
}

// dib is a BITMAPINFOHEADER + bottom-up BGRA pixels + AND mask.
func dib(img *image.NRGBA) []byte {
	n := img.Bounds().Dx()
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, struct {
		Size          uint32
		W, H          int32
		Planes, Bits  uint16
		Compression   uint32
		ImageSize     uint32
		XPels, YPels  int32
		Used, Importn uint32
	}{40, int32(n), int32(2 * n), 1, 32, 0, uint32(4 * n * n), 0, 0, 0, 0})
	for y := n - 1; y >= 0; y-- {
		for x := 0; x < n; x++ {
			c := img.NRGBAAt(x, y)
			b.Write([]byte{c.B, c.G, c.R, c.A})
		}
	}
	stride := ((n + 31) / 32) * 4
	for y := n - 1; y >= 0; y-- {
		row := make([]byte, stride)
		for x := 0; x < n; x++ {
			if img.NRGBAAt(x, y).A == 0 {
				row[x/8] |= 0x80 >> (x % 8)
			}
		}
		b.Write(row)
	}
	return b.Bytes()
}

func init() { log.SetFlags(0); log.SetPrefix("icons/gen: ") }
