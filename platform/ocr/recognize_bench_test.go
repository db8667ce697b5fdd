//go:build linux && cgo && !noocr

package ocr

import (
	"image"
	"testing"

	"github.com/shareguard/shareguard/platform/ocr/ocrtest"
)

// BenchmarkRecognize is the engine's cost per call: one 900x20 line of
// 12 px text with swe (the default) and swe+eng, a blank line, and
// dropping the last region from the engine (forget).
func BenchmarkRecognize(b *testing.B) {
	e := openEngine(b).(*tesseract)
	c := ocrtest.NewCanvas(900, 20, ocrtest.Light.Bg)
	if _, err := c.Text(5, 2, 12, ocrtest.Light.Fg, ocrtest.Filler[1]); err != nil {
		b.Fatal(err)
	}
	g := Gray(nil, c.Img, c.Img.Rect)
	b.Run("line-swe", func(b *testing.B) {
		for b.Loop() {
			e.Recognize(g)
		}
	})
	both, err := Open(Options{Languages: []string{"swe", "eng"}})
	if err != nil {
		b.Fatal(err)
	}
	defer both.Close()
	b.Run("line-swe+eng", func(b *testing.B) {
		for b.Loop() {
			both.Recognize(g)
		}
	})
	blank := image.NewGray(image.Rect(0, 0, 900, 20))
	b.Run("blank-line", func(b *testing.B) {
		for b.Loop() {
			e.Recognize(blank)
		}
	})
	b.Run("forget", func(b *testing.B) {
		for b.Loop() {
			e.forget()
		}
	})
}
