package ocr

import (
	"image"

	"github.com/shareguard/shareguard/platform"
)

// Lazy opens the engine on the first Recognize and closes it on Release,
// so a guard that reads the screen only during shares holds none of
// Tesseract's language models (~35 MB resident) in between. Opening takes
// 0.2-0.4 s, small next to reading a whole screen for the first time
// (seconds).
type Lazy struct {
	open func() (Engine, error)
	eng  Engine
}

// NewLazy returns an engine that calls open when it is first needed.
func NewLazy(open func() (Engine, error)) *Lazy { return &Lazy{open: open} }

func (l *Lazy) Recognize(img *image.Gray) ([]platform.Line, error) {
	if l.eng == nil {
		e, err := l.open()
		if err != nil {
			return nil, err
		}
		l.eng = e
	}
	return l.eng.Recognize(img)
}

// Release closes the engine until the next Recognize.
func (l *Lazy) Release() error {
	if l.eng == nil {
		return nil
	}
	err := l.eng.Close()
	l.eng = nil
	return err
}

func (l *Lazy) Close() error { return l.Release() }
