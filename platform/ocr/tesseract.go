//go:build linux && cgo && !noocr

package ocr

/*
#cgo LDFLAGS: -lgomp
// libgomp reads OMP_THREAD_LIMIT when it is loaded, before Go code runs,
// so setting the variable from Go is too late when the parent did not.
// Zero active levels makes every OpenMP region in Tesseract run on the
// calling thread, which is what OMP_THREAD_LIMIT=1 achieves. The setting
// is per OS thread in libgomp (GCC >= 11), so the engine locks its
// goroutine to a thread and sets it there before every call.
extern void omp_set_max_active_levels(int);
extern int omp_get_max_active_levels(void);
static void shareguard_single_thread(void) { omp_set_max_active_levels(0); }
// After the engine is closed, hand the freed language models back to the
// system instead of keeping them in the C heap.
#include <malloc.h>
static void shareguard_trim(void) { malloc_trim(0); }
*/
import "C"

import (
	"fmt"
	"image"
	"os"
	"runtime"
	"sort"
	"strconv"
	"sync"

	"github.com/otiai10/gosseract/v2"
	"github.com/shareguard/shareguard/platform"
)

// tesseract is the gosseract engine, loaded once and reused per frame.
type tesseract struct {
	mu     sync.Mutex
	client *gosseract.Client
	opt    Options
	buf    []byte
	// threshold is the thresholding method set in the engine now.
	threshold Threshold
}

// engines orders engines of one process: any number may recognise at
// once (one TessBaseAPI per engine), but opening and closing wait for the
// others, since they touch state Tesseract keeps once per process
// (gosseract's data-path lookup re-initialises a static TessBaseAPI;
// debug_file is a global parameter). Two engines opened at the same time
// crashed the guard with a double free.
var engines sync.RWMutex

// blank is a 1x1 white PGM: recognising it makes Tesseract drop its
// copies of the last region and its results.
var blank = []byte("P5\n1 1\n255\n\xff")

// Open loads the engine. It fails with ErrUnavailable when the language
// data is missing.
func Open(o Options) (Engine, error) {
	o = o.withDefaults()
	engines.Lock()
	defer engines.Unlock()
	if err := available(); err != nil {
		return nil, err
	}
	have, err := gosseract.GetAvailableLanguages()
	if err != nil {
		return nil, fmt.Errorf("%w: list tesseract languages: %v", ErrUnavailable, err)
	}
	for _, l := range o.Languages {
		if !contains(have, l) {
			return nil, fmt.Errorf("%w: tesseract language %q is not installed (Debian: tesseract-ocr-%s)", ErrUnavailable, l, l)
		}
	}
	if o.Messages != nil {
		messages.Store(&o.Messages)
	}
	debug := captureMessages()
	os.Setenv("OMP_THREAD_LIMIT", "1") // for anything started after us
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.shareguard_single_thread()
	c := gosseract.NewClient()
	if err := c.SetLanguage(o.Languages...); err != nil {
		c.Close()
		return nil, fmt.Errorf("ocr: languages: %w", err)
	}
	// Screens hold sparse UI text; no dictionary guesses for numbers.
	c.SetVariable("load_system_dawg", "0")
	c.SetVariable("load_freq_dawg", "0")
	// We invert dark themes ourselves; Tesseract retrying every unsure
	// line inverted costs up to twice the time.
	c.SetVariable("tessedit_do_invert", "0")
	c.SetVariable("debug_file", debug)
	if o.PageSeg > 0 {
		c.SetPageSegMode(gosseract.PageSegMode(o.PageSeg))
	}
	t := &tesseract{client: c, opt: o}
	t.setThreshold(image.Pt(1, 1)) // as for the blank below
	// Load the model now, not on the first frame of a share.
	if err := c.SetImageFromBytes(blank); err != nil {
		c.Close()
		return nil, fmt.Errorf("ocr: warm up: %w", err)
	}
	if _, err := c.Text(); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w: tesseract init: %v", ErrUnavailable, err)
	}
	return t, nil
}

func (o Options) withDefaults() Options {
	if len(o.Languages) == 0 {
		o.Languages = []string{"swe"}
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.Threshold == ThresholdDefault {
		o.Threshold = ThresholdSauvola
	}
	return o
}

// Available reports whether the engine can start on this machine.
func Available() error {
	engines.Lock()
	defer engines.Unlock()
	return available()
}

func available() error {
	have, err := gosseract.GetAvailableLanguages()
	if err != nil || len(have) == 0 {
		return fmt.Errorf("%w: no tesseract language data found (Debian: tesseract-ocr tesseract-ocr-swe)", ErrUnavailable)
	}
	return nil
}

func version() string {
	engines.Lock()
	defer engines.Unlock()
	return gosseract.Version()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (t *tesseract) Recognize(img *image.Gray) ([]platform.Line, error) {
	engines.RLock()
	defer engines.RUnlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.client == nil {
		return nil, fmt.Errorf("ocr: engine closed")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.shareguard_single_thread()
	if img.Rect.Dx() < 4 || img.Rect.Dy() < 4 {
		return nil, nil
	}
	t.setThreshold(img.Rect.Size())
	s := t.opt.Scale
	t.buf = encodePGM(t.buf, img, s)
	err := t.client.SetImageFromBytes(t.buf)
	clear(t.buf) // the pixels are in Leptonica's copy now
	if err != nil {
		return nil, fmt.Errorf("ocr: set image: %w", err)
	}
	boxes, err := t.client.GetBoundingBoxesVerbose()
	t.forget()
	if err != nil {
		return nil, fmt.Errorf("ocr: recognise: %w", err)
	}
	type lineKey struct{ block, par, line int }
	byLine := map[lineKey]platform.Line{}
	var keys []lineKey
	off := img.Rect.Min
	for _, b := range boxes {
		if b.Word == "" || b.Confidence < t.opt.MinConfidence {
			continue
		}
		k := lineKey{b.BlockNum, b.ParNum, b.LineNum}
		if _, ok := byLine[k]; !ok {
			keys = append(keys, k)
		}
		r := image.Rect(b.Box.Min.X/s, b.Box.Min.Y/s, (b.Box.Max.X+s-1)/s, (b.Box.Max.Y+s-1)/s).Add(off)
		byLine[k] = append(byLine[k], platform.Word{Text: b.Word, Box: r})
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.block != b.block {
			return a.block < b.block
		}
		if a.par != b.par {
			return a.par < b.par
		}
		return a.line < b.line
	})
	lines := make([]platform.Line, 0, len(keys))
	for _, k := range keys {
		lines = append(lines, byLine[k])
	}
	return lines, nil
}

// minAdaptive is the smallest side an adaptive threshold is used on:
// Leptonica's tiled thresholds crash on regions of a few pixels (4x4
// noise with Sauvola, 5x5 with tiled Otsu, measured); global Otsu is used
// below it. A line of UI text is at least this high.
const minAdaptive = 16

// setThreshold sets the thresholding method for a region of size sz.
func (t *tesseract) setThreshold(sz image.Point) {
	th := t.opt.Threshold
	if th != ThresholdOtsu && (sz.X < minAdaptive || sz.Y < minAdaptive) {
		th = ThresholdOtsu
	}
	if th != t.threshold {
		t.client.SetVariable("thresholding_method", strconv.Itoa(int(th)-1))
		t.threshold = th
	}
}

// forget replaces the last region inside Tesseract and Leptonica with a
// blank pixel, so screen content does not linger in the engine between
// frames.
func (t *tesseract) forget() {
	t.setThreshold(image.Pt(1, 1))
	if t.client.SetImageFromBytes(blank) == nil {
		t.client.Text()
	}
}

func (t *tesseract) Close() error {
	engines.Lock()
	defer engines.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.client == nil {
		return nil
	}
	err := t.client.Close()
	t.client = nil
	C.shareguard_trim()
	if err != nil {
		return fmt.Errorf("ocr: close: %w", err)
	}
	return nil
}
