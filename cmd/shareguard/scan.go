package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // scan accepts screenshots
	_ "image/png"
	"io"
	"os"
	"strings"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/ocr"
)

// maxScanBytes bounds what one file may make us hold in memory.
const maxScanBytes = 64 << 20

type scanFinding struct {
	Kind       string   `json:"kind"`
	Rule       string   `json:"rule"`
	Match      string   `json:"match"` // always redacted
	File       string   `json:"file"`
	Line       int      `json:"line"` // 0 for images
	Confidence string   `json:"confidence"`
	Box        *scanBox `json:"box,omitempty"` // images: where on the picture
}

type scanBox struct {
	X int `json:"x"`
	Y int `json:"y"`
	W int `json:"w"`
	H int `json:"h"`
}

// maxImagePixels bounds a decoded image (about 8K x 5K).
const maxImagePixels = 40 << 20

func cmdScan(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "shareguard scan: name at least one FILE, or - for standard input")
		return exitError
	}
	scanner, err := content.NewScanner(content.Default())
	if err != nil {
		fmt.Fprintf(stderr, "shareguard scan: %v\n", err)
		return exitError
	}
	var images imageScanner
	defer images.close()
	findings := []scanFinding{}
	failed := false
	for _, name := range fs.Args() {
		text, err := readScanInput(name, stdin)
		if err == nil && isImage(text) {
			var fs []scanFinding
			fs, err = images.scan(name, []byte(text), scanner)
			findings = append(findings, fs...)
		} else if err == nil {
			findings = append(findings, scanText(name, text, scanner)...)
		}
		if err != nil {
			// One bad file is reported and the others are still scanned.
			fmt.Fprintf(stderr, "shareguard scan: %v\n", err)
			failed = true
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Findings []scanFinding `json:"findings"`
		}{findings})
	} else {
		for _, f := range findings {
			if f.Box != nil {
				fmt.Fprintf(stdout, "%s: %s (%s, %s confidence) at %d,%d %dx%d: %s\n", f.File, f.Kind, f.Rule, f.Confidence, f.Box.X, f.Box.Y, f.Box.W, f.Box.H, f.Match)
				continue
			}
			fmt.Fprintf(stdout, "%s:%d: %s (%s): %s\n", f.File, f.Line, f.Kind, f.Rule, f.Match)
		}
		if len(findings) == 0 && !failed {
			fmt.Fprintln(stdout, "nothing found")
		}
	}
	switch {
	case failed:
		return exitError
	case len(findings) > 0:
		return exitFindings
	}
	return exitOK
}

func readScanInput(name string, stdin io.Reader) (string, error) {
	var r io.Reader = stdin
	if name != "-" {
		st, err := os.Stat(name)
		if err != nil {
			return "", err
		}
		if st.IsDir() {
			return "", fmt.Errorf("%s: is a directory", name)
		}
		f, err := os.Open(name)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxScanBytes+1))
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxScanBytes {
		return "", fmt.Errorf("%s: larger than %d MiB", name, maxScanBytes>>20)
	}
	return string(data), nil
}

// scanText finds identity numbers; only their kind, confidence and
// position leave this function, never the digits. Phrases are left to
// images (screen content): in text files they would flag every policy
// document that mentions "sekretess".
func scanText(file, text string, sc *content.Scanner) []scanFinding {
	var out []scanFinding
	line, lineStart := 1, 0
	for _, h := range sc.Text(text) {
		if strings.HasPrefix(h.Rule, content.PhrasePrefix) {
			continue
		}
		line += strings.Count(text[lineStart:h.Start], "\n")
		lineStart = h.Start
		out = append(out, scanFinding{
			Kind:       string(detectors.FindScreenContent),
			Rule:       h.Rule,
			Match:      h.Match,
			File:       file,
			Line:       line,
			Confidence: h.Confidence.String(),
		})
	}
	return out
}

// isImage sniffs PNG and JPEG signatures.
func isImage(data string) bool {
	return strings.HasPrefix(data, "\x89PNG\r\n\x1a\n") || strings.HasPrefix(data, "\xff\xd8\xff")
}

// imageScanner opens the OCR engine on the first image and keeps it for
// the rest.
type imageScanner struct {
	eng ocr.Engine
	err error
}

func (s *imageScanner) close() {
	if s.eng != nil {
		s.eng.Close()
	}
}

// scan recognises the text of one image in memory and reports hits with
// their boxes. The pixels and text are dropped when it returns.
func (s *imageScanner) scan(name string, data []byte, sc *content.Scanner) ([]scanFinding, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if cfg.Width*cfg.Height > maxImagePixels {
		return nil, fmt.Errorf("%s: image of %dx%d is too large", name, cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if s.eng == nil && s.err == nil {
		s.eng, s.err = ocr.Open(ocr.Options{})
	}
	if s.err != nil {
		return nil, fmt.Errorf("%s: %w", name, s.err)
	}
	gray := image.NewGray(img.Bounds())
	draw.Draw(gray, gray.Rect, img, gray.Rect.Min, draw.Src)
	lines, err := s.eng.Recognize(gray)
	clear(gray.Pix)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []scanFinding
	for _, h := range sc.Lines(lines).Hits {
		out = append(out, scanFinding{
			Kind:       string(detectors.FindScreenContent),
			Rule:       h.Rule,
			Match:      h.Match,
			File:       name,
			Confidence: h.Confidence.String(),
			Box:        &scanBox{X: h.Rect.Min.X, Y: h.Rect.Min.Y, W: h.Rect.Dx(), H: h.Rect.Dy()},
		})
	}
	return out, nil
}

// contentCapability is the content_scan line for `check` and the tray:
// available when this build has OCR and the language data is installed.
func contentCapability() platform.Capability {
	ok, detail := ocr.Capability()
	return platform.Capability{Name: "content_scan", Available: ok, Detail: detail}
}
