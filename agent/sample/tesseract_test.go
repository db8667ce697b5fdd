//go:build linux && cgo && !noocr

package sample

import (
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform/ocr"
	"github.com/shareguard/shareguard/platform/ocr/ocrtest"
)

func openEngine(t testing.TB) ocr.Engine {
	t.Helper()
	e, err := ocr.Open(ocr.Options{})
	if err != nil {
		t.Fatalf("tesseract (Debian: tesseract-ocr tesseract-ocr-swe libtesseract-dev): %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestRecognizeUISizes reads the journal window at common UI sizes in
// light and dark themes: the number is found, near its keyword, at the
// place it was drawn.
func TestRecognizeUISizes(t *testing.T) {
	e := openEngine(t)
	scan, _ := content.NewScanner(content.Default())
	for _, th := range []ocrtest.Theme{ocrtest.Light, ocrtest.Dark} {
		for _, px := range []float64{11, 12, 13, 14} {
			t.Run(fmt.Sprintf("%s/%vpx", th.Name, px), func(t *testing.T) {
				c := ocrtest.NewCanvas(700, 200, th.Bg)
				if _, err := c.Text(10, 10, px, th.Fg, ocrtest.Journal...); err != nil {
					t.Fatal(err)
				}
				// Where the number is: draw the line again up to it.
				lineTop := 10 + int(px*1.5+0.5)
				lines, err := e.Recognize(ocr.Gray(nil, c.Img, c.Img.Rect))
				if err != nil {
					t.Fatal(err)
				}
				res := scan.Lines(lines)
				var pn []content.Hit
				for _, h := range res.Hits {
					if h.Rule == content.RulePersonnummer {
						pn = append(pn, h)
					}
				}
				if len(pn) != 1 {
					t.Fatalf("hits %v, want one personnummer", res.Hits)
				}
				h := pn[0]
				if h.Confidence != content.High {
					t.Errorf("confidence %v next to \"personnummer\"", h.Confidence)
				}
				if h.Rect.Min.Y < lineTop-4 || h.Rect.Max.Y > lineTop+int(px*1.5)+4 || h.Rect.Min.X < 200 {
					t.Errorf("box %v not on the second line (top %d)", h.Rect, lineTop)
				}
				if strings.ContainsAny(h.Match, "0123456789") {
					t.Errorf("match %q not redacted", h.Match)
				}
			})
		}
	}
}

func TestPipelineTesseract(t *testing.T) {
	if testing.Short() {
		t.Skip("full-frame OCR takes seconds")
	}
	e := openEngine(t)
	scan, _ := content.NewScanner(content.Default())
	p := NewPipeline(e, scan)
	c, win, err := ocrtest.Desktop(ocrtest.Light, 12, ocrtest.Journal)
	if err != nil {
		t.Fatal(err)
	}
	hits, err := p.Process(c.Img)
	if err != nil {
		t.Fatal(err)
	}
	found := func(hs []content.Hit) bool {
		for _, h := range hs {
			if h.Rule == content.RulePersonnummer && h.Rect.In(win) && h.Confidence == content.High {
				return true
			}
		}
		return false
	}
	if !found(hits) {
		t.Fatalf("first frame: %v", hits)
	}
	// The filler window changes one line: only that is recognised and the
	// journal's hit stays.
	c.Fill(image.Rect(60, 60, 800, 80), ocrtest.Light.Bg)
	if _, err := c.Text(60, 60, 12, ocrtest.Light.Fg, "Nytt meddelande från enhetschefen om semesterlistan."); err != nil {
		t.Fatal(err)
	}
	hits, err = p.Process(c.Img)
	if err != nil {
		t.Fatal(err)
	}
	if !found(hits) || p.Last.Regions != 1 || p.Last.OCRPixels > 1920*1080/10 {
		t.Errorf("after a filler change: hits %v, stats %+v", hits, p.Last)
	}
	// The journal window closes: the hit goes.
	c.Fill(win, ocrtest.Light.Bg)
	hits, _ = p.Process(c.Img)
	if found(hits) {
		t.Errorf("hit survived its window: %v", hits)
	}
}

// BenchmarkLineByLine compares reading the content bench's journal table
// (600x420, the first number in the table's first row) line by line, as
// the pipeline does, with one engine call per band as it did before:
//   - first-hit-ms: a fresh pipeline's first frame, which stops at the
//     line that makes the first high hit, against band-ms, the first band
//     of 120 k pixels read whole; first-hit-paired-ms the same with a
//     second engine reading every other line (Pipeline.Pair);
//   - all-lines-ms: the whole table line by line, against whole-ms, the
//     table in one call (the cost of the extra calls).
//
// Run: go test -run '^$' -bench LineByLine -benchtime 5x ./agent/sample/
func BenchmarkLineByLine(b *testing.B) {
	e := openEngine(b)
	scan, _ := content.NewScanner(content.Default())
	c := ocrtest.NewCanvas(600, 420, ocrtest.Light.Bg)
	if err := ocrtest.Table(c, 13, true); err != nil {
		b.Fatal(err)
	}
	band := c.Img.Rect
	band.Max.Y = FreshBandPixels / band.Dx()
	var first, bandT, all, whole, paired time.Duration
	var px int
	e2 := openEngine(b)
	for b.Loop() {
		p := NewPipeline(e, scan)
		p.StopAtHit = true
		p.Pair = e2.Recognize
		t0 := time.Now()
		hits, err := p.Process(c.Img)
		paired += time.Since(t0)
		if err != nil || len(hits) == 0 || hits[0].Confidence != content.High {
			b.Fatalf("first frame, paired: %v %v", hits, err)
		}

		p = NewPipeline(e, scan)
		p.StopAtHit = true
		t0 = time.Now()
		hits, err = p.Process(c.Img)
		first += time.Since(t0)
		if err != nil || len(hits) == 0 || hits[0].Confidence != content.High {
			b.Fatalf("first frame: %v %v", hits, err)
		}
		px += p.Last.OCRPixels

		t0 = time.Now()
		e.Recognize(ocr.Gray(nil, c.Img, band))
		bandT += time.Since(t0)

		p = NewPipeline(e, scan)
		t0 = time.Now()
		p.Process(c.Img)
		all += time.Since(t0)

		t0 = time.Now()
		e.Recognize(ocr.Gray(nil, c.Img, c.Img.Rect))
		whole += time.Since(t0)
	}
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / n }
	b.ReportMetric(ms(first), "first-hit-ms")
	b.ReportMetric(ms(paired), "first-hit-paired-ms")
	b.ReportMetric(float64(px)/n, "first-hit-px")
	b.ReportMetric(ms(bandT), "band-ms")
	b.ReportMetric(ms(all), "all-lines-ms")
	b.ReportMetric(ms(whole), "whole-ms")
}
