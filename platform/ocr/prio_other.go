//go:build !linux

package ocr

// lowerThreadPriority does nothing here: content scanning is Linux only.
func lowerThreadPriority() {}
