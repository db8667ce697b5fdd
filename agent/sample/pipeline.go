package sample

import (
	"fmt"
	"hash/maphash"
	"image"
	"slices"
	"sort"

	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/ocr"
)

// TileSize is the side of the squares a frame is hashed in. 64 px hashes
// a 1080p frame in a few milliseconds and still isolates a changed line.
const TileSize = 64

// Pipeline turns frames into hits, recognising only what changed: it
// hashes every row of every 64-px column of the frame, calls a tile dirty
// when one of its rows changed, merges dirty tiles into rectangles and
// recognises those, and keeps each hit until a tile under it changes.
// When a region's rows reappear shifted up or down (a document scrolled)
// it moves the region's hits along and recognises only the rows that are
// new. It keeps no pixels and no text between frames, only row hashes,
// hits (rule, confidence, rectangle) and, per line read, a hash of its
// pixels with the boxes of what it held. Not safe for concurrent use.
type Pipeline struct {
	eng  ocr.Engine
	scan *content.Scanner
	seed maphash.Seed

	bounds image.Rectangle
	cols   int
	rows   int
	seg    []uint64 // row hash per (y, column): seg[y*cols+c]
	prev   []uint64 // the previous frame's seg; nil before the first
	// grabbed is the last frame's true row hashes (seg before deferred
	// rows were set back): a tile that differs from it changed on the
	// screen just now, rather than waiting from an earlier frame.
	grabbed []uint64
	// streak counts, per tile, the grabs in a row it changed in; frames
	// counts the frames processed (see animatedEvery).
	streak   []uint8
	frames   int
	hits     []content.Hit
	keywords []image.Rectangle
	seen     []seen // hits read during this share, to know them again
	// lines: what each line (strip) read found, by a hash of its pixels,
	// so a line seen before (a window brought back, a table that moved
	// down a row, a header) is not read again. Kept across shares until
	// Forget, as the engine is.
	lines     map[uint64]readLine
	lineOrder []uint64
	gray      *image.Gray

	// MaxOCRPixels bounds the area read per frame (0: no bound). Larger
	// changes are read in bands over the next frames, smallest first,
	// which keeps each frame's cost (and the sampler's CPU) even.
	MaxOCRPixels int

	// Last is what the last Process did, for benchmarks and the tray.
	Last Stats

	// StopAtHit ends a frame early when a region yields a new
	// high-confidence hit, leaving the rest for the next frame, so the
	// caller can act at once.
	StopAtHit bool

	// Recheck, when set, grabs r again and reports whether it differs from
	// the frame being read (a window still being painted).
	Recheck func(r image.Rectangle) bool

	// LineByLine reads every new line in an engine call of its own, so a
	// frame stops at the first line with a hit (the urgent reads: what
	// just appeared). Otherwise each run of new lines is read in one
	// call, about 6 ms of the engine's own work less per line (the
	// budgeted reads: a document scrolled).
	LineByLine bool

	// Pair, when set, recognises a line while the engine reads the line
	// before it: a second engine on a thread of its own, so what just
	// appeared is read on two cores. It must be safe to call from another
	// goroutine than Read's.
	Pair func(img *image.Gray) ([]platform.Line, error)

	// Focus are the topmost shown windows, top first: a changed region
	// larger than one of them (the first read of a share) is read inside
	// the windows first, top first, then around them.
	Focus []image.Rectangle
}

// FreshBandPixels bounds the bands a just-changed region is read in: a
// window that just appeared is read top to bottom in bands of about this
// size (100-200 ms of Tesseract each), so a number near its top is acted
// on before the rest is read.
const FreshBandPixels = 120_000

// Stats of one frame.
type Stats struct {
	ChangedTiles int
	Scrolled     int  // regions handled as a scroll
	Regions      int  // rectangles handed to the engine
	OCRPixels    int  // their total area
	Deferred     int  // rectangles left for later frames (MaxOCRPixels, StopAtHit)
	Fresh        int  // changed tiles that changed since the last frame was grabbed
	Animated     int  // changed tiles left for later: they change in every frame (video)
	Stopped      bool // the frame ended early: at a new hit (StopAtHit) or an unsettled region
	Unsettled    bool // a just-changed region was still changing (Recheck)
	Known        bool // a hit read earlier came back and ended the frame (see seen)
	KnownLines   int  // lines not read again: their pixels were read before (see lines)
}

// NewPipeline uses eng to recognise and scan to judge the text.
func NewPipeline(eng ocr.Engine, scan *content.Scanner) *Pipeline {
	return &Pipeline{eng: eng, scan: scan, seed: maphash.MakeSeed()}
}

// Reset forgets the frame's hashes and the hits (a share ended, the
// screen changed), not the lines read (see Forget).
func (p *Pipeline) Reset() {
	p.bounds = image.Rectangle{}
	p.seg, p.prev, p.grabbed, p.hits, p.keywords, p.streak, p.seen = nil, nil, nil, nil, nil, nil, nil
	if p.gray != nil {
		clear(p.gray.Pix)
	}
}

// Forget drops the lines read (see lines), which Reset keeps: the next
// share of a meeting starts knowing the windows the last one read.
func (p *Pipeline) Forget() { p.lines, p.lineOrder = nil, nil }

// Process looks at one frame and returns the hits now on screen, with
// numbers raised to high confidence when a keyword is near them on screen
// even if it was recognised in another region (content.Scanner.RaiseNear).
func (p *Pipeline) Process(frame *image.RGBA) ([]content.Hit, error) {
	return p.Read(frame, p.Prepare(frame), 0)
}

// Plan is what one frame asks to read, in order: Prepare makes it and
// Read reads it, so the caller can choose between the two where (at which
// priority) and how much to read.
type Plan struct {
	jobs []job
	// Fresh is the area of the regions that changed on the screen since
	// the last grab (a line typed, a window raised), before banding.
	Fresh int
	// known: a hit read earlier in the share is back on screen, pixel
	// for pixel, with nothing read yet (see seen).
	known bool
}

// Prepare hashes frame, compares it with the last one and plans what to
// read in it. It recognises nothing; Read must follow with the same frame
// before the next Prepare.
func (p *Pipeline) Prepare(frame *image.RGBA) Plan {
	b := frame.Rect
	if b != p.bounds {
		p.Reset()
		p.bounds = b
		p.cols = (b.Dx() + TileSize - 1) / TileSize
		p.rows = (b.Dy() + TileSize - 1) / TileSize
	}
	p.prev, p.seg = p.seg, p.prev
	if len(p.seg) != b.Dy()*p.cols {
		p.seg = make([]uint64, b.Dy()*p.cols)
	}
	p.hashRows(frame)

	dirty := make([]bool, p.cols*p.rows)
	fresh := make([]bool, p.cols*p.rows)
	n, nf := 0, 0
	for i := range dirty {
		if p.prev == nil || p.tileChanged(i%p.cols, i/p.cols) {
			dirty[i] = true
			n++
		}
		if p.grabbed == nil || p.tileDiffers(p.grabbed, i%p.cols, i/p.cols) {
			fresh[i] = true
			nf++
		}
	}
	if len(p.grabbed) != len(p.seg) {
		p.grabbed = make([]uint64, len(p.seg))
	}
	copy(p.grabbed, p.seg)
	p.Last = Stats{ChangedTiles: n, Fresh: nf}
	p.countStreaks(fresh)
	p.goneAgain(frame)
	if n == 0 {
		return Plan{}
	}
	var todo []image.Rectangle
	if p.prev != nil {
		for _, r := range p.regions(dirty) {
			if dy, ok := p.scrollIn(r, dirty); ok {
				todo = append(todo, p.applyScroll(r, dy, dirty)...)
				p.Last.Scrolled++
			}
		}
	}
	// A hit on a changed tile is gone; its whole area is recognised again
	// so a number that only partly changed is read whole.
	p.hits = dropHits(p.hits, dirty, p, func(h content.Hit) image.Rectangle { return h.Rect })
	p.keywords = dropRects(p.keywords, dirty, p)
	var plan Plan
	plan.known = p.knownAgain(frame)
	p.skipAnimated(dirty, fresh)
	pieces := p.focus(todo, p.runs(dirty))
	for _, pc := range pieces {
		if p.touches(pc.r, fresh) {
			plan.Fresh += area(pc.r)
		}
	}
	plan.jobs = p.split(pieces, fresh)
	// What just changed on the screen first (a window raised or restored,
	// a line typed), before what waits from earlier frames; then inside
	// the topmost windows, top first; then small changes first (a changed
	// line is read this frame even while a large area waits); the bands
	// of one region top to bottom.
	sort.SliceStable(plan.jobs, func(i, j int) bool {
		a, b := plan.jobs[i], plan.jobs[j]
		switch {
		case a.fresh != b.fresh:
			return a.fresh
		case a.rank != b.rank:
			return a.rank < b.rank
		}
		return a.size < b.size
	})
	return plan
}

// Read recognises what plan asks for in frame, the frame plan was
// prepared from. With quick > 0 it reads only the just-changed regions,
// up to quick pixels, and leaves the rest for later frames; with quick < 0
// it reads nothing and leaves everything for later.
func (p *Pipeline) Read(frame *image.RGBA, plan Plan, quick int) ([]content.Hit, error) {
	jobs := plan.jobs
	var done []image.Rectangle
	var later []job
	defer func() {
		for _, d := range later {
			p.defer_(d.r, done)
		}
	}()
	if plan.known && p.StopAtHit && len(jobs) > 0 {
		// Act on it now; the rest is read in the frames that follow.
		later = jobs
		p.Last.Deferred, p.Last.Stopped, p.Last.Known = len(jobs), true, true
		return p.scan.RaiseNear(p.hits, p.keywords), nil
	}
	for i, j := range jobs {
		r := j.r
		if quick != 0 && (quick < 0 || !j.fresh || p.Last.OCRPixels+area(r) > quick) {
			later = append(later, j)
			p.Last.Deferred++
			continue
		}
		// Over the bound, the rest waits, unless only small changes (a
		// cursor, a clock) were read so far: they must not starve a large
		// region that waits for its turn.
		if p.MaxOCRPixels > 0 && p.Last.OCRPixels >= p.MaxOCRPixels/4 && p.Last.OCRPixels+area(r) > p.MaxOCRPixels {
			later = append(later, jobs[i:]...)
			p.Last.Deferred += len(jobs) - i
			break
		}
		// A window just mapped is painted a moment later: reading the
		// picture before that costs a whole read and finds nothing, so a
		// region that differs on the screen already waits for the next
		// frame, which comes at once.
		if j.fresh && p.Recheck != nil && !p.animatedIn(r) && p.Recheck(r) {
			later = append(later, jobs[i:]...)
			p.Last.Deferred += len(jobs) - i
			p.Last.Stopped, p.Last.Unsettled = true, true
			break
		}
		// With lineReach rows around it, to read a line cut by its edge.
		p.gray = ocr.Gray(p.gray, frame, image.Rect(r.Min.X, r.Min.Y-lineReach, r.Max.X, r.Max.Y+lineReach))
		blank := uniform(p.gray.SubImage(r).(*image.Gray))
		readTo, stop, err := r.Max.Y, false, error(nil)
		if !blank {
			readTo, stop, err = p.readStrips(j, i+1 < len(jobs))
		}
		clear(p.gray.Pix)
		if err != nil {
			return nil, err
		}
		read := image.Rect(r.Min.X, r.Min.Y, r.Max.X, readTo)
		done = append(done, read)
		if !blank {
			p.Last.OCRPixels += area(read)
		}
		if !stop {
			continue
		}
		// A line made a new hit: act now, read the rest in the next frame.
		if readTo < r.Max.Y {
			rest := j
			rest.r.Min.Y = readTo
			later = append(later, rest)
			p.Last.Deferred++
		}
		later = append(later, jobs[i+1:]...)
		p.Last.Deferred += len(jobs) - i - 1
		p.Last.Stopped = true
		break
	}
	out := p.scan.RaiseNear(p.hits, p.keywords)
	p.remember(frame, out)
	return out, nil
}

// stripPad is the margin of blank rows a line is read with.
const stripPad = 6

// lineReach is how far beyond a job's rows a line cut by its edge is
// followed to be read whole: a line of UI text and its margin.
const lineReach = 24

// maxLine is the tallest ink a strip of one line holds.
const maxLine = 2 * lineReach

// readStrips recognises job j, whose pixels are in p.gray, a line at a
// time (textStrips), top to bottom; a line read before is known by its
// pixels and not read again. With StopAtHit it stops after
// the line that makes a new high-confidence hit, unless nothing is left
// to read after it (its job's last line, and more false: no job follows);
// readTo is then the first row not read.
func (p *Pipeline) readStrips(j job, more bool) (readTo int, stop bool, err error) {
	r := j.r
	cols := [2]int{0, r.Dx()}
	if j.rank < len(p.Focus) {
		f := p.Focus[j.rank]
		cols = [2]int{f.Min.X - r.Min.X, f.Max.X - r.Min.X}
	}
	strips := textStrips(p.gray, cols, stripPad)
	if len(strips) == 0 {
		strips = []strip{{r, r}} // ink only beside the window's columns
	}
	// Lines are read whole: one cut by the job's edge (a tile's or a
	// band's) reaches into the rows around it; lines wholly there are not
	// the job's.
	in := strips[:0]
	for _, s := range strips {
		if s.ink.Max.Y > r.Min.Y && s.ink.Min.Y < r.Max.Y {
			in = append(in, s)
		}
	}
	strips = in
	// A strip much taller than a line is lines with no blank row between
	// them (a terminal's): its rows beyond the job are lines read before,
	// not a line cut in two, and it is read within the job's rows only.
	for i, s := range strips {
		if s.ink.Dy() > maxLine {
			s.ink.Min.Y, s.ink.Max.Y = max(s.ink.Min.Y, r.Min.Y), min(s.ink.Max.Y, r.Max.Y)
			s.read.Min.Y, s.read.Max.Y = max(s.read.Min.Y, r.Min.Y), min(s.read.Max.Y, r.Max.Y)
			strips[i] = s
		}
	}
	keys := make([]uint64, len(strips))
	for i, s := range strips {
		keys[i] = p.lineKey(p.gray.SubImage(s.ink).(*image.Gray))
	}
	for k := 0; k < len(strips); {
		known := len(p.hits)
		n, err := p.readLines(strips[k:], keys[k:])
		if err != nil {
			return 0, false, err
		}
		k += n
		last := k == len(strips)
		if p.StopAtHit && (!last || more) && newHigh(p.scan.RaiseNear(p.hits, p.keywords), known) {
			if last {
				return r.Max.Y, true, nil
			}
			return min(strips[k-1].read.Max.Y, r.Max.Y), true, nil
		}
	}
	return r.Max.Y, false, nil
}

// readLines reads the first of strips (keys are their lineKeys), or takes
// what it held when its pixels were read before. Line by line, with Pair
// and a second new line after it, it reads both at once; otherwise it
// reads the run of new lines that starts there in one call. It returns
// how many lines it read.
func (p *Pipeline) readLines(strips []strip, keys []uint64) (int, error) {
	sub := func(r image.Rectangle) *image.Gray { return p.gray.SubImage(r).(*image.Gray) }
	if found, ok := p.lines[keys[0]]; ok {
		p.Last.KnownLines++
		p.addRead(found.at(strips[0].ink.Min))
		return 1, nil
	}
	if !p.LineByLine {
		return p.readRun(strips, keys)
	}
	type read struct {
		lines []platform.Line
		err   error
	}
	batch := strips[:1]
	var side chan read
	if p.Pair != nil && len(strips) > 1 && !p.hasLine(keys[1]) {
		batch = strips[:2]
		side = make(chan read, 1)
		img := sub(strips[1].read)
		go func() {
			lines, err := p.Pair(img)
			side <- read{lines, err}
		}()
	}
	lines, err := p.eng.Recognize(sub(batch[0].read))
	results := []read{{lines, err}}
	if side != nil {
		results = append(results, <-side) // before p.gray is touched again
	}
	for i, res := range results {
		p.Last.Regions++
		if res.err != nil {
			return 0, fmt.Errorf("ocr: region %v: %w", batch[i].read, res.err)
		}
		p.took(keys[i], batch[i], res.lines)
	}
	return len(batch), nil
}

// readRun reads strips[0] and the new lines right after it in one engine
// call, and gives each line the words that lie in it, so each is
// remembered as if read alone.
func (p *Pipeline) readRun(strips []strip, keys []uint64) (int, error) {
	n := 1
	for n < len(strips) && !p.hasLine(keys[n]) {
		n++
	}
	run := strips[:n]
	area := run[0].read
	for _, s := range run[1:] {
		area = area.Union(s.read)
	}
	p.Last.Regions++
	lines, err := p.eng.Recognize(p.gray.SubImage(area).(*image.Gray))
	if err != nil {
		return 0, fmt.Errorf("ocr: region %v: %w", area, err)
	}
	per := make([][]platform.Line, len(run))
	for _, l := range lines {
		parts := make([]platform.Line, len(run))
		for _, w := range l {
			i := lineOf(run, (w.Box.Min.Y+w.Box.Max.Y)/2)
			parts[i] = append(parts[i], w)
		}
		for i, part := range parts {
			if len(part) > 0 {
				per[i] = append(per[i], part)
			}
		}
	}
	for i, s := range run {
		p.took(keys[i], s, per[i])
	}
	return len(run), nil
}

// took judges the text read in line s (key k), remembers what it holds
// and adds that to the frame's hits and keywords.
func (p *Pipeline) took(k uint64, s strip, lines []platform.Line) {
	found := p.scan.Lines(lines)
	got := readLine{hits: found.Hits, keywords: found.Keywords}
	p.rememberLine(k, s.ink.Min, got)
	p.addRead(got)
}

// lineOf returns the index of the line of run that row y falls in: the
// last whose read area starts at or above it.
func lineOf(run []strip, y int) int {
	i := 0
	for j, s := range run {
		if s.read.Min.Y <= y {
			i = j
		}
	}
	return i
}

// addRead adds what a line holds to the frame's hits and keywords.
func (p *Pipeline) addRead(r readLine) {
	p.addHits(r.hits)
	p.keywords = append(p.keywords, r.keywords...)
}

// hasLine reports whether the line with key k was read before.
func (p *Pipeline) hasLine(k uint64) bool {
	_, ok := p.lines[k]
	return ok
}

// seen is a hit read earlier in this share and a hash of the pixels of
// its box then: when the same pixels come back to the same place (the
// user restores a window that was hidden for it, switches back to its
// tab), the hit is known at once, without reading. Only the hash is kept,
// never the pixels.
type seen struct {
	hit   content.Hit
	sum   uint64
	shown bool // on the screen at the last look
	// back: put back by knownAgain and not read since. Its tiles were
	// left unread, so the tile hashes do not tell when it goes again
	// (minimized at once): its pixels are checked in every frame.
	back bool
}

// maxSeen bounds the hits remembered in a share; the oldest go first.
const maxSeen = 64

// remember records the hits of a frame whose pictures are not remembered
// yet (another number at the same place is another picture), and raises
// a remembered one whose confidence rose (a keyword read later).
func (p *Pipeline) remember(frame *image.RGBA, hits []content.Hit) {
next:
	for _, h := range hits {
		if h.Rect.Intersect(frame.Rect).Empty() {
			continue
		}
		sum := p.boxSum(frame, h.Rect)
		for i := range p.seen {
			if k := &p.seen[i]; k.hit.Rule == h.Rule && k.hit.Rect == h.Rect && k.sum == sum {
				k.hit.Confidence = max(k.hit.Confidence, h.Confidence)
				k.back = false // read: the tile hashes hold from now on
				continue next
			}
		}
		if len(p.seen) == maxSeen {
			p.seen = append(p.seen[:0], p.seen[1:]...)
		}
		p.seen = append(p.seen, seen{hit: h, sum: sum, shown: true})
	}
}

// knownAgain puts back the remembered hits whose pixels are on the screen
// again where they were, and reports whether one of high confidence came
// back since the last frame (one that stayed is not news).
func (p *Pipeline) knownAgain(frame *image.RGBA) bool {
	high := false
next:
	for i := range p.seen {
		k := &p.seen[i]
		if p.boxSum(frame, k.hit.Rect) != k.sum {
			k.shown = false
			continue
		}
		for _, h := range p.hits {
			if h.Rule == k.hit.Rule && h.Rect.Overlaps(k.hit.Rect) {
				continue next
			}
		}
		p.hits = append(p.hits, k.hit)
		high = high || !k.shown && k.hit.Confidence == content.High
		k.shown, k.back = true, true
	}
	return high
}

// goneAgain drops the hits knownAgain put back whose pixels are no longer
// on the screen.
func (p *Pipeline) goneAgain(frame *image.RGBA) {
	for i := range p.seen {
		k := &p.seen[i]
		if !k.back || p.boxSum(frame, k.hit.Rect) == k.sum {
			continue
		}
		k.back, k.shown = false, false
		p.hits = slices.DeleteFunc(p.hits, func(h content.Hit) bool { return h.Rule == k.hit.Rule && h.Rect == k.hit.Rect })
	}
}

// boxSum hashes the pixels of r (clipped to the frame).
func (p *Pipeline) boxSum(frame *image.RGBA, r image.Rectangle) uint64 {
	r = r.Intersect(frame.Rect)
	var h maphash.Hash
	h.SetSeed(p.seed)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := frame.PixOffset(r.Min.X, y)
		h.Write(frame.Pix[i : i+4*r.Dx()])
	}
	return h.Sum64()
}

// Tiles that changed in each of the last animatedAfter grabs, a second at
// the default interval (a video, a meeting's camera tiles, an animation,
// someone typing on), are read only every animatedEvery-th frame, about
// every 2 s: read every frame they would spend the CPU budget, and the
// budget's wait would then delay the text that matters. Their rows stay
// unread meanwhile, so the picture a video stops on, or the line when the
// typing pauses, is read in the next frame.
const (
	animatedAfter = 5
	animatedEvery = 10
)

// animatedIn reports whether r covers a tile taken for video.
func (p *Pipeline) animatedIn(r image.Rectangle) bool {
	if len(p.streak) == 0 {
		return false
	}
	tx0, ty0, tx1, ty1 := p.tilesOf(r)
	for ty := ty0; ty <= ty1; ty++ {
		for tx := tx0; tx <= tx1; tx++ {
			if p.streak[ty*p.cols+tx] >= animatedAfter {
				return true
			}
		}
	}
	return false
}

// countStreaks counts, per tile, the grabs in a row it changed in, every
// grab (a frame with nothing changed ends every streak).
func (p *Pipeline) countStreaks(fresh []bool) {
	if len(p.streak) != len(fresh) {
		p.streak = make([]uint8, len(fresh))
	}
	for i, f := range fresh {
		if f {
			p.streak[i] = min(p.streak[i]+1, animatedAfter)
		} else {
			p.streak[i] = 0
		}
	}
}

func (p *Pipeline) skipAnimated(dirty, fresh []bool) {
	p.frames++
	if p.frames%animatedEvery == 0 {
		return
	}
	for i, d := range dirty {
		if d && p.streak[i] >= animatedAfter {
			dirty[i] = false
			p.defer_(p.tileRect(i%p.cols, i/p.cols), nil)
			p.Last.Animated++
		}
	}
}

// newHigh reports whether a hit at or after index from (the ones added
// by the last region) is of high confidence.
func newHigh(hs []content.Hit, from int) bool {
	for _, h := range hs[min(from, len(hs)):] {
		if h.Confidence == content.High {
			return true
		}
	}
	return false
}

// job is a rectangle to read, the size of the region it came from,
// whether it holds a tile that changed since the last grab, and the index
// of the Focus window it lies in (len(Focus) for none).
type job struct {
	r     image.Rectangle
	size  int
	fresh bool
	rank  int
}

// piece is a part of a changed region and its focus rank.
type piece struct {
	r    image.Rectangle
	rank int
}

// focus cuts the changed rectangles (tile runs and scroll bands, not yet
// merged) by the Focus windows, top first: the part inside a window is
// ranked by it, the rest comes last. Then it merges the parts inside a
// window where they overlap (mergeRects), and the rest by columns
// (mergeColumns): a bounding box of a window's surroundings would cover
// the window, read already, and read it again first in every frame.
func (p *Pipeline) focus(todo, runs []image.Rectangle) []piece {
	last := len(p.Focus)
	if last == 0 {
		out := make([]piece, 0, len(todo)+len(runs))
		for _, r := range mergeRects(append(todo, runs...)) {
			out = append(out, piece{r, 0})
		}
		return out
	}
	// A run is a row of dirty tiles; the parts of it that fall inside or
	// outside a window may hold no changed row (the tile is dirty for rows
	// elsewhere): those are dropped, or a window read already would be
	// read again first in every frame. Scroll bands are kept as they are.
	rs := slices.Clone(todo)
	for _, r := range runs {
		if p.rowsChanged(r) {
			rs = append(rs, r)
		}
	}
	wins := make([]image.Rectangle, last)
	for i, f := range p.Focus {
		wins[i] = p.snap(f)
	}
	groups := make([][]image.Rectangle, last+1)
	for _, r := range rs {
		rest := []image.Rectangle{r}
		for rank, w := range wins {
			var outside []image.Rectangle
			for _, x := range rest {
				in := x.Intersect(w)
				if in.Empty() {
					outside = append(outside, x)
					continue
				}
				if p.rowsChanged(in) {
					groups[rank] = append(groups[rank], in)
				}
				for _, o := range subtract(x, in) {
					if p.rowsChanged(o) {
						outside = append(outside, o)
					}
				}
			}
			rest = outside
		}
		groups[last] = append(groups[last], rest...)
	}
	var out []piece
	for rank, g := range groups {
		// Inside a window, overlapping parts are read as one: the tile
		// runs of a table that moved overlap with different widths, and
		// read apart they would read the same lines again in pieces.
		merge := mergeRects
		if rank == last {
			merge = mergeColumns
		}
		for _, r := range merge(g) {
			out = append(out, piece{r, rank})
		}
	}
	return out
}

// mergeColumns merges rectangles of the same columns (same left and
// right edges) that overlap or touch top to bottom. Unlike mergeRects it
// never makes an L of a wide and a narrow part into their bounding box,
// which would cover what lies between them.
func mergeColumns(rs []image.Rectangle) []image.Rectangle {
	slices.SortFunc(rs, func(a, b image.Rectangle) int {
		if c := a.Min.X - b.Min.X; c != 0 {
			return c
		}
		if c := a.Max.X - b.Max.X; c != 0 {
			return c
		}
		return a.Min.Y - b.Min.Y
	})
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 && out[n-1].Min.X == r.Min.X && out[n-1].Max.X == r.Max.X && r.Min.Y <= out[n-1].Max.Y {
			out[n-1].Max.Y = max(out[n-1].Max.Y, r.Max.Y)
			continue
		}
		out = append(out, r)
	}
	return out
}

// rowsChanged reports whether a row of a tile column under r differs
// from the previous frame (always, on the first frame).
func (p *Pipeline) rowsChanged(r image.Rectangle) bool {
	if p.prev == nil {
		return true
	}
	tx0, _, tx1, _ := p.tilesOf(r)
	r = r.Intersect(p.bounds).Sub(p.bounds.Min)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for c := tx0; c <= tx1; c++ {
			if p.seg[y*p.cols+c] != p.prev[y*p.cols+c] {
				return true
			}
		}
	}
	return false
}

// snap widens r to whole tile columns: a piece that covers part of a
// column would leave that column's rows unread (see defer_), and the same
// window would be read again every frame.
func (p *Pipeline) snap(r image.Rectangle) image.Rectangle {
	o := p.bounds.Min.X
	x0 := o + (r.Min.X-o)/TileSize*TileSize
	x1 := o + (r.Max.X-o+TileSize-1)/TileSize*TileSize
	return image.Rect(x0, r.Min.Y, x1, r.Max.Y).Intersect(p.bounds)
}

// subtract returns r without in (which lies inside r) as up to four
// rectangles: above, below, left and right of it.
func subtract(r, in image.Rectangle) []image.Rectangle {
	var out []image.Rectangle
	for _, x := range []image.Rectangle{
		image.Rect(r.Min.X, r.Min.Y, r.Max.X, in.Min.Y),
		image.Rect(r.Min.X, in.Max.Y, r.Max.X, r.Max.Y),
		image.Rect(r.Min.X, in.Min.Y, in.Min.X, in.Max.Y),
		image.Rect(in.Max.X, in.Min.Y, r.Max.X, in.Max.Y),
	} {
		if !x.Empty() {
			out = append(out, x)
		}
	}
	return out
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }

// bandOverlap is how many rows the bands of one region share (see split):
// more than a line of UI text is high.
const bandOverlap = 32

// split cuts pieces larger than MaxOCRPixels (just-changed ones: larger
// than FreshBandPixels) into bands that overlap by bandOverlap rows, so a
// line of text cut by one band is whole in the next.
func (p *Pipeline) split(ps []piece, fresh []bool) []job {
	var out []job
	for _, pc := range ps {
		r := pc.r
		j := job{r: r, size: area(r), fresh: p.touches(r, fresh), rank: pc.rank}
		most := p.MaxOCRPixels
		if j.fresh && (most <= 0 || most > FreshBandPixels) {
			most = FreshBandPixels
		}
		if most <= 0 || area(r) <= most {
			out = append(out, j)
			continue
		}
		// Bands of at least minBand rows: thinner ones would read much
		// of the screen twice in their overlaps.
		const minBand = 2 * TileSize
		h := max(most/r.Dx()-bandOverlap, minBand)
		for y := r.Min.Y; y < r.Max.Y; y += h {
			j.r = image.Rect(r.Min.X, y, r.Max.X, min(y+h+bandOverlap, r.Max.Y))
			out = append(out, j)
			if y+h+bandOverlap >= r.Max.Y {
				break
			}
		}
	}
	return out
}

// defer_ leaves r for a later frame: its rows keep the hashes of the last
// frame that was read there, so they count as changed again next time.
// Rows a rectangle in done has read across the whole column stay current.
func (p *Pipeline) defer_(r image.Rectangle, done []image.Rectangle) {
	r = r.Intersect(p.bounds).Sub(p.bounds.Min)
	c0, c1 := r.Min.X/TileSize, (r.Max.X-1)/TileSize
	read := func(y, c int) bool {
		col := image.Rect(c*TileSize, y, (c+1)*TileSize, y+1).Add(p.bounds.Min).Intersect(p.bounds)
		for _, d := range done {
			if col.In(d) {
				return true
			}
		}
		return false
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for c := c0; c <= c1; c++ {
			if read(y, c) {
				continue
			}
			if p.prev != nil {
				p.seg[y*p.cols+c] = p.prev[y*p.cols+c]
			} else {
				p.seg[y*p.cols+c] = 0 // nothing was read yet
			}
		}
	}
}

// addHits adds new hits, merging one that repeats a kept hit (same rule,
// overlapping box: read twice where bands overlap) into it.
func (p *Pipeline) addHits(hs []content.Hit) {
next:
	for _, h := range hs {
		for i, k := range p.hits {
			if k.Rule == h.Rule && k.Rect.Overlaps(h.Rect) {
				if h.Confidence > k.Confidence {
					p.hits[i] = h
				}
				continue next
			}
		}
		p.hits = append(p.hits, h)
	}
}

// hashRows hashes each row of each tile column.
func (p *Pipeline) hashRows(f *image.RGBA) {
	w := f.Rect.Dx()
	for y := 0; y < f.Rect.Dy(); y++ {
		row := f.Pix[y*f.Stride : y*f.Stride+w*4]
		out := p.seg[y*p.cols : (y+1)*p.cols]
		for c := range out {
			x0, x1 := c*TileSize*4, min((c+1)*TileSize*4, len(row))
			out[c] = maphash.Bytes(p.seed, row[x0:x1])
		}
	}
}

// tileChanged reports whether a row of tile (tx, ty) differs from the
// previous frame.
func (p *Pipeline) tileChanged(tx, ty int) bool { return p.tileDiffers(p.prev, tx, ty) }

// tileDiffers reports whether a row of tile (tx, ty) differs from the
// hashes in old.
func (p *Pipeline) tileDiffers(old []uint64, tx, ty int) bool {
	y1 := min((ty+1)*TileSize, p.bounds.Dy())
	for y := ty * TileSize; y < y1; y++ {
		if p.seg[y*p.cols+tx] != old[y*p.cols+tx] {
			return true
		}
	}
	return false
}

// scrollIn looks for one vertical shift that explains the changed rows of
// the dirty columns of r: each changed row votes for the offset at which
// the previous frame had the same row (when that row was unique there).
// It reports the shift dy (this frame's row y was row y+dy before) when at
// least half of the votes and eight rows agree.
func (p *Pipeline) scrollIn(r image.Rectangle, dirty []bool) (int, bool) {
	y0, y1 := r.Min.Y-p.bounds.Min.Y, r.Max.Y-p.bounds.Min.Y
	votes := map[int]int{}
	total := 0
	where := map[uint64]int{}
	for _, c := range p.dirtyCols(r, dirty) {
		clear(where)
		for y := y0; y < y1; y++ {
			h := p.prev[y*p.cols+c]
			if _, seen := where[h]; seen {
				where[h] = -1 // blank or repeated rows say nothing
			} else {
				where[h] = y
			}
		}
		for y := y0; y < y1; y++ {
			h := p.seg[y*p.cols+c]
			if h == p.prev[y*p.cols+c] {
				continue
			}
			if py, ok := where[h]; ok && py >= 0 {
				votes[py-y]++
				total++
			}
		}
	}
	best, dy := 0, 0
	for d, v := range votes {
		if v > best || v == best && abs(d) < abs(dy) {
			best, dy = v, d
		}
	}
	return dy, dy != 0 && best >= 8 && 2*best >= total
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// dirtyCols lists the tile columns with a dirty tile inside r.
func (p *Pipeline) dirtyCols(r image.Rectangle, dirty []bool) []int {
	tx0, ty0, tx1, ty1 := p.tilesOf(r)
	var cols []int
	for tx := tx0; tx <= tx1; tx++ {
		for ty := ty0; ty <= ty1; ty++ {
			if dirty[ty*p.cols+tx] {
				cols = append(cols, tx)
				break
			}
		}
	}
	return cols
}

// applyScroll handles region r as scrolled by dy: hits whose rows all
// moved by dy move with them, hits whose rows did not change stay, others
// go (and their new place is read again). It clears the region's dirty
// tiles and returns the bands of rows that are new and must be read.
func (p *Pipeline) applyScroll(r image.Rectangle, dy int, dirty []bool) []image.Rectangle {
	y0, y1 := r.Min.Y-p.bounds.Min.Y, r.Max.Y-p.bounds.Min.Y
	cols := p.dirtyCols(r, dirty)
	// ok reports whether row y of column c is explained: unchanged, or
	// the previous row y+dy.
	ok := func(y, c int) bool {
		h := p.seg[y*p.cols+c]
		if h == p.prev[y*p.cols+c] {
			return true
		}
		py := y + dy
		return py >= y0 && py < y1 && h == p.prev[py*p.cols+c]
	}
	var todo []image.Rectangle
	for _, c := range cols {
		x0 := p.bounds.Min.X + c*TileSize
		for y := y0; y < y1; {
			if ok(y, c) {
				y++
				continue
			}
			start := y
			for y < y1 && (!ok(y, c) || y+1 < y1 && !ok(y+1, c)) {
				y++
			}
			band := image.Rect(x0-TileSize, p.bounds.Min.Y+start-12, x0+2*TileSize, p.bounds.Min.Y+y+12)
			todo = append(todo, band.Intersect(r))
		}
	}
	moved := func(rect image.Rectangle) (image.Rectangle, bool, bool) {
		if !rect.In(r) {
			return rect, false, false
		}
		nr := rect.Add(image.Pt(0, -dy))
		if !nr.In(r) {
			return nr, false, true
		}
		_, _, tx1, _ := p.tilesOf(rect)
		tx0, _, _, _ := p.tilesOf(rect)
		same, shifted := true, true
		for c := tx0; c <= tx1; c++ {
			for y := rect.Min.Y - p.bounds.Min.Y; y < rect.Max.Y-p.bounds.Min.Y; y++ {
				same = same && p.seg[y*p.cols+c] == p.prev[y*p.cols+c]
			}
			for y := nr.Min.Y - p.bounds.Min.Y; y < nr.Max.Y-p.bounds.Min.Y; y++ {
				shifted = shifted && p.seg[y*p.cols+c] == p.prev[(y+dy)*p.cols+c]
			}
		}
		switch {
		case same:
			return rect, true, false
		case shifted:
			return nr, true, false
		}
		return nr, false, true
	}
	hits := p.hits[:0]
	for _, h := range p.hits {
		nr, keep, reread := moved(h.Rect)
		if keep {
			h.Rect = nr
			hits = append(hits, h)
		} else if reread {
			todo = append(todo, nr.Intersect(r))
		} else if !h.Rect.Overlaps(r) {
			hits = append(hits, h)
		} else {
			todo = append(todo, h.Rect.Intersect(p.bounds)) // partly in r: read again where it was
		}
	}
	p.hits = hits
	kws := p.keywords[:0]
	for _, k := range p.keywords {
		if nr, keep, _ := moved(k); keep {
			kws = append(kws, nr)
		} else if !k.Overlaps(r) {
			kws = append(kws, k)
		}
	}
	p.keywords = kws
	tx0, ty0, tx1, ty1 := p.tilesOf(r)
	for ty := ty0; ty <= ty1; ty++ {
		for tx := tx0; tx <= tx1; tx++ {
			if p.tileRect(tx, ty).In(r) {
				dirty[ty*p.cols+tx] = false
			}
		}
	}
	return todo
}

func (p *Pipeline) tileRect(tx, ty int) image.Rectangle {
	min := p.bounds.Min.Add(image.Pt(tx*TileSize, ty*TileSize))
	return image.Rectangle{Min: min, Max: min.Add(image.Pt(TileSize, TileSize))}.Intersect(p.bounds)
}

// tilesOf returns the tile index range covering r.
func (p *Pipeline) tilesOf(r image.Rectangle) (tx0, ty0, tx1, ty1 int) {
	r = r.Intersect(p.bounds).Sub(p.bounds.Min)
	if r.Empty() {
		return 0, 0, -1, -1
	}
	return r.Min.X / TileSize, r.Min.Y / TileSize, (r.Max.X - 1) / TileSize, (r.Max.Y - 1) / TileSize
}

// touches reports whether r covers a dirty tile.
func (p *Pipeline) touches(r image.Rectangle, dirty []bool) bool {
	tx0, ty0, tx1, ty1 := p.tilesOf(r)
	for ty := ty0; ty <= ty1; ty++ {
		for tx := tx0; tx <= tx1; tx++ {
			if dirty[ty*p.cols+tx] {
				return true
			}
		}
	}
	return false
}

// mark makes every tile under r dirty.
func (p *Pipeline) mark(r image.Rectangle, dirty []bool) {
	tx0, ty0, tx1, ty1 := p.tilesOf(r)
	for ty := ty0; ty <= ty1; ty++ {
		for tx := tx0; tx <= tx1; tx++ {
			dirty[ty*p.cols+tx] = true
		}
	}
}

func dropHits(hs []content.Hit, dirty []bool, p *Pipeline, rect func(content.Hit) image.Rectangle) []content.Hit {
	out := hs[:0]
	for _, h := range hs {
		if p.touches(rect(h), dirty) {
			p.mark(rect(h), dirty)
			continue
		}
		out = append(out, h)
	}
	return out
}

func dropRects(rs []image.Rectangle, dirty []bool, p *Pipeline) []image.Rectangle {
	out := rs[:0]
	for _, r := range rs {
		if p.touches(r, dirty) {
			p.mark(r, dirty)
			continue
		}
		out = append(out, r)
	}
	return out
}

// regions merges dirty tiles into rectangles: rows of tiles into runs,
// runs into their bounding boxes when they touch, then each box widened
// by a tile left and right (a changed word's line neighbours give the
// keyword context and keep words at the edge whole) and a quarter tile up
// and down (a line of text straddling a tile border), and overlapping
// boxes merged again.
func (p *Pipeline) regions(dirty []bool) []image.Rectangle { return mergeRects(p.runs(dirty)) }

// runs are the rows of dirty tiles as widened rectangles, not merged.
func (p *Pipeline) runs(dirty []bool) []image.Rectangle {
	var rs []image.Rectangle
	for ty := 0; ty < p.rows; ty++ {
		for tx := 0; tx < p.cols; tx++ {
			if !dirty[ty*p.cols+tx] {
				continue
			}
			start := tx
			for tx < p.cols && dirty[ty*p.cols+tx] {
				tx++
			}
			r := p.tileRect(start, ty).Union(p.tileRect(tx-1, ty))
			r = image.Rect(r.Min.X-TileSize, r.Min.Y-TileSize/4, r.Max.X+TileSize, r.Max.Y+TileSize/4).Intersect(p.bounds)
			rs = append(rs, r)
		}
	}
	return rs
}

// mergeRects replaces overlapping rectangles by their union until none
// overlap.
func mergeRects(rs []image.Rectangle) []image.Rectangle {
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(rs); i++ {
			for j := i + 1; j < len(rs); j++ {
				if rs[i].Overlaps(rs[j]) {
					rs[i] = rs[i].Union(rs[j])
					rs = append(rs[:j], rs[j+1:]...)
					merged = true
					j--
				}
			}
		}
	}
	return rs
}

// uniform reports whether a region is one flat colour (no text to read).
func uniform(g *image.Gray) bool {
	if len(g.Pix) == 0 {
		return true
	}
	lo, hi := g.Pix[0], g.Pix[0]
	for _, v := range g.Pix {
		lo, hi = min(lo, v), max(hi, v)
	}
	return hi-lo < inkTolerance
}
