//go:build !linux && !noocr

package ocr

const stubReason = "no OCR backend for this platform yet"
