package detectors

import "testing"

func TestGlob(t *testing.T) {
	cases := []struct {
		pat, s string
		want   bool
	}{
		{"*TakeCare*", "TakeCare - Journal", true},
		{"*TakeCare*", "takecare", true},
		{"*takecare*", "TAKECARE - JOURNAL", true},
		{"*TakeCare*", "Take Care", false},
		{"* - Cosmic", "Journal - Cosmic", true},
		{"* - Cosmic", "Journal - Cosmic Desktop", false},
		{"*/*", "a/b", true}, // '*' crosses '/', unlike path.Match
		{"?osmic", "Cosmic", true},
		{"?osmic", "osmic", false},
		{"[CK]osmic", "kosmic", true},
		{"[!C]osmic", "Cosmic", false},
		{"[!C]osmic", "Xosmic", true},
		{"a\\*b", "a*b", true},
		{"a\\*b", "axb", false},
		{"Ärende*", "ärende 12", true},
		{"*(1)*", "Fil (1).pdf", true},
		{"*.*", "x.y", true},
		{"*.*", "xy", false},
		{"*", "multi\nline", true},
	}
	for _, c := range cases {
		g, err := CompileGlob(c.pat)
		if err != nil {
			t.Fatalf("%q: %v", c.pat, err)
		}
		if got := g.Match(c.s); got != c.want {
			t.Errorf("%q.Match(%q) = %v, want %v", c.pat, c.s, got, c.want)
		}
	}
}

func TestGlobErrors(t *testing.T) {
	for _, pat := range []string{"[abc", "abc\\", "*[", "[!"} {
		if _, err := CompileGlob(pat); err == nil {
			t.Errorf("CompileGlob(%q) succeeded, want an error", pat)
		}
	}
	var unset Glob
	if unset.IsSet() || unset.Match("") || unset.Match("x") || unset.MatchProcess("x") {
		t.Error("the zero Glob must match nothing")
	}
	if g, err := CompileGlob(""); err != nil || g.IsSet() {
		t.Error("empty pattern must give the unset Glob")
	}
}

func TestMatchProcessExeOptional(t *testing.T) {
	cases := []struct {
		pat, name string
		want      bool
	}{
		{"Zoom", "Zoom.exe", true},
		{"zoom.exe", "zoom", true},
		{"Zoom.exe", "ZOOM.EXE", true},
		{"ms-teams", "ms-teams.exe", true},
		{"ms-teams.exe", "ms-teams", true},
		{"teams", "ms-teams.exe", false},
		{"*teams*", "ms-teams.exe", true},
		{"zoom", "zoom.us", false},
		{"zoom", "", false},
	}
	for _, c := range cases {
		if got := MustGlob(c.pat).MatchProcess(c.name); got != c.want {
			t.Errorf("%q.MatchProcess(%q) = %v, want %v", c.pat, c.name, got, c.want)
		}
	}
}
