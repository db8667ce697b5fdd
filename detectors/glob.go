package detectors

import (
	"fmt"
	"regexp"
	"strings"
)

// Glob is a compiled case-insensitive shell-style pattern: '*' matches any
// run of characters (including '/'), '?' one character, '[abc]', '[a-z]' and
// '[!abc]' a class, and '\' escapes the next character. The zero Glob is
// unset and matches nothing.
type Glob struct {
	src string
	re  *regexp.Regexp
}

// CompileGlob compiles a pattern; an empty pattern gives the unset Glob.
func CompileGlob(pattern string) (Glob, error) {
	if pattern == "" {
		return Glob{}, nil
	}
	var b strings.Builder
	b.WriteString(`(?is)\A`)
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '\\':
			if i+1 >= len(rs) {
				return Glob{}, fmt.Errorf("bad glob %q: trailing backslash", pattern)
			}
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		case '[':
			j := i + 1
			if j < len(rs) && (rs[j] == '!' || rs[j] == '^') {
				j++
			}
			if j < len(rs) && rs[j] == ']' { // a leading ']' is literal
				j++
			}
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			if j >= len(rs) {
				return Glob{}, fmt.Errorf("bad glob %q: unclosed '['", pattern)
			}
			body := rs[i+1 : j]
			b.WriteByte('[')
			if len(body) > 0 && (body[0] == '!' || body[0] == '^') {
				b.WriteByte('^')
				body = body[1:]
			}
			for _, r := range body {
				if r == '\\' || r == '[' || r == ']' || r == '^' {
					b.WriteByte('\\')
				}
				b.WriteRune(r)
			}
			b.WriteByte(']')
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`\z`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return Glob{}, fmt.Errorf("bad glob %q: %w", pattern, err)
	}
	return Glob{src: pattern, re: re}, nil
}

// MustGlob is CompileGlob for built-in patterns known to be valid.
func MustGlob(pattern string) Glob {
	g, err := CompileGlob(pattern)
	if err != nil {
		panic(err)
	}
	return g
}

// IsSet reports whether the glob has a pattern.
func (g Glob) IsSet() bool { return g.re != nil }

// String returns the source pattern.
func (g Glob) String() string { return g.src }

// Match reports whether s matches the whole pattern.
func (g Glob) Match(s string) bool { return g.re != nil && g.re.MatchString(s) }

// MatchProcess matches a process name with ".exe" optional on both sides,
// so "Zoom" matches "Zoom.exe" and "zoom.exe" matches "zoom".
func (g Glob) MatchProcess(name string) bool {
	if g.re == nil || name == "" {
		return false
	}
	if g.re.MatchString(name) {
		return true
	}
	lower := strings.ToLower(name)
	if base, ok := strings.CutSuffix(lower, ".exe"); ok {
		return g.re.MatchString(base)
	}
	return g.re.MatchString(lower + ".exe")
}
