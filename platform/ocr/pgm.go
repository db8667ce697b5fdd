package ocr

import (
	"image"
	"strconv"
)

// encodePGM writes img as a binary PGM (P5) into buf, enlarged scale
// times and inverted when the picture is mostly dark (dark themes), since
// Tesseract reads dark text on a light ground best. PGM is the cheapest
// format Leptonica reads from memory: a header and the raw bytes.
func encodePGM(buf []byte, img *image.Gray, scale int) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	invert := mean(img) < 128
	buf = append(buf[:0], "P5\n"...)
	buf = strconv.AppendInt(buf, int64(w*scale), 10)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(h*scale), 10)
	buf = append(buf, "\n255\n"...)
	var x byte
	if invert {
		x = 0xff
	}
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+w]
		start := len(buf)
		for _, p := range row {
			p ^= x
			for k := 0; k < scale; k++ {
				buf = append(buf, p)
			}
		}
		line := buf[start:]
		for k := 1; k < scale; k++ {
			buf = append(buf, line...)
		}
	}
	return buf
}

func mean(img *image.Gray) int {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w == 0 || h == 0 {
		return 255
	}
	sum := 0
	for y := 0; y < h; y++ {
		for _, p := range img.Pix[y*img.Stride : y*img.Stride+w] {
			sum += int(p)
		}
	}
	return sum / (w * h)
}

// Gray converts the part r of an RGBA picture to gray (BT.601 weights in
// integer arithmetic), reusing dst when it is large enough.
func Gray(dst *image.Gray, src *image.RGBA, r image.Rectangle) *image.Gray {
	r = r.Intersect(src.Rect)
	w, h := r.Dx(), r.Dy()
	if dst == nil || cap(dst.Pix) < w*h {
		dst = image.NewGray(r)
	} else {
		dst.Pix, dst.Stride, dst.Rect = dst.Pix[:w*h], w, r
	}
	for y := 0; y < h; y++ {
		s := src.Pix[(r.Min.Y-src.Rect.Min.Y+y)*src.Stride+(r.Min.X-src.Rect.Min.X)*4:]
		d := dst.Pix[y*w : y*w+w]
		for x := range d {
			p := s[x*4 : x*4+3 : x*4+3]
			d[x] = uint8((299*uint32(p[0]) + 587*uint32(p[1]) + 114*uint32(p[2]) + 500) / 1000)
		}
	}
	return dst
}
