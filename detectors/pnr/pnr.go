// Package pnr finds, validates and redacts Swedish personal identity numbers
// (personnummer) and coordination numbers (samordningsnummer).
//
// Accepted formats (C is the Luhn check digit over YYMMDDNNN):
//
//	YYMMDDNNNC     YYMMDD-NNNC     YYMMDD+NNNC
//	YYYYMMDDNNNC   YYYYMMDD-NNNC   YYYYMMDD+NNNC
//
// The personnummer/meta conformance data lists YYYYMMDD+NNNC as valid, so
// the 12-digit form accepts '+' too. Space is not a separator (the
// conformance data rejects "090527 1474").
//
// The package is pure: no clock. For the 10-digit forms the century is
// unknown, so a date is accepted if it is a real calendar date in 18YY, 19YY
// or 20YY. In practice that means 29 February is accepted when YY is
// divisible by 4, except "00" written with '+' (age 100 or more, so born 1900
// or 1800, neither a leap year; a person born in 2000 cannot carry '+' before
// 2100). The 12-digit forms must have century 18, 19 or 20 and are checked
// against the exact year.
//
// Matching is a hand-written byte scanner: no regexp, no allocation when
// nothing is found. Only ASCII digits count as digits.
package pnr

// Placeholder replaces redacted numbers.
const Placeholder = "[nummer]"

// Match is one identity number found in text. Start/End are byte offsets of
// the whole match (including separator).
type Match struct {
	Start, End   int
	Coordination bool
}

func isDigit(c byte) bool { return c-'0' < 10 }

// Find returns all valid numbers, left to right, non-overlapping. A match is
// never preceded or followed by an ASCII digit, so nothing is found inside a
// longer digit run; letters and punctuation next to a match are allowed
// because OCR and window titles glue words together.
func Find(text string) []Match {
	var out []Match
	for i := 0; i < len(text); {
		m, next, ok := scan(text, i)
		if !ok {
			break
		}
		if m.End > m.Start {
			out = append(out, m)
		}
		i = next
	}
	return out
}

// Contains reports whether text holds at least one valid number. It stops
// at the first one.
func Contains(text string) bool {
	for i := 0; i < len(text); {
		m, next, ok := scan(text, i)
		if !ok {
			return false
		}
		if m.End > m.Start {
			return true
		}
		i = next
	}
	return false
}

// scan looks at the next digit run at or after i. It returns a non-empty
// match if that run (with an optional separator and serial) is a valid
// number, and the offset to continue from. ok is false when no digit is left.
func scan(text string, i int) (m Match, next int, ok bool) {
	n := len(text)
	for i < n && !isDigit(text[i]) {
		i++
	}
	if i >= n {
		return Match{}, n, false
	}
	start := i
	for i < n && isDigit(text[i]) {
		i++
	}
	end := i
	switch end - start {
	case 10:
		if coord, valid := check(text[start:end], 0); valid {
			return Match{Start: start, End: end, Coordination: coord}, end, true
		}
	case 12:
		if coord, valid := check(text[start:end], 0); valid {
			return Match{Start: start, End: end, Coordination: coord}, end, true
		}
	case 6, 8:
		// Separated form: run, '-' or '+', exactly four digits.
		if end+5 <= n && (text[end] == '-' || text[end] == '+') &&
			isDigit(text[end+1]) && isDigit(text[end+2]) && isDigit(text[end+3]) && isDigit(text[end+4]) &&
			(end+5 == n || !isDigit(text[end+5])) {
			var buf [12]byte
			k := copy(buf[:], text[start:end])
			copy(buf[k:], text[end+1:end+5])
			if coord, valid := check(string(buf[:k+4]), text[end]); valid {
				return Match{Start: start, End: end + 5, Coordination: coord}, end + 5, true
			}
		}
	}
	return Match{}, end, true
}

// check validates d, which is 10 or 12 ASCII digits without separator. sep
// is the separator that was written ('-', '+' or 0 for none); it matters
// only for the leap-day question of the 10-digit form.
func check(d string, sep byte) (coordination, ok bool) {
	leap := false
	switch len(d) {
	case 12:
		century := int(d[0]-'0')*10 + int(d[1]-'0')
		if century < 18 || century > 20 {
			return false, false
		}
		year := century*100 + int(d[2]-'0')*10 + int(d[3]-'0')
		leap = year%4 == 0 && (year%100 != 0 || year%400 == 0)
		d = d[2:]
	case 10:
		yy := int(d[0]-'0')*10 + int(d[1]-'0')
		// 19YY/20YY: some century makes YY%4==0 a leap year (2000 for
		// "00"); with '+' the person was born in 1900 or earlier.
		leap = yy%4 == 0 && !(yy == 0 && sep == '+')
	default:
		return false, false
	}
	month := int(d[2]-'0')*10 + int(d[3]-'0')
	day := int(d[4]-'0')*10 + int(d[5]-'0')
	if month < 1 || month > 12 {
		return false, false
	}
	if day > 60 {
		coordination = true
		day -= 60
	}
	if day < 1 || day > daysIn(month, leap) {
		return false, false
	}
	if d[6] == '0' && d[7] == '0' && d[8] == '0' {
		return false, false // serial 000 is never issued
	}
	if luhn(d[:9]) != d[9]-'0' {
		return false, false
	}
	return coordination, true
}

func daysIn(month int, leap bool) int {
	switch month {
	case 2:
		if leap {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// luhn returns the check digit for nine digits, weights 2,1,2,1,...
func luhn(d string) byte {
	sum := 0
	for i := 0; i < len(d); i++ {
		v := int(d[i] - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte((10 - sum%10) % 10)
}
