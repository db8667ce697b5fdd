package ocr

import (
	"errors"
	"image"
	"testing"

	"github.com/shareguard/shareguard/platform"
)

// countedEngine recognises nothing and counts Close.
type countedEngine struct{ closed *int }

func (c *countedEngine) Recognize(*image.Gray) ([]platform.Line, error) { return nil, nil }
func (c *countedEngine) Close() error                                   { *c.closed++; return nil }

func TestLazyEngineOpensPerShare(t *testing.T) {
	opened, closed := 0, 0
	l := NewLazy(func() (Engine, error) {
		opened++
		return &countedEngine{closed: &closed}, nil
	})
	if opened != 0 {
		t.Fatal("opened before any frame was read")
	}
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	for range 3 {
		if _, err := l.Recognize(img); err != nil {
			t.Fatal(err)
		}
	}
	if opened != 1 || closed != 0 {
		t.Fatalf("after one share's frames: opened %d closed %d, want 1 0", opened, closed)
	}
	l.Release() // the share ended
	l.Release()
	if closed != 1 {
		t.Fatalf("closed %d times, want 1", closed)
	}
	l.Recognize(img) // the next share
	if opened != 2 {
		t.Fatalf("opened %d times, want 2", opened)
	}
	l.Close()
	if closed != 2 {
		t.Fatalf("closed %d times, want 2", closed)
	}
}

func TestLazyEngineOpenError(t *testing.T) {
	want := errors.New("no language data")
	l := NewLazy(func() (Engine, error) { return nil, want })
	if _, err := l.Recognize(image.NewGray(image.Rect(0, 0, 1, 1))); !errors.Is(err, want) {
		t.Fatalf("err = %v, want the open error", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}
