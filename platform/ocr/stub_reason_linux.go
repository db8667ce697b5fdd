//go:build linux && (!cgo || noocr)

package ocr

const stubReason = "built without OCR (noocr tag or CGO_ENABLED=0); install the tesseract packages and build with cgo"
