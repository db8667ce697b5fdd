// Package benchtext builds the journal-like Swedish text the detector
// benchmarks scan, so their MB/s figures are comparable.
package benchtext

import "strings"

// Journal returns about 1 MB of text with dates, times, phone and order
// numbers that must not match, and marker (a sentence with an identity
// number) every ~16 kB.
func Journal(marker string) string {
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
			b.WriteString(marker)
		}
	}
	return b.String()
}
