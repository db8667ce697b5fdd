package agent

import (
	"context"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/fake"
)

// scripted is a Sampler that "sees" whatever the test puts on screen.
type scripted struct {
	mu      sync.Mutex
	hits    []content.Hit
	samples int
	resets  int
	release int
	changes int
	focus   []image.Rectangle
	next    time.Duration // 0: 10 ms
}

func (s *scripted) show(h ...content.Hit) { s.mu.Lock(); s.hits = h; s.mu.Unlock() }
func (s *scripted) Sample(ctx context.Context, r image.Rectangle) ([]content.Hit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samples++
	return append([]content.Hit(nil), s.hits...), nil
}
func (s *scripted) Next() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next == 0 {
		return 10 * time.Millisecond
	}
	return s.next
}
func (s *scripted) Changed() { s.mu.Lock(); s.changes++; s.mu.Unlock() }
func (s *scripted) Focus(w []image.Rectangle) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(w) > 0 {
		s.focus = w // the last non-empty one
	}
}
func (s *scripted) Reset()             { s.mu.Lock(); s.resets++; s.mu.Unlock() }
func (s *scripted) Release()           { s.mu.Lock(); s.release++; s.mu.Unlock() }
func (s *scripted) releases() int      { s.mu.Lock(); defer s.mu.Unlock(); return s.release }
func (s *scripted) Close() error       { return nil }
func (s *scripted) counts() (int, int) { s.mu.Lock(); defer s.mu.Unlock(); return s.samples, s.resets }

func contentConfig() *config.Config {
	cfg := testConfig(config.ModeBlock)
	cfg.Content = config.Content{Enabled: true, Interval: time.Second, Medium: "warn", High: "minimize"}
	return cfg
}

func TestContentHitMinimizesTheWindowUnderIt(t *testing.T) {
	d := fake.New()
	s := &scripted{}
	dir := t.TempDir()
	h := &harness{t: t, desk: d, log: dir + "/audit.jsonl", state: dir + "/state.json"}
	h.startWith(contentConfig(), s)

	// A harmless title: only the picture gives the journal away.
	d.AddProcess(platform.Process{PID: 300, Name: "evince"})
	d.AddWindow(platform.Window{ID: 30, PID: 300, Title: "Anteckningar", Bounds: platform.Rect{X: 100, Y: 100, W: 800, H: 600}})
	s.show(content.Hit{Rule: "personnummer", Confidence: content.High, Rect: image.Rect(200, 200, 320, 216), Match: "[nummer]"})
	time.Sleep(100 * time.Millisecond)
	if n, _ := s.counts(); n != 0 {
		t.Fatalf("sampled %d frames with no share", n)
	}

	startShare(d)
	waitFor(t, "content window minimized", func() bool { return minimized(d, 30) })
	waitFor(t, "audited", func() bool {
		return h.count("action", "kind", "screen_content", "action", "minimize", "app", "evince") == 1
	})

	// A medium hit over no window: warn, naming the screen, not a title.
	s.show(content.Hit{Rule: "samordningsnummer", Confidence: content.Medium, Rect: image.Rect(1500, 900, 1600, 916), Match: "[nummer]"})
	waitFor(t, "warned", func() bool { return h.count("action", "kind", "screen_content", "action", "warn") == 1 })
	waitFor(t, "alert", func() bool { return len(d.Alerts()) == 2 })
	if b := d.Alerts()[1].Body; b == "" || !contains(b, "the shared screen") {
		t.Errorf("alert body = %q", b)
	}

	stopShare(d)
	waitFor(t, "reset after the share", func() bool { _, r := s.counts(); return r >= 1 })
	n0, _ := s.counts()
	time.Sleep(100 * time.Millisecond)
	if n1, _ := s.counts(); n1 != n0 {
		t.Errorf("kept sampling after the share: %d more frames", n1-n0)
	}
}

func TestNoSamplingDuringWindowShare(t *testing.T) {
	d := fake.New()
	s := &scripted{}
	dir := t.TempDir()
	h := &harness{t: t, desk: d, log: dir + "/audit.jsonl", state: dir + "/state.json"}
	h.startWith(contentConfig(), s)
	d.AddProcess(platform.Process{PID: chromePID, Name: "chromium"})
	d.AddWindow(platform.Window{ID: shareWin, PID: chromePID, Title: "meet.google.com is sharing a window.", OnTop: true})
	waitFor(t, "share", func() bool { return h.agent.Status().Sharing })
	time.Sleep(100 * time.Millisecond)
	if n, _ := s.counts(); n != 0 {
		t.Fatalf("sampled %d frames of a window share", n)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// A window raised during a share is read at once, not after the
// sampler's interval: the agent tells the sampler the desktop changed.
func TestWindowChangeSamplesAtOnce(t *testing.T) {
	d := fake.New()
	s := &scripted{next: time.Hour}
	dir := t.TempDir()
	h := &harness{t: t, desk: d, log: dir + "/audit.jsonl", state: dir + "/state.json"}
	h.startWith(contentConfig(), s)
	startShare(d)
	waitFor(t, "the first frame of the share", func() bool { n, _ := s.counts(); return n >= 1 })
	time.Sleep(100 * time.Millisecond) // the share's own window events may ask for one more
	n0, _ := s.counts()
	time.Sleep(200 * time.Millisecond)
	if n, _ := s.counts(); n != n0 {
		t.Fatalf("%d frames, then %d, before the hour-long interval passed, with nothing changed", n0, n)
	}

	d.AddProcess(platform.Process{PID: 300, Name: "evince"})
	d.AddWindow(platform.Window{ID: 30, PID: 300, Title: "Anteckningar", Bounds: platform.Rect{X: 100, Y: 100, W: 800, H: 600}})
	// The meeting's own window, above it in the stack, is not read first.
	d.AddWindow(platform.Window{ID: 31, PID: chromePID, Title: "Möte", Class: "Chromium", Bounds: platform.Rect{X: 1000, Y: 0, W: 900, H: 600}})
	s.show(content.Hit{Rule: "personnummer", Confidence: content.High, Rect: image.Rect(200, 200, 320, 216), Match: "[nummer]"})
	waitFor(t, "content window minimized", func() bool { return minimized(d, 30) })
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changes == 0 || s.samples <= n0 {
		t.Errorf("changes %d, samples %d: the new window was not read at once", s.changes, s.samples)
	}
	// The sampler was told where the topmost window outside the meeting
	// was, to read it first.
	if want := image.Rect(100, 100, 900, 700); len(s.focus) == 0 || s.focus[0] != want {
		t.Errorf("focus %v, want the new window %v first", s.focus, want)
	}
}

// drawing is scripted with the sampler's Wake: something drawn.
type drawing struct {
	scripted
	wake chan struct{}
}

func (s *drawing) Wake() <-chan struct{} { return s.wake }

// Something drawn during a share (a line typed) is read at once, not at
// the sampler's tick, and frames woken so come no closer than drawnGap.
func TestDrawingSamplesAtOnce(t *testing.T) {
	d := fake.New()
	s := &drawing{scripted: scripted{next: time.Hour}, wake: make(chan struct{}, 1)}
	dir := t.TempDir()
	h := &harness{t: t, desk: d, log: dir + "/audit.jsonl", state: dir + "/state.json"}
	h.startWith(contentConfig(), s)
	d.AddProcess(platform.Process{PID: 300, Name: "evince"})
	d.AddWindow(platform.Window{ID: 30, PID: 300, Title: "Anteckningar", Bounds: platform.Rect{X: 100, Y: 100, W: 800, H: 600}})
	startShare(d)
	waitFor(t, "the first frame of the share", func() bool { n, _ := s.counts(); return n >= 1 })
	time.Sleep(200 * time.Millisecond) // the share's own window events may ask for one more
	n0, _ := s.counts()

	s.show(content.Hit{Rule: "personnummer", Confidence: content.High, Rect: image.Rect(200, 200, 320, 216), Match: "[nummer]"})
	s.wake <- struct{}{}
	waitFor(t, "content window minimized", func() bool { return minimized(d, 30) })
	if n, _ := s.counts(); n != n0+1 {
		t.Errorf("%d frames after one drawing, want 1", n-n0)
	}

	// Drawing on and on: a frame per drawnGap at most.
	s.show()
	n0, _ = s.counts()
	t0 := time.Now()
	for time.Since(t0) < 10*drawnGap {
		select {
		case s.wake <- struct{}{}:
		default:
		}
		time.Sleep(time.Millisecond)
	}
	n, _ := s.counts()
	if n-n0 < 3 || n-n0 > 11 {
		t.Errorf("%d frames in %v of drawing, want at most one per %v", n-n0, time.Since(t0), drawnGap)
	}
}

// The engine is kept for a while after a share, for the next share of the
// meeting, and released once that time has passed with no share.
func TestSamplerEngineKeptBetweenShares(t *testing.T) {
	d := fake.New()
	s := &scripted{}
	dir := t.TempDir()
	h := &harness{t: t, desk: d, log: dir + "/audit.jsonl", state: dir + "/state.json"}
	h.tune = func(a *Agent) { a.keepEngine = time.Second }
	h.startWith(contentConfig(), s)

	startShare(d)
	waitFor(t, "sampling", func() bool { n, _ := s.counts(); return n > 0 })
	stopShare(d)
	waitFor(t, "reset after the share", func() bool { _, r := s.counts(); return r > 0 })
	// A new share within the time: the engine stays.
	time.Sleep(100 * time.Millisecond)
	startShare(d)
	time.Sleep(1200 * time.Millisecond)
	if n := s.releases(); n != 0 {
		t.Fatalf("released %d times during a share that began within the keep time", n)
	}
	stopShare(d)
	time.Sleep(400 * time.Millisecond)
	if n := s.releases(); n != 0 {
		t.Fatalf("released %d times before the keep time was over", n)
	}
	waitFor(t, "released after the keep time", func() bool { return s.releases() == 1 })
	time.Sleep(1200 * time.Millisecond)
	if n := s.releases(); n != 1 {
		t.Errorf("released %d times, want once", n)
	}
}
