package sample

import (
	"image"
	"image/color"
	"slices"
	"testing"
)

// grayWith is a w x h white picture with the rows of lines (y0, y1) drawn
// as a grey dashed run from x0 to x1, like a line of text.
func grayWith(w, h, x0, x1 int, lines ...[2]int) *image.Gray {
	g := image.NewGray(image.Rect(100, 50, 100+w, 50+h))
	for i := range g.Pix {
		g.Pix[i] = 0xff
	}
	for _, l := range lines {
		for y := l[0]; y < l[1]; y++ {
			for x := x0; x < x1; x += 3 {
				g.SetGray(100+x, 50+y, color.Gray{0x66})
			}
		}
	}
	return g
}

func TestTextStrips(t *testing.T) {
	all := [2]int{0, 1 << 20}
	// The dashes of grayWith from x 10 to 150 ink columns 10..148.
	line := func(y0, y1, top, bot, pad int) strip {
		return strip{image.Rect(10, y0, 149, y1), image.Rect(10-pad, top, 149+pad, bot)}
	}
	for _, c := range []struct {
		name string
		g    *image.Gray
		cols [2]int
		pad  int
		want []strip // relative to the picture's top left
	}{
		{"blank", grayWith(200, 100, 0, 200), all, 6, nil},
		{"one line", grayWith(200, 100, 10, 150, [2]int{40, 54}), all, 6, []strip{line(40, 54, 34, 60, 6)}},
		// Each line reaches up to pad rows into the gaps around it, never
		// into another line's ink.
		{"lines", grayWith(200, 100, 10, 150, [2]int{5, 19}, [2]int{22, 36}, [2]int{60, 74}), all, 6,
			[]strip{line(5, 19, 0, 22, 6), line(22, 36, 19, 42, 6), line(60, 74, 54, 80, 6)}},
		// A table rule (one row) joins the line below it.
		{"rule", grayWith(200, 100, 10, 150, [2]int{10, 11}, [2]int{20, 34}, [2]int{50, 64}), all, 2,
			[]strip{line(10, 34, 8, 36, 2), line(50, 64, 48, 66, 2)}},
		// A thin last run joins the line above it.
		{"thin last", grayWith(200, 100, 10, 150, [2]int{20, 34}, [2]int{50, 53}), all, 2,
			[]strip{line(20, 53, 18, 55, 2)}},
		// Thin runs cut by the region's edges stay apart from the lines.
		{"edges", grayWith(200, 100, 10, 150, [2]int{0, 3}, [2]int{20, 34}, [2]int{96, 100}), all, 2,
			[]strip{line(0, 3, 0, 5, 2), line(20, 34, 18, 36, 2), line(96, 100, 94, 100, 2)}},
		// No blank row: one strip, and columns flat over all rows cannot
		// be told from ink: all of them.
		{"no gap", grayWith(200, 100, 10, 150, [2]int{0, 100}), all, 6,
			[]strip{{image.Rect(0, 0, 200, 100), image.Rect(0, 0, 200, 100)}}},
		// Ink only outside the columns judged: nothing to cut at there.
		{"beside the window", grayWith(200, 100, 160, 200, [2]int{0, 100}), [2]int{0, 150}, 6, nil},
		// Columns judged: the margin's ink does not join the lines, but it
		// is read with them.
		{"window columns", func() *image.Gray {
			g := grayWith(200, 100, 10, 150, [2]int{20, 34}, [2]int{60, 74})
			for y := 10; y < 90; y += 2 {
				g.SetGray(100+190, 50+y, color.Gray{0})
			}
			return g
		}(), [2]int{0, 150}, 6, []strip{
			{image.Rect(10, 20, 191, 34), image.Rect(4, 14, 197, 40)},
			{image.Rect(10, 60, 191, 74), image.Rect(4, 54, 197, 80)},
		}},
		// A stroke as tall as its line is ink, at the line's edge too.
		{"tall first stroke", func() *image.Gray {
			g := grayWith(200, 100, 20, 150, [2]int{40, 54})
			for y := 40; y < 54; y++ {
				g.SetGray(100+12, 50+y, color.Gray{0})
			}
			return g
		}(), all, 6, []strip{{image.Rect(12, 40, 150, 54), image.Rect(6, 34, 156, 60)}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := textStrips(c.g, c.cols, c.pad)
			var want []strip
			for _, s := range c.want {
				want = append(want, strip{s.ink.Add(c.g.Rect.Min), s.read.Add(c.g.Rect.Min)})
			}
			if !slices.Equal(got, want) {
				t.Errorf("textStrips =\n%v, want\n%v", got, want)
			}
		})
	}
}
