//go:build linux && cgo && !noocr

package ocr

import (
	"image"
	"image/color"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// Small and odd regions make Tesseract and Leptonica print messages
// ("Image too small to scale!!", Sauvola's window errors). None reaches
// the process's stderr; they reach Messages, each a known one or a
// withheld note.
func TestEngineMessagesNotOnStderr(t *testing.T) {
	// Catch what is written to fd 2 from Open on.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := syscall.Dup(2)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Dup2(int(w.Fd()), 2); err != nil {
		t.Fatal(err)
	}
	defer syscall.Dup2(saved, 2)
	var mu sync.Mutex
	var got []string
	e, err := Open(Options{Messages: func(m string) { mu.Lock(); got = append(got, m); mu.Unlock() }})
	if err != nil {
		syscall.Dup2(saved, 2)
		t.Fatalf("tesseract (Debian: tesseract-ocr tesseract-ocr-swe libtesseract-dev): %v", err)
	}
	defer e.Close()

	for _, sz := range []image.Point{{5, 5}, {6, 40}, {40, 6}, {300, 8}, {9, 300}} {
		g := image.NewGray(image.Rectangle{Max: sz})
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		for x := 1; x < sz.X-1; x++ {
			g.SetGray(x, sz.Y/2, color.Gray{})
		}
		if _, err := e.Recognize(g); err != nil {
			t.Errorf("%v: %v", sz, err)
		}
	}
	// The engine never asks Leptonica for Sauvola on a 1x1 region (that
	// is what forget reads); asked, Leptonica always complains.
	tt := e.(*tesseract)
	tt.mu.Lock()
	tt.client.SetVariable("thresholding_method", strconv.Itoa(int(ThresholdSauvola)-1))
	tt.threshold = ThresholdSauvola
	if tt.client.SetImageFromBytes(blank) == nil {
		tt.client.Text()
	}
	tt.mu.Unlock()
	syscall.Dup2(saved, 2)
	syscall.Close(saved)
	w.Close()
	out := make([]byte, 4096)
	n, _ := r.Read(out)
	if n > 0 {
		t.Errorf("the engine wrote to stderr: %q", out[:n])
	}
	mu.Lock()
	defer mu.Unlock()
	for _, m := range got {
		if !strings.HasPrefix(m, "tesseract: ") && !strings.HasPrefix(m, "leptonica: ") {
			t.Errorf("message %q names no source", m)
		}
	}
	if len(got) == 0 {
		t.Error("no engine message reached Messages (Sauvola on a 1x1 region always prints one)")
	}
	t.Logf("messages: %q", got)
}

func TestSafeMessage(t *testing.T) {
	if got := safeMessage("tesseract", "Image too small to scale!! (2x36 vs min width of 3)"); got != "tesseract: Image too small to scale!! (2x36 vs min width of 3)" {
		t.Errorf("known: %q", got)
	}
	if got := safeMessage("tesseract", "Tolvan Tolvansson 19121212-1212"); strings.Contains(got, "Tolvan") || strings.Contains(got, "1212") {
		t.Errorf("unknown message passed on: %q", got)
	}
}
