//go:build linux

package xtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Browser is a browser the share helpers can drive.
type Browser string

const (
	Chromium Browser = "chromium"
	Firefox  Browser = "firefox" // Debian's firefox-esr
)

// Share is a browser tab on a loopback page that shares the entire screen
// through getDisplayMedia, as a browser meeting (Meet, Teams web) does.
type Share struct {
	Browser Browser
	Origin  string // web origin with scheme: "http://127.0.0.1:PORT"
	URL     string
	Source  string // picker choice: "Entire screen" or a window title
	Lang    string // Chromium UI language ("" = the test environment's)
	Proc    *Proc

	// click, when set, is the user gesture the browser wants before it
	// grants getDisplayMedia (Firefox); the page shares on a click.
	click func(context.Context) error

	started chan string // track label
	failed  chan string
	stopped chan struct{}
	ready   chan struct{} // the page is loaded and listens
	control chan string   // commands for the page: "stop", "start"

	mu      sync.Mutex
	live    bool // a capture is running
	frames  FrameStats
	leakLog []time.Time
}

// Rect is a screen rectangle in pixels.
type Rect struct{ X, Y, W, H int }

// ShareOptions says how the browser shares; the zero value is ShareScreen.
type ShareOptions struct {
	// Browser is Chromium (default) or Firefox. Firefox shares only the
	// entire screen (its "Primary Monitor"), in English.
	Browser Browser
	// Source is what --auto-select-desktop-capture-source matches:
	// "Entire screen" (default) or the title of a window to share.
	Source string
	// Lang starts Chromium in this UI language ("sv": --lang=sv,
	// LANGUAGE=sv, LANG=sv_SE.UTF-8); the indicator's title follows it.
	// Debian needs chromium-l10n for anything but English.
	Lang string
	// Watch, when set, makes the page look at every frame it receives
	// (and at a 30 fps timer) and count the frames in which this region
	// of the shared screen is mostly magenta (#ff00ff): see Share.Frames.
	Watch *Rect
}

// FrameStats is what the page saw of the captured picture so far.
type FrameStats struct {
	Frames, LeakedFrames   int    // frames delivered to the page (requestVideoFrameCallback)
	FirstLeaked            bool   // the capture's first frame was among the leaked
	Samples, LeakedSamples int    // 30 fps timer samples of the video
	Width, Height          int    // size of the captured frames
	Pixel                  string // "R,G,B" at the middle of the region, last look
	Live                   bool   // the capture track's readyState is "live"
}

// IndicatorTitle is the title of the browser's indicator window for this
// share.
//
// Chromium: "http://127.0.0.1:40123 is sharing your screen." or "… is
// sharing a window." (measured with Debian 12's Chromium on X11: the origin
// keeps its scheme; the window has no WM_CLASS, is _NET_WM_STATE_ABOVE and
// belongs to the browser's pid). Swedish (Chromium 156, chromium-l10n,
// measured): "… delar din skärm." and "… delar ett fönster.".
//
// Firefox: "Firefox — Sharing Indicator", whatever the site (measured with
// Debian 12's firefox-esr 153: WM_CLASS Browser/firefox-esr, type DIALOG,
// _NET_WM_STATE_ABOVE, 448×32).
func (s *Share) IndicatorTitle() string {
	if s.Browser == Firefox {
		return "Firefox — Sharing Indicator"
	}
	screen := s.Source == "Entire screen"
	switch {
	case s.Lang == "sv" && screen:
		return s.Origin + " delar din skärm."
	case s.Lang == "sv":
		return s.Origin + " delar ett fönster."
	case screen:
		return s.Origin + " is sharing your screen."
	}
	return s.Origin + " is sharing a window."
}

// Indicator waits for the share's indicator window and returns its id.
func (d *Desktop) Indicator(ctx context.Context, s *Share) (uint32, error) {
	return d.FindWindowByTitle(ctx, s.IndicatorTitle())
}

const sharePageTitle = "shareguard share test"

// sharePage asks for the screen at load time, or with GESTURE on the first
// click (Firefox grants getDisplayMedia only in a user gesture). localhost
// is a secure context; the browser answers the picker itself (a flag or a
// pref). The page reports back over plain HTTP and takes commands over SSE
// ("stop" ends the capture, "start" asks for the screen again). With WATCH
// set it checks a region of every frame for magenta and reports counts.
const sharePage = `<!doctype html><meta charset="utf-8"><title>` + sharePageTitle + `</title>
<body style="min-height:100vh"><h1>share test</h1><video id="v" muted playsinline style="width:160px"></video><script>
const WATCH = %s, GESTURE = %t;
let stream = null, gen = 0, pending = false;
const st = {frames: 0, leakedFrames: 0, firstLeaked: 0, samples: 0, leakedSamples: 0, w: 0, h: 0, px: '', live: 0};
const v = document.getElementById('v');
const cv = document.createElement('canvas');
cv.width = 16; cv.height = 16;
const cx = cv.getContext('2d', {willReadFrequently: true});
function leaked() {
  if (!v.videoWidth) return false;
  st.w = v.videoWidth; st.h = v.videoHeight;
  cx.drawImage(v, WATCH.x, WATCH.y, WATCH.w, WATCH.h, 0, 0, 16, 16);
  const d = cx.getImageData(0, 0, 16, 16).data;
  st.px = d[520] + ',' + d[521] + ',' + d[522];
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] > 200 && d[i+1] < 70 && d[i+2] > 200) n++;
  }
  return n > 128;
}
function onFrame() {
  st.frames++;
  if (leaked()) {
    st.leakedFrames++;
    if (st.frames === 1) st.firstLeaked = 1;
    fetch('/leak?kind=frame&t=' + Date.now());
  }
  if (stream) v.requestVideoFrameCallback(onFrame);
}
function watch(s) {
  v.srcObject = s;
  v.play();
  v.requestVideoFrameCallback(onFrame);
  setInterval(() => { st.samples++; if (leaked()) st.leakedSamples++; }, 1000 / 30);
  setInterval(() => {
    st.live = stream && stream.getVideoTracks()[0].readyState === 'live' ? 1 : 0;
    fetch('/stats?' + new URLSearchParams(st));
  }, 250);
}
async function share() {
  if (pending) return;
  pending = true;
  try {
    const s = await navigator.mediaDevices.getDisplayMedia({video: {frameRate: 30}});
    stream = s;
    const t = s.getVideoTracks()[0];
    // A new capture after a stop: the frame callbacks ended with the
    // old stream, so they start again on the new one.
    if (WATCH && gen++ === 0) watch(s); else if (WATCH) { v.srcObject = s; v.play(); v.requestVideoFrameCallback(onFrame); }
    await fetch('/started?label=' + encodeURIComponent(t.label));
  } catch (e) {
    fetch('/error?e=' + encodeURIComponent(e.name + ': ' + e.message));
  } finally {
    pending = false;
  }
}
const es = new EventSource('/control');
es.onmessage = (e) => {
  if (e.data === 'stop' && stream) { stream.getTracks().forEach((x) => x.stop()); stream = null; fetch('/stopped'); }
  if (e.data === 'start' && !stream) share();
};
if (GESTURE) {
  document.addEventListener('click', () => { if (!stream) share(); });
  fetch('/ready');
} else {
  share();
}
</script></body>`

// ShareScreen serves the share page on loopback, starts Chromium on it and
// waits until the page holds a live capture track of the entire screen.
func (d *Desktop) ShareScreen(ctx context.Context) (*Share, error) {
	return d.Share(ctx, "Entire screen")
}

// Share is ShareScreen with another picker choice: source is what
// --auto-select-desktop-capture-source matches, "Entire screen" or the
// title of a window to share.
func (d *Desktop) Share(ctx context.Context, source string) (*Share, error) {
	d.t.Helper()
	return d.ShareWith(ctx, ShareOptions{Source: source})
}

// ShareWith is Share with options (browser, UI language, frame watching).
func (d *Desktop) ShareWith(ctx context.Context, opt ShareOptions) (*Share, error) {
	d.t.Helper()
	if opt.Browser == "" {
		opt.Browser = Chromium
	}
	if opt.Source == "" {
		opt.Source = "Entire screen"
	}
	switch opt.Browser {
	case Chromium:
		Need(d.t, "chromium")
	case Firefox:
		Need(d.t, "firefox-esr", "xdotool")
		if opt.Source != "Entire screen" || opt.Lang != "" {
			return nil, fmt.Errorf("xtest: Firefox shares only the entire screen, in English (got %+v)", opt)
		}
	default:
		return nil, fmt.Errorf("xtest: unknown browser %q", opt.Browser)
	}
	s := &Share{
		Browser: opt.Browser,
		Source:  opt.Source,
		Lang:    opt.Lang,
		started: make(chan string, 1),
		failed:  make(chan string, 1),
		stopped: make(chan struct{}, 1),
		ready:   make(chan struct{}, 1),
		control: make(chan string, 4),
	}
	watch := "null"
	if r := opt.Watch; r != nil {
		watch = fmt.Sprintf("{x: %d, y: %d, w: %d, h: %d}", r.X, r.Y, r.W, r.H)
	}
	d.serve(s, fmt.Sprintf(sharePage, watch, opt.Browser == Firefox))
	var err error
	if opt.Browser == Firefox {
		err = d.startFirefox(ctx, s)
	} else {
		err = d.startChromium(s, opt)
	}
	if err != nil {
		return nil, err
	}
	return s, s.waitStarted(ctx)
}

// serve serves page and the page's report and control endpoints on
// loopback until the test ends, and sets s.URL and s.Origin.
func (d *Desktop) serve(s *Share, page string) {
	done := make(chan struct{})
	signal := func(ch chan struct{}) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
	report := func(ch chan string, key string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			select {
			case ch <- r.URL.Query().Get(key):
			default:
			}
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
	mux.HandleFunc("/started", report(s.started, "label"))
	mux.HandleFunc("/error", report(s.failed, "e"))
	mux.HandleFunc("/stopped", signal(s.stopped))
	mux.HandleFunc("/ready", signal(s.ready))
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		n := func(k string) int { v, _ := strconv.Atoi(q.Get(k)); return v }
		s.mu.Lock()
		s.frames = FrameStats{Frames: n("frames"), LeakedFrames: n("leakedFrames"), FirstLeaked: n("firstLeaked") == 1,
			Samples: n("samples"), LeakedSamples: n("leakedSamples"), Width: n("w"), Height: n("h"), Pixel: q.Get("px"),
			Live: n("live") == 1}
		s.mu.Unlock()
	})
	mux.HandleFunc("/leak", func(w http.ResponseWriter, r *http.Request) {
		ms, err := strconv.ParseInt(r.URL.Query().Get("t"), 10, 64)
		if err != nil {
			return
		}
		s.mu.Lock()
		s.leakLog = append(s.leakLog, time.UnixMilli(ms))
		s.mu.Unlock()
	})
	mux.HandleFunc("/control", ControlStream(s.control, done))
	srv := httptest.NewServer(mux) // listens on 127.0.0.1
	// Registered before the browser starts, so it runs after it is gone.
	d.t.Cleanup(func() {
		close(done)
		srv.Close()
	})
	s.URL = srv.URL + "/"
	s.Origin = srv.URL
}

// waitStarted waits until the page holds a capture; a browser that wants
// a gesture is clicked, and clicked again should a click get lost.
func (s *Share) waitStarted(ctx context.Context) error {
	var again <-chan time.Time
	if s.click != nil {
		if err := s.click(ctx); err != nil {
			return err
		}
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		again = t.C
	}
	for {
		select {
		case <-s.started:
			s.mu.Lock()
			s.live = true
			s.mu.Unlock()
			return nil
		case <-again:
			if err := s.click(ctx); err != nil {
				return err
			}
		case e := <-s.failed:
			return fmt.Errorf("xtest: getDisplayMedia failed in %s: %s", s.Browser, e)
		case <-s.Proc.Done():
			return fmt.Errorf("xtest: %s exited: %v", s.Browser, s.Proc.err)
		case <-ctx.Done():
			return fmt.Errorf("xtest: %s did not start sharing: %w", s.Browser, ctx.Err())
		}
	}
}

// Stop ends the capture from the page (the indicator goes away) and waits
// until the page confirms. Stopping a stopped share is a no-op.
func (s *Share) Stop(ctx context.Context) error {
	s.mu.Lock()
	live := s.live
	s.mu.Unlock()
	if !live {
		return nil
	}
	select {
	case s.control <- "stop":
	case <-ctx.Done():
		return fmt.Errorf("xtest: share did not stop: %w", ctx.Err())
	}
	select {
	case <-s.stopped:
		s.mu.Lock()
		s.live = false
		s.mu.Unlock()
		return nil
	case <-ctx.Done():
		return fmt.Errorf("xtest: share did not stop: %w", ctx.Err())
	}
}

// Restart asks the page for the screen again after Stop (a new capture,
// with a new indicator window), without starting another browser.
func (s *Share) Restart(ctx context.Context) error {
	if s.click == nil {
		select {
		case s.control <- "start":
		case <-ctx.Done():
			return fmt.Errorf("xtest: share did not restart: %w", ctx.Err())
		}
	}
	return s.waitStarted(ctx)
}

// Frames returns what the page reported about the frames it received (a
// few hundred ms behind: the page reports four times a second).
func (s *Share) Frames() FrameStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.frames
}

// LeakTimes returns the wall-clock times of the frames in which the
// watched region was magenta, as the page's clock saw them.
func (s *Share) LeakTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.leakLog...)
}

// ControlStream serves commands to a test page as server-sent events: each
// string sent on control becomes one event, until the page goes or done
// is closed.
func ControlStream(control <-chan string, done <-chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		fmt.Fprint(w, ": hello\n\n")
		w.(http.Flusher).Flush()
		for {
			select {
			case c := <-control:
				fmt.Fprintf(w, "data: %s\n\n", c)
				w.(http.Flusher).Flush()
			case <-r.Context().Done():
				return
			case <-done:
				return
			}
		}
	}
}
