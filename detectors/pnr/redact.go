package pnr

import "strings"

// Redact replaces every valid personnummer/samordningsnummer (with its
// separator) and every other run of six or more ASCII digits with
// Placeholder. It errs on the side of hiding: a 6- or 8-digit run followed
// by a separator and exactly four digits is replaced whole even when the
// check digit is wrong or the separator is one Find does not accept (space,
// no-break space, Unicode dashes, minus sign), since that is still someone's
// birth date and serial. Every Find match is such a shape or a run of 10 or
// 12 digits, so the output never contains a Find match or six digits in a
// row. Bytes that are not digits are copied unchanged, so invalid UTF-8 is
// safe. When there is nothing to replace s is returned without allocating.
func Redact(s string) string {
	first := nextLongRun(s, 0)
	if first < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:first])
	i := first
	for i < len(s) {
		if !isDigit(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i-start < 6 {
			b.WriteString(s[start:i])
			continue
		}
		if l := i - start; l == 6 || l == 8 {
			i += serialTail(s[i:])
		}
		b.WriteString(Placeholder)
	}
	return b.String()
}

// nextLongRun returns the offset of the first run of six or more digits at
// or after i, or -1.
func nextLongRun(s string, i int) int {
	run := 0
	for ; i < len(s); i++ {
		if isDigit(s[i]) {
			run++
			if run == 6 {
				return i - 5
			}
		} else {
			run = 0
		}
	}
	return -1
}

// serialTail returns the length of a separator plus exactly four digits at
// the start of s (not followed by a digit), or 0.
func serialTail(s string) int {
	k := sepLen(s)
	if k == 0 || len(s) < k+4 {
		return 0
	}
	for j := k; j < k+4; j++ {
		if !isDigit(s[j]) {
			return 0
		}
	}
	if len(s) > k+4 && isDigit(s[k+4]) {
		return 0
	}
	return k + 4
}

// sepLen returns the byte length of a separator-like character at the start
// of s, or 0. Broader than Find on purpose: OCR and word processors turn
// '-' into dashes, and people write a space.
func sepLen(s string) int {
	if s == "" {
		return 0
	}
	switch s[0] {
	case '-', '+', ' ':
		return 1
	case 0xC2: // U+00A0 no-break space
		if len(s) >= 2 && s[1] == 0xA0 {
			return 2
		}
	case 0xE2:
		if len(s) >= 3 {
			// U+2010..U+2015 hyphens and dashes, U+2212 minus sign.
			if s[1] == 0x80 && s[2] >= 0x90 && s[2] <= 0x95 || s[1] == 0x88 && s[2] == 0x92 {
				return 3
			}
		}
	}
	return 0
}
