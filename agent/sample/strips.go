package sample

import (
	"encoding/binary"
	"hash/maphash"
	"image"

	"github.com/shareguard/shareguard/detectors/content"
)

// inkTolerance is the grey spread below which a row holds no text: the
// uniform test's threshold, per row. Grey on white (#666) spreads 153,
// light placeholder text 85; a soft gradient stays under it.
const inkTolerance = 24

// minStripInk is the least height of ink a strip holds: a run thinner
// than this (a table rule, an underline, a cursor) joins its neighbour
// rather than costing an engine call of its own.
const minStripInk = 8

// strip is one line of text in a region: ink is the box of its ink (its
// rows, and the columns that change within them), read the part of the
// region it is read in, ink with a margin of blank pixels.
type strip struct{ ink, read image.Rectangle }

// textStrips cuts g, one region to read, into strips of a line of text
// each, at the rows between lines, so the region is read line by line
// top to bottom and a frame can stop at the first line that makes a hit
// instead of after the whole region. Which rows hold ink is judged on the
// columns cols (the window's own, when the region came from one; the
// tile-snapped margin may show another window), relative to g.Rect.
// A strip reaches up to pad pixels beyond its ink, into blank rows and
// columns, so the engine sees a margin; strips never share a row of ink.
// g with no blank row to cut at is one strip. Nil means no ink at all.
func textStrips(g *image.Gray, cols [2]int, pad int) []strip {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	x0, x1 := max(cols[0], 0), min(cols[1], w)
	if x1 <= x0 {
		x0, x1 = 0, w
	}
	// Runs of rows with ink, a thin one merged into the next (the ring of
	// an Å a row above its line) or, last, into the one before (an
	// underline); not one cut by the region's edge, a part of a line read
	// whole elsewhere, which would change its neighbour's key.
	type run struct{ a, b int }
	var runs []run
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride+x0 : y*g.Stride+x1]
		lo, hi := row[0], row[0]
		for _, v := range row {
			lo, hi = min(lo, v), max(hi, v)
		}
		if hi-lo < inkTolerance {
			continue
		}
		if n := len(runs); n > 0 && (runs[n-1].b == y || runs[n-1].b-runs[n-1].a < minStripInk && runs[n-1].a > 0) {
			runs[n-1].b = y + 1
			continue
		}
		runs = append(runs, run{y, y + 1})
	}
	if n := len(runs); n > 1 && runs[n-1].b-runs[n-1].a < minStripInk && runs[n-1].b < h {
		runs[n-2].b = runs[n-1].b
		runs = runs[:n-1]
	}
	out := make([]strip, 0, len(runs))
	for i, r := range runs {
		top, bot := max(r.a-pad, 0), min(r.b+pad, h)
		if i > 0 {
			top = max(top, runs[i-1].b)
		}
		if i+1 < len(runs) {
			bot = min(bot, runs[i+1].a)
		}
		c0, c1 := inkColumns(g, r.a, r.b)
		ink := image.Rect(c0, r.a, c1, r.b)
		rd := image.Rect(max(c0-pad, 0), top, min(c1+pad, w), bot)
		out = append(out, strip{ink.Add(g.Rect.Min), rd.Add(g.Rect.Min)})
	}
	return out
}

// inkColumns returns the first and last-plus-one columns of g that change
// between rows a and b, or (all of them) if none does. The blank rows
// just above and below count too: a stroke as tall as its line (an l, a
// |) is flat over the line's rows alone.
func inkColumns(g *image.Gray, a, b int) (int, int) {
	w := g.Rect.Dx()
	a, b = max(a-1, 0), min(b+1, g.Rect.Dy())
	inked := func(x int) bool {
		lo, hi := g.Pix[a*g.Stride+x], g.Pix[a*g.Stride+x]
		for y := a + 1; y < b; y++ {
			v := g.Pix[y*g.Stride+x]
			lo, hi = min(lo, v), max(hi, v)
		}
		return hi-lo >= inkTolerance
	}
	c0, c1 := 0, w
	for c0 < w && !inked(c0) {
		c0++
	}
	for c1 > c0 && !inked(c1-1) {
		c1--
	}
	if c0 == c1 {
		return 0, w // a run of one flat colour per column: a rule, a bar
	}
	return c0, c1
}

// readLine is what reading one line (strip) of the screen found, relative
// to the top left of its ink, so the same pixels elsewhere give the same
// result moved: hits (rule, confidence, box, redacted match) and keyword
// boxes. It holds no text.
type readLine struct {
	hits     []content.Hit
	keywords []image.Rectangle
}

// at returns r moved to a strip at o.
func (r readLine) at(o image.Point) readLine {
	out := readLine{hits: make([]content.Hit, len(r.hits)), keywords: make([]image.Rectangle, len(r.keywords))}
	for i, h := range r.hits {
		h.Rect = h.Rect.Add(o)
		out.hits[i] = h
	}
	for i, k := range r.keywords {
		out.keywords[i] = k.Add(o)
	}
	return out
}

// maxLines bounds the lines remembered (a few pages of text, 8 bytes of
// hash and a few boxes each); at the bound the oldest half goes.
const maxLines = 4096

// lineKey hashes the pixels of a line's ink box and its size with the
// pipeline's seed: the same picture of a line anywhere on the screen has
// the same key, whatever the region around it.
func (p *Pipeline) lineKey(g *image.Gray) uint64 {
	var h maphash.Hash
	h.SetSeed(p.seed)
	w, ht := g.Rect.Dx(), g.Rect.Dy()
	var size [8]byte
	binary.LittleEndian.PutUint32(size[:4], uint32(w))
	binary.LittleEndian.PutUint32(size[4:], uint32(ht))
	h.Write(size[:])
	for y := 0; y < ht; y++ {
		h.Write(g.Pix[y*g.Stride : y*g.Stride+w])
	}
	return h.Sum64()
}

// rememberLine keeps what reading the line with key k at o found.
func (p *Pipeline) rememberLine(k uint64, o image.Point, found readLine) {
	if p.lines == nil {
		p.lines = map[uint64]readLine{}
		p.lineOrder = p.lineOrder[:0]
	}
	if _, ok := p.lines[k]; ok {
		return
	}
	if len(p.lineOrder) >= maxLines {
		for _, old := range p.lineOrder[:maxLines/2] {
			delete(p.lines, old)
		}
		p.lineOrder = append(p.lineOrder[:0], p.lineOrder[maxLines/2:]...)
	}
	p.lines[k] = found.at(image.Point{}.Sub(o))
	p.lineOrder = append(p.lineOrder, k)
}
