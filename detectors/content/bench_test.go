package content

import (
	"testing"

	"github.com/shareguard/shareguard/detectors/internal/benchtext"
)

func benchText() string {
	return benchtext.Journal("Journalanteckning för 19121212-1212 signerad, sekretess gäller. ")
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
