package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shareguard/shareguard/detectors"
)

// baseline fills what no layer sets, so a Config is always complete even
// if the embedded default were to lose a key. The values match
// assets/default.toml.
func baseline() *Config {
	return &Config{
		Enabled:           true,
		Mode:              ModeBlock,
		AllowPause:        true,
		AllowQuit:         true,
		PauseDuration:     15 * time.Minute,
		ReconcileInterval: time.Second,
		ShareEndGrace:     time.Second,
		RestoreAfterShare: true,
		DNDDuringShare:    DNDRespect,
		AlertDuringShare:  AlertGeneric,
		WholeScreen:       WholeScreenWarn,
		RecorderRunning:   RecorderWarn,
		Actions: Actions{
			ProtectedApp:   detectors.ActionMinimize,
			PnrInTitle:     detectors.ActionMinimize,
			Popup:          detectors.ActionWarn,
			UnapprovedTool: detectors.ActionWarn,
		},
		Audit: Audit{MaxSizeMB: 10, Keep: 3, WindowTitles: TitlesOmit},
	}
}

// Merge combines the layers (any may be nil): default, then machine
// policy, then user. A key a layer does not set is inherited. Where the
// policy sets a value the user may only make it stricter; every user value
// that was overridden is described in the returned notes (also stored in
// Config.Notes).
func Merge(def, policy, user *File) (*Config, []string) {
	c := baseline()
	m := &merger{}
	for _, f := range []*File{def, policy, user} {
		if f == nil {
			continue
		}
		src := Source{Layer: f.Layer, Path: f.Path}
		if f.Layer == LayerDefault {
			src.Path = ""
		}
		c.Sources = append(c.Sources, src)
	}
	if def == nil {
		def = &File{Layer: LayerDefault}
	}
	if policy == nil {
		policy = &File{Layer: LayerPolicy}
	}
	if user == nil {
		user = &File{Layer: LayerUser}
	}

	c.Enabled = layered(m, "enabled", c.Enabled, def.Enabled, policy.Enabled, user.Enabled, isTrue, showBool)
	c.Mode = layered(m, "mode", c.Mode, def.Mode, policy.Mode, user.Mode, func(u Mode) bool { return u == ModeBlock }, showQuoted[Mode])
	c.AllowPause = layered(m, "allow_pause", c.AllowPause, def.AllowPause, policy.AllowPause, user.AllowPause, isFalse, showBool)
	c.AllowQuit = layered(m, "allow_quit", c.AllowQuit, def.AllowQuit, policy.AllowQuit, user.AllowQuit, isFalse, showBool)
	c.PauseDuration = layered(m, "pause_duration", c.PauseDuration, def.PauseDuration, policy.PauseDuration, user.PauseDuration, nil, showDuration)
	c.ReconcileInterval = layered(m, "reconcile_interval", c.ReconcileInterval, def.ReconcileInterval, policy.ReconcileInterval, user.ReconcileInterval, nil, showDuration)
	c.ShareEndGrace = layered(m, "share_end_grace", c.ShareEndGrace, def.ShareEndGrace, policy.ShareEndGrace, user.ShareEndGrace, nil, showDuration)
	c.DNDDuringShare = layered(m, "dnd_during_share", c.DNDDuringShare, def.DNDDuringShare, policy.DNDDuringShare, user.DNDDuringShare, func(u string) bool { return u == DNDEnforce }, showQuoted[string])
	c.AlertDuringShare = layered(m, "alert_during_share", c.AlertDuringShare, def.AlertDuringShare, policy.AlertDuringShare, user.AlertDuringShare, nil, showQuoted[string])
	c.WholeScreen = layered(m, "whole_screen", c.WholeScreen, def.WholeScreen, policy.WholeScreen, user.WholeScreen, func(u string) bool { return u == WholeScreenWarn }, showQuoted[string])
	c.RecorderRunning = layered(m, "recorder_running", c.RecorderRunning, def.RecorderRunning, policy.RecorderRunning, user.RecorderRunning, func(u string) bool { return u == RecorderWarn }, showQuoted[string])
	c.RestoreAfterShare = layered(m, "restore_after_share", c.RestoreAfterShare, def.RestoreAfterShare, policy.RestoreAfterShare, user.RestoreAfterShare, nil, showBool)
	// The display language protects nothing, so the user's choice always
	// applies.
	for _, l := range []*string{def.Language, policy.Language, user.Language} {
		if l != nil {
			c.Language = *l
		}
	}
	c.ApprovedTools = m.approved(def, policy, user)

	a, pa, ua, da := &c.Actions, &policy.Actions, &user.Actions, &def.Actions
	a.ProtectedApp = layered(m, "actions.protected_app", a.ProtectedApp, da.ProtectedApp, pa.ProtectedApp, ua.ProtectedApp, isMinimize, showQuoted[detectors.Action])
	a.PnrInTitle = layered(m, "actions.personnummer_in_title", a.PnrInTitle, da.PnrInTitle, pa.PnrInTitle, ua.PnrInTitle, isMinimize, showQuoted[detectors.Action])
	a.Popup = layered(m, "actions.popup", a.Popup, da.Popup, pa.Popup, ua.Popup, isMinimize, showQuoted[detectors.Action])
	a.UnapprovedTool = layered(m, "actions.unapproved_tool", a.UnapprovedTool, da.UnapprovedTool, pa.UnapprovedTool, ua.UnapprovedTool, isMinimize, showQuoted[detectors.Action])

	c.Audit.Path = layered(m, "audit.path", c.Audit.Path, def.Audit.Path, policy.Audit.Path, user.Audit.Path, nil, showQuoted[string])
	c.Audit.MaxSizeMB = layered(m, "audit.max_size_mb", c.Audit.MaxSizeMB, def.Audit.MaxSizeMB, policy.Audit.MaxSizeMB, user.Audit.MaxSizeMB, nil, strconv.Itoa)
	c.Audit.Keep = layered(m, "audit.keep", c.Audit.Keep, def.Audit.Keep, policy.Audit.Keep, user.Audit.Keep, nil, strconv.Itoa)
	c.Audit.Forward = layered(m, "audit.forward", c.Audit.Forward, def.Audit.Forward, policy.Audit.Forward, user.Audit.Forward, nil, showQuoted[string])

	// The parser refuses window_titles in a user file; nil says so here too.
	c.Audit.WindowTitles = layered(m, "audit.window_titles", c.Audit.WindowTitles, def.Audit.WindowTitles, policy.Audit.WindowTitles, nil, nil, showQuoted[string])

	c.Content = m.content(def, policy, user)

	layers := []*File{policy, user}
	if !policy.ReplaceDefaults {
		layers = []*File{def, policy, user}
	}
	c.Rules = m.rules(layers, c.Actions.ProtectedApp)
	c.Signatures = m.signatures([]*File{def, policy, user})
	c.Notes = m.notes
	return c, append([]string(nil), m.notes...)
}

type merger struct {
	notes []string
}

func (m *merger) note(format string, args ...any) {
	m.notes = append(m.notes, fmt.Sprintf(format, args...))
}

func isTrue(b bool) bool                 { return b }
func isFalse(b bool) bool                { return !b }
func isMinimize(a detectors.Action) bool { return a == detectors.ActionMinimize }
func showBool(b bool) string             { return strconv.FormatBool(b) }
func showDuration(d time.Duration) string {
	return strconv.Quote(fmtDuration(d))
}
func showQuoted[T ~string](s T) string { return strconv.Quote(string(s)) }

// layered resolves one setting. strict reports whether a user value is the
// strictest choice (so it may replace a policy value); nil means the
// policy's value always wins when it is set.
func layered[T comparable](m *merger, key string, v T, def, pol, usr *T, strict func(T) bool, show func(T) string) T {
	if def != nil {
		v = *def
	}
	if pol == nil {
		if usr != nil {
			v = *usr
		}
		return v
	}
	v = *pol
	if usr == nil || *usr == v {
		return v
	}
	if strict != nil && strict(*usr) {
		return *usr
	}
	m.note("user config: %s = %s ignored: machine policy requires %s", key, show(*usr), show(v))
	return v
}

// approved: the policy list, narrowed by the user's list; a user can never
// approve a tool the policy did not.
func (m *merger) approved(def, pol, usr *File) []string {
	var tools []string
	if def.ApprovedToolsSet {
		tools = append([]string{}, def.ApprovedTools...)
	}
	switch {
	case pol.ApprovedToolsSet && usr.ApprovedToolsSet:
		want := map[string]bool{}
		for _, t := range usr.ApprovedTools {
			want[strings.ToLower(t)] = true
		}
		tools = []string{}
		allowed := map[string]bool{}
		for _, t := range pol.ApprovedTools {
			allowed[strings.ToLower(t)] = true
			if want[strings.ToLower(t)] {
				tools = append(tools, t)
			}
		}
		for _, t := range usr.ApprovedTools {
			if !allowed[strings.ToLower(t)] {
				m.note("user config: approved_tools %q ignored: not approved by machine policy", t)
			}
		}
	case pol.ApprovedToolsSet:
		tools = append([]string{}, pol.ApprovedTools...)
	case usr.ApprovedToolsSet:
		tools = append([]string{}, usr.ApprovedTools...)
	}
	return tools
}

func layerLabel(l Layer) string {
	switch l {
	case LayerPolicy:
		return "machine policy"
	case LayerUser:
		return "user config"
	default:
		return "default config"
	}
}

type ruleAcc struct {
	rule detectors.Rule
	seen map[string]bool // "t:pattern" etc., lower-cased, to avoid duplicates
}

// rules unions the protected rules of the layers. Rules with the same name
// (case-insensitive) are one rule: patterns add up and the action can only
// get stronger.
func (m *merger) rules(layers []*File, defaultAction detectors.Action) []detectors.Rule {
	var order []*ruleAcc
	byName := map[string]*ruleAcc{}
	for _, f := range layers {
		for _, spec := range f.Protected {
			action := spec.Action
			if action == "" {
				action = defaultAction
			}
			acc := byName[strings.ToLower(spec.Name)]
			if acc == nil {
				acc = &ruleAcc{rule: detectors.Rule{Name: spec.Name, Action: action}, seen: map[string]bool{}}
				byName[strings.ToLower(spec.Name)] = acc
				order = append(order, acc)
			} else {
				stronger := detectors.Stronger(acc.rule.Action, action)
				if spec.Action != "" && stronger != action {
					m.note("%s: protected rule %q action = %q ignored: already %q", layerLabel(f.Layer), spec.Name, spec.Action, stronger)
				}
				acc.rule.Action = stronger
			}
			m.addGlobs(f, spec.Name, acc, "t:", spec.Titles, &acc.rule.Titles)
			m.addGlobs(f, spec.Name, acc, "p:", spec.Processes, &acc.rule.Processes)
			m.addGlobs(f, spec.Name, acc, "c:", spec.Classes, &acc.rule.Classes)
		}
	}
	out := make([]detectors.Rule, 0, len(order))
	for _, acc := range order {
		if len(acc.rule.Titles)+len(acc.rule.Processes)+len(acc.rule.Classes) > 0 {
			out = append(out, acc.rule)
		}
	}
	return out
}

func (m *merger) addGlobs(f *File, rule string, acc *ruleAcc, kind string, pats []string, dst *[]detectors.Glob) {
	for _, p := range pats {
		k := kind + strings.ToLower(p)
		if acc.seen[k] {
			continue
		}
		g, err := detectors.CompileGlob(p)
		if err != nil || !g.IsSet() {
			// Parse rejects these; only a hand-built File gets here.
			m.note("%s: protected rule %q: pattern %q skipped: invalid", layerLabel(f.Layer), rule, p)
			continue
		}
		acc.seen[k] = true
		*dst = append(*dst, g)
	}
}

func (m *merger) signatures(layers []*File) []detectors.Signature {
	var out []detectors.Signature
	seen := map[string]bool{}
	for _, f := range layers {
	next:
		for _, s := range f.Signatures {
			if seen[strings.ToLower(s.Name)] {
				m.note("%s: signature %q ignored: a signature with that name already exists", layerLabel(f.Layer), s.Name)
				continue
			}
			sig := detectors.Signature{Name: s.Name, App: s.App, Kind: s.Kind, Meeting: s.Meeting, NeedsClient: s.NeedsClient}
			if sig.Kind == "" {
				sig.Kind = detectors.KindUnknown
			}
			for _, g := range []struct {
				src string
				dst *detectors.Glob
			}{{s.Title, &sig.Title}, {s.Class, &sig.Class}, {s.Process, &sig.Process}} {
				c, err := detectors.CompileGlob(g.src)
				if err != nil {
					m.note("%s: signature %q skipped: %v", layerLabel(f.Layer), s.Name, err)
					continue next
				}
				*g.dst = c
			}
			for _, a := range s.Args {
				g, err := detectors.CompileGlob(a)
				if err != nil {
					m.note("%s: signature %q skipped: %v", layerLabel(f.Layer), s.Name, err)
					continue next
				}
				sig.Args = append(sig.Args, g)
			}
			if !sig.Title.IsSet() && !sig.Class.IsSet() && !sig.Process.IsSet() {
				m.note("%s: signature %q skipped: no title, class or process", layerLabel(f.Layer), s.Name)
				continue
			}
			seen[strings.ToLower(s.Name)] = true
			out = append(out, sig)
		}
	}
	return out
}
