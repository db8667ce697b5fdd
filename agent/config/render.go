package config

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/shareguard/shareguard/detectors"
)

// The on-disk schema, used only to render an effective config.
type fileTOML struct {
	Enabled           bool        `toml:"enabled"`
	Mode              string      `toml:"mode"`
	Language          string      `toml:"language"`
	AllowPause        bool        `toml:"allow_pause"`
	AllowQuit         bool        `toml:"allow_quit"`
	PauseDuration     string      `toml:"pause_duration"`
	ReconcileInterval string      `toml:"reconcile_interval"`
	ShareEndGrace     string      `toml:"share_end_grace"`
	RestoreAfterShare bool        `toml:"restore_after_share"`
	DNDDuringShare    string      `toml:"dnd_during_share"`
	AlertDuringShare  string      `toml:"alert_during_share"`
	WholeScreen       string      `toml:"whole_screen"`
	RecorderRunning   string      `toml:"recorder_running"`
	ApprovedTools     *[]string   `toml:"approved_tools,omitempty"` // nil: no layer set it
	Actions           actionsTOML `toml:"actions"`
	Audit             auditTOML   `toml:"audit"`
	Content           contentTOML `toml:"content"`
	Protected         []ruleTOML  `toml:"protected,omitempty"`
	Signature         []sigTOML   `toml:"signature,omitempty"`
}

type actionsTOML struct {
	ProtectedApp   string `toml:"protected_app"`
	PnrInTitle     string `toml:"personnummer_in_title"`
	Popup          string `toml:"popup"`
	UnapprovedTool string `toml:"unapproved_tool"`
}

type auditTOML struct {
	Path      string `toml:"path"`
	MaxSizeMB int    `toml:"max_size_mb"`
	Keep      int    `toml:"keep"`
	Forward   string `toml:"forward"`
}

type ruleTOML struct {
	Name      string   `toml:"name"`
	Titles    []string `toml:"titles"`
	Processes []string `toml:"processes"`
	Classes   []string `toml:"classes"`
	Action    string   `toml:"action"`
}

type sigTOML struct {
	Name    string `toml:"name"`
	App     string `toml:"app"`
	Kind    string `toml:"kind"`
	Title   string `toml:"title"`
	Class   string `toml:"class"`
	Process string `toml:"process"`
	Meeting bool   `toml:"meeting"`
	// Written only when set: most signatures have neither.
	Args        []string `toml:"args,omitempty"`
	NeedsClient bool     `toml:"needs_client,omitempty"`
}

func globStrings(gs []detectors.Glob) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.String()
	}
	return out
}

// TOML renders the effective config in the config-file schema, for
// `shareguard config show`. Sources and notes become leading comments. The
// result is a valid user file that yields the same effective config.
func (c *Config) TOML() ([]byte, error) {
	f := fileTOML{
		Enabled:           c.Enabled,
		Mode:              string(c.Mode),
		Language:          c.Language,
		AllowPause:        c.AllowPause,
		AllowQuit:         c.AllowQuit,
		PauseDuration:     fmtDuration(c.PauseDuration),
		ReconcileInterval: fmtDuration(c.ReconcileInterval),
		ShareEndGrace:     fmtDuration(c.ShareEndGrace),
		RestoreAfterShare: c.RestoreAfterShare,
		DNDDuringShare:    c.DNDDuringShare,
		AlertDuringShare:  c.AlertDuringShare,
		WholeScreen:       c.WholeScreen,
		RecorderRunning:   c.RecorderRunning,
		Actions: actionsTOML{
			ProtectedApp:   string(c.Actions.ProtectedApp),
			PnrInTitle:     string(c.Actions.PnrInTitle),
			Popup:          string(c.Actions.Popup),
			UnapprovedTool: string(c.Actions.UnapprovedTool),
		},
		Audit:   auditTOML{Path: c.Audit.Path, MaxSizeMB: c.Audit.MaxSizeMB, Keep: c.Audit.Keep, Forward: c.Audit.Forward},
		Content: renderContent(c.Content),
	}
	if c.ApprovedTools != nil {
		tools := append([]string{}, c.ApprovedTools...)
		f.ApprovedTools = &tools
	}
	for _, r := range c.Rules {
		f.Protected = append(f.Protected, ruleTOML{
			Name:      r.Name,
			Titles:    globStrings(r.Titles),
			Processes: globStrings(r.Processes),
			Classes:   globStrings(r.Classes),
			Action:    string(r.Action),
		})
	}
	for _, s := range c.Signatures {
		f.Signature = append(f.Signature, sigTOML{
			Name: s.Name, App: s.App, Kind: string(s.Kind),
			Title: s.Title.String(), Class: s.Class.String(), Process: s.Process.String(),
			Meeting: s.Meeting, Args: globStrings(s.Args), NeedsClient: s.NeedsClient,
		})
	}

	var buf bytes.Buffer
	buf.WriteString("# Effective shareguard configuration.\n")
	for _, s := range c.Sources {
		fmt.Fprintf(&buf, "# source: %s\n", oneLine(s.String()))
	}
	for _, n := range c.Notes {
		fmt.Fprintf(&buf, "# note: %s\n", oneLine(n))
	}
	// A comment, so the result stays a valid user file: only the machine
	// policy may set it.
	fmt.Fprintf(&buf, "# audit.window_titles = %q (machine policy only)\n", c.Audit.WindowTitles)
	buf.WriteString("\n")
	enc := toml.NewEncoder(&buf)
	enc.Indent = ""
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("render config: %w", err)
	}
	return buf.Bytes(), nil
}

// oneLine keeps a comment from spilling into TOML (a path or tool name
// with a newline would otherwise end the comment).
func oneLine(s string) string {
	return strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(s)
}
