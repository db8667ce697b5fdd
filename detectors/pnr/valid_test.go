package pnr

// Valid, the tests' oracle, reports whether s is exactly one number in any accepted format.
func Valid(s string) bool {
	switch len(s) {
	case 10, 12:
		if !allDigits(s) {
			return false
		}
		_, ok := check(s, 0)
		return ok
	case 11, 13:
		k := len(s) - 5
		sep := s[k]
		if sep != '-' && sep != '+' || !allDigits(s[:k]) || !allDigits(s[k+1:]) {
			return false
		}
		var buf [12]byte
		copy(buf[:], s[:k])
		copy(buf[k:], s[k+1:])
		_, ok := check(string(buf[:len(s)-1]), sep)
		return ok
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
