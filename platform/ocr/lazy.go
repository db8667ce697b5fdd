package ocr

import (
	"image"

	"github.com/shareguard/shareguard/platform"
)

// lazyEngine opens the engine when the first frame of a share is read and
// closes it when the share ends, so an idle guard holds none of
// Tesseract's language models (~35 MB resident). Opening takes 0.2-0.4 s,
// small next to reading a whole screen for the first time (seconds).
type lazyEngine struct {
	open func() (Engine, error)
	eng  Engine
}

func (l *lazyEngine) Recognize(img *image.Gray) ([]platform.Line, error) {
	if l.eng == nil {
		e, err := l.open()
		if err != nil {
			return nil, err
		}
		l.eng = e
	}
	return l.eng.Recognize(img)
}

// release closes the engine until the next Recognize.
func (l *lazyEngine) release() error {
	if l.eng == nil {
		return nil
	}
	err := l.eng.Close()
	l.eng = nil
	return err
}

func (l *lazyEngine) Close() error { return l.release() }
