// Package ocrtest renders journal-like screen images in memory for tests
// and benchmarks of content scanning. Nothing is written to disk.
package ocrtest

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// DejaVuSans is Debian's fonts-dejavu-core face, close to what Linux
// desktops render UI text with; the embedded Go font is the fallback.
const DejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// Theme is a pair of colours.
type Theme struct {
	Name   string
	Bg, Fg color.RGBA
}

var (
	Light = Theme{"light", color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0x20, 0x20, 0x20, 0xff}}
	Dark  = Theme{"dark", color.RGBA{0x1e, 0x1e, 0x1e, 0xff}, color.RGBA{0xdc, 0xdc, 0xdc, 0xff}}
)

var (
	fontOnce sync.Once
	fontData *opentype.Font
	fontErr  error
	fontName string
)

func loadFont() (*opentype.Font, string, error) {
	fontOnce.Do(func() {
		data, err := os.ReadFile(DejaVuSans)
		fontName = "DejaVuSans"
		if err != nil {
			data, fontName = goregular.TTF, "Go Regular"
		}
		fontData, fontErr = opentype.Parse(data)
	})
	return fontData, fontName, fontErr
}

// FontName says which face Face uses.
func FontName() string {
	_, n, _ := loadFont()
	return n
}

// Face returns the font at px pixels (UI sizes are 11-14 px).
func Face(px float64) (font.Face, error) {
	f, _, err := loadFont()
	if err != nil {
		return nil, fmt.Errorf("ocrtest: parse font: %w", err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("ocrtest: face: %w", err)
	}
	return face, nil
}

// Canvas is an image being drawn on.
type Canvas struct {
	Img *image.RGBA
}

// NewCanvas fills a w x h image with bg.
func NewCanvas(w, h int, bg color.Color) *Canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	return &Canvas{Img: img}
}

// Fill paints r with c.
func (c *Canvas) Fill(r image.Rectangle, col color.Color) {
	draw.Draw(c.Img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// Text draws lines starting with the top-left of the first line at
// (x, y), one line every lineGap*px pixels, and returns the rectangle the
// lines cover.
func (c *Canvas) Text(x, y int, px float64, fg color.Color, lines ...string) (image.Rectangle, error) {
	face, err := Face(px)
	if err != nil {
		return image.Rectangle{}, err
	}
	defer face.Close()
	m := face.Metrics()
	step := int(px*1.5 + 0.5)
	d := &font.Drawer{Dst: c.Img, Src: image.NewUniform(fg), Face: face}
	r := image.Rectangle{}
	for i, l := range lines {
		base := y + i*step + m.Ascent.Ceil()
		d.Dot = fixed.P(x, base)
		w := d.MeasureString(l).Ceil()
		d.DrawString(l)
		r = r.Union(image.Rect(x, base-m.Ascent.Ceil(), x+w, base+m.Descent.Ceil()))
	}
	return r, nil
}

// Journal is journal-like Swedish text with one personnummer. The number
// is Skatteverket's classic test number.
var Journal = []string{
	"Journalanteckning - Akutmottagningen",
	"Patient: Tolvan Tolvansson, personnummer 19121212-1212",
	"Inkom 2024-01-15 kl 10:30 med buksmärtor sedan två dagar.",
	"Anhörig nås på 070-123 45 67. Remiss skickad, ordernr 123456789.",
	"Status: allmäntillstånd gott, afebril, BT 135/85, puls 72.",
}

// Filler is harmless UI text for the rest of a screen.
var Filler = []string{
	"Inkorg (3)   Kalender   Kontakter   Uppgifter   Inställningar",
	"Veckomöte om schemaläggning flyttas till torsdag eftermiddag.",
	"Kom ihåg att uppdatera rutinen för läkemedelshantering i mars.",
	"Lunchen på fredag är inställd; fikat blir kvar som vanligt.",
}

// Desktop draws a 1920x1080 desktop: a panel, a filler window on the left
// and a text window on the right holding lines, at px pixels in theme t.
// It returns the canvas and the text window's rectangle.
func Desktop(t Theme, px float64, lines []string) (*Canvas, image.Rectangle, error) {
	c := NewCanvas(1920, 1080, color.RGBA{0x3a, 0x6e, 0xa5, 0xff})
	c.Fill(image.Rect(0, 1040, 1920, 1080), color.RGBA{0x30, 0x30, 0x30, 0xff})
	left := image.Rect(40, 40, 900, 1000)
	c.Fill(left, t.Bg)
	for i := 0; i < 10; i++ {
		if _, err := c.Text(left.Min.X+20, left.Min.Y+20+i*90, px, t.Fg, Filler...); err != nil {
			return nil, image.Rectangle{}, err
		}
	}
	win := image.Rect(960, 120, 1880, 700)
	c.Fill(win, t.Bg)
	if _, err := c.Text(win.Min.X+20, win.Min.Y+20, px, t.Fg, lines...); err != nil {
		return nil, image.Rectangle{}, err
	}
	return c, win, nil
}
