//go:build linux

package ctext

import "testing"

func TestDecodeCompoundText(t *testing.T) {
	// Bytes xterm sets for WM_NAME "Journal — Åsa Öberg ✓" (read with xprop).
	in := []byte{0x4a, 0x6f, 0x75, 0x72, 0x6e, 0x61, 0x6c, 0x20, 0x1b, 0x25, 0x47, 0xe2, 0x80, 0x94, 0x1b, 0x25, 0x40,
		0x20, 0xc5, 0x73, 0x61, 0x20, 0xd6, 0x62, 0x65, 0x72, 0x67, 0x20, 0x1b, 0x25, 0x47, 0xe2, 0x9c, 0x93, 0x1b, 0x25, 0x40}
	if got, want := Decode(in), "Journal — Åsa Öberg ✓"; got != want {
		t.Errorf("decode = %q, want %q", got, want)
	}
	// Latin-2 in GR is not decoded as Latin-1; ASCII digits survive.
	in = []byte("pnr 19121212-1212 \x1b-B\xb1")
	if got, want := Decode(in), "pnr 19121212-1212 \uFFFD"; got != want {
		t.Errorf("decode = %q, want %q", got, want)
	}
}
