package content

import (
	"fmt"
	"image"
	"strings"
	"unicode/utf8"

	"github.com/shareguard/shareguard/detectors/pnr"
	"github.com/shareguard/shareguard/platform"
)

// TextHit is one hit in a text, by byte offsets into that text.
type TextHit struct {
	Rule       string
	Confidence Confidence
	Start, End int
	Match      string // redacted: never digits of a number
}

// Hit is one hit on the screen. It carries no recognised text.
type Hit struct {
	Rule       string
	Confidence Confidence
	Rect       image.Rectangle // screen coordinates
	Match      string          // redacted, as in TextHit
}

// Scanner is a compiled Config. It is safe for concurrent use.
type Scanner struct {
	cfg      Config
	keywords []pattern
	phrases  []pattern
}

// pattern is a lowered keyword or phrase split into words; whitespace
// between words matches any run of whitespace, since OCR and layout break
// lines and double spaces.
type pattern struct {
	name  string
	words []string
}

// NewScanner compiles cfg.
func NewScanner(cfg Config) (*Scanner, error) {
	if cfg.PhraseConfidence == ConfNone {
		cfg.PhraseConfidence = High
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Scanner{cfg: cfg}
	for _, k := range cfg.Keywords {
		s.keywords = append(s.keywords, compile(k))
	}
	for _, p := range cfg.Phrases {
		s.phrases = append(s.phrases, compile(p))
	}
	return s, nil
}

// Config returns the configuration the scanner was built from.
func (s *Scanner) Config() Config { return s.cfg }

func compile(s string) pattern {
	return pattern{name: strings.Join(strings.Fields(s), " "), words: strings.Fields(lowerSame(s))}
}

// Text scans text for identity numbers and phrases.
func (s *Scanner) Text(text string) []TextHit {
	var out []TextHit
	var buf []byte
	for _, m := range pnr.Find(text) {
		rule := RulePersonnummer
		if m.Coordination {
			rule = RuleSamordningsnummer
		}
		conf := Medium
		if len(s.keywords) > 0 {
			a := backRunes(text, m.Start, s.cfg.KeywordDistance)
			b := fwdRunes(text, m.End, s.cfg.KeywordDistance)
			buf = appendLower(buf[:0], text[a:b])
			if anyAt(string(buf), s.keywords) {
				conf = High
			}
		}
		out = append(out, TextHit{Rule: rule, Confidence: conf, Start: m.Start, End: m.End, Match: pnr.Redact(text[m.Start:m.End])})
	}
	if len(s.phrases) > 0 {
		low := string(appendLower(make([]byte, 0, len(text)), text))
		for _, p := range s.phrases {
			for off := 0; ; {
				st, en, ok := p.find(low, off)
				if !ok {
					break
				}
				out = append(out, TextHit{Rule: PhrasePrefix + p.name, Confidence: s.cfg.PhraseConfidence, Start: st, End: en, Match: p.name})
				off = en
			}
		}
	}
	return out
}

// backRunes returns the offset n runes before i (or 0).
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, sz := utf8.DecodeLastRuneInString(s[:i])
		i -= sz
	}
	return i
}

// fwdRunes returns the offset n runes after i (or len(s)).
func fwdRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, sz := utf8.DecodeRuneInString(s[i:])
		i += sz
	}
	return i
}

// anyAt reports whether any pattern occurs in the lowered text.
func anyAt(low string, pats []pattern) bool {
	for _, p := range pats {
		if _, _, ok := p.find(low, 0); ok {
			return true
		}
	}
	return false
}

// find returns the next occurrence at or after off that starts a word.
func (p pattern) find(low string, off int) (start, end int, ok bool) {
	if len(p.words) == 0 {
		return 0, 0, false
	}
	first := p.words[0]
	for off <= len(low) {
		i := strings.Index(low[off:], first)
		if i < 0 {
			return 0, 0, false
		}
		i += off
		off = i + 1
		if i > 0 && isWordByte(low[i-1]) {
			continue
		}
		j := i + len(first)
		matched := true
		for _, w := range p.words[1:] {
			k := j
			for k < len(low) && isSpace(low[k]) {
				k++
			}
			if k == j || !strings.HasPrefix(low[k:], w) {
				matched = false
				break
			}
			j = k + len(w)
		}
		if matched {
			return i, j, true
		}
	}
	return 0, 0, false
}

// isWordByte: letters, digits and every byte of a multi-byte rune (å, ä,
// ö...) continue a word.
func isWordByte(c byte) bool {
	return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lowerSame lowercases ASCII and Latin-1 letters (Å, Ä, Ö, É...) without
// changing the byte length, so offsets into the result are offsets into s.
func lowerSame(s string) string { return string(appendLower(nil, s)) }

// appendLower appends the lowered s to dst (see lowerSame).
func appendLower(dst []byte, s string) []byte {
	n := len(dst)
	dst = append(dst, s...) // one copy, then fix up in place
	out := dst[n:]
	for i := 0; i < len(out); i++ {
		c := out[i]
		if c < 0x80 {
			if c-'A' < 26 {
				out[i] = c + ('a' - 'A')
			}
			continue
		}
		// U+00C0..U+00DE (but not U+00D7 '×') -> U+00E0..U+00FE
		if c == 0xC3 && i+1 < len(out) && out[i+1] >= 0x80 && out[i+1] <= 0x9E && out[i+1] != 0x97 {
			out[i+1] += 0x20
			i++
		}
	}
	return dst
}

// Result of scanning recognised lines.
type Result struct {
	Hits []Hit
	// Keywords are the boxes of keyword occurrences (no text): a caller
	// that reads a screen region by region passes those of all regions,
	// with their hits, to RaiseNear.
	Keywords []image.Rectangle
}

// span maps a byte range of the built text to a word box.
type span struct {
	start, end int
	box        image.Rectangle
}

// Lines scans OCR output. It rebuilds the text (words joined by spaces,
// lines by newlines, a number torn at its dash glued back), undoes OCR's
// usual digit confusions inside digit runs, and maps each hit back to the
// union of the boxes of its words.
func (s *Scanner) Lines(lines []platform.Line) Result {
	var b strings.Builder
	var spans []span
	var rs []rune
	type rspan struct {
		start, end int
		box        image.Rectangle
	}
	var rsp []rspan
	for li, line := range lines {
		if li > 0 {
			b.WriteByte('\n')
		}
		rs, rsp = rs[:0], rsp[:0]
		for _, w := range line {
			t := []rune(strings.TrimSpace(w.Text))
			if len(t) == 0 {
				continue
			}
			if len(rs) > 0 && !glue(rs[len(rs)-1], t[0]) {
				rs = append(rs, ' ')
			}
			rsp = append(rsp, rspan{len(rs), len(rs) + len(t), w.Box})
			rs = append(rs, t...)
		}
		normalizeRunes(rs) // one rune for one rune: spans stay valid
		base := b.Len()
		offs := make([]int, len(rs)+1)
		for i, r := range rs {
			offs[i] = b.Len() - base
			b.WriteRune(r)
		}
		offs[len(rs)] = b.Len() - base
		for _, sp := range rsp {
			spans = append(spans, span{base + offs[sp.start], base + offs[sp.end], sp.box})
		}
	}
	text := b.String()
	var res Result
	for _, h := range s.Text(text) {
		res.Hits = append(res.Hits, Hit{Rule: h.Rule, Confidence: h.Confidence, Rect: boxOf(spans, h.Start, h.End), Match: h.Match})
	}
	if len(s.keywords) > 0 && len(spans) > 0 {
		low := lowerSame(text)
		for _, p := range s.keywords {
			for off := 0; ; {
				st, en, ok := p.find(low, off)
				if !ok {
					break
				}
				res.Keywords = append(res.Keywords, boxOf(spans, st, en))
				off = en
			}
		}
	}
	return res
}

func boxOf(spans []span, start, end int) image.Rectangle {
	var r image.Rectangle
	for _, sp := range spans {
		if sp.end > start && sp.start < end {
			r = r.Union(sp.box)
		}
	}
	return r
}

// glue reports whether two OCR words are one number torn apart at its
// separator ("191212 -1212", "191212- 1212", "191212 - 1212").
func glue(last, first rune) bool {
	_, lc := confusable(last)
	_, fc := confusable(first)
	ld := last >= '0' && last <= '9' || lc
	fd := first >= '0' && first <= '9' || fc
	return ld && isSep(first) || isSep(last) && fd
}

func isSep(r rune) bool { return r == '-' || r == '+' || isDash(r) }

// normalizeRunes maps OCR confusions, in place, inside runs of digits,
// separators and look-alikes that hold at least six real digits: O/o/Q/D
// -> 0, l/I/i/|/! -> 1, S -> 5, B -> 8, Z -> 2 when next to a digit, and
// Unicode dashes and minus -> '-'. A false repair still has to pass the
// date and Luhn checks, so this widens recall without inviting noise.
func normalizeRunes(rs []rune) {
	for i := 0; i < len(rs); {
		if !runeInRun(rs[i]) {
			i++
			continue
		}
		j, digits := i, 0
		for j < len(rs) && runeInRun(rs[j]) {
			if rs[j] >= '0' && rs[j] <= '9' {
				digits++
			}
			j++
		}
		if digits >= 6 {
			for k := i; k < j; k++ {
				if d, ok := confusable(rs[k]); ok && neighbourDigit(rs, k, i, j) {
					rs[k] = d
				} else if isDash(rs[k]) {
					rs[k] = '-'
				}
			}
		}
		i = j
	}
}

func runeInRun(r rune) bool {
	_, c := confusable(r)
	return r >= '0' && r <= '9' || r == '-' || r == '+' || isDash(r) || c
}

func isDash(r rune) bool { return r >= 0x2010 && r <= 0x2015 || r == 0x2212 }

func confusable(r rune) (rune, bool) {
	switch r {
	case 'O', 'o', 'Q', 'D':
		return '0', true
	case 'l', 'I', 'i', '|', '!':
		return '1', true
	case 'S':
		return '5', true
	case 'B':
		return '8', true
	case 'Z':
		return '2', true
	}
	return 0, false
}

// neighbourDigit reports whether rs[k] has a digit or another confusable
// next to it within the run [lo, hi), so a stray letter at a run's edge
// ("S" in "S-191212") is not turned into a digit.
func neighbourDigit(rs []rune, k, lo, hi int) bool {
	for _, n := range []int{k - 1, k + 1} {
		if n >= lo && n < hi && rs[n] >= '0' && rs[n] <= '9' {
			return true
		}
	}
	return false
}

// String describes a hit without its match, for debugging and tests.
func (h Hit) String() string {
	return fmt.Sprintf("%s/%s@%v", h.Rule, h.Confidence, h.Rect)
}
