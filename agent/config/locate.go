package config

import (
	"sort"
	"strconv"
	"strings"
)

// The TOML library reports positions for syntax errors but not for keys
// (MetaData keeps them unexported, and only one per array-of-tables name).
// locate re-scans a file that already parsed cleanly and records where each
// key and each value starts, keyed by its path with array indices, e.g.
// "protected", "2", "titles", "0". It only needs to be right for valid TOML;
// on anything unexpected it stops and the caller falls back to the nearest
// known ancestor position.

type position struct{ Line, Col int }

type locations struct {
	keys map[string]position // where the key (or [[table]] header) starts
	vals map[string]position // where the value starts
}

func pathKey(path []string) string { return strings.Join(path, "\x1f") }

// key returns the position of the key at path, else of its nearest ancestor.
func (l *locations) key(path []string) position {
	for n := len(path); n > 0; n-- {
		k := pathKey(path[:n])
		if p, ok := l.keys[k]; ok {
			return p
		}
		if p, ok := l.vals[k]; ok { // an inline table inside an array
			return p
		}
	}
	return position{}
}

// val returns the position of the value at path, else of its key.
func (l *locations) val(path []string) position {
	if p, ok := l.vals[pathKey(path)]; ok {
		return p
	}
	return l.key(path)
}

type scanner struct {
	src        string
	i          int
	lineStarts []int
	loc        *locations
	arrays     map[string]int // array-of-tables element counts by resolved path
}

func locate(src string) *locations {
	loc := &locations{keys: map[string]position{}, vals: map[string]position{}}
	s := &scanner{src: src, loc: loc, arrays: map[string]int{}, lineStarts: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	if strings.HasPrefix(src, "\ufeff") {
		s.i = len("\ufeff") // a byte-order mark is not a key
	}
	defer func() { _ = recover() }() // positions are best effort; never crash on them
	s.document()
	return loc
}

func (s *scanner) pos(off int) position {
	line := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
	return position{Line: line, Col: off - s.lineStarts[line-1] + 1}
}

func (s *scanner) peek(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) skipSpace() {
	for !s.eof() && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

// skipBlank skips whitespace, newlines and comments.
func (s *scanner) skipBlank() {
	for !s.eof() {
		switch s.src[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		case '#':
			for !s.eof() && s.src[s.i] != '\n' {
				s.i++
			}
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for !s.eof() && s.src[s.i] != '\n' {
		s.i++
	}
}

func (s *scanner) record(m map[string]position, path []string, off int) {
	k := pathKey(path)
	if _, ok := m[k]; !ok {
		m[k] = s.pos(off)
	}
}

func (s *scanner) document() {
	var table []string
	for {
		s.skipBlank()
		if s.eof() {
			return
		}
		start := s.i
		if s.src[s.i] == '[' {
			if s.peek(1) == '[' {
				s.i += 2
				parts := s.readKey()
				table = s.resolve(parts, true)
			} else {
				s.i++
				parts := s.readKey()
				table = s.resolve(parts, false)
			}
			s.record(s.loc.keys, table, start)
			s.skipLine()
			continue
		}
		parts := s.readKey()
		if len(parts) == 0 {
			return // not valid TOML after all; give up quietly
		}
		full := append(append([]string(nil), table...), parts...)
		for n := len(table) + 1; n <= len(full); n++ {
			s.record(s.loc.keys, full[:n], start)
		}
		s.skipSpace()
		if s.peek(0) != '=' {
			return
		}
		s.i++
		s.skipSpace()
		s.value(full)
		s.skipLine()
	}
}

// resolve turns a table header into a path, inserting the current index
// of every array of tables it passes through.
func (s *scanner) resolve(parts []string, isArray bool) []string {
	var out []string
	for n, p := range parts {
		out = append(out, p)
		k := pathKey(out)
		if isArray && n == len(parts)-1 {
			idx := s.arrays[k]
			s.arrays[k] = idx + 1
			out = append(out, strconv.Itoa(idx))
			continue
		}
		if c, ok := s.arrays[k]; ok {
			out = append(out, strconv.Itoa(c-1))
		}
	}
	return out
}

func (s *scanner) readKey() []string {
	var parts []string
	for {
		s.skipSpace()
		switch c := s.peek(0); {
		case c == '"':
			parts = append(parts, s.basicString())
		case c == '\'':
			s.i++
			j := strings.IndexByte(s.src[s.i:], '\'')
			if j < 0 {
				s.i = len(s.src)
				return parts
			}
			parts = append(parts, s.src[s.i:s.i+j])
			s.i += j + 1
		default:
			j := s.i
			for j < len(s.src) && isBare(s.src[j]) {
				j++
			}
			if j == s.i {
				return parts
			}
			parts = append(parts, s.src[s.i:j])
			s.i = j
		}
		s.skipSpace()
		if s.peek(0) != '.' {
			return parts
		}
		s.i++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// basicString reads a single-line "..." string and decodes the escapes a
// key name plausibly contains.
func (s *scanner) basicString() string {
	s.i++ // opening quote
	var b strings.Builder
	for !s.eof() {
		c := s.src[s.i]
		switch {
		case c == '"':
			s.i++
			return b.String()
		case c == '\\' && s.i+1 < len(s.src):
			e := s.src[s.i+1]
			s.i += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'u', 'U':
				n := 4
				if e == 'U' {
					n = 8
				}
				if s.i+n <= len(s.src) {
					if r, err := strconv.ParseUint(s.src[s.i:s.i+n], 16, 32); err == nil {
						b.WriteRune(rune(r))
					}
					s.i += n
				}
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
			s.i++
		}
	}
	return b.String()
}

func (s *scanner) value(path []string) {
	s.record(s.loc.vals, path, s.i)
	switch {
	case strings.HasPrefix(s.src[s.i:], `"""`):
		s.multiline(`"""`, true)
	case strings.HasPrefix(s.src[s.i:], `'''`):
		s.multiline(`'''`, false)
	case s.peek(0) == '"':
		s.basicString()
	case s.peek(0) == '\'':
		s.i++
		j := strings.IndexByte(s.src[s.i:], '\'')
		if j < 0 {
			s.i = len(s.src)
			return
		}
		s.i += j + 1
	case s.peek(0) == '[':
		s.i++
		for idx := 0; ; idx++ {
			s.skipBlank()
			if s.eof() {
				return
			}
			if s.src[s.i] == ']' {
				s.i++
				return
			}
			before := s.i
			s.value(append(append([]string(nil), path...), strconv.Itoa(idx)))
			s.skipBlank()
			if s.peek(0) == ',' {
				s.i++
			} else if s.i == before {
				s.i = len(s.src) // no progress: stop
				return
			}
		}
	case s.peek(0) == '{':
		s.i++
		for {
			s.skipBlank()
			if s.eof() {
				return
			}
			if s.src[s.i] == '}' {
				s.i++
				return
			}
			start := s.i
			parts := s.readKey()
			if len(parts) == 0 {
				s.i = len(s.src)
				return
			}
			full := append(append([]string(nil), path...), parts...)
			for n := len(path) + 1; n <= len(full); n++ {
				s.record(s.loc.keys, full[:n], start)
			}
			s.skipSpace()
			if s.peek(0) != '=' {
				s.i = len(s.src)
				return
			}
			s.i++
			s.skipSpace()
			s.value(full)
			s.skipBlank()
			if s.peek(0) == ',' {
				s.i++
			}
		}
	default: // number, bool, date-time
		j := s.i
		for j < len(s.src) && !strings.ContainsRune(" \t\r\n,]}#", rune(s.src[j])) {
			j++
		}
		// "1979-05-27 07:32:00": a date and time separated by a space.
		if j-s.i == 10 && j+1 < len(s.src) && s.src[j] == ' ' && s.src[j+1] >= '0' && s.src[j+1] <= '9' {
			j++
			for j < len(s.src) && !strings.ContainsRune(" \t\r\n,]}#", rune(s.src[j])) {
				j++
			}
		}
		s.i = j
	}
}

func (s *scanner) multiline(delim string, escapes bool) {
	s.i += 3
	for !s.eof() {
		if escapes && s.src[s.i] == '\\' {
			s.i += 2
			continue
		}
		if strings.HasPrefix(s.src[s.i:], delim) {
			s.i += 3
			// Up to two more quotes belong to the content.
			for k := 0; k < 2 && s.peek(0) == delim[0]; k++ {
				s.i++
			}
			return
		}
		s.i++
	}
}
