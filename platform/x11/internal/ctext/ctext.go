//go:build linux

// Package ctext decodes X11 COMPOUND_TEXT window titles.
package ctext

import (
	"strings"
	"unicode/utf8"
)

// Decode decodes the COMPOUND_TEXT encoding (X11 CTEXT, ISO
// 2022 based) well enough for window titles. xterm and other Xlib programs
// set WM_NAME this way: Latin-1 by default, with ESC % G … ESC % @ around
// UTF-8 runs for characters outside the standard sets. Other 96-character
// sets and multi-byte sets become U+FFFD: titles are matched on ASCII
// digits and Latin-1 letters, which this covers.
func Decode(b []byte) string {
	var sb strings.Builder
	grLatin1 := true // GR holds ISO 8859-1 right half unless designated otherwise
	utf8Mode := false
	for i := 0; i < len(b); {
		c := b[i]
		if c == 0x1b { // ESC
			rest := b[i+1:]
			switch {
			case len(rest) >= 2 && rest[0] == '%' && rest[1] == 'G':
				utf8Mode = true
				i += 3
				continue
			case len(rest) >= 2 && rest[0] == '%' && rest[1] == '@':
				utf8Mode = false
				i += 3
				continue
			case len(rest) >= 2 && rest[0] == '-': // 96-char set into GR
				grLatin1 = rest[1] == 'A'
				i += 3
				continue
			case len(rest) >= 2 && (rest[0] == '(' || rest[0] == ')'): // 94-char sets
				i += 3
				continue
			case len(rest) >= 3 && rest[0] == '$': // multi-byte sets: ESC $ ( X / ESC $ ) X
				grLatin1 = false
				i += 4
				continue
			}
			i++
			continue
		}
		if utf8Mode {
			r, n := utf8.DecodeRune(b[i:])
			sb.WriteRune(r)
			i += n
			continue
		}
		switch {
		case c == 0x9b: // CSI (direction) sequences: skip to the final byte
			i++
			for i < len(b) && (b[i] < 0x40 || b[i] > 0x7e) {
				i++
			}
			i++
		case c < 0x80:
			sb.WriteByte(c)
			i++
		case c >= 0xa0 && grLatin1:
			sb.WriteRune(rune(c))
			i++
		default:
			sb.WriteRune(utf8.RuneError)
			i++
		}
	}
	return sb.String()
}
