//go:build linux && cgo && !noocr

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/shareguard/shareguard/platform/ocr/ocrtest"
)

// Images are rendered in memory and reach scan on standard input, so no
// picture of a journal is ever written to disk, not even by tests.
func TestScanImages(t *testing.T) {
	for _, th := range []ocrtest.Theme{ocrtest.Light, ocrtest.Dark} {
		for _, px := range []float64{11, 12, 13, 14} {
			format := "png"
			if px == 13 {
				format = "jpeg"
			}
			t.Run(fmt.Sprintf("%s/%vpx/%s", th.Name, px, format), func(t *testing.T) {
				c := ocrtest.NewCanvas(760, 220, th.Bg)
				if _, err := c.Text(12, 12, px, th.Fg, ocrtest.Journal...); err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				var err error
				if format == "jpeg" {
					err = jpeg.Encode(&buf, c.Img, &jpeg.Options{Quality: 90})
				} else {
					err = png.Encode(&buf, c.Img)
				}
				if err != nil {
					t.Fatal(err)
				}
				code, out, errOut := run(t, buf.String(), "scan", "--json", "-")
				if code != exitFindings {
					t.Fatalf("code %d, stderr %q, out %s", code, errOut, out)
				}
				var res struct {
					Findings []scanFinding `json:"findings"`
				}
				if err := json.Unmarshal([]byte(out), &res); err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, f := range res.Findings {
					if f.Rule != "personnummer" {
						continue
					}
					n++
					if f.Kind != "screen_content" || f.Match != "[nummer]" || f.Confidence != "high" || f.Box == nil || f.File != "-" {
						t.Errorf("finding %+v", f)
					}
				}
				if n != 1 {
					t.Errorf("%d personnummer findings in %s", n, out)
				}
				for _, leak := range []string{"1212", "19121212", "Tolvan"} {
					if strings.Contains(out, leak) {
						t.Errorf("output leaks %q: %s", leak, out)
					}
				}
			})
		}
	}
}

// Phone numbers, dates, order and account numbers on screen are not
// identity numbers.
func TestScanImageNoFalsePositives(t *testing.T) {
	c := ocrtest.NewCanvas(760, 200, ocrtest.Light.Bg)
	if _, err := c.Text(12, 12, 13, ocrtest.Light.Fg,
		"Ring 070-123 45 67 eller +46 70 123 45 67 före 2024-01-15.",
		"Faktura 2024-0012345, ordernr 123456789, kundnr 8112189875.",
		"Bankgiro 5050-1055, konto 8327-9 123 456 789-0.",
	); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, c.Img); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, buf.String(), "scan", "-")
	if code != exitOK || !strings.Contains(out, "nothing found") {
		t.Errorf("code %d out %q stderr %q", code, out, errOut)
	}
}
