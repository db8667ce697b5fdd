package sample

import (
	"context"
	"image"
	"image/draw"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/capture"
)

// fakeGrabber copies a scripted screen into the frame.
type fakeGrabber struct {
	screen *image.RGBA
	last   *image.RGBA
	closed bool
}

func (g *fakeGrabber) Bounds() image.Rectangle { return g.screen.Rect }
func (g *fakeGrabber) Grab(r image.Rectangle, dst *image.RGBA) (*image.RGBA, error) {
	if dst == nil || dst.Rect != r {
		dst = image.NewRGBA(r)
	}
	draw.Draw(dst, r, g.screen, r.Min, draw.Src)
	if r == g.screen.Rect {
		g.last = dst
	}
	return dst, nil
}
func (g *fakeGrabber) Close() error { g.closed = true; return nil }

func TestSampler(t *testing.T) {
	eng := &fakeEngine{}
	g := &fakeGrabber{screen: newFrame()}
	put(g.screen, eng, "Journal", image.Rect(100, 100, 160, 114))
	put(g.screen, eng, "811218-9876", image.Rect(170, 100, 250, 114))
	s, err := NewWith(secondly(), g, eng, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Unix(0, 0)
	step := 300 * time.Millisecond
	s.now = func() time.Time { clock = clock.Add(step); return clock }
	s.cpu = func() (time.Duration, bool) { return 0, false } // wall time is the work here

	hits, err := s.Sample(context.Background(), image.Rectangle{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Confidence != content.High {
		t.Fatalf("hits %v", hits)
	}
	for _, b := range g.last.Pix {
		if b != 0 {
			t.Fatal("frame buffer not cleared after Sample")
		}
	}
	// The frame ended at the hit: the rest of the screen is read next, at
	// once.
	if !s.Last().Stopped || s.Next() != 0 {
		t.Fatalf("after a hit: %+v, Next %v", s.Last(), s.Next())
	}
	if hits, err = s.Sample(context.Background(), image.Rectangle{}); err != nil || len(hits) != 1 {
		t.Fatalf("the rest: hits %v, %v", hits, err)
	}
	// 300 ms is within the 2 s burst (10% of 20 s): the plain interval.
	if d := s.Next(); d != time.Second {
		t.Errorf("Next after one 300ms frame = %v", d)
	}
	step = 5 * time.Millisecond
	clock = clock.Add(time.Minute) // an idle minute pays the debt
	if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil {
		t.Fatal(err)
	}
	if d := s.Next(); d != time.Second {
		t.Errorf("Next after a cheap frame = %v", d)
	}
	if s.Last().ChangedTiles != 0 {
		t.Errorf("identical frame changed %d tiles", s.Last().ChangedTiles)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Sample(ctx, image.Rectangle{}); err == nil {
		t.Error("Sample ran on a cancelled context")
	}
	// A new share knows the lines the last one read; after Release
	// (the engine let go between meetings) they are read again.
	s.Reset()
	eng.regions = nil
	if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil || len(eng.regions) != 0 || s.Last().KnownLines == 0 {
		t.Errorf("after Reset: read %v, %d lines known (%v); want them known", eng.regions, s.Last().KnownLines, err)
	}
	s.Reset()
	s.Release()
	eng.regions = nil
	if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil || len(eng.regions) == 0 {
		t.Errorf("after Release nothing was recognised again (%v)", err)
	}
	if err := s.Close(); err != nil || !g.closed {
		t.Errorf("Close: %v, grabber closed %v", err, g.closed)
	}
}

// The first whole read of a share goes on frame after frame with no wait,
// and is not counted, even when it takes several expensive frames; later
// frames are.
func TestSamplerFirstReadNotThrottled(t *testing.T) {
	eng := &fakeEngine{}
	g := &fakeGrabber{screen: newFrame()}
	document(g.screen, eng, image.Rect(600, 100, 1400, 900), func(i int) []string { return []string{"Rad", string(rune('a' + i%26))} }, 0)
	s, err := NewWith(secondly(), g, eng, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	s.pipe.MaxOCRPixels = 120_000
	clock := time.Unix(0, 0)
	s.now = func() time.Time { clock = clock.Add(time.Second); return clock } // 1 s per frame: 10x the budget
	s.cpu = func() (time.Duration, bool) { return 0, false }
	frames := 0
	for ; frames < 20; frames++ {
		if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil {
			t.Fatal(err)
		}
		d := s.Next()
		if s.Last().Deferred == 0 {
			if d != time.Second {
				t.Errorf("after the first read: Next = %v, want the interval", d)
			}
			break
		}
		if d != 0 {
			t.Fatalf("frame %d of the first read: Next = %v (%+v), want the next frame at once", frames, d, s.Last())
		}
	}
	if frames < 2 {
		t.Fatalf("first read took %d frames; the test wants several", frames+1)
	}
	// Afterwards expensive frames count: after a few of them a large
	// change waits for the budget.
	for i := 0; i < 5; i++ {
		g.screen.Pix[4*(1920*(200+i)+700)] ^= 0xff // change something
		s.Sample(context.Background(), image.Rectangle{})
	}
	document(g.screen, eng, image.Rect(600, 100, 1400, 900), func(i int) []string { return []string{"Ny", string(rune('a' + i%26))} }, 0)
	s.Sample(context.Background(), image.Rectangle{})
	if s.Last().OCRPixels > QuickPixels || s.Last().Deferred == 0 {
		t.Errorf("after five 1-second frames a large change was read at once: %+v", s.Last())
	}
}

// A screen that never stops changing is not read in full every frame:
// its tiles are taken for video after a second, or the first read ends
// once twice the screen's pixels have been read and the budget holds.
func TestSamplerFirstReadBounded(t *testing.T) {
	eng := &fakeEngine{}
	g := &fakeGrabber{screen: newFrame()}
	s, err := NewWith(secondly(), g, eng, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	s.pipe.MaxOCRPixels = 120_000
	clock := time.Unix(0, 0)
	s.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	s.cpu = func() (time.Duration, bool) { return 0, false }
	d := image.Rect(0, 0, 1920, 1080)
	read := 0
	for i := 0; i < 60; i++ {
		document(g.screen, eng, d, func(k int) []string { return []string{"Rad", string(rune('a' + (k+i)%26)), "x"} }, i)
		if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil {
			t.Fatal(err)
		}
		read += s.Last().OCRPixels
		if s.Last().Animated > 0 {
			// Tiles that change in every frame are video to the pipeline:
			// read every tenth frame only.
			if i < animatedAfter-1 {
				t.Errorf("animation at frame %d", i)
			}
			return
		}
		if clock.Before(s.due) { // the budget holds: large reads wait
			if read < 2*d.Dx()*d.Dy() {
				t.Errorf("throttled at frame %d after %d pixels, inside the first read", i, read)
			}
			return
		}
	}
	t.Error("a screen changing every frame was never throttled nor taken for video")
}

// After a desktop change the next frames come every BurstStep for
// BurstFor, then at the interval again, or throttled when over budget.
func TestSamplerBurstAfterChange(t *testing.T) {
	s, clock := clocked(t, &fakeGrabber{screen: newFrame()})
	s.Sample(context.Background(), image.Rectangle{}) // the first read: nothing on screen
	if d := s.Next(); d != time.Second {
		t.Fatalf("Next = %v, want the interval", d)
	}
	s.Changed()
	if d := s.Next(); d != BurstStep {
		t.Errorf("after a change Next = %v, want %v", d, BurstStep)
	}
	*clock = clock.Add(BurstFor)
	if d := s.Next(); d != time.Second {
		t.Errorf("after the burst Next = %v, want the interval", d)
	}
	// Far over the budget a change is still read at once (a window that
	// just appeared must not wait for the debt), and after the burst the
	// budget holds again.
	s.debt = 10 * time.Second
	s.Changed()
	if d := s.Next(); d != BurstStep {
		t.Errorf("over budget, a change gave Next = %v", d)
	}
	*clock = clock.Add(BurstFor)
	if d := s.Next(); d != time.Second {
		t.Errorf("over budget after the burst Next = %v, want the interval (light frames)", d)
	}
	if d := s.budgetWait(); d <= time.Second || d > MaxWait {
		t.Errorf("over budget large reads wait %v, want up to %v", d, MaxWait)
	}
	// However deep the debt, a large change waits at most MaxWait.
	s.debt = time.Hour
	if d := s.budgetWait(); d != MaxWait {
		t.Errorf("deep in debt large reads wait %v, want %v", d, MaxWait)
	}
}

// speckle paints r with a pattern of its own for each seed: every tile
// changes, nothing is flat, and no row repeats one of another seed's.
func speckle(frame *image.RGBA, r image.Rectangle, seed int) {
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			frame.Pix[frame.PixOffset(x, y)] = uint8(rng.IntN(256))
		}
	}
}

// costEngine is fakeEngine that spends time on a clock, a millisecond per
// thousand pixels, as Tesseract spends CPU.
type costEngine struct {
	fakeEngine
	clock *time.Time
	spent time.Duration
}

func (c *costEngine) Recognize(img *image.Gray) ([]platform.Line, error) {
	d := time.Duration(img.Rect.Dx()*img.Rect.Dy()) * time.Microsecond
	*c.clock = c.clock.Add(d)
	c.spent += d
	return c.fakeEngine.Recognize(img)
}

// Over budget, frames still come at the interval but read only a small
// change that just appeared; a large one waits for the budget, and over
// a long run the reading stays near the budget.
func TestSamplerOverBudget(t *testing.T) {
	clock := time.Unix(0, 0)
	eng := &costEngine{clock: &clock}
	g := &fakeGrabber{screen: newFrame()}
	s, err := NewWith(secondly(), g, eng, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return clock }
	s.cpu = func() (time.Duration, bool) { return 0, false }
	sample := func() {
		t.Helper()
		if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil {
			t.Fatal(err)
		}
		t.Logf("DBG ch %d px %d def %d fresh %d stop %v debt %v clock %v due %v", s.Last().ChangedTiles, s.Last().OCRPixels, s.Last().Deferred, s.Last().Fresh, s.Last().Stopped, s.debt, clock.Unix(), s.due.Unix())
		clock = clock.Add(s.Next())
	}
	sample()                               // the first read: a blank screen
	big := image.Rect(200, 100, 1200, 900) // 800k pixels: 0.8 s of reading
	page := 0
	newPage := func() {
		page++
		speckle(g.screen, big, page)
	}
	// Four large changes a few seconds apart spend more than the burst.
	for i := 0; i < 4; i++ {
		newPage()
		sample()
		if i < 3 {
			sample() // nothing changed
		}
	}
	if !clock.Before(s.due) {
		t.Fatalf("four 0.8 s reads in %v did not spend the budget (debt %v)", clock.Sub(time.Unix(0, 0)), s.debt)
	}
	if d := s.Next(); d != time.Second {
		t.Errorf("over budget Next = %v, want the interval", d)
	}
	newPage()
	if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil {
		t.Fatal(err)
	}
	if s.Last().OCRPixels > QuickPixels || s.Last().Deferred == 0 {
		t.Errorf("over budget a large change was read at once: %+v", s.Last())
	}
	clock = clock.Add(200 * time.Millisecond)
	if !clock.Before(s.due) {
		t.Fatal("the budget's wait is over already")
	}
	// A number typed meanwhile is read in the next frame.
	put(g.screen, &eng.fakeEngine, "Personnummer", image.Rect(1500, 1000, 1620, 1014))
	put(g.screen, &eng.fakeEngine, "19121212-1212", image.Rect(1630, 1000, 1740, 1014))
	hits, err := s.Sample(context.Background(), image.Rectangle{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Confidence != content.High || s.Last().OCRPixels > QuickPixels {
		t.Errorf("over budget a typed number: hits %v, %+v", hits, s.Last())
	}
	// Once the wait is over, the large change is read.
	clock = s.due
	for i := 0; i < 3 && s.Last().OCRPixels < 100_000; i++ {
		sample()
	}
	if s.Last().OCRPixels < 100_000 {
		t.Errorf("after the budget's wait the large change is still unread: %+v", s.Last())
	}
	// A long run of large changes every other frame: reading stays near
	// the budget, MaxOCRPixels (0.25 s here) per MaxWait at most.
	s.pipe.MaxOCRPixels = DefaultMaxOCRPixels
	t0, spent0 := clock, eng.spent
	for i := 0; i < 60; i++ {
		if i%2 == 0 {
			newPage()
		}
		sample()
	}
	share := float64(eng.spent-spent0) / float64(clock.Sub(t0))
	t.Logf("reading took %.3f of the time over %v", share, clock.Sub(t0))
	if share > 0.15 {
		t.Errorf("reading took %.2f of the time with a 0.10 budget", share)
	}
}

// clocked is a sampler on g with a fake engine, frames a second apart, a
// 10 % budget and a clock that moves only when the test moves it.
func clocked(t *testing.T, g capture.Grabber) (*Sampler, *time.Time) {
	t.Helper()
	s, err := NewWith(secondly(), g, &fakeEngine{}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	clock := new(time.Time)
	*clock = time.Unix(0, 0)
	s.now = func() time.Time { return *clock }
	s.cpu = func() (time.Duration, bool) { return 0, false }
	return s, clock
}

// secondly is the default config with frames a second apart, which the
// timing arithmetic of these tests is written for.
func secondly() content.Config {
	c := content.Default()
	c.Interval = time.Second
	return c
}

// watchGrabber is a fakeGrabber that reports drawing (capture.Watcher):
// draw calls the watch's callback as the display would.
type watchGrabber struct {
	fakeGrabber
	drawn   func(image.Rectangle)
	watches int
}

func (g *watchGrabber) Watch(drawn func(image.Rectangle)) (func(), error) {
	g.watches++
	g.drawn = drawn
	return func() { g.drawn = nil }, nil
}

func (g *watchGrabber) draw(r image.Rectangle) {
	if g.drawn != nil {
		g.drawn(r)
	}
}

// woken reports whether Wake has fired, and takes it.
func woken(s *Sampler) bool {
	select {
	case <-s.Wake():
		return true
	default:
		return false
	}
}

// During a share, drawing wakes the caller, unless it is all in video
// tiles or the budget is spent; the watch runs only while a share does.
func TestSamplerWakesOnDrawing(t *testing.T) {
	g := &watchGrabber{fakeGrabber: fakeGrabber{screen: newFrame()}}
	s, clock := clocked(t, g)
	if s.Wake() == nil || g.watches != 0 {
		t.Fatalf("before a share: wake %v, %d watches", s.Wake(), g.watches)
	}
	sample := func() {
		t.Helper()
		if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil {
			t.Fatal(err)
		}
		*clock = clock.Add(200 * time.Millisecond)
	}
	sample()
	if g.watches != 1 || g.drawn == nil {
		t.Fatalf("the share's first frame started %d watches", g.watches)
	}
	line := image.Rect(300, 300, 700, 314)
	g.draw(line)
	if !woken(s) {
		t.Fatal("a line drawn did not wake")
	}
	// A video: a tile that changes in every frame.
	video := image.Rect(1280, 640, 1280+2*TileSize, 640+2*TileSize)
	for i := range animatedAfter + 1 {
		speckle(g.screen, video, i)
		sample()
	}
	woken(s)
	g.draw(video.Inset(8))
	if woken(s) {
		t.Error("drawing in the video's tiles woke")
	}
	g.draw(video.Inset(-8)) // and a little around it
	if !woken(s) {
		t.Error("drawing beside the video did not wake")
	}
	// A still picture drawn again and again with the same pixels (a
	// share's preview of a still screen) stops waking after idleAfter
	// frames; once it changes, drawing there wakes again.
	preview := image.Rect(64, 640, 64+3*TileSize, 640+2*TileSize)
	for i := range idleAfter {
		g.draw(preview)
		if !woken(s) {
			t.Fatalf("drawing %d on the preview did not wake", i+1)
		}
		sample()
	}
	g.draw(preview)
	if woken(s) {
		t.Error("a picture drawn unchanged for two frames still wakes")
	}
	g.draw(image.Rect(500, 700, 520, 714))
	if !woken(s) {
		t.Error("drawing elsewhere did not wake")
	}
	speckle(g.screen, preview, 99)
	sample()
	g.draw(preview)
	if !woken(s) {
		t.Error("the preview changed, and drawing there did not wake again")
	}

	// Over budget drawing waits for the tick.
	s.debt = 10 * time.Second
	sample()
	g.draw(line)
	if woken(s) {
		t.Error("over budget a line drawn woke")
	}
	s.Changed() // a window raised: drawing wakes while it is painted
	g.draw(line)
	if !woken(s) {
		t.Error("over budget, in a burst, a line drawn did not wake")
	}
	*clock = clock.Add(BurstFor)
	g.draw(line)
	if woken(s) {
		t.Error("over budget, after the burst, a line drawn woke")
	}
	*clock = s.due
	g.draw(line)
	if !woken(s) {
		t.Error("after the budget's wait a line drawn did not wake")
	}
	// The share ends: the watch stops; the next share starts it again.
	s.Reset()
	if g.drawn != nil {
		t.Fatal("the watch outlived the share")
	}
	sample()
	if g.watches != 2 {
		t.Errorf("the next share started %d watches in all, want 2", g.watches)
	}
}
