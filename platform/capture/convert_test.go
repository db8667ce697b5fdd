//go:build linux

package capture

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// Every pixel, also an odd one at the end, comes out as R, G, B, opaque,
// and the source is wiped, also beyond the pixels converted.
func TestToRGBA(t *testing.T) {
	for _, pixels := range []int{0, 1, 2, 3, 7, 1000} {
		data := make([]byte, 4*pixels+3) // a reply padded beyond the pixels
		for i := range data {
			data[i] = byte(rand.IntN(256))
		}
		src := bytes.Clone(data)
		out := make([]byte, 4*pixels)
		toRGBA(out, data)
		if slices.ContainsFunc(data, func(b byte) bool { return b != 0 }) {
			t.Fatalf("%d pixels: the source was not wiped", pixels)
		}
		for p := 0; p < pixels; p++ {
			b, g, r := src[4*p], src[4*p+1], src[4*p+2]
			if got := out[4*p : 4*p+4]; got[0] != r || got[1] != g || got[2] != b || got[3] != 0xff {
				t.Fatalf("%d pixels: pixel %d is %v, want %v", pixels, p, got, []byte{r, g, b, 0xff})
			}
		}
	}
}

func BenchmarkToRGBA(b *testing.B) {
	data := make([]byte, 1920*1080*4)
	out := make([]byte, len(data))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		toRGBA(out, data)
	}
}
