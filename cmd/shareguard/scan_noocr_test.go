//go:build !linux || !cgo || noocr

package main

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
)

// Without OCR an image is an error that says why, not a silent "nothing
// found", and text files are still scanned.
func TestScanImageWithoutOCR(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, buf.String(), "scan", "-")
	if code != exitError || !strings.Contains(errOut, "not available") || strings.Contains(out, "nothing found") {
		t.Errorf("code %d out %q stderr %q", code, out, errOut)
	}
	if c := contentCapability(); c.Available || c.Name != "content_scan" {
		t.Errorf("capability %+v", c)
	}
}
