//go:build linux && cgo && !noocr

package sample

import (
	"image"
	"strconv"
	"testing"

	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform/ocr/ocrtest"
)

// BenchmarkFrame compares, on one 1920x1080 desktop in the same run:
// full-frame OCR (the baseline: every frame recognised whole), the tile
// pipeline when one window's text changed (one journal line edited), and
// the pipeline on an unchanged frame. Run with -benchtime Nx: a full frame
// takes seconds.
func BenchmarkFrame(b *testing.B) {
	e := openEngine(b)
	scan, _ := content.NewScanner(content.Default())
	c, win, err := ocrtest.Desktop(ocrtest.Light, 12, ocrtest.Journal)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			p := NewPipeline(e, scan)
			if _, err := p.Process(c.Img); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-window-change", func(b *testing.B) {
		p := NewPipeline(e, scan)
		p.Process(c.Img)
		line := image.Rect(win.Min.X+20, win.Min.Y+20+3*18, win.Max.X-20, win.Min.Y+20+4*18)
		texts := []string{"Anhörig nås på telefon. Remiss skickad till kirurgen i dag.", "Anhörig informerad. Remiss skickad till ortopeden i går."}
		var px, regions int
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			c.Fill(line, ocrtest.Light.Bg)
			c.Text(line.Min.X, line.Min.Y, 12, ocrtest.Light.Fg, texts[i%2])
			b.StartTimer()
			if _, err := p.Process(c.Img); err != nil {
				b.Fatal(err)
			}
			px += p.Last.OCRPixels
			regions += p.Last.Regions
		}
		b.ReportMetric(float64(px)/float64(b.N), "ocr-px/op")
		b.ReportMetric(float64(regions)/float64(b.N), "regions/op")
	})
	b.Run("scroll-3-lines", func(b *testing.B) {
		doc := make([]string, 400)
		for i := range doc {
			doc[i] = ocrtest.Filler[i%len(ocrtest.Filler)] + " " + strconv.Itoa(i)
		}
		const px, step = 12, 18 // line step of ocrtest.Canvas.Text at 12 px
		draw := func(first int) {
			c.Fill(win, ocrtest.Light.Bg)
			c.Text(win.Min.X+20, win.Min.Y+20, px, ocrtest.Light.Fg, doc[first:first+(win.Dy()-40)/step]...)
		}
		draw(0)
		p := NewPipeline(e, scan)
		p.Process(c.Img)
		var ocrPx, scrolls, regs int
		for i := 1; b.Loop(); i++ {
			b.StopTimer()
			draw((3 * i) % 300)
			b.StartTimer()
			if _, err := p.Process(c.Img); err != nil {
				b.Fatal(err)
			}
			ocrPx += p.Last.OCRPixels
			scrolls += p.Last.Scrolled
			regs += p.Last.Regions
		}
		b.ReportMetric(float64(ocrPx)/float64(b.N), "ocr-px/op")
		b.ReportMetric(float64(scrolls)/float64(b.N), "scrolls/op")
		b.ReportMetric(float64(regs)/float64(b.N), "regions/op")
		b.ReportMetric(float64(win.Dx()*win.Dy()), "window-px")
	})
	b.Run("unchanged", func(b *testing.B) {
		p := NewPipeline(e, scan)
		p.Process(c.Img)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Process(c.Img); err != nil {
				b.Fatal(err)
			}
		}
	})
}
