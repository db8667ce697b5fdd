//go:build linux && cgo && !noocr

package sample

import (
	"fmt"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform/ocr"
	"github.com/shareguard/shareguard/platform/ocr/ocrtest"
)

// corpusResult is how one engine setting did on the rendered corpus.
type corpusResult struct {
	found, missed, weak, false_ int
	misses, weakOnes            []string
	took                        time.Duration
}

// readCorpus runs every corpus sample through a fresh pipeline (what the
// first frame of a share does), reading line by line (the urgent reads)
// or runs of lines at once (the others), and counts identity-number hits.
func readCorpus(t testing.TB, e ocr.Engine, samples []ocrtest.Sample, byLine bool) corpusResult {
	t.Helper()
	scan, _ := content.NewScanner(content.Default())
	var r corpusResult
	for _, s := range samples {
		p := NewPipeline(e, scan)
		p.LineByLine = byLine
		t0 := time.Now()
		hits, err := p.Process(s.Img)
		r.took += time.Since(t0)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		n, high := 0, 0
		for _, h := range hits {
			if h.Rule == content.RulePersonnummer || h.Rule == content.RuleSamordningsnummer {
				n++
				if h.Confidence == content.High {
					high++
				}
			}
		}
		switch {
		case s.Numbers == 0 && n > 0:
			r.false_ += n
			r.misses = append(r.misses, fmt.Sprintf("%s: %d false hits", s.Name, n))
		case n < s.Numbers:
			r.missed += s.Numbers - n
			r.found += n
			r.misses = append(r.misses, fmt.Sprintf("%s: found %d of %d", s.Name, n, s.Numbers))
		default:
			r.found += s.Numbers
			if s.Keyword && high < s.Numbers {
				r.weak += s.Numbers - high
				r.weakOnes = append(r.weakOnes, fmt.Sprintf("%s: %d of %d at high confidence", s.Name, high, s.Numbers))
			}
		}
	}
	return r
}

// TestCorpusAccuracy reads the rendered corpus with the engine as the
// guard opens it: every number is found and nothing else is taken for
// one. A number found at medium instead of high confidence beside its
// keyword (the keyword misread) is logged: it is warned about, not hidden.
func TestCorpusAccuracy(t *testing.T) {
	samples, err := ocrtest.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	e := openEngine(t)
	for _, byLine := range []bool{false, true} {
		r := readCorpus(t, e, samples, byLine)
		t.Logf("line by line %v: %d samples: %d numbers found, %d missed, %d not high beside a keyword, %d false hits; %v", byLine, len(samples), r.found, r.missed, r.weak, r.false_, r.took)
		for _, m := range r.misses {
			t.Errorf("line by line %v: %s", byLine, m)
		}
		for _, m := range r.weakOnes {
			t.Logf("line by line %v: %s", byLine, m)
		}
	}
}

// BenchmarkEngineModes compares Tesseract settings on the same frames:
// the corpus (accuracy and time) and the journal table of the content
// bench as a window-sized region. Run with -benchtime 1x; the default
// runs first and last, so the spread between the two is the noise.
func BenchmarkEngineModes(b *testing.B) {
	samples, err := ocrtest.Corpus()
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []struct {
		name   string
		o      ocr.Options
		byLine bool
	}{
		{"psm6-sauvola", ocr.Options{}, false}, // the default
		{"psm6-sauvola-by-line", ocr.Options{}, true},
		{"psm6-otsu", ocr.Options{Threshold: ocr.ThresholdOtsu}, false},
		{"psm11-sauvola", ocr.Options{PageSeg: 11}, false},
		{"psm6-sauvola-swe+eng", ocr.Options{Languages: []string{"swe", "eng"}}, false},
		{"psm6-sauvola-again", ocr.Options{}, false},
	} {
		b.Run(m.name, func(b *testing.B) {
			e, err := ocr.Open(m.o)
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			for b.Loop() {
				r := readCorpus(b, e, samples, m.byLine)
				b.ReportMetric(float64(r.missed), "missed")
				b.ReportMetric(float64(r.weak), "weak")
				b.ReportMetric(float64(r.false_), "false")
				b.ReportMetric(float64(r.took.Milliseconds())/float64(len(samples)), "ms/sample")
			}
			c := ocrtest.NewCanvas(600, 420, ocrtest.Light.Bg)
			if err := ocrtest.Table(c, 13, true); err != nil {
				b.Fatal(err)
			}
			g := ocr.Gray(nil, c.Img, c.Img.Rect)
			t0 := time.Now()
			const n = 5
			for range n {
				e.Recognize(g)
			}
			b.ReportMetric(float64(time.Since(t0).Milliseconds())/n, "table-600x420-ms")
		})
	}
}
