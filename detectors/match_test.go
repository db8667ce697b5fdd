package detectors

import (
	"testing"

	"github.com/shareguard/shareguard/platform"
)

// The fast matcher must agree with the regexp behind Glob on everything
// it handles, or rules would match differently depending on the path.
func TestFastMatchAgreesWithGlob(t *testing.T) {
	patterns := []string{
		"", "*", "**", "abc", "*abc", "abc*", "*abc*", "a*c", "a*b*c", "*a*a*", "*TakeCare*",
		"Cosmic*", "*– Journal", "*Ö*", "zoom", "Zoom.exe", "*.exe", "ms-teams", "*teams*",
		"* is sharing your screen*.", "aa*aa", "*ä", "a*", "ab*ba",
	}
	subjects := []string{
		"", "a", "abc", "ABC", "xabcx", "aXc", "aXbYc", "aa", "aaa", "a a a", "TAKECARE - Patient",
		"cosmic – journal", "Åsa Ölund", "ÖGON", "Zoom", "zoom.exe", "ZOOM.EXE", "ms-teams.exe",
		"Microsoft Teams", "meet.google.com is sharing your screen.", "aba", "abba", "ab",
		"\xffbroken", "x\ny abc",
	}
	for _, p := range patterns {
		g := MustGlob(p)
		snap := &platform.Snapshot{}
		for i, s := range subjects {
			snap.Windows = append(snap.Windows, platform.Window{ID: platform.WindowID(i + 1), Title: s, PID: i + 1})
			snap.Processes = append(snap.Processes, platform.Process{PID: i + 1, Name: s})
		}
		v := newView(snap, []Signature{{Title: g, Process: g}}, nil)
		m := v.sigs[0].title
		if g.IsSet() && !m.fast {
			t.Fatalf("pattern %q should use the fast path", p)
		}
		for i, s := range subjects {
			if got, want := m.match(s, v.wins[i].title), g.Match(s); got != want {
				t.Errorf("match(%q, %q) = %v, Glob says %v", p, s, got, want)
			}
			if got, want := v.sigs[0].process.matchProcess(v.wins[i].proc), g.MatchProcess(s); got != want {
				t.Errorf("matchProcess(%q, %q) = %v, Glob says %v", p, s, got, want)
			}
		}
	}
}

func TestSlowPatternsFallBack(t *testing.T) {
	snap := &platform.Snapshot{Windows: []platform.Window{{ID: 1, Title: "Firefox – Sharing Indicator"}, {ID: 2, Title: "TakeCare1"}}}
	for _, tc := range []struct {
		pattern string
		win     int
		want    bool
	}{
		{"* [-–] Sharing Indicator", 0, true},
		{"TakeCare?", 1, true},
		{"TakeCare[0-9]", 1, true},
		{"TakeCare[!0-9]", 1, false},
		{`TakeCare\1`, 1, true},
	} {
		g := MustGlob(tc.pattern)
		v := newView(snap, []Signature{{Title: g}}, nil)
		m := v.sigs[0].title
		if m.fast {
			t.Errorf("%q: must not use the fast path", tc.pattern)
		}
		if got := m.match(v.wins[tc.win].w.Title, v.wins[tc.win].title); got != tc.want {
			t.Errorf("%q on %q = %v, want %v", tc.pattern, v.wins[tc.win].w.Title, got, tc.want)
		}
	}
}
