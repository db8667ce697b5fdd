package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/detectors/pnr"
)

// maxScanBytes bounds what one file may make us hold in memory.
const maxScanBytes = 64 << 20

type scanFinding struct {
	Kind  string `json:"kind"`
	Rule  string `json:"rule"`
	Match string `json:"match"` // always redacted
	File  string `json:"file"`
	Line  int    `json:"line"`
}

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
	findings := []scanFinding{}
	failed := false
	for _, name := range fs.Args() {
		text, err := readScanInput(name, stdin)
		if err != nil {
			// One bad file is reported and the others are still scanned.
			fmt.Fprintf(stderr, "shareguard scan: %v\n", err)
			failed = true
			continue
		}
		findings = append(findings, scanText(name, text)...)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Findings []scanFinding `json:"findings"`
		}{findings})
	} else {
		for _, f := range findings {
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

// scanText finds identity numbers; only their kind and position leave
// this function, never the digits.
func scanText(file, text string) []scanFinding {
	var out []scanFinding
	line, lineStart := 1, 0
	for _, m := range pnr.Find(text) {
		line += strings.Count(text[lineStart:m.Start], "\n")
		lineStart = m.Start
		rule := "personnummer"
		if m.Coordination {
			rule = "samordningsnummer"
		}
		out = append(out, scanFinding{
			Kind:  string(detectors.FindScreenContent),
			Rule:  rule,
			Match: pnr.Redact(text[m.Start:m.End]),
			File:  file,
			Line:  line,
		})
	}
	return out
}
