package sample

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"slices"
	"strings"
	"testing"

	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
)

// fakeEngine "recognises" the words of a screen model whose boxes lie
// wholly inside the region it is given, one line per distinct top edge,
// and records the regions.
type fakeEngine struct {
	screen  []platform.Word
	regions []image.Rectangle
}

func (f *fakeEngine) Recognize(img *image.Gray) ([]platform.Line, error) {
	f.regions = append(f.regions, img.Rect)
	byY := map[int]int{}
	var lines []platform.Line
	for _, w := range f.screen {
		if !w.Box.In(img.Rect) {
			continue
		}
		i, ok := byY[w.Box.Min.Y]
		if !ok {
			i = len(lines)
			byY[w.Box.Min.Y] = i
			lines = append(lines, nil)
		}
		lines[i] = append(lines[i], w)
	}
	return lines, nil
}

func (f *fakeEngine) Close() error { return nil }

// put adds a word to the model and paints its box so the tiles change.
func put(frame *image.RGBA, f *fakeEngine, text string, r image.Rectangle) {
	f.screen = append(f.screen, platform.Word{Text: text, Box: r})
	draw.Draw(frame, r, image.NewUniform(color.Black), image.Point{}, draw.Src)
}

// remove takes words inside r out of the model and blanks r.
func remove(frame *image.RGBA, f *fakeEngine, r image.Rectangle) {
	out := f.screen[:0]
	for _, w := range f.screen {
		if !w.Box.Overlaps(r) {
			out = append(out, w)
		}
	}
	f.screen = out
	draw.Draw(frame, r, image.NewUniform(color.White), image.Point{}, draw.Src)
}

func newFrame() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	draw.Draw(img, img.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	return img
}

// blankPipeline is a pipeline that stops at hits, with a fake engine,
// after a first frame of a blank screen (nothing read), and that frame.
func blankPipeline(t *testing.T) (*Pipeline, *fakeEngine, *image.RGBA) {
	t.Helper()
	scan, err := content.NewScanner(content.Default())
	if err != nil {
		t.Fatal(err)
	}
	eng := &fakeEngine{}
	p := NewPipeline(eng, scan)
	p.StopAtHit = true
	frame := newFrame()
	if _, err := p.Process(frame); err != nil {
		t.Fatal(err)
	}
	return p, eng, frame
}

func hitStrings(hs []content.Hit) string {
	var s []string
	for _, h := range hs {
		s = append(s, h.String())
	}
	return strings.Join(s, " ")
}

func TestPipelineOnlyChangedRegions(t *testing.T) {
	scan, err := content.NewScanner(content.Default())
	if err != nil {
		t.Fatal(err)
	}
	eng := &fakeEngine{}
	p := NewPipeline(eng, scan)
	frame := newFrame()
	put(frame, eng, "Anteckning", image.Rect(1000, 200, 1090, 214))
	put(frame, eng, "19121212-1212", image.Rect(1100, 200, 1200, 214))
	put(frame, eng, "Lunch", image.Rect(100, 700, 150, 714))

	// First frame: everything is new.
	hits, err := p.Process(frame)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hitStrings(hits), "personnummer/medium@(1100,200)-(1200,214)"; got != want {
		t.Fatalf("first frame hits %q, want %q", got, want)
	}
	if p.Last.ChangedTiles != 30*17 {
		t.Errorf("first frame changed tiles = %d", p.Last.ChangedTiles)
	}

	// Unchanged frame: no recognition, same hits.
	eng.regions = nil
	hits, _ = p.Process(frame)
	if len(eng.regions) != 0 || p.Last.ChangedTiles != 0 {
		t.Errorf("unchanged frame recognised %v", eng.regions)
	}
	if hitStrings(hits) != "personnummer/medium@(1100,200)-(1200,214)" {
		t.Errorf("unchanged frame lost hits: %s", hitStrings(hits))
	}

	// A number appears far away, in one tile: only its neighbourhood is
	// recognised, the old hit is kept without recognising it again.
	eng.regions = nil
	put(frame, eng, "811218-9876", image.Rect(200, 500, 280, 514))
	hits, _ = p.Process(frame)
	if len(eng.regions) != 1 {
		t.Fatalf("regions %v, want one", eng.regions)
	}
	if r := eng.regions[0]; r.Overlaps(image.Rect(1000, 200, 1200, 214)) || !image.Rect(200, 500, 280, 514).In(r) || r.Dx()*r.Dy() > 1920*1080*3/100 {
		t.Errorf("region %v", r)
	}
	if got := hitStrings(hits); got != "personnummer/medium@(1100,200)-(1200,214) personnummer/medium@(200,500)-(280,514)" {
		t.Errorf("hits after change: %s", got)
	}

	// A keyword appears below the number (whose box reaches into the
	// keyword's tile row, so both are read again together): the nearby
	// number rises to high, the far one does not.
	put(frame, eng, "Patient", image.Rect(200, 560, 260, 574))
	hits, _ = p.Process(frame)
	if got := hitStrings(hits); got != "personnummer/medium@(1100,200)-(1200,214) personnummer/high@(200,500)-(280,514)" {
		t.Errorf("hits after keyword: %s", got)
	}

	// The first number scrolls away: its tiles change and its hit goes.
	remove(frame, eng, image.Rect(1100, 200, 1200, 214))
	eng.regions = nil
	hits, _ = p.Process(frame)
	if got := hitStrings(hits); got != "personnummer/high@(200,500)-(280,514)" {
		t.Errorf("hits after removal: %s", got)
	}

	// A change in one tile of a number recognises the whole number again.
	eng.regions = nil
	draw.Draw(frame, image.Rect(279, 500, 280, 501), image.NewUniform(color.White), image.Point{}, draw.Src)
	hits, _ = p.Process(frame)
	// Read line by line: the number's line whole, and the keyword's.
	if len(eng.regions) == 0 || !image.Rect(200, 500, 280, 514).In(eng.regions[0]) {
		t.Errorf("partial change recognised %v", eng.regions)
	}
	for _, r := range eng.regions[1:] {
		if r.Overlaps(image.Rect(200, 500, 280, 514)) {
			t.Errorf("the number's line read twice: %v", eng.regions)
		}
	}
	if got := hitStrings(hits); got != "personnummer/high@(200,500)-(280,514)" {
		t.Errorf("hits after partial change: %s", got)
	}

	// A new frame size starts over.
	eng.regions = nil
	small := image.NewRGBA(image.Rect(0, 0, 640, 480))
	if _, err := p.Process(small); err != nil {
		t.Fatal(err)
	}
	if p.Last.ChangedTiles != 10*8 {
		t.Errorf("resized frame changed tiles = %d", p.Last.ChangedTiles)
	}
}

func TestMergeRects(t *testing.T) {
	rs := mergeRects([]image.Rectangle{
		image.Rect(0, 0, 10, 10), image.Rect(5, 5, 20, 20), image.Rect(100, 100, 110, 110), image.Rect(19, 19, 30, 30),
	})
	if len(rs) != 2 || rs[0] != image.Rect(0, 0, 30, 30) || rs[1] != image.Rect(100, 100, 110, 110) {
		t.Errorf("mergeRects = %v", rs)
	}
}

// document draws lines of "text" into box d, first line at index first,
// scrolled so that line i sits at d.Min.Y + 20*(i-first) + 4. Each line's
// pixels differ row by row (as glyphs do), so rows hash uniquely.
func document(frame *image.RGBA, f *fakeEngine, d image.Rectangle, words func(i int) []string, first int) {
	draw.Draw(frame, d, image.NewUniform(color.White), image.Point{}, draw.Src)
	out := f.screen[:0]
	for _, w := range f.screen {
		if !w.Box.Overlaps(d) {
			out = append(out, w)
		}
	}
	f.screen = out
	for i := first; ; i++ {
		y := d.Min.Y + 20*(i-first) + 4
		if y+14 > d.Max.Y {
			break
		}
		x := d.Min.X + 10
		for k, text := range words(i) {
			r := image.Rect(x, y, x+10*len(text), y+14)
			f.screen = append(f.screen, platform.Word{Text: text, Box: r})
			for yy := r.Min.Y; yy < r.Max.Y; yy++ {
				v := uint8((i*31+k*17+(yy-r.Min.Y)*7)%200 + 20)
				for xx := r.Min.X; xx < r.Max.X; xx++ {
					frame.SetRGBA(xx, yy, color.RGBA{v, uint8(xx), v, 0xff})
				}
			}
			x = r.Max.X + 10
		}
	}
}

func TestPipelineScroll(t *testing.T) {
	scan, _ := content.NewScanner(content.Default())
	eng := &fakeEngine{}
	p := NewPipeline(eng, scan)
	frame := newFrame()
	d := image.Rect(600, 100, 1400, 900)
	words := func(i int) []string {
		if i == 12 {
			return []string{"Patient", "811218-9876"}
		}
		return []string{"Rad", string(rune('a' + i%26)), "text"}
	}
	document(frame, eng, d, words, 0)
	hits, _ := p.Process(frame)
	if got := hitStrings(hits); got != "personnummer/high@(690,344)-(800,358)" {
		t.Fatalf("before scrolling: %s", got)
	}
	// Scroll down by two lines (40 px): the number moves up, two lines
	// appear at the bottom.
	eng.regions = nil
	document(frame, eng, d, words, 2)
	hits, _ = p.Process(frame)
	if p.Last.Scrolled != 1 {
		t.Errorf("not handled as a scroll: %+v", p.Last)
	}
	if got := hitStrings(hits); got != "personnummer/high@(690,304)-(800,318)" {
		t.Errorf("after scrolling: %s", got)
	}
	area := d.Dx() * d.Dy()
	if p.Last.OCRPixels > area/4 {
		t.Errorf("scroll recognised %d px of a %d px document: %v", p.Last.OCRPixels, area, eng.regions)
	}
	for _, r := range eng.regions {
		if r.Overlaps(image.Rect(690, 304, 800, 318)) {
			t.Errorf("the moved number was recognised again in %v", r)
		}
	}
	// Scroll until the number leaves the document: its hit goes.
	document(frame, eng, d, words, 20)
	hits, _ = p.Process(frame)
	if got := hitStrings(hits); got != "" {
		t.Errorf("number scrolled out but still hit: %s", got)
	}
	// And back: found again.
	document(frame, eng, d, words, 5)
	hits, _ = p.Process(frame)
	if got := hitStrings(hits); got != "personnummer/high@(690,244)-(800,258)" {
		t.Errorf("scrolled back: %s (%+v)", got, p.Last)
	}
}

func TestPipelineDefersBeyondMaxPixels(t *testing.T) {
	scan, _ := content.NewScanner(content.Default())
	eng := &fakeEngine{}
	p := NewPipeline(eng, scan)
	frame := newFrame()
	if _, err := p.Process(frame); err != nil { // blank: nothing to read
		t.Fatal(err)
	}
	p.MaxOCRPixels = 120_000
	// A big document appears (about 800x800) and one small line elsewhere.
	d := image.Rect(600, 100, 1400, 900)
	document(frame, eng, d, func(i int) []string {
		if i == 30 {
			return []string{"Patient", "811218-9876"}
		}
		return []string{"Rad", string(rune('a' + i%26))}
	}, 0)
	put(frame, eng, "19121212-1212", image.Rect(100, 1000, 200, 1014))

	var frames int
	var hits []content.Hit
	for frames = 1; frames < 20; frames++ {
		var err error
		eng.regions = nil
		hits, err = p.Process(frame)
		if err != nil {
			t.Fatal(err)
		}
		if frames == 1 {
			// The small change is read first, within the bound.
			if len(eng.regions) == 0 || !image.Rect(100, 1000, 200, 1014).In(eng.regions[0]) {
				t.Errorf("first region %v", eng.regions)
			}
			if p.Last.OCRPixels > 120_000 || p.Last.Deferred == 0 {
				t.Errorf("first frame %+v", p.Last)
			}
		}
		if p.Last.Deferred == 0 {
			break
		}
	}
	if frames < 3 || frames >= 20 {
		t.Errorf("the document took %d frames", frames)
	}
	want := "personnummer/medium@(100,1000)-(200,1014) personnummer/high@(690,704)-(800,718)"
	if got := hitStrings(hits); got != want {
		t.Errorf("after %d frames: %s, want %s", frames, got, want)
	}
	// Nothing left: an unchanged frame reads nothing.
	eng.regions = nil
	p.Process(frame)
	if len(eng.regions) != 0 {
		t.Errorf("unchanged frame read %v", eng.regions)
	}
}

// A small change every frame (a clock) must not starve a large region
// waiting to be read.
func TestPipelineNoStarvation(t *testing.T) {
	scan, _ := content.NewScanner(content.Default())
	eng := &fakeEngine{}
	p := NewPipeline(eng, scan)
	frame := newFrame()
	p.Process(frame)
	p.MaxOCRPixels = 120_000
	document(frame, eng, image.Rect(600, 100, 1400, 900), func(i int) []string {
		if i == 35 {
			return []string{"811218-9876"}
		}
		return []string{"Rad", string(rune('a' + i%26))}
	}, 0)
	for i := 0; i < 10; i++ {
		// The clock ticks in the corner.
		remove(frame, eng, image.Rect(1850, 1050, 1900, 1064))
		put(frame, eng, "12:0"+string(rune('0'+i)), image.Rect(1850+i%2, 1050, 1890, 1064))
		hits, err := p.Process(frame)
		if err != nil {
			t.Fatal(err)
		}
		if hitStrings(hits) == "personnummer/medium@(610,804)-(720,818)" && p.Last.Deferred == 0 {
			return
		}
	}
	t.Errorf("the document was never read to the end (last frame %+v)", p.Last)
}

// A keyword read in another region raises a number within the configured
// KeywordDistance (content.Reach), not within a fixed reach.
func TestPipelineKeywordDistance(t *testing.T) {
	for _, c := range []struct {
		distance int
		want     string
	}{
		{300, "personnummer/high@(200,460)-(280,474)"},  // 25 line heights (350 px) across
		{60, "personnummer/medium@(200,460)-(280,474)"}, // 5 line heights (70 px)
		{0, "personnummer/medium@(200,460)-(280,474)"},
	} {
		cfg := content.Default()
		cfg.KeywordDistance = c.distance
		scan, err := content.NewScanner(cfg)
		if err != nil {
			t.Fatal(err)
		}
		eng := &fakeEngine{}
		p := NewPipeline(eng, scan)
		frame := newFrame()
		p.Process(frame)
		put(frame, eng, "811218-9876", image.Rect(200, 460, 280, 474))
		p.Process(frame)
		// On the same line 170 px to the right, read in a region of its
		// own: only the on-screen rule can see it.
		eng.regions = nil
		put(frame, eng, "Patient", image.Rect(450, 460, 510, 474))
		hits, _ := p.Process(frame)
		if len(eng.regions) != 1 || eng.regions[0].Min.X <= 280 {
			t.Fatalf("distance %d: read %v, want one region without the number", c.distance, eng.regions)
		}
		if got := hitStrings(hits); got != c.want {
			t.Errorf("distance %d: %s, want %s", c.distance, got, c.want)
		}
	}
}

// Risk first: a window raised while older work waits is read before that
// work, even though it is larger; and the frame ends at the first region
// with a new high-confidence hit, so the caller acts at once and the rest
// waits for the next frame.
func TestPipelineFreshFirstAndStopAtHit(t *testing.T) {
	p, eng, frame := blankPipeline(t)
	p.MaxOCRPixels = 100_000
	// A 400x400 document: read over several frames.
	old := image.Rect(100, 100, 500, 500)
	document(frame, eng, old, func(i int) []string { return []string{"Rad", string(rune('a' + i%26))} }, 0)
	if _, err := p.Process(frame); err != nil {
		t.Fatal(err)
	}
	if p.Last.Deferred == 0 {
		t.Fatalf("the document was read in one frame (%+v); the test wants work waiting", p.Last)
	}
	// Now a larger window shows a number beside its keyword near its
	// top; this frame may read far more than before.
	p.MaxOCRPixels = 1_000_000
	win := image.Rect(900, 100, 1700, 700)
	document(frame, eng, win, numberAt(2), 0)
	eng.regions = nil
	hits, err := p.Process(frame)
	if err != nil {
		t.Fatal(err)
	}
	if len(eng.regions) == 0 || !eng.regions[0].Overlaps(win) || eng.regions[0].Overlaps(old) {
		t.Fatalf("regions read %v: the new window was not first", eng.regions)
	}
	if !p.Last.Stopped || p.Last.Deferred == 0 {
		t.Errorf("the frame did not end at the hit: %+v", p.Last)
	}
	if got := hitStrings(hits); !strings.Contains(got, "personnummer/high") {
		t.Errorf("hits %q", got)
	}
	for _, r := range eng.regions {
		if r.Overlaps(old) {
			t.Errorf("the waiting document was read (%v) before the frame ended at the hit", r)
		}
	}
	// The rest is read in the following frames; the hit stays.
	for i := 0; i < 20 && p.Last.Deferred > 0; i++ {
		if hits, err = p.Process(frame); err != nil {
			t.Fatal(err)
		}
	}
	if p.Last.Deferred > 0 || !strings.Contains(hitStrings(hits), "personnummer/high") {
		t.Errorf("after the rest: %+v, hits %q", p.Last, hitStrings(hits))
	}
}

// The first frame of a share reads the topmost window first, before the
// rest of the screen, and ends there at its number.
func TestPipelineFocusFirst(t *testing.T) {
	scan, _ := content.NewScanner(content.Default())
	eng := &fakeEngine{}
	p := NewPipeline(eng, scan)
	p.StopAtHit = true
	p.MaxOCRPixels = 500_000
	frame := newFrame()
	document(frame, eng, image.Rect(0, 0, 1920, 1080), func(i int) []string { return []string{"Rad", string(rune('a' + i%26))} }, 0)
	win := image.Rect(1310, 600, 1905, 1000) // not on tile borders
	remove(frame, eng, win)
	document(frame, eng, win, numberAt(1), 0)
	p.Focus = []image.Rectangle{win}
	hits, err := p.Process(frame)
	if err != nil {
		t.Fatal(err)
	}
	// (A line is read with a margin that may reach beyond the window.)
	if snapped := image.Rect(1280, 600-stripPad, 1920, 1000+stripPad); len(eng.regions) == 0 || !eng.regions[0].In(snapped) {
		t.Fatalf("regions %v: the top window %v was not read first", eng.regions, win)
	}
	if !p.Last.Stopped || !strings.Contains(hitStrings(hits), "personnummer/high") {
		t.Errorf("stats %+v, hits %q", p.Last, hitStrings(hits))
	}
	// The rest follows, and the read ends: a window that does not lie on
	// tile borders is not read again and again.
	for i := 0; i < 20 && p.Last.Deferred > 0; i++ {
		if _, err := p.Process(frame); err != nil {
			t.Fatal(err)
		}
	}
	if p.Last.Deferred > 0 {
		t.Errorf("the first read never ended: %+v", p.Last)
	}
	// Without focus the screen is read top down: the window comes late.
	eng.regions = nil
	q := NewPipeline(eng, scan)
	q.StopAtHit, q.MaxOCRPixels = true, 500_000
	q.Process(frame)
	if len(eng.regions) == 0 || eng.regions[0].Overlaps(win) {
		t.Errorf("without focus the first region %v was the window's", eng.regions)
	}
}

// A tile that changes in every frame (a camera tile in a meeting) is read
// only every animatedEvery-th frame once it has changed animatedAfter
// times in a row; a line typed elsewhere meanwhile is read at once; and
// the picture the video stops on is read.
func TestPipelineAnimatedTilesWait(t *testing.T) {
	scan, _ := content.NewScanner(content.Default())
	eng := &fakeEngine{}
	p := NewPipeline(eng, scan)
	frame := newFrame()
	p.Process(frame)
	video := image.Rect(100, 100, 260, 190)
	shade := func(i int) {
		draw.Draw(frame, video, image.NewUniform(color.Gray{Y: uint8(40 + 13*i)}), image.Point{}, draw.Src)
		for x := video.Min.X; x < video.Max.X; x += 7 {
			frame.Set(x, video.Min.Y+i%80, color.White) // not flat: worth reading
		}
	}
	readVideo := 0
	for i := 0; i < 2*animatedEvery; i++ {
		shade(i)
		if i == 12 {
			put(frame, eng, "19121212-1212", image.Rect(1000, 600, 1100, 614))
		}
		eng.regions = nil
		hits, err := p.Process(frame)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range eng.regions {
			if r.Overlaps(video) {
				readVideo++
			}
		}
		if i == 12 && !strings.Contains(hitStrings(hits), "personnummer") {
			t.Errorf("frame %d: the typed number was not read while the video played: %v", i, eng.regions)
		}
	}
	if readVideo > animatedAfter+3 {
		t.Errorf("the video was read in %d of %d frames", readVideo, 2*animatedEvery)
	}
	// It stops: its last picture is read in the next frame.
	eng.regions = nil
	p.Process(frame)
	if !slices.ContainsFunc(eng.regions, video.Overlaps) {
		t.Errorf("the still picture was not read: %v", eng.regions)
	}
}

// A region that changes in every other grab, with nothing at all
// changed in between (a page turned now and then), is no video: it is
// read each time it changes.
func TestPipelineChangeNowAndThenIsNoVideo(t *testing.T) {
	p, eng, frame := blankPipeline(t)
	page := image.Rect(100, 100, 260, 190)
	for i := range 3 * animatedAfter {
		speckle(frame, page, i)
		eng.regions = nil
		p.Process(frame)
		if p.Last.Animated != 0 || !slices.ContainsFunc(eng.regions, page.Overlaps) {
			t.Fatalf("change %d: %d tiles taken for video, read %v", i, p.Last.Animated, eng.regions)
		}
		p.Process(frame) // nothing changed
	}
}

// A just-changed region that differs on the screen again by the time it
// is to be read (a window still being painted) is not read in that frame:
// the frame ends, and the next one reads it once it holds still.
func TestPipelineWaitsForPaint(t *testing.T) {
	scan, _ := content.NewScanner(content.Default())
	eng := &fakeEngine{}
	p := NewPipeline(eng, scan)
	frame := newFrame()
	p.Process(frame)
	painting := true
	var rechecked []image.Rectangle
	p.Recheck = func(r image.Rectangle) bool { rechecked = append(rechecked, r); return painting }
	win := image.Rect(900, 300, 1500, 700)
	document(frame, eng, win, numberAt(2), 0)
	eng.regions = nil
	hits, err := p.Process(frame)
	if err != nil {
		t.Fatal(err)
	}
	if len(eng.regions) != 0 || len(hits) != 0 || !p.Last.Stopped || !p.Last.Unsettled || len(rechecked) == 0 {
		t.Fatalf("a region being painted was read: regions %v, hits %v, stats %+v", eng.regions, hits, p.Last)
	}
	painting = false
	hits, err = p.Process(frame)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hitStrings(hits), "personnummer/high") || p.Last.Unsettled {
		t.Errorf("once painted: hits %q, stats %+v", hitStrings(hits), p.Last)
	}
}

// numberAt is a document of "Text" lines with a personnummer beside its
// keyword on line n.
func numberAt(n int) func(i int) []string {
	return func(i int) []string {
		if i == n {
			return []string{"Personnummer", "19121212-1212"}
		}
		return []string{"Text", string(rune('a' + i%26))}
	}
}

// A window hidden for a number and brought back unchanged is known again
// in the first frame that shows it, before anything is read; a different
// picture at the same place is read as usual.
func TestPipelineKnowsAHitAgain(t *testing.T) {
	p, eng, frame := blankPipeline(t)
	win := image.Rect(900, 300, 1500, 700)
	draw.Draw(frame, win, image.NewUniform(color.RGBA{200, 220, 255, 255}), image.Point{}, draw.Src)
	put(frame, eng, "Personnummer", image.Rect(1000, 400, 1110, 414))
	put(frame, eng, "19121212-1212", image.Rect(1120, 400, 1220, 414))
	const want = "personnummer/high@(1120,400)-(1220,414)"
	read := func() string {
		t.Helper()
		for i := 0; i < 5; i++ { // until the frame is read through
			hits, err := p.Process(frame)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Last.Stopped {
				return hitStrings(hits)
			}
		}
		t.Fatal("frames never read through")
		return ""
	}
	if got := read(); got != want {
		t.Fatalf("hits %q, want %q", got, want)
	}
	saved := image.NewRGBA(win)
	draw.Draw(saved, win, frame, win.Min, draw.Src)
	words := append([]platform.Word(nil), eng.screen...)

	// Minimized: the desktop shows there, and the hit goes.
	remove(frame, eng, win)
	if got := read(); got != "" {
		t.Fatalf("hidden window still hit: %q", got)
	}
	// Restored: the same pixels at the same place are known at once.
	draw.Draw(frame, win, saved, win.Min, draw.Src)
	eng.screen = words
	eng.regions = nil
	hits, err := p.Process(frame)
	if err != nil {
		t.Fatal(err)
	}
	if got := hitStrings(hits); got != want || !p.Last.Known || !p.Last.Stopped || len(eng.regions) != 0 {
		t.Fatalf("restored: hits %q, %+v, read %v", got, p.Last, eng.regions)
	}
	// Minimized again before anything was read there: the tiles look as
	// read before the restore, yet the hit goes.
	remove(frame, eng, win)
	if hits, _ = p.Process(frame); len(hits) != 0 {
		t.Fatalf("minimized again, still hit: %s (%+v)", hitStrings(hits), p.Last)
	}
	draw.Draw(frame, win, saved, win.Min, draw.Src)
	eng.screen = words
	if hits, _ = p.Process(frame); hitStrings(hits) != want || !p.Last.Known {
		t.Fatalf("restored again: hits %q, %+v", hitStrings(hits), p.Last)
	}
	// The next frame reads the window as usual and keeps the hit, without
	// ending early for it again.
	eng.regions = nil
	hits, _ = p.Process(frame)
	if got := hitStrings(hits); got != want || p.Last.Known || len(eng.regions) == 0 {
		t.Errorf("after: hits %q, %+v, read %v", got, p.Last, eng.regions)
	}

	// Hidden again, and back with one pixel of the number changed (another
	// patient): not known, read as usual.
	remove(frame, eng, win)
	read()
	draw.Draw(frame, win, saved, win.Min, draw.Src)
	eng.screen = words
	frame.Set(1150, 405, color.RGBA{1, 2, 3, 255})
	eng.regions = nil
	p.Process(frame)
	if p.Last.Known || len(eng.regions) == 0 {
		t.Errorf("a changed number was known again: %+v, read %v", p.Last, eng.regions)
	}
}

// With a second engine (Pair) a window is read two lines at a time, the
// second of each pair by the second engine: the same lines are read and
// the same hits found as by one engine, and the frame ends after the pair
// that holds the number.
func TestPipelinePairedLines(t *testing.T) {
	read := func(pair bool) (hits string, one, two []image.Rectangle, st Stats) {
		p, eng, frame := blankPipeline(t)
		p.LineByLine = true
		win := image.Rect(640, 256, 1280, 640) // tile borders: one region
		document(frame, eng, win, numberAt(4), 0)
		eng.regions = nil
		other := &fakeEngine{screen: eng.screen}
		if pair {
			p.Pair = other.Recognize
		}
		hs, err := p.Process(frame)
		if err != nil {
			t.Fatal(err)
		}
		return hitStrings(hs), eng.regions, other.regions, p.Last
	}
	want, lines, _, st := read(false)
	if !strings.Contains(want, "personnummer/high") || !st.Stopped || len(lines) != 5 {
		t.Fatalf("one engine: hits %q, %d lines read, %+v; want the number at the fifth line, then a stop", want, len(lines), st)
	}
	got, one, two, st2 := read(true)
	if got != want {
		t.Errorf("paired hits %q, want %q", got, want)
	}
	// Lines 1, 3, 5 by the engine, 2, 4, 6 by the pair: one more line
	// than alone, since the pair holding the number is read whole.
	if len(one) != 3 || len(two) != 3 {
		t.Fatalf("engine read %v, pair read %v", one, two)
	}
	for i := range one {
		if one[i].Max.Y > two[i].Min.Y+stripPad*2 || (i > 0 && two[i-1].Max.Y > one[i].Min.Y+stripPad*2) {
			t.Errorf("lines out of order: engine %v, pair %v", one, two)
		}
	}
	for i, r := range append(slices.Clone(one[:3]), two[:2]...) {
		if !slices.Contains(lines, r) {
			t.Errorf("line %d read paired (%v) is not a line read alone %v", i, r, lines)
		}
	}
	if !st2.Stopped || st2.Deferred == 0 || st2.Regions != 6 {
		t.Errorf("paired frame %+v: want a stop after six lines with the rest deferred", st2)
	}
}

// A line read once in a share is known by its pixels wherever it comes
// back: a row inserted into a table is the only line read, though every
// row below it moved; a window shown again is not read at all, and its
// number is found where it now is.
func TestPipelineKnowsLinesAgain(t *testing.T) {
	for _, byLine := range []bool{false, true} {
		t.Run(fmt.Sprintf("LineByLine=%v", byLine), func(t *testing.T) { knowsLinesAgain(t, byLine) })
	}
}

func knowsLinesAgain(t *testing.T, byLine bool) {
	p, eng, frame := blankPipeline(t)
	p.StopAtHit, p.LineByLine = false, byLine
	win := image.Rect(640, 256, 1280, 512)
	rows := func(number int) func(i int) []string {
		return func(i int) []string {
			switch {
			case i == number:
				return []string{"Personnummer", "19121212-1212"}
			case i < 0:
				return []string{"Ny", "rad"}
			}
			return []string{"Rad", string(rune('a' + i))}
		}
	}
	document(frame, eng, win, rows(4), 0)
	readAll := func() []content.Hit {
		t.Helper()
		eng.regions = nil
		var hits []content.Hit
		for range 10 {
			var err error
			if hits, err = p.Process(frame); err != nil {
				t.Fatal(err)
			}
			if p.Last.Deferred == 0 {
				break
			}
		}
		return hits
	}
	first := readAll()
	if len(p.lines) < 12 || !strings.Contains(hitStrings(first), "personnummer/high") {
		t.Fatalf("first read: %d lines remembered (%d calls), hits %q", len(p.lines), len(eng.regions), hitStrings(first))
	}
	if byLine && len(eng.regions) < 12 || !byLine && len(eng.regions) > 3 {
		t.Errorf("first read took %d engine calls", len(eng.regions))
	}

	// A row comes in at the top; the others move down 20 px (the scroll
	// detection's case): the new line is read, and at most a part of the
	// old first line cut by the scrolled band.
	document(frame, eng, win, rows(4), -1)
	hits := readAll()
	if len(eng.regions) == 0 || len(eng.regions) > 2 || eng.regions[len(eng.regions)-1].Max.Y > win.Min.Y+40 {
		t.Errorf("after a row was inserted the engine read %v; want only the new top line", eng.regions)
	}
	moved := first[0].Rect.Add(image.Pt(0, 20))
	if len(hits) != 1 || hits[0].Rect != moved || hits[0].Confidence != content.High {
		t.Errorf("hits %q, want the number moved to %v", hitStrings(hits), moved)
	}

	// The window is dragged 256 px to the right (the fake paints by x
	// modulo 256, so its pixels stay the same): every line is known.
	remove(frame, eng, win)
	dragged := win.Add(image.Pt(256, 0))
	document(frame, eng, dragged, rows(4), -1)
	hits = readAll()
	if len(eng.regions) != 0 || p.Last.KnownLines < 12 {
		t.Errorf("dragged window: engine read %v, %d lines known", eng.regions, p.Last.KnownLines)
	}
	if want := moved.Add(image.Pt(256, 0)); len(hits) != 1 || hits[0].Rect != want || hits[0].Confidence != content.High {
		t.Errorf("dragged window: hits %q, want the number at %v", hitStrings(hits), want)
	}

	// The window goes and comes back: nothing is read.
	remove(frame, eng, dragged)
	readAll()
	document(frame, eng, dragged, rows(4), -1)
	hits = readAll()
	if len(eng.regions) != 0 || len(hits) != 1 {
		t.Errorf("window back: engine read %v, hits %q", eng.regions, hitStrings(hits))
	}

	// A share's end keeps them for the next share; Forget drops them.
	p.Reset()
	readAll()
	if len(eng.regions) != 0 || p.Last.KnownLines < 12 {
		t.Errorf("after Reset the engine read %v, %d lines known", eng.regions, p.Last.KnownLines)
	}
	p.Reset()
	p.Forget()
	readAll()
	if len(eng.regions) == 0 || eng.regions[0].Min.Y > win.Min.Y+4 {
		t.Errorf("after Forget the engine read %v; want the window again from its top", eng.regions)
	}
}

// Lines with no blank row between them (a terminal's) are one strip: a
// change in a few of them is read within its tile rows, not with the
// rows around it, which are lines read before.
func TestPipelineGluedLines(t *testing.T) {
	for _, byLine := range []bool{false, true} {
		t.Run(fmt.Sprintf("LineByLine=%v", byLine), func(t *testing.T) {
			p, eng, frame := blankPipeline(t)
			p.StopAtHit, p.LineByLine = false, byLine
			term := image.Rect(256, 256, 896, 768)
			line := func(i int, text string) {
				r := image.Rect(term.Min.X+8, term.Min.Y+20*i, term.Min.X+8+10*len(text), term.Min.Y+20*(i+1))
				remove(frame, eng, image.Rect(term.Min.X, r.Min.Y, term.Max.X, r.Max.Y))
				eng.screen = append(eng.screen, platform.Word{Text: text, Box: r})
				for y := r.Min.Y; y < r.Max.Y; y++ {
					v := uint8((i*31+len(text)*17+(y-r.Min.Y)*7)%200 + 20)
					for x := r.Min.X; x < r.Max.X; x++ {
						frame.SetRGBA(x, y, color.RGBA{v, uint8(x), v, 0xff})
					}
				}
			}
			for i := range 24 {
				line(i, fmt.Sprintf("rad%02d", i))
			}
			if _, err := p.Process(frame); err != nil {
				t.Fatal(err)
			}
			// Line 9 (rows 436-456) changes: its tiles are rows 384-512,
			// their region 368-528 (a quarter tile more each way), and
			// nothing outside it is read.
			eng.regions = nil
			line(9, "ändrad rad nio")
			if _, err := p.Process(frame); err != nil {
				t.Fatal(err)
			}
			if len(eng.regions) == 0 {
				t.Fatal("the changed line was not read")
			}
			for _, r := range eng.regions {
				if r.Min.Y < 368 || r.Max.Y > 528 {
					t.Errorf("read %v, beyond the changed region's rows 368-528", r)
				}
			}
		})
	}
}
