//go:build !linux || !cgo || noocr

package ocr

import (
	"errors"
	"testing"
)

func TestStubUnavailable(t *testing.T) {
	e, err := Open(Options{})
	if e != nil || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Open = %v, %v; want ErrUnavailable", e, err)
	}
	if ok, detail := Capability(); ok || detail == "" {
		t.Errorf("Capability = %v, %q", ok, detail)
	}
}
