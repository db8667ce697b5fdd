package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/shareguard/shareguard/agent"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/detectors/pnr"
	"github.com/shareguard/shareguard/platform"
)

type checkShare struct {
	App  string `json:"app"`
	Kind string `json:"kind"`
	PID  int    `json:"pid"`
}

type checkFinding struct {
	Kind   string `json:"kind"`
	Rule   string `json:"rule"`
	App    string `json:"app"`
	Window string `json:"window,omitempty"` // redacted title; left out with --no-titles
	Action string `json:"action"`
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	noTitles := fs.Bool("no-titles", false, "leave window titles out (for pasting into a ticket: a title can name a patient)")
	paths := addPathFlags(fs)
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shareguard check: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	cfg, err := paths.load()
	if err != nil {
		fmt.Fprintf(stderr, "shareguard check: %v\n", err)
		return exitError
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	desk, err := openDesktop(ctx, nil)
	if err != nil {
		fmt.Fprintf(stderr, "shareguard check: %v\n", err)
		return exitError
	}
	defer desk.Close()
	policy := agent.NewPolicy(cfg)
	// Captures own no window; a watch scans for them before the look.
	if w, ok := desk.(platform.ProcessWatcher); ok {
		w.WatchProcesses(detectors.WatchedProcesses(policy.Input.Signatures))
	}
	snap, err := desk.Snapshot(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "shareguard check: %v\n", err)
		return exitError
	}
	shares, planned := policy.Assess(&snap)

	out := struct {
		Shares   []checkShare   `json:"shares"`
		Findings []checkFinding `json:"findings"`
	}{Shares: []checkShare{}, Findings: []checkFinding{}}
	for _, s := range shares {
		out.Shares = append(out.Shares, checkShare{App: s.App, Kind: string(s.Kind), PID: s.PID})
	}
	for _, p := range planned {
		f := checkFinding{Kind: string(p.Kind), Rule: p.Rule, App: p.App, Action: string(p.Do)}
		if !*noTitles {
			f.Window = pnr.Redact(p.Title)
		}
		out.Findings = append(out.Findings, f)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
	} else {
		printCheck(stdout, out.Shares, out.Findings, desk)
	}
	if len(out.Findings) > 0 {
		return exitFindings
	}
	return exitOK
}

func printCheck(w io.Writer, shares []checkShare, findings []checkFinding, desk platform.Desktop) {
	if len(shares) == 0 {
		fmt.Fprintln(w, "shares: none")
	}
	for _, s := range shares {
		fmt.Fprintf(w, "share: %s (%s, pid %d)\n", s.App, s.Kind, s.PID)
	}
	if len(findings) == 0 {
		fmt.Fprintln(w, "findings: none")
	}
	for _, f := range findings {
		window := ""
		if f.Window != "" {
			window = fmt.Sprintf(" window=%q", f.Window)
		}
		fmt.Fprintf(w, "finding: %s rule=%q app=%q%s -> %s\n", f.Kind, f.Rule, f.App, window, f.Action)
	}
	caps := staticCapabilities()
	if d, ok := desk.(platform.Describer); ok {
		caps = append(d.Capabilities(), caps...)
	}
	fmt.Fprintln(w, "capabilities:")
	for _, c := range caps {
		state := "available"
		if !c.Available {
			state = "NOT AVAILABLE"
		}
		fmt.Fprintf(w, "  %-16s %s  %s\n", c.Name, state, c.Detail)
	}
}
