package ocr

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

func TestGrayAndPGM(t *testing.T) {
	src := image.NewRGBA(image.Rect(10, 20, 14, 22))
	draw.Draw(src, src.Rect, image.NewUniform(color.RGBA{10, 10, 10, 255}), image.Point{}, draw.Src)
	src.Set(11, 20, color.RGBA{255, 255, 255, 255})
	g := Gray(nil, src, image.Rect(11, 20, 13, 22))
	if g.Rect != image.Rect(11, 20, 13, 22) || g.GrayAt(11, 20).Y != 255 || g.GrayAt(12, 21).Y != 10 {
		t.Fatalf("gray %v %v", g.Rect, g.Pix)
	}
	// Mostly dark: inverted, and doubled.
	pgm := encodePGM(nil, g, 2)
	want := "P5\n4 4\n255\n" + string([]byte{0, 0, 245, 245, 0, 0, 245, 245, 245, 245, 245, 245, 245, 245, 245, 245})
	if string(pgm) != want {
		t.Errorf("pgm %q, want %q", pgm, want)
	}
}
