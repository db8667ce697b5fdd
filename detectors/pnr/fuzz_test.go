package pnr

import (
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"",
	"Patienten 19121212-1212 kom till mottagningen",
	"121212-1212", "121212+1212", "1212121212", "191212121212", "19121212+1212",
	"Samordningsnummer 701063-2391 tilldelat",
	"Ring 070-123 45 67", "0701234567", "+46 70 123 45 67", "08-123 456 78",
	"2024-01-15", "20240115", "Konto 8327-9, 123 456 789-0", "5000-1234567",
	"01212121212", "121212-12120", "9121212-1212", "150916-0006",
	"000229-1003", "000229+1003", "19000229-1003",
	"121212\u20131212", "121212\u00a01212", "\xff\xfe121212-1212\xc2", "121212\xe2\x80",
	"19090527 1474", "pnr8112189876x",
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
}

// checkFind asserts the invariants of Find on any input.
func checkFind(t *testing.T, s string) {
	ms := Find(s)
	prev := 0
	for i, m := range ms {
		if m.Start < prev || m.End <= m.Start || m.End > len(s) {
			t.Fatalf("Find(%q)[%d] = %+v out of bounds or overlapping (prev end %d)", s, i, m, prev)
		}
		sub := s[m.Start:m.End]
		if !Valid(sub) {
			t.Fatalf("Find(%q)[%d] = %q, which Valid rejects", s, i, sub)
		}
		if m.Start > 0 && isDigit(s[m.Start-1]) || m.End < len(s) && isDigit(s[m.End]) {
			t.Fatalf("Find(%q)[%d] = %q touches another digit", s, i, sub)
		}
		prev = m.End
	}
	if Contains(s) != (len(ms) > 0) {
		t.Fatalf("Contains(%q) = %v but Find found %d", s, Contains(s), len(ms))
	}
	if Valid(s) && (len(ms) != 1 || ms[0].Start != 0 || ms[0].End != len(s)) {
		t.Fatalf("Valid(%q) but Find = %v", s, ms)
	}
}

func FuzzFind(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkFind(t, s)
	})
}

func FuzzRedact(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		if m := Find(out); len(m) != 0 {
			t.Fatalf("Redact(%q) = %q still contains %v", s, out, m)
		}
		if nextLongRun(out, 0) >= 0 || strings.Contains(out, "000000") {
			t.Fatalf("Redact(%q) = %q still has six digits in a row", s, out)
		}
		// Every match in the input is gone, and nothing but digits and
		// separators next to them was removed.
		if len(Find(s)) > 0 && !strings.Contains(out, Placeholder) {
			t.Fatalf("Redact(%q) = %q has no placeholder", s, out)
		}
		if stripped := strings.ReplaceAll(out, Placeholder, ""); len(stripped) > len(s) {
			t.Fatalf("Redact(%q) = %q added text", s, out)
		}
		if Redact(out) != out {
			t.Fatalf("Redact is not idempotent on %q", s)
		}
	})
}
