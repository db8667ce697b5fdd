//go:build linux && cgo && !noocr

package ocr

import (
	"fmt"
	"image"
	"strings"
	"testing"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/ocr/ocrtest"
)

func openEngine(t testing.TB) Engine {
	t.Helper()
	e, err := Open(Options{})
	if err != nil {
		t.Fatalf("tesseract (Debian: tesseract-ocr tesseract-ocr-swe libtesseract-dev): %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestRecognizeScreenCoordinates reads the journal text in light and dark
// themes, alone and as a region of a larger screen: the words come in
// reading order with boxes in screen coordinates, so the same pixels
// elsewhere on the screen give the same words moved by the offset.
func TestRecognizeScreenCoordinates(t *testing.T) {
	e := openEngine(t)
	for _, th := range []ocrtest.Theme{ocrtest.Light, ocrtest.Dark} {
		t.Run(th.Name, func(t *testing.T) {
			alone := ocrtest.NewCanvas(700, 200, th.Bg)
			if _, err := alone.Text(10, 10, 12, th.Fg, ocrtest.Journal...); err != nil {
				t.Fatal(err)
			}
			lines, err := e.Recognize(Gray(nil, alone.Img, alone.Img.Rect))
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != len(ocrtest.Journal) || len(lines[0]) == 0 {
				t.Fatalf("read %d lines, want %d", len(lines), len(ocrtest.Journal))
			}
			if b := lines[0][0].Box; b.Min.X < 8 || b.Min.X > 14 || b.Min.Y < 8 || b.Min.Y > 16 {
				t.Errorf("first word's box %v, drawn at (10,10)", b)
			}
			if !hasWord(lines[1], "19121212-1212") {
				t.Errorf("the number was not read as one word on the second line")
			}
			screen := ocrtest.NewCanvas(1000, 400, th.Bg)
			if _, err := screen.Text(310, 110, 12, th.Fg, ocrtest.Journal...); err != nil {
				t.Fatal(err)
			}
			region := image.Rect(300, 100, 1000, 300)
			moved, err := e.Recognize(Gray(nil, screen.Img, region))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := layout(moved, image.Point{}), layout(lines, region.Min); got != want {
				t.Errorf("in a region at %v:\n%s\nwant\n%s", region.Min, got, want)
			}
		})
	}
}

func hasWord(l platform.Line, text string) bool {
	for _, w := range l {
		if w.Text == text {
			return true
		}
	}
	return false
}

// layout lists the lines' word counts and boxes, moved by off.
func layout(lines []platform.Line, off image.Point) string {
	var b strings.Builder
	for _, l := range lines {
		for _, w := range l {
			b.WriteString(w.Box.Add(off).String())
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestEnginesInParallel opens, uses and closes engines on several threads
// at once, as the sampler's two engines do: each reads its text right, and
// nothing crashes (gosseract's data-path lookup is a static TessBaseAPI;
// two opens at once were a double free that killed the guard).
func TestEnginesInParallel(t *testing.T) {
	c := ocrtest.NewCanvas(700, 60, ocrtest.Light.Bg)
	if _, err := c.Text(10, 10, 13, ocrtest.Light.Fg, ocrtest.Journal[:2]...); err != nil {
		t.Fatal(err)
	}
	g := Gray(nil, c.Img, c.Img.Rect)
	errs := make(chan error, 64)
	done := make(chan struct{})
	const threads, rounds = 4, 3
	for i := range threads {
		go func() {
			defer func() { done <- struct{}{} }()
			for r := range rounds {
				e, err := Open(Options{})
				if err != nil {
					errs <- err
					return
				}
				for range 2 {
					lines, err := e.Recognize(g)
					if err != nil || len(lines) != 2 {
						errs <- fmt.Errorf("thread %d round %d: %d lines, %v", i, r, len(lines), err)
					}
				}
				if err := e.Close(); err != nil {
					errs <- err
				}
			}
		}()
	}
	for range threads {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
