package sample

import (
	"context"
	"image"
	"image/draw"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors/content"
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
	// A long run of 300 ms frames, 1 s apart, spends 300 ms per 1.3 s,
	// drains 130 ms: the debt grows until sampling slows to the budget.
	var waited time.Duration
	for i := 0; i < 40; i++ {
		d := s.Next()
		clock = clock.Add(d - step) // the sampler's clock call adds step
		waited += d
		if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil {
			t.Fatal(err)
		}
	}
	if d := s.Next(); d <= time.Second {
		t.Errorf("Next after a long expensive run = %v, want throttled", d)
	}
	// Over the run, busy time / wall time approaches the budget.
	if share := float64(40*step) / float64(waited+40*step); share > 0.2 {
		t.Errorf("CPU share %.2f with a 0.10 budget", share)
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
	s.Reset()
	eng.regions = nil
	if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil || len(eng.regions) == 0 {
		t.Errorf("after Reset nothing was recognised again (%v)", err)
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
	// Afterwards expensive frames count: a few of them slow sampling down.
	for i := 0; i < 5; i++ {
		g.screen.Pix[4*(1920*(200+i)+700)] ^= 0xff // change something
		s.Sample(context.Background(), image.Rectangle{})
	}
	if d := s.Next(); d <= time.Second {
		t.Errorf("after five 1-second frames Next = %v", d)
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
		if s.Next() > time.Second {
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
	eng := &fakeEngine{}
	g := &fakeGrabber{screen: newFrame()}
	s, err := NewWith(secondly(), g, eng, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Unix(0, 0)
	s.now = func() time.Time { return clock }
	s.cpu = func() (time.Duration, bool) { return 0, false }
	s.Sample(context.Background(), image.Rectangle{}) // the first read: nothing on screen
	if d := s.Next(); d != time.Second {
		t.Fatalf("Next = %v, want the interval", d)
	}
	s.Changed()
	if d := s.Next(); d != BurstStep {
		t.Errorf("after a change Next = %v, want %v", d, BurstStep)
	}
	clock = clock.Add(BurstFor)
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
	clock = clock.Add(BurstFor)
	if d := s.Next(); d <= time.Second || d > MaxWait {
		t.Errorf("over budget after the burst Next = %v, want throttled up to %v", d, MaxWait)
	}
	// However deep the debt, a change waits at most MaxWait to be read.
	s.debt = time.Hour
	if d := s.Next(); d != MaxWait {
		t.Errorf("deep in debt Next = %v, want %v", d, MaxWait)
	}
}

// secondly is the default config with frames a second apart, which the
// timing arithmetic of these tests is written for.
func secondly() content.Config {
	c := content.Default()
	c.Interval = time.Second
	return c
}
