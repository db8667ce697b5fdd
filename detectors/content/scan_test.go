package content

import (
	"image"
	"strings"
	"testing"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
)

func mustScanner(t testing.TB, cfg Config) *Scanner {
	t.Helper()
	s, err := NewScanner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hitsOf returns "rule/confidence" for each hit.
func hitsOf(hs []TextHit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Rule+"/"+h.Confidence.String())
	}
	return out
}

func TestTextProse(t *testing.T) {
	s := mustScanner(t, Default())
	cases := []struct {
		text string
		want []string
	}{
		// Skatteverket-style test numbers in Swedish prose.
		{"Patienten 19121212-1212 inkom till akuten med buksmärtor.", []string{"personnummer/high"}},
		{"Inkom 19121212-1212 till akuten med buksmärtor.", []string{"personnummer/medium"}},
		{"Hej! Kan du ringa 811218-9876 i eftermiddag?", []string{"personnummer/medium"}},
		{"Samordningsnummer: 701063-2391, tolk behövs.", []string{"samordningsnummer/high"}},
		{"Beslut för 19701063-2391 om hemtjänst.", []string{"samordningsnummer/medium"}},
		{"Brukaren med 121212+1212 har fyllt 100 år.", []string{"personnummer/high"}},
		{"PNR:191212121212", []string{"personnummer/high"}},
		// Keyword inflected (start of word counts) and in capitals.
		{"PATIENTENS nummer 811218-9876.", []string{"personnummer/high"}},
		// A keyword inside another word does not count.
		{"Extrajournalen saknas; 811218-9876.", []string{"personnummer/medium"}},
		// Phrases, case-insensitive, whitespace-flexible, start of word.
		{"SEKRETESS enligt OSL 25 kap.", []string{"phrase:Sekretess/high"}},
		{"Sekretessmarkerad handling", []string{"phrase:Sekretess/high"}},
		{"Informationssekretess gäller inte här", nil},
		{"Patient med skyddad\n  identitet", []string{"phrase:Skyddad identitet/high"}},
		{"Ny journalanteckning: 19121212-1212", []string{"personnummer/high", "phrase:Journalanteckning/high"}},
	}
	for _, c := range cases {
		got := hitsOf(s.Text(c.text))
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("Text(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestTextFalsePositives(t *testing.T) {
	s := mustScanner(t, Default())
	texts := []string{
		"Ring patientens dotter på 070-123 45 67 eller +46 70 123 45 67.",
		"Växel 08-123 456 78, fax 0812345678.",
		"Journal från 2024-01-15 till 2024-02-29, kl 10:30.",
		"Datum 20240115, 15/01/2024, 2024.01.15.",
		"Patient: faktura 2024-0012345, ordernr 123456789, OCR 12345678901234.",
		"Fakturanummer 1234567890 (Luhn fel), kundnr 8112189875.",
		"Patientens konto: clearing 8327-9, konto 123 456 789-0, bankgiro 5050-1055, plusgiro 4 12 34-5.",
		"IBAN SE45 5000 0000 0583 9825 7466, BIC ESSESESS.",
		"Journalnummer 000000-0000, 191212-0000 och 1912120000.",
	}
	for _, text := range texts {
		for _, h := range s.Text(text) {
			if !strings.HasPrefix(h.Rule, PhrasePrefix) {
				t.Errorf("Text(%q) found %s at %q", text, h.Rule, text[h.Start:h.End])
			}
		}
	}
}

func TestKeywordDistance(t *testing.T) {
	cfg := Default()
	cfg.KeywordDistance = 300
	s := mustScanner(t, cfg)
	// Multi-byte padding: the distance is in characters. It ends in a space
	// so a keyword after it starts a word.
	pad := func(n int) string { return strings.Repeat("å", n-1) + " " }
	for _, c := range []struct {
		text string
		want Confidence
	}{
		{"patient " + pad(291) + "811218-9876", High},      // keyword ends 292 chars before, starts 299
		{"patient" + pad(293) + " 811218-9876", Medium},    // starts 301 chars before
		{"811218-9876 " + pad(287) + "journal", High},      // starts 288 after, ends 295 after
		{"811218-9876 " + pad(295) + " journal", Medium},   // starts 297 after but does not fit
		{"811218-9876" + strings.Repeat(" ", 400), Medium}, // nothing at all
	} {
		hs := s.Text(c.text)
		if len(hs) != 1 || hs[0].Confidence != c.want {
			t.Errorf("len %d: got %v, want one hit at %v", len([]rune(c.text)), hitsOf(hs), c.want)
		}
	}
}

func TestRedactedMatch(t *testing.T) {
	s := mustScanner(t, Default())
	text := "Pnr 19121212-1212, samordningsnr 7010632391 och Sekretess."
	hs := s.Text(text)
	if len(hs) != 3 {
		t.Fatalf("got %v", hitsOf(hs))
	}
	for _, h := range hs {
		if strings.ContainsAny(h.Match, "0123456789") {
			t.Errorf("match %q carries digits", h.Match)
		}
		if h.Match == "" {
			t.Errorf("empty match for %s", h.Rule)
		}
	}
	if text[hs[0].Start:hs[0].End] != "19121212-1212" {
		t.Errorf("offsets point at %q", text[hs[0].Start:hs[0].End])
	}
}

func TestConfigurable(t *testing.T) {
	cfg := Default()
	cfg.Keywords = []string{"Ärendenummer"}
	cfg.Phrases = []string{"Hemlig   uppgift"}
	cfg.PhraseConfidence = Medium
	s := mustScanner(t, cfg)
	got := hitsOf(s.Text("ÄRENDENUMMER 811218-9876;" + strings.Repeat(" ", 300) + "patient 701063-2391; hemlig uppgift"))
	want := "personnummer/high,samordningsnummer/medium,phrase:Hemlig uppgift/medium"
	if strings.Join(got, ",") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	bad := Default()
	bad.HighAction = "explode"
	if _, err := NewScanner(bad); err == nil {
		t.Error("bad action accepted")
	}
	bad = Default()
	bad.Interval = 0
	if _, err := NewScanner(bad); err == nil {
		t.Error("zero interval accepted")
	}
	if Default().ActionFor(Medium) != detectors.ActionWarn || Default().ActionFor(High) != detectors.ActionMinimize {
		t.Error("default actions changed")
	}
}

func TestLowerSameKeepsOffsets(t *testing.T) {
	in := "ÅÄÖÉ×ÜABCåäö€\xff"
	out := lowerSame(in)
	if len(out) != len(in) {
		t.Fatalf("length %d -> %d", len(in), len(out))
	}
	if out != "åäöé×üabcåäö€\xff" {
		t.Errorf("lowerSame = %q", out)
	}
}

func TestLinesOCR(t *testing.T) {
	s := mustScanner(t, Default())
	word := func(text string, x0, y0, x1, y1 int) platform.Word {
		return platform.Word{Text: text, Box: image.Rect(x0, y0, x1, y1)}
	}
	lines := []platform.Line{
		{word("Journalanteckning", 10, 10, 150, 24)},
		{word("Patient:", 10, 30, 70, 44), word("Tolvan", 75, 30, 120, 44), word("Tolvansson", 125, 30, 200, 44)},
		// OCR tore the number at the dash and read 1 as l and 0 as O.
		{word("Pnr", 10, 50, 40, 64), word("l9121212", 45, 50, 120, 64), word("–", 122, 50, 128, 64), word("12l2", 130, 50, 160, 64)},
		{word("Tel", 10, 70, 30, 84), word("070-123", 35, 70, 90, 84), word("45", 95, 70, 110, 84), word("67", 115, 70, 130, 84)},
		{word("Samordn.", 10, 90, 70, 104), word("7O1O63-2391", 400, 90, 490, 104)},
	}
	res := s.Lines(lines)
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.String())
	}
	want := []string{
		"personnummer/high@(45,50)-(160,64)",
		"samordningsnummer/high@(400,90)-(490,104)",
		"phrase:Journalanteckning/high@(10,10)-(150,24)",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("hits\n got %v\nwant %v", got, want)
	}
	// Keywords: "Journal..." is a keyword by prefix, "Patient:", "Pnr".
	if len(res.Keywords) != 3 {
		t.Errorf("keyword boxes = %v", res.Keywords)
	}
}

func TestNormalizeToken(t *testing.T) {
	for in, want := range map[string]string{
		"l9121212-12l2":   "19121212-1212",
		"19121212—1212":   "19121212-1212",
		"Sekretess":       "Sekretess",
		"OS-12":           "OS-12", // too few digits to be a number
		"B12":             "B12",
		"(811218-9876)":   "(811218-9876)",
		"Pnr:81121B-9876": "Pnr:811218-9876",
	} {
		if got := normalizeToken(in); got != want {
			t.Errorf("normalizeToken(%q) = %q, want %q", in, got, want)
		}
	}
}

// normalizeToken is normalizeRunes on one string.
func normalizeToken(t string) string {
	rs := []rune(t)
	normalizeRunes(rs)
	return string(rs)
}
