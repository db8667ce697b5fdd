package config

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/detectors"
)

// Parse decodes and validates one layer. It returns every problem it can
// find as an ErrorList; the File is nil whenever the error is non-nil.
//
// Decoding goes through a generic map instead of a struct so that one wrong
// type does not hide the remaining problems, and so every error can carry
// the position of the key or value it is about.
func Parse(path string, data []byte, layer Layer) (*File, error) {
	if len(data) > MaxFileSize {
		return nil, ErrorList{{Path: path, Msg: fmt.Sprintf("file is larger than %d bytes", MaxFileSize)}}
	}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line, col := parseErrorPos(data, pe.Position)
			return nil, ErrorList{{Path: path, Line: line, Col: col, Msg: "syntax error: " + pe.Message}}
		}
		return nil, ErrorList{{Path: path, Msg: "syntax error: " + err.Error()}}
	}
	p := &parser{path: path, loc: locate(string(data)), f: &File{Path: path, Layer: layer}}
	p.top(raw)
	if err := p.errs.err(); err != nil {
		return nil, err
	}
	return p.f, nil
}

// parseErrorPos recomputes the column from the byte offset: toml v1.6.0
// gives a wrong column when the error starts a line (it counts it as one
// past the end of the previous line).
func parseErrorPos(data []byte, p toml.Position) (line, col int) {
	line, col = p.Line, max(p.Col, 1)
	start := 0
	for n := 1; n < line; n++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return line, col
		}
		start += i + 1
	}
	end := len(data)
	if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
		end = start + i
	}
	if p.Start >= start && p.Start <= end {
		col = p.Start - start + 1
	}
	return line, col
}

type parser struct {
	path string
	loc  *locations
	f    *File
	errs ErrorList
	// Paths of the accepted rules and signatures, for duplicate reports.
	ruleAt, sigAt [][]string
}

func (p *parser) add(pos position, format string, args ...any) {
	p.errs = append(p.errs, &Error{Path: p.path, Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf(format, args...)})
}

// atKey reports at the key; atVal at the value.
func (p *parser) atKey(path []string, format string, args ...any) {
	p.add(p.loc.key(path), format, args...)
}

func (p *parser) atVal(path []string, format string, args ...any) {
	p.add(p.loc.val(path), format, args...)
}

// dotted renders a path for messages: protected[2].titles[0].
func dotted(path []string) string {
	var b strings.Builder
	for i, s := range path {
		if _, err := strconv.Atoi(s); err == nil && i > 0 {
			b.WriteString("[" + s + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func sub(path []string, more ...string) []string {
	return append(append([]string(nil), path...), more...)
}

func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64:
		return "integer"
	case float64:
		return "float"
	case time.Time:
		return "date-time"
	case []map[string]any:
		return "array of tables"
	case []any:
		return "array"
	case map[string]any:
		return "table"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var topKeys = []string{"enabled", "mode", "language", "allow_pause", "allow_quit", "pause_duration", "reconcile_interval",
	"share_end_grace", "restore_after_share", "dnd_during_share", "alert_during_share", "whole_screen",
	"recorder_running",
	"approved_tools", "replace_defaults", "actions", "audit", "content", "protected", "signature"}

func (p *parser) unknown(path []string, known []string) {
	msg := fmt.Sprintf("unknown key %q", dotted(path))
	if s := suggest(path[len(path)-1], known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	p.atKey(path, "%s", msg)
}

func (p *parser) top(raw map[string]any) {
	f := p.f
	for _, k := range sortedKeys(raw) {
		v, path := raw[k], []string{k}
		switch k {
		case "enabled":
			f.Enabled = p.boolean(path, v)
		case "allow_pause":
			f.AllowPause = p.boolean(path, v)
		case "allow_quit":
			f.AllowQuit = p.boolean(path, v)
		case "mode":
			if s := p.enum(path, v, "block", "warn"); s != nil {
				m := Mode(*s)
				f.Mode = &m
			}
		case "language":
			f.Language = p.enum(path, v, "", "sv", "en")
		case "pause_duration":
			f.PauseDuration = p.duration(path, v, MinPauseDuration, MaxPauseDuration)
		case "reconcile_interval":
			f.ReconcileInterval = p.duration(path, v, MinReconcileInterval, MaxReconcileInterval)
		case "share_end_grace":
			f.ShareEndGrace = p.duration(path, v, 0, MaxShareEndGrace)
		case "restore_after_share":
			f.RestoreAfterShare = p.boolean(path, v)
		case "dnd_during_share":
			f.DNDDuringShare = p.enum(path, v, DNDRespect, DNDEnforce)
		case "alert_during_share":
			f.AlertDuringShare = p.enum(path, v, AlertGeneric, AlertDefer)
		case "whole_screen":
			f.WholeScreen = p.enum(path, v, WholeScreenWarn, WholeScreenOff)
		case "recorder_running":
			f.RecorderRunning = p.enum(path, v, RecorderWarn, RecorderOff)
		case "approved_tools":
			if list, ok := p.strings(path, v); ok {
				f.ApprovedTools, f.ApprovedToolsSet = p.toolList(path, list), true
			}
		case "replace_defaults":
			b := p.boolean(path, v)
			if b == nil {
				continue
			}
			if f.Layer != LayerPolicy {
				p.atKey(path, "replace_defaults is only allowed in the machine policy")
				continue
			}
			f.ReplaceDefaults = *b
		case "actions":
			p.actions(path, v)
		case "audit":
			p.audit(path, v)
		case "content":
			p.content(path, v)
		case "protected":
			for i, t := range p.tables(path, v) {
				if t != nil {
					p.rule(sub(path, strconv.Itoa(i)), t)
				}
			}
		case "signature":
			for i, t := range p.tables(path, v) {
				if t != nil {
					p.signature(sub(path, strconv.Itoa(i)), t)
				}
			}
		default:
			p.unknown(path, topKeys)
		}
	}
	p.duplicates()
}

func (p *parser) boolean(path []string, v any) *bool {
	b, ok := v.(bool)
	if !ok {
		p.atVal(path, "%s: expected a boolean (true or false), found %s", dotted(path), typeName(v))
		return nil
	}
	return &b
}

func (p *parser) str(path []string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		p.atVal(path, "%s: expected a string, found %s", dotted(path), typeName(v))
	}
	return s, ok
}

func quoteAll(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

func (p *parser) enum(path []string, v any, allowed ...string) *string {
	s, ok := p.str(path, v)
	if !ok {
		return nil
	}
	for _, a := range allowed {
		if s == a {
			return &s
		}
	}
	p.atVal(path, "%s: invalid value %q (allowed: %s)", dotted(path), s, quoteAll(allowed))
	return nil
}

func (p *parser) duration(path []string, v any, lo, hi time.Duration) *time.Duration {
	s, ok := p.str(path, v)
	if !ok {
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		p.atVal(path, "%s: invalid duration %q (use e.g. \"15m\", \"1s\", \"500ms\")", dotted(path), s)
		return nil
	}
	if d < lo || d > hi {
		p.atVal(path, "%s: %s is out of range (%s..%s)", dotted(path), s, fmtDuration(lo), fmtDuration(hi))
		return nil
	}
	return &d
}

func (p *parser) integer(path []string, v any, lo, hi int) *int {
	n, ok := v.(int64)
	if !ok {
		p.atVal(path, "%s: expected an integer, found %s", dotted(path), typeName(v))
		return nil
	}
	if n < int64(lo) || n > int64(hi) {
		p.atVal(path, "%s: %d is out of range (%d..%d)", dotted(path), n, lo, hi)
		return nil
	}
	i := int(n)
	return &i
}

// strings checks an array of strings; the bool is false when the value was
// unusable (the elements that are strings are still returned).
func (p *parser) strings(path []string, v any) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok {
		p.atVal(path, "%s: expected an array of strings, found %s", dotted(path), typeName(v))
		return nil, false
	}
	out := make([]string, 0, len(arr))
	good := true
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			ep := sub(path, strconv.Itoa(i))
			p.atVal(ep, "%s: expected a string, found %s", dotted(ep), typeName(e))
			good = false
			continue
		}
		out = append(out, s)
	}
	return out, good
}

func (p *parser) toolList(path []string, list []string) []string {
	out := make([]string, 0, len(list))
	seen := map[string]bool{}
	for i, s := range list {
		ep := sub(path, strconv.Itoa(i))
		t := strings.TrimSpace(s)
		switch {
		case t == "":
			p.atVal(ep, "%s: empty tool name", dotted(ep))
		case seen[strings.ToLower(t)]:
			p.atVal(ep, "%s: %q is listed twice", dotted(ep), t)
		default:
			seen[strings.ToLower(t)] = true
			out = append(out, t)
		}
	}
	return out
}

// table checks that v is a table (a [section] or an inline table).
func (p *parser) table(path []string, v any) map[string]any {
	t, ok := v.(map[string]any)
	if !ok {
		p.atVal(path, "%s: expected a table, found %s", dotted(path), typeName(v))
	}
	return t
}

// tables checks an array of tables ([[name]] or an array of inline
// tables); entries that are not tables are reported and returned as nil.
func (p *parser) tables(path []string, v any) []map[string]any {
	switch v := v.(type) {
	case []map[string]any:
		return v
	case []any:
		out := make([]map[string]any, len(v))
		for i, e := range v {
			if t, ok := e.(map[string]any); ok {
				out[i] = t
				continue
			}
			ep := sub(path, strconv.Itoa(i))
			p.atVal(ep, "%s: expected a table, found %s", dotted(ep), typeName(e))
		}
		return out
	}
	p.atVal(path, "%s: expected [[%s]] tables, found %s", dotted(path), path[0], typeName(v))
	return nil
}

var actionKeys = []string{"protected_app", "personnummer_in_title", "popup", "unapproved_tool"}

func (p *parser) action(path []string, v any, allowEmpty bool) *detectors.Action {
	allowed := []string{string(detectors.ActionWarn), string(detectors.ActionMinimize)}
	if allowEmpty {
		allowed = append([]string{""}, allowed...)
	}
	s := p.enum(path, v, allowed...)
	if s == nil {
		return nil
	}
	a := detectors.Action(*s)
	return &a
}

func (p *parser) actions(path []string, v any) {
	t := p.table(path, v)
	a := &p.f.Actions
	for _, k := range sortedKeys(t) {
		kp := sub(path, k)
		switch k {
		case "protected_app":
			a.ProtectedApp = p.action(kp, t[k], false)
		case "personnummer_in_title":
			a.PnrInTitle = p.action(kp, t[k], false)
		case "popup":
			a.Popup = p.action(kp, t[k], false)
		case "unapproved_tool":
			a.UnapprovedTool = p.action(kp, t[k], false)
		default:
			p.unknown(kp, actionKeys)
		}
	}
}

func (p *parser) audit(path []string, v any) {
	t := p.table(path, v)
	a := &p.f.Audit
	for _, k := range sortedKeys(t) {
		kp := sub(path, k)
		switch k {
		case "path":
			s, ok := p.str(kp, t[k])
			if !ok {
				continue
			}
			// Relative paths would depend on the agent's working directory.
			if s != "" && !filepath.IsAbs(s) {
				p.atVal(kp, "%s: %q is not an absolute path (use \"\" for the default location)", dotted(kp), s)
				continue
			}
			a.Path = &s
		case "max_size_mb":
			a.MaxSizeMB = p.integer(kp, t[k], 1, MaxAuditSizeMB)
		case "keep":
			a.Keep = p.integer(kp, t[k], 0, MaxAuditKeep)
		case "forward":
			a.Forward = p.enum(kp, t[k], "", "syslog", "journald", "eventlog")
			if a.Forward != nil && *a.Forward != "" && !slices.Contains(audit.Forwards(), *a.Forward) {
				p.atVal(kp, "audit.forward: %q does not exist on %s (here: %s)", *a.Forward, runtime.GOOS, orNone(quoteAll(audit.Forwards())))
				a.Forward = nil
			}
		case "window_titles":
			mode := p.enum(kp, t[k], TitlesOmit, TitlesRedacted)
			if mode != nil && p.f.Layer == LayerUser {
				// A title carries patients' names: only IT may decide to
				// record them, for an investigation.
				p.atKey(kp, "audit.window_titles is only allowed in the machine policy")
				continue
			}
			a.WindowTitles = mode
		default:
			p.unknown(kp, []string{"path", "max_size_mb", "keep", "forward", "window_titles"})
		}
	}
}

// glob validates one pattern. A pattern of only '*' would match every
// window (including the meeting app itself) and is almost surely a mistake.
func (p *parser) glob(path []string, s string) bool {
	if s == "" {
		p.atVal(path, "%s: empty pattern", dotted(path))
		return false
	}
	if strings.Trim(s, "*") == "" {
		p.atVal(path, "%s: pattern %q matches everything", dotted(path), s)
		return false
	}
	if _, err := detectors.CompileGlob(s); err != nil {
		p.atVal(path, "%s: %v", dotted(path), err)
		return false
	}
	return true
}

var ruleKeys = []string{"name", "titles", "processes", "classes", "action"}

func (p *parser) rule(path []string, t map[string]any) {
	var r RuleSpec
	ok := true
	hasName := false
	for _, k := range sortedKeys(t) {
		kp := sub(path, k)
		switch k {
		case "name":
			s, good := p.str(kp, t[k])
			hasName = true
			if good && strings.TrimSpace(s) == "" {
				p.atVal(kp, "%s: empty name", dotted(kp))
				good = false
			}
			r.Name = strings.TrimSpace(s)
			ok = ok && good
		case "titles", "processes", "classes":
			list, good := p.strings(kp, t[k])
			ok = ok && good
			var pats []string
			for i, s := range list {
				if p.glob(sub(kp, strconv.Itoa(i)), s) {
					pats = append(pats, s)
				} else {
					ok = false
				}
			}
			switch k {
			case "titles":
				r.Titles = pats
			case "processes":
				r.Processes = pats
			default:
				r.Classes = pats
			}
		case "action":
			if a := p.action(kp, t[k], true); a != nil {
				r.Action = *a
			} else {
				ok = false
			}
		default:
			p.unknown(kp, ruleKeys)
			ok = false
		}
	}
	if !hasName {
		p.atKey(path, "%s: protected rule has no name", dotted(path))
		ok = false
	}
	if len(r.Titles)+len(r.Processes)+len(r.Classes) == 0 && ok {
		p.atKey(path, "%s: protected rule %q has no titles, processes or classes", dotted(path), r.Name)
		ok = false
	}
	if ok {
		p.f.Protected = append(p.f.Protected, r)
		p.ruleAt = append(p.ruleAt, path)
	}
}

var signatureKeys = []string{"name", "app", "kind", "title", "class", "process", "meeting", "args", "needs_client"}

func (p *parser) signature(path []string, t map[string]any) {
	s := SignatureSpec{Kind: detectors.KindUnknown}
	ok := true
	required := map[string]bool{"name": false, "app": false}
	for _, k := range sortedKeys(t) {
		kp := sub(path, k)
		switch k {
		case "name", "app":
			v, good := p.str(kp, t[k])
			required[k] = true
			v = strings.TrimSpace(v)
			if good && v == "" {
				p.atVal(kp, "%s: empty %s", dotted(kp), k)
				good = false
			}
			if k == "name" {
				s.Name = v
			} else {
				s.App = v
			}
			ok = ok && good
		case "kind":
			v := p.enum(kp, t[k], "screen", "window", "tab", "unknown", "recording", "remote")
			if v == nil {
				ok = false
				continue
			}
			s.Kind = detectors.ShareKind(*v)
		case "title", "class", "process":
			v, good := p.str(kp, t[k])
			if good && v != "" {
				good = p.glob(kp, v)
			}
			ok = ok && good
			switch k {
			case "title":
				s.Title = v
			case "class":
				s.Class = v
			default:
				s.Process = v
			}
		case "meeting", "needs_client":
			b := p.boolean(kp, t[k])
			if b == nil {
				ok = false
				continue
			}
			if k == "meeting" {
				s.Meeting = *b
			} else {
				s.NeedsClient = *b
			}
		case "args":
			list, good := p.strings(kp, t[k])
			ok = ok && good
			for i, a := range list {
				if p.glob(sub(kp, strconv.Itoa(i)), a) {
					s.Args = append(s.Args, a)
				} else {
					ok = false
				}
			}
		default:
			p.unknown(kp, signatureKeys)
			ok = false
		}
	}
	for _, k := range []string{"name", "app"} {
		if !required[k] {
			p.atKey(path, "%s: signature has no %s", dotted(path), k)
			ok = false
		}
	}
	if s.Title == "" && s.Class == "" && s.Process == "" && ok {
		p.atKey(path, "%s: signature %q has no title, class or process", dotted(path), s.Name)
		ok = false
	}
	// The command line and clients are facts of a process: without a
	// process to read them from, they would silently never match.
	if (len(s.Args) > 0 || s.NeedsClient) && s.Process == "" && ok {
		at := "args"
		if len(s.Args) == 0 {
			at = "needs_client"
		}
		p.atKey(sub(path, at), "%s: args and needs_client need a process", dotted(sub(path, at)))
		ok = false
	}
	if ok {
		p.f.Signatures = append(p.f.Signatures, s)
		p.sigAt = append(p.sigAt, path)
	}
}

// duplicates reports rule and signature names used twice in one file
// (compared case-insensitively: they are merged by name across layers).
func (p *parser) duplicates() {
	check := func(what string, names []string, at [][]string) {
		first := map[string]position{}
		for i, n := range names {
			k := strings.ToLower(n)
			np := sub(at[i], "name")
			if fp, dup := first[k]; dup {
				p.atVal(np, "duplicate %s name %q (first defined at line %d)", what, n, fp.Line)
				continue
			}
			first[k] = p.loc.val(np)
		}
	}
	var names []string
	for _, r := range p.f.Protected {
		names = append(names, r.Name)
	}
	check("protected rule", names, p.ruleAt)
	names = names[:0]
	for _, s := range p.f.Signatures {
		names = append(names, s.Name)
	}
	check("signature", names, p.sigAt)
}

// suggest returns the known key closest to k when it is a plausible typo.
func suggest(k string, known []string) string {
	best, bestD := "", 3
	for _, c := range known {
		d := editDistance(strings.ToLower(k), c)
		if len(k) >= 4 && strings.HasPrefix(c, strings.ToLower(k)) {
			d = 1 // a truncated name, e.g. max_size for max_size_mb
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// fmtDuration prints a duration without trailing zero units ("15m", not
// "15m0s").
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
