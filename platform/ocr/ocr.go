// Package ocr recognises text in screen pixels behind a small interface:
// pixels in, platform.Line out. What to read and what the text means are
// the caller's (agent/sample, detectors/content). The Linux backend is
// Tesseract 5 through gosseract (cgo); builds without it (CGO_ENABLED=0,
// the noocr tag, Windows) get a stub whose Open returns ErrUnavailable
// with the reason.
//
// Pixels and recognised text stay in memory: frames reach the engine as an
// in-memory PGM, never through a file, and nothing here logs text.
package ocr

import (
	"errors"
	"image"

	"github.com/shareguard/shareguard/platform"
)

// ErrUnavailable is returned (wrapped with the reason) when this build or
// machine cannot recognise text.
var ErrUnavailable = errors.New("content scanning (OCR) is not available")

// Engine recognises words in a grayscale image. Boxes are in the image's
// own coordinates (img.Rect, so a sub-image keeps screen coordinates).
// An Engine is not safe for concurrent use.
type Engine interface {
	Recognize(img *image.Gray) ([]platform.Line, error)
	Close() error
}

// Options configure the Tesseract backend.
type Options struct {
	// Languages, default "swe" alone: it reads the English keywords of
	// the built-in list as well (ocrtest's english/ samples), 15-25 %
	// faster than "swe", "eng" and no less accurate on the corpus.
	Languages []string
	// Scale enlarges the image before recognition. Default 1: UI text at
	// 11-14 px (DejaVu Sans, light and dark) reads correctly unscaled, and
	// 2x costs three to five times the time.
	Scale int
	// MinConfidence drops words Tesseract is less sure of (0-100).
	MinConfidence float64
	// PageSeg is Tesseract's page segmentation mode; 0 keeps the API's
	// default, 6 (one uniform block of text).
	PageSeg int
	// Threshold is how Tesseract turns grey into black and white.
	Threshold Threshold
	// Messages receives the engine's own messages (never recognised
	// text), for the debug log; nil drops them. They never go to stderr.
	Messages func(string)
}

// Threshold is Tesseract's thresholding_method, plus one.
type Threshold int

const (
	ThresholdDefault   Threshold = iota // the engine's choice (ThresholdSauvola)
	ThresholdOtsu                       // global: fails on a dark UI bar above grey text
	ThresholdTiledOtsu                  // adaptive, per tile
	ThresholdSauvola                    // adaptive, local mean and deviation
)

// Capability says whether this build can scan content, for `check`, the
// tray and the README's table.
func Capability() (available bool, detail string) {
	if err := Available(); err != nil {
		return false, err.Error()
	}
	return true, "tesseract " + version()
}
