package content

import (
	"strings"
	"testing"
)

// benchText is about 1 MB of journal-like Swedish text with dates, phone
// and order numbers, a keyword-adjacent number every ~16 kB and a phrase.
func benchText() string {
	paras := []string{
		"Patienten inkom till akutmottagningen den 2024-01-15 kl 10:30 med buksmärtor sedan två dagar. ",
		"Anhörig (dotter) nås på 070-123 45 67 eller växeln 08-123 456 78. Remiss skickad till kirurgen, ordernr 123456789. ",
		"Status: allmäntillstånd gott, afebril, BT 135/85, puls 72. Lab: CRP 12, Hb 134, LPK 8,9. ",
		"Läkemedelslistan genomgången med patienten; Waran utsatt enligt ordination från 2023-12-01. ",
		"Biståndsbeslut enligt SoL 4 kap 1 §, hemtjänst 14 timmar per månad, faktura 2024-0012345. ",
		"Återbesök planeras om tre veckor hos distriktssköterska på vårdcentralen Öster. ",
	}
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString(paras[i%len(paras)])
		if i%150 == 149 {
			b.WriteString("Journalanteckning för 19121212-1212 signerad, sekretess gäller. ")
		}
	}
	return b.String()
}

// BenchmarkText is the detector text scan (target >= 100 MB/s) with the
// default keywords and phrases.
func BenchmarkText(b *testing.B) {
	s := mustScanner(b, Default())
	text := benchText()
	if len(s.Text(text)) == 0 {
		b.Fatal("benchmark text has no hits")
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Text(text)
	}
}
