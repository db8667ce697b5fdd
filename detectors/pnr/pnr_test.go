package pnr

import (
	"regexp"
	"strings"
	"testing"
)

// found returns the matched substrings of text.
func found(text string) []string {
	var out []string
	for _, m := range Find(text) {
		out = append(out, text[m.Start:m.End])
	}
	return out
}

func TestFindInProse(t *testing.T) {
	cases := []struct {
		text  string
		want  []string
		coord []bool
	}{
		// Skatteverket's classic test number: Luhn over 121212121 gives 2,
		// so all three forms are valid (1912 and 2012 both fit).
		{"Patienten 19121212-1212 kom till mottagningen", []string{"19121212-1212"}, []bool{false}},
		{"Patienten 121212-1212 kom till mottagningen", []string{"121212-1212"}, []bool{false}},
		{"Barnet 20121212-1212 är inskrivet", []string{"20121212-1212"}, []bool{false}},
		{"Pnr 191212121212 och 1212121212.", []string{"191212121212", "1212121212"}, []bool{false, false}},
		// '+' marks age 100 or more.
		{"Född 121212+1212, 100 år", []string{"121212+1212"}, []bool{false}},
		// Samordningsnummer: day + 60 (10 Oct 1970 -> 701070; Skatteverket's
		// example 701063-2391 is 3 Oct 1970).
		{"Samordningsnummer 701063-2391 tilldelat", []string{"701063-2391"}, []bool{true}},
		{"Klient (19701063-2391) i Treserva", []string{"19701063-2391"}, []bool{true}},
		{"Två nummer: 811218-9876; 701063-2391.", []string{"811218-9876", "701063-2391"}, []bool{false, true}},
		// Letters glued on by OCR or in a window title are fine.
		{"TakeCare - Journal:19121212-1212abc", []string{"19121212-1212"}, []bool{false}},
		{"pnr8112189876x", []string{"8112189876"}, []bool{false}},
		{"Ärende 121212-1212€", []string{"121212-1212"}, []bool{false}},
		{"121212-1212", []string{"121212-1212"}, []bool{false}},
	}
	for _, c := range cases {
		got := Find(c.text)
		if len(got) != len(c.want) {
			t.Errorf("Find(%q) = %v (%q), want %q", c.text, got, found(c.text), c.want)
			continue
		}
		for i, m := range got {
			if s := c.text[m.Start:m.End]; s != c.want[i] || m.Coordination != c.coord[i] {
				t.Errorf("Find(%q)[%d] = %q coord=%v, want %q coord=%v", c.text, i, s, m.Coordination, c.want[i], c.coord[i])
			}
		}
		if !Contains(c.text) {
			t.Errorf("Contains(%q) = false", c.text)
		}
	}
}

func TestNoFalsePositives(t *testing.T) {
	texts := []string{
		// Phone numbers.
		"Ring 070-123 45 67 vid frågor",
		"Mobil 0701234567", // Luhn over 070123456 is 9, not 7
		"Tel +46 70 123 45 67",
		"Växel 08-123 456 78",
		"+46701234567",
		// Dates and times.
		"Besök 2024-01-15 kl 10:30",
		"Datum 20240115",
		"2024-01-15T10:30:00+01:00",
		// Invoice, order and reference numbers.
		"Faktura 2024-0012345",
		"Ordernr 123456789",
		"OCR-nummer 12345678901",
		"Referens 1234-5678-9012",
		// 10 digits with the wrong check digit.
		"Nummer 8112189875",
		"Nummer 121212-1213",
		"Nummer 19121212-1213",
		// Bank accounts.
		"Konto 8327-9, 123 456 789-0",
		"Konto 5000-1234567",
		"Bankgiro 5050-1055",
		// A valid number inside a longer digit run.
		"01212121212",
		"12121212120",
		"1912121212120",
		"9121212-1212",
		"121212-12120",
		"0121212-1212",
		"119121212-1212",
		"19121212-12123",
		// Impossible dates and serial 000.
		"121312-1212", // month 13
		"121200-1212", // day 0
		"121292-1212", // day 92 (coordination 32)
		"121232-1212", // day 32
		"150916-0006", // serial 000 (Luhn-valid)
		// Space is not a separator (conformance data).
		"121212 1212",
		// 12 digits with an implausible century.
		"991212121212",
		"171212121212",
		"",
		"-+-+",
	}
	for _, text := range texts {
		if got := Find(text); len(got) != 0 {
			t.Errorf("Find(%q) = %q, want none", text, found(text))
		}
		if Contains(text) {
			t.Errorf("Contains(%q) = true, want false", text)
		}
	}
}

func TestValid(t *testing.T) {
	cases := []struct {
		s    string
		want bool
	}{
		{"121212-1212", true},
		{"121212+1212", true},
		{"1212121212", true},
		{"191212121212", true},
		{"19121212-1212", true},
		{"19121212+1212", true},
		{"701063-2391", true},
		// Exactly one number, nothing around it.
		{" 121212-1212", false},
		{"121212-1212 ", false},
		{"121212-1212x", false},
		{"121212--1212", false},
		{"121212/1212", false},
		{"121212 1212", false},
		{"1212-121212", false},
		{"12121-21212", false},
		{"1912121-21212", false},
		{"121212-121a", false},
		{"12121212121", false},
		{"", false},
		// Leap days. 10-digit: 29 Feb accepted when some century 18/19/20
		// makes it a leap year; '+' with "00" means 1900 or 1800: neither.
		{"000229-1003", true},
		{"0002291003", true},
		{"000229+1003", false},
		{"040229-1009", true},
		{"040229+1009", true},
		{"010229-1002", false},
		{"010228-1003", true},
		{"20000229-1003", true},
		{"19000229-1003", false},
		{"18000229-1003", false},
		{"19040229-1009", true},
		{"19010229-1002", false},
	}
	for _, c := range cases {
		if got := Valid(c.s); got != c.want {
			t.Errorf("Valid(%q) = %v, want %v", c.s, got, c.want)
		}
		if c.want {
			if m := Find(c.s); len(m) != 1 || m[0].Start != 0 || m[0].End != len(c.s) {
				t.Errorf("Find(%q) = %v, want the whole string", c.s, m)
			}
		}
	}
}

var sixDigits = regexp.MustCompile(`[0-9]{6}`)

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Patienten 19121212-1212 kom till mottagningen", "Patienten [nummer] kom till mottagningen"},
		{"121212-1212", "[nummer]"},
		{"Pnr:121212+1212.", "Pnr:[nummer]."},
		{"Samordningsnr 701063-2391, 811218-9876", "Samordningsnr [nummer], [nummer]"},
		// Runs of six or more digits go too, valid or not.
		{"Datum 20240115", "Datum [nummer]"},
		{"Ordernr 123456789 och 12345", "Ordernr [nummer] och 12345"},
		{"Konto 5000-1234567", "Konto 5000-[nummer]"},
		{"01212121212", "[nummer]"},
		// Number-shaped with a wrong check digit or another separator:
		// over-redacted on purpose.
		{"Nummer 121212-1213", "Nummer [nummer]"},
		{"Nummer 19121212 1212 här", "Nummer [nummer] här"},
		{"Nummer 121212\u20131212 (tankstreck)", "Nummer [nummer] (tankstreck)"},
		{"Nummer 121212\u22121212", "Nummer [nummer]"},
		{"Nummer 121212\u00a01212", "Nummer [nummer]"},
		// Left alone: short runs, phone numbers in groups, dates with dashes.
		{"Ring 070-123 45 67", "Ring 070-123 45 67"},
		{"Besök 2024-01-15", "Besök 2024-01-15"},
		{"12345-1234", "12345-1234"},
		{"", ""},
		// Invalid UTF-8 passes through byte for byte.
		{"\xff\xfe121212-1212\xc2", "\xff\xfe[nummer]\xc2"},
		{"121212\xe2\x80", "[nummer]\xe2\x80"},
	}
	for _, c := range cases {
		got := Redact(c.in)
		if got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
		checkRedacted(t, c.in, got)
	}
}

func checkRedacted(t *testing.T, in, out string) {
	t.Helper()
	if m := Find(out); len(m) != 0 {
		t.Errorf("Redact(%q) = %q still contains %v", in, out, m)
	}
	if sixDigits.MatchString(out) {
		t.Errorf("Redact(%q) = %q still contains six digits in a row", in, out)
	}
}

func TestRedactHuge(t *testing.T) {
	// One long digit run and a large mixed text.
	digits := strings.Repeat("1", 1<<20)
	if got := Redact(digits); got != Placeholder {
		t.Errorf("Redact(1 MiB of digits) has length %d, want %q", len(got), Placeholder)
	}
	text := strings.Repeat("Patient 19121212-1212 ringer 070-123 45 67. ", 20000)
	out := Redact(text)
	checkRedacted(t, "large text", out)
	if n := strings.Count(out, Placeholder); n != 20000 {
		t.Errorf("Redact(large text) has %d placeholders, want 20000", n)
	}
}

func TestNoAllocWhenNothingFound(t *testing.T) {
	text := strings.Repeat("Mottagningen ringer 070-123 45 67 den 2024-01-15, ärende 8112189875. ", 50)
	if n := testing.AllocsPerRun(20, func() { _ = Find(text) }); n != 0 {
		t.Errorf("Find allocates %v times with no match", n)
	}
	if n := testing.AllocsPerRun(20, func() { _ = Contains(text) }); n != 0 {
		t.Errorf("Contains allocates %v times", n)
	}
	if n := testing.AllocsPerRun(20, func() { _ = Valid("121212-1212") }); n != 0 {
		t.Errorf("Valid allocates %v times", n)
	}
	short := "Mottagningen ringer 070-123 45 67 den 2024-01-15"
	if n := testing.AllocsPerRun(20, func() { _ = Redact(short) }); n != 0 {
		t.Errorf("Redact allocates %v times with nothing to redact", n)
	}
}
