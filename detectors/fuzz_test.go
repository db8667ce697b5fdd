package detectors

import (
	"testing"
	"unicode/utf8"

	"github.com/shareguard/shareguard/platform"
)

// FuzzGlob: compiling never panics, and for every pattern the fast matcher
// takes, it agrees with the regexp on the subject (the detectors use the
// fast path, config validation the regexp).
func FuzzGlob(f *testing.F) {
	for _, s := range [][2]string{
		{"*TakeCare*", "TakeCare - Journal"}, {"* is sharing your screen*.", "meet.google.com is sharing your screen."},
		{"Zoom.exe", "zoom"}, {"[!a-z]Melior*", "-Melior 2"}, {"a\\*b", "a*b"}, {"*Ö*", "åsa ölund"},
		{"**a*", "bab"}, {"[", "["}, {"", ""}, {"*\xff*", "\xff"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, subject string) {
		g, err := CompileGlob(pattern)
		if err != nil {
			return
		}
		want := g.Match(subject)
		_ = g.MatchProcess(subject)
		if !g.IsSet() || !fastPattern(pattern) || !utf8.ValidString(pattern) || !utf8.ValidString(subject) {
			return
		}
		snap := &platform.Snapshot{Windows: []platform.Window{{ID: 1, Title: subject}}}
		v := newView(snap, []Signature{{Title: g}}, nil)
		if got := v.sigs[0].title.match(subject, v.wins[0].title); got != want {
			// Lower-casing and the regexp's case folding differ only for a
			// few exotic runes (U+017F ſ, U+0130 İ, U+212A K, ...); anything in
			// Latin-1 and Latin Extended-A before ſ, Swedish included, must agree.
			if plainLatin(pattern + subject) {
				t.Fatalf("fast match(%q, %q) = %v, regexp %v", pattern, subject, got, want)
			}
		}
	})
}

func plainLatin(s string) bool {
	for _, r := range s {
		if r >= 0x130 {
			return false
		}
	}
	return true
}

// FuzzEvaluate: any titles, classes and process names run through the
// built-in signatures and a rule set without panicking, and the findings
// keep their invariants.
func FuzzEvaluate(f *testing.F) {
	f.Add("meet.google.com is sharing your screen.", "Chromium", "chromium", "TakeCare - Journal 19121212-1212", "xterm", true)
	f.Add("Firefox — Sharing Indicator", "firefox", "firefox", "Nytt meddelande", "", false)
	f.Add("Screen sharing meeting controls", "ZPFloatToolbarClass", "Zoom.exe", "\xff\xfe", "Slack", true)
	f.Add("x is sharing a window.", "", "", "121212-1212", "ms-teams.exe", false)
	in := Input{
		Rules:            []Rule{{Name: "TakeCare", Titles: []Glob{MustGlob("*TakeCare*")}, Processes: []Glob{MustGlob("journal")}, Action: ActionMinimize}},
		Approved:         []string{"Zoom"},
		PnrInTitleAction: ActionMinimize, PopupAction: ActionWarn, UnapprovedAction: ActionWarn,
	}
	f.Fuzz(func(t *testing.T, shareTitle, shareClass, shareProc, title, proc string, popup bool) {
		typ := platform.TypeNormal
		if popup {
			typ = platform.TypeNotification
		}
		snap := &platform.Snapshot{
			Windows: []platform.Window{
				{ID: 1, PID: 10, Title: shareTitle, Class: shareClass, Visible: true, OnTop: true},
				{ID: 2, PID: 20, Title: title, Visible: true},
				{ID: 3, PID: 20, Title: title, Type: typ, Visible: true},
			},
			Processes: []platform.Process{{PID: 10, Name: shareProc}, {PID: 20, Name: proc}},
		}
		shares, findings := Evaluate(snap, in)
		seen := map[string]bool{}
		for _, fd := range findings {
			if seen[fd.Key()] {
				t.Fatalf("duplicate finding %+v", fd)
			}
			seen[fd.Key()] = true
			if fd.Kind != FindUnapproved && len(shares) == 0 {
				t.Fatalf("window finding %+v with no share", fd)
			}
			if fd.Action != ActionWarn && fd.Action != ActionMinimize {
				t.Fatalf("finding without a valid action: %+v", fd)
			}
			if fd.Window == 1 && fd.Kind != FindUnapproved {
				t.Fatalf("the share indicator itself was reported: %+v", fd)
			}
		}
	})
}
