//go:build !linux || !cgo || noocr

package ocr

import "fmt"

// Open reports that this build has no OCR backend.
func Open(Options) (Engine, error) { return nil, Available() }

// Available explains why there is no OCR in this build.
func Available() error {
	return fmt.Errorf("%w: %s", ErrUnavailable, stubReason)
}

func version() string { return "" }
