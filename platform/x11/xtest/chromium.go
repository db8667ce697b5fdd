//go:build linux

package xtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Share is a Chromium tab on a loopback page that shares the entire screen
// through getDisplayMedia, as a browser meeting (Meet, Teams web) does.
type Share struct {
	Origin string // web origin with scheme: "http://127.0.0.1:PORT"
	URL    string
	Source string // picker choice: "Entire screen" or a window title
	Proc   *Proc

	started chan string // track label
	failed  chan string
	stopped chan struct{}
	stopReq chan struct{}
	stopOne sync.Once
}

// IndicatorTitle is the title of Chromium's indicator window for this
// share: "http://127.0.0.1:40123 is sharing your screen." or "… is sharing
// a window." (measured with Debian 12's Chromium on X11: the origin keeps
// its scheme; the window has no WM_CLASS, is _NET_WM_STATE_ABOVE and
// belongs to the browser's pid).
func (s *Share) IndicatorTitle() string {
	if s.Source == "Entire screen" {
		return s.Origin + " is sharing your screen."
	}
	return s.Origin + " is sharing a window."
}

// sharePage asks for the screen at load time. localhost is a secure
// context and Chromium does not demand a user gesture for getDisplayMedia;
// --auto-select-desktop-capture-source answers the picker. The page
// reports back over plain HTTP and stops its tracks on request (SSE).
const sharePage = `<!doctype html><meta charset="utf-8"><title>shareguard share test</title>
<body><h1>share test</h1><script>
async function share() {
  try {
    const s = await navigator.mediaDevices.getDisplayMedia({video: true});
    const t = s.getVideoTracks()[0];
    await fetch('/started?label=' + encodeURIComponent(t.label));
    const es = new EventSource('/control');
    es.onmessage = (e) => {
      if (e.data === 'stop') { s.getTracks().forEach((x) => x.stop()); es.close(); fetch('/stopped'); }
    };
  } catch (e) {
    fetch('/error?e=' + encodeURIComponent(e.name + ': ' + e.message));
  }
}
share();
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
	Need(d.t, "chromium")
	s := &Share{
		Source:  source,
		started: make(chan string, 1),
		failed:  make(chan string, 1),
		stopped: make(chan struct{}),
		stopReq: make(chan struct{}),
	}
	done := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, sharePage)
	})
	mux.HandleFunc("/started", func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.started <- r.URL.Query().Get("label"):
		default:
		}
	})
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.failed <- r.URL.Query().Get("e"):
		default:
		}
	})
	var stoppedOnce sync.Once
	mux.HandleFunc("/stopped", func(w http.ResponseWriter, r *http.Request) {
		stoppedOnce.Do(func() { close(s.stopped) })
	})
	mux.HandleFunc("/control", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		fmt.Fprint(w, ": hello\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-s.stopReq:
			fmt.Fprint(w, "data: stop\n\n")
			w.(http.Flusher).Flush()
		case <-r.Context().Done():
		case <-done:
		}
	})
	srv := httptest.NewServer(mux) // listens on 127.0.0.1
	// Registered before Chromium starts, so it runs after Chromium is gone.
	d.t.Cleanup(func() {
		close(done)
		srv.Close()
	})
	s.URL = srv.URL + "/"
	s.Origin = srv.URL

	profile := filepath.Join(d.dir, fmt.Sprintf("chromium-%d", time.Now().UnixNano()))
	if err := os.MkdirAll(profile, 0o700); err != nil {
		return nil, fmt.Errorf("xtest: chromium profile: %w", err)
	}
	s.Proc = d.Run("chromium",
		"--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir="+profile,
		"--auto-select-desktop-capture-source="+source,
		"--ozone-platform=x11", "--password-store=basic", "--no-default-browser-check",
		"--window-position=0,0", "--window-size=1280,800",
		s.URL)
	select {
	case <-s.started:
		return s, nil
	case e := <-s.failed:
		return s, fmt.Errorf("xtest: getDisplayMedia failed: %s", e)
	case <-s.Proc.Done():
		return s, fmt.Errorf("xtest: chromium exited: %v", s.Proc.err)
	case <-ctx.Done():
		return s, fmt.Errorf("xtest: chromium did not start sharing: %w", ctx.Err())
	}
}

// Stop ends the capture from the page (the indicator goes away) and waits
// until the page confirms.
func (s *Share) Stop(ctx context.Context) error {
	s.stopOne.Do(func() { close(s.stopReq) })
	select {
	case <-s.stopped:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("xtest: share did not stop: %w", ctx.Err())
	}
}
