//go:build !linux && noocr

package ocr

const stubReason = "built without OCR (noocr tag)"
