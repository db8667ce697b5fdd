package pnr

import (
	"strings"
	"testing"

	"github.com/shareguard/shareguard/detectors/internal/benchtext"
)

func benchText() string {
	return benchtext.Journal("Journalanteckning för 19121212-1212 signerad. ")
}

func BenchmarkFind(b *testing.B) {
	text := benchText()
	if len(Find(text)) == 0 {
		b.Fatal("benchmark text has no numbers")
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Find(text)
	}
}

func BenchmarkContainsNone(b *testing.B) {
	text := strings.ReplaceAll(benchText(), "19121212-1212", "19121212-1213")
	if Contains(text) {
		b.Fatal("text should have no numbers")
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Contains(text)
	}
}

func BenchmarkRedact(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Redact(text)
	}
}
