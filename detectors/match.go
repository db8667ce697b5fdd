package detectors

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shareguard/shareguard/platform"
)

// Evaluate runs on every desktop event and tries every glob against every
// window, so matching must be cheap. Case-insensitive regexps are slow, so
// globs made only of literals and '*' (nearly all of them) are matched on
// lower-cased strings with strings.Index; the rest fall back to Glob.Match.
// All lower-cased text of one call lives in one string (one allocation).

// matcher is a Glob prepared for one Evaluate call.
type matcher struct {
	g    Glob
	fast bool
	// The lower-cased pattern split at its first and last '*': prefix and
	// suffix are anchored, mid holds the segments in between (still
	// separated by '*'). Without a '*' the pattern is prefix alone.
	prefix, mid, suffix string
	star                bool
}

func newMatcher(g Glob, lower string) matcher {
	m := matcher{g: g, fast: g.IsSet() && fastPattern(g.src)}
	i := strings.IndexByte(lower, '*')
	if i < 0 {
		m.prefix = lower
		return m
	}
	j := strings.LastIndexByte(lower, '*')
	m.star, m.prefix, m.suffix = true, lower[:i], lower[j+1:]
	if i < j {
		m.mid = lower[i+1 : j]
	}
	return m
}

// match reports whether the glob matches s, given s and its lower-cased form.
func (m *matcher) match(s, lower string) bool {
	if !m.g.IsSet() {
		return false
	}
	if m.fast {
		return m.matchLower(lower)
	}
	return m.g.Match(s)
}

// matchProcess is Glob.MatchProcess for a prepared process name.
func (m *matcher) matchProcess(p *procView) bool {
	if !m.g.IsSet() || p == nil || p.name == "" {
		return false
	}
	if !m.fast {
		return m.g.MatchProcess(p.name)
	}
	return m.matchLower(p.lower) || m.matchLower(p.alt)
}

// matchLower matches the lower-cased pattern of literals and '*' against
// a lower-cased string, anchored at both ends.
func (m *matcher) matchLower(s string) bool {
	if !m.star {
		return s == m.prefix
	}
	if len(s) < len(m.prefix)+len(m.suffix) || !strings.HasPrefix(s, m.prefix) || !strings.HasSuffix(s, m.suffix) {
		return false
	}
	s = s[len(m.prefix) : len(s)-len(m.suffix)]
	p := m.mid
	// Middle segments: the leftmost match of each, in order, is enough.
	for p != "" {
		seg := p
		if k := strings.IndexByte(p, '*'); k >= 0 {
			seg, p = p[:k], p[k+1:]
		} else {
			p = ""
		}
		if seg == "" {
			continue
		}
		k := strings.Index(s, seg)
		if k < 0 {
			return false
		}
		s = s[k+len(seg):]
	}
	return true
}

// fastPattern reports whether a glob source uses only literals and '*'.
func fastPattern(src string) bool { return !strings.ContainsAny(src, "?[\\") }

// lowerBuf collects lower-cased copies of many strings in one buffer.
type lowerBuf struct {
	b     []byte
	spans [][2]int
}

// add appends the lower-cased s and returns its handle.
func (l *lowerBuf) add(s string) int {
	start := len(l.b)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			l.b = append(l.b, c)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 {
			l.b = append(l.b, c) // keep invalid bytes as they are
		} else {
			l.b = utf8.AppendRune(l.b, unicode.ToLower(r))
		}
		i += w
	}
	l.spans = append(l.spans, [2]int{start, len(l.b)})
	return len(l.spans) - 1
}

// addExe appends the ".exe"-toggled variant of an already lower-cased name.
func (l *lowerBuf) addExe(lower string) int {
	start := len(l.b)
	if base, ok := strings.CutSuffix(lower, ".exe"); ok {
		l.b = append(l.b, base...)
	} else {
		l.b = append(l.b, lower...)
		l.b = append(l.b, ".exe"...)
	}
	l.spans = append(l.spans, [2]int{start, len(l.b)})
	return len(l.spans) - 1
}

type winView struct {
	w          *platform.Window
	title, cls string // lower-cased
	proc       *procView
	indicator  bool // matched a sharing signature
}

type procView struct {
	src   *platform.Process
	pid   int
	ppid  int
	name  string
	lower string
	alt   string // lower-cased name with ".exe" added or removed
}

// view is a snapshot prepared for matching: lower-cased strings, each
// window's owning process resolved once, and the globs of the signatures
// and rules prepared.
type view struct {
	snap  *platform.Snapshot
	wins  []winView
	procs []procView
	sigs  []sigMatcher
	rules []ruleMatcher
}

type sigMatcher struct {
	title, class, process matcher
}

type ruleMatcher struct {
	titles, processes, classes []matcher
}

func newView(snap *platform.Snapshot, sigs []Signature, rules []Rule) *view {
	v := &view{snap: snap}
	var nwin, nproc int
	if snap != nil {
		nwin, nproc = len(snap.Windows), len(snap.Processes)
	}
	// The built-in table is prepared once; reuse it when sigs starts with it.
	reused := 0
	if len(sigs) >= len(builtin) && builtinPrefix(sigs) {
		reused = len(builtin)
	}
	lw := lowerAll(snap, sigs[reused:], rules)
	next := lw.next
	titles := make([]string, 2*nwin)
	for i := range titles {
		titles[i] = next()
	}
	v.procs = make([]procView, nproc)
	for i := range v.procs {
		v.procs[i] = procView{src: &snap.Processes[i], pid: snap.Processes[i].PID, ppid: snap.Processes[i].PPID, name: snap.Processes[i].Name, lower: next(), alt: next()}
	}
	v.wins = make([]winView, nwin)
	for i := range v.wins {
		w := &snap.Windows[i]
		v.wins[i] = winView{w: w, title: titles[2*i], cls: titles[2*i+1], proc: v.proc(w.PID)}
	}
	prep := func(g Glob) matcher { return newMatcher(g, next()) }
	if reused > 0 && len(sigs) == reused {
		v.sigs = builtinMatchers // read only
	} else {
		v.sigs = make([]sigMatcher, len(sigs))
		copy(v.sigs, builtinMatchers[:reused])
		for i := reused; i < len(sigs); i++ {
			v.sigs[i] = sigMatcher{title: prep(sigs[i].Title), class: prep(sigs[i].Class), process: prep(sigs[i].Process)}
		}
	}
	v.rules = ruleMatchers(rules, prep)
	return v
}

// lowerAll lower-cases every string a view matches into one buffer (one
// allocation per evaluation, not one per string) and returns them in
// order: each window's title and class, each process's name and exe form,
// each signature's title, class and process glob, each rule's globs.
func lowerAll(snap *platform.Snapshot, sigs []Signature, rules []Rule) lowered {
	var nwin, nproc int
	if snap != nil {
		nwin, nproc = len(snap.Windows), len(snap.Processes)
	}
	size, nglob := 0, 0
	for i := 0; i < nwin; i++ {
		size += len(snap.Windows[i].Title) + len(snap.Windows[i].Class)
	}
	for i := 0; i < nproc; i++ {
		size += 2*len(snap.Processes[i].Name) + 4
	}
	for i := range sigs {
		size += len(sigs[i].Title.src) + len(sigs[i].Class.src) + len(sigs[i].Process.src)
		nglob += 3
	}
	for i := range rules {
		for _, gs := range [3][]Glob{rules[i].Titles, rules[i].Processes, rules[i].Classes} {
			for _, g := range gs {
				size += len(g.src)
			}
			nglob += len(gs)
		}
	}
	var lb lowerBuf
	lb.b = make([]byte, 0, size+size/8)
	lb.spans = make([][2]int, 0, 2*nwin+2*nproc+nglob)
	for i := 0; i < nwin; i++ {
		lb.add(snap.Windows[i].Title)
		lb.add(snap.Windows[i].Class)
	}
	for i := 0; i < nproc; i++ {
		h := lb.add(snap.Processes[i].Name)
		sp := lb.spans[h]
		lb.addExe(string(lb.b[sp[0]:sp[1]]))
	}
	for i := range sigs {
		lb.add(sigs[i].Title.src)
		lb.add(sigs[i].Class.src)
		lb.add(sigs[i].Process.src)
	}
	for i := range rules {
		for _, gs := range [3][]Glob{rules[i].Titles, rules[i].Processes, rules[i].Classes} {
			for _, g := range gs {
				lb.add(g.src)
			}
		}
	}
	return lowered{all: string(lb.b), spans: lb.spans}
}

// lowered hands out lowerAll's strings in order.
type lowered struct {
	all   string
	spans [][2]int
	h     int
}

func (l *lowered) next() string {
	sp := l.spans[l.h]
	l.h++
	return l.all[sp[0]:sp[1]]
}

// ruleMatchers prepares the rules' globs, all in one backing array.
func ruleMatchers(rules []Rule, prep func(Glob) matcher) []ruleMatcher {
	out := make([]ruleMatcher, len(rules))
	nr := 0
	for i := range rules {
		nr += len(rules[i].Titles) + len(rules[i].Processes) + len(rules[i].Classes)
	}
	ms := make([]matcher, 0, nr)
	for i := range rules {
		var rm ruleMatcher
		for k, gs := range [3][]Glob{rules[i].Titles, rules[i].Processes, rules[i].Classes} {
			from := len(ms)
			for _, g := range gs {
				ms = append(ms, prep(g))
			}
			part := ms[from:len(ms):len(ms)]
			switch k {
			case 0:
				rm.titles = part
			case 1:
				rm.processes = part
			default:
				rm.classes = part
			}
		}
		out[i] = rm
	}
	return out
}

// proc returns the process with the pid, or nil.
func (v *view) proc(pid int) *procView {
	if pid <= 0 {
		return nil
	}
	for i := range v.procs {
		if v.procs[i].pid == pid {
			return &v.procs[i]
		}
	}
	return nil
}

// builtinMatchers is the built-in table prepared for matching, built once
// and never changed.
var builtinMatchers = prepareSigs(builtin)

func prepareSigs(sigs []Signature) []sigMatcher {
	ms := make([]sigMatcher, len(sigs))
	for i, sg := range sigs {
		var lb lowerBuf
		lb.add(sg.Title.src)
		lb.add(sg.Class.src)
		lb.add(sg.Process.src)
		all := string(lb.b)
		str := func(h int) string { return all[lb.spans[h][0]:lb.spans[h][1]] }
		ms[i] = sigMatcher{title: newMatcher(sg.Title, str(0)), class: newMatcher(sg.Class, str(1)), process: newMatcher(sg.Process, str(2))}
	}
	return ms
}

// builtinPrefix reports whether sigs starts with the built-in table
// (as handed out by BuiltinSignatures: same names and compiled globs).
func builtinPrefix(sigs []Signature) bool {
	for i := range builtin {
		a, b := &sigs[i], &builtin[i]
		if a.Name != b.Name || a.Title.re != b.Title.re || a.Class.re != b.Class.re || a.Process.re != b.Process.re || a.Shape != b.Shape {
			return false
		}
		if a.NeedsClient != b.NeedsClient || len(a.Args) != len(b.Args) {
			return false
		}
	}
	return true
}
