package detectors

import (
	"fmt"
	"slices"
	"testing"

	"github.com/shareguard/shareguard/detectors/pnr"
	"github.com/shareguard/shareguard/platform"
)

const (
	pidChromium = 100
	pidTakeCare = 200
	pidCitrix   = 300
	pidNotify   = 400
	pidEditor   = 500
	pidPanel    = 600
	pidSlack    = 700
	pidZoom     = 800
)

// A personnummer from Skatteverket's published test range.
const testPnr = "19121212-1212"

func testInput() Input {
	return Input{
		Rules: []Rule{
			{Name: "TakeCare", Titles: []Glob{MustGlob("*TakeCare*")}, Processes: []Glob{MustGlob("TakeCare")}, Action: ActionWarn},
			{Name: "Cosmic", Titles: []Glob{MustGlob("*Cosmic*")}, Classes: []Glob{MustGlob("CosmicMain")}},
			{Name: "Citrix", Processes: []Glob{MustGlob("wfica32.exe")}, Action: ActionWarn},
		},
		Approved:         []string{"Microsoft Teams", "zoom"},
		PnrInTitleAction: ActionWarn,
		PopupAction:      ActionMinimize,
		UnapprovedAction: ActionWarn,
	}
}

func screenShareWindow() platform.Window {
	return onTop(win(1000, pidChromium, "teams.microsoft.com is sharing your screen.", "chromium"))
}

func baseProcs() []platform.Process {
	return procs(map[int]string{
		pidChromium: "chromium", pidTakeCare: "TakeCare.exe", pidCitrix: "wfica32", pidEditor: "gedit",
		pidPanel: "xfce4-panel",
	})
}

func kinds(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s/%s/%d/%s", f.Kind, f.Rule, f.Window, f.Action))
	}
	return out
}

func TestPnrFixtureIsValid(t *testing.T) {
	if !pnr.Contains("Journal " + testPnr) {
		t.Fatalf("test personnummer %s not recognised by pnr", testPnr)
	}
}

func TestEvaluateFindings(t *testing.T) {
	popup := platform.Window{ID: 5, Title: "Ny remiss för " + testPnr, Type: platform.TypeNotification, Visible: true}
	windows := []platform.Window{
		win(1, pidTakeCare, "TakeCare - Journal", "TakeCareMain"),
		win(2, pidEditor, "anteckning "+testPnr+".txt - gedit", "Gedit"),
		win(3, pidEditor, "inköpslista.txt - gedit", "Gedit"),
		win(4, pidCitrix, "Cosmic - Citrix", "CosmicMain"), // Cosmic (minimize) + Citrix (warn)
		popup,
		{ID: 6, PID: pidTakeCare, Title: "TakeCare - Översikt", Visible: true, Minimized: true}, // not shown
		{ID: 7, PID: pidEditor, Title: "gömd " + testPnr, Visible: false},                       // not shown
		{ID: 8, PID: pidPanel, Title: "panel " + testPnr, Type: platform.TypeDock, Visible: true},
	}
	cases := []struct {
		name  string
		share *platform.Window
		want  []string
	}{
		{"no share", nil, nil},
		{"screen share", ptr(screenShareWindow()), []string{
			"protected_app/TakeCare/1/warn",
			"personnummer_in_title/personnummer/2/warn",
			"protected_app/Cosmic/4/minimize",
			"popup/popup/5/minimize",
			"personnummer_in_title/personnummer/8/warn", // dock: warn only
		}},
		{"window share", ptr(onTop(win(1000, pidChromium, "teams.microsoft.com is sharing a window.", "chromium"))), []string{
			"protected_app/TakeCare/1/warn",
			"personnummer_in_title/personnummer/2/warn",
			"protected_app/Cosmic/4/minimize",
			"personnummer_in_title/personnummer/8/warn",
		}},
		{"tab share", ptr(onTop(win(1000, pidChromium, "teams.microsoft.com is sharing a Chrome tab.", "chromium"))), []string{
			"protected_app/TakeCare/1/warn",
			"personnummer_in_title/personnummer/2/warn",
			"protected_app/Cosmic/4/minimize",
			"personnummer_in_title/personnummer/8/warn",
		}},
		// Firefox does not name the site, so the share is by "Firefox",
		// which is not an approved tool.
		{"firefox share (kind unknown counts as whole screen)", ptr(win(1000, pidChromium, "Firefox — Sharing Indicator", "firefox")), []string{
			"unapproved_tool/unapproved:Firefox/0/warn",
			"protected_app/TakeCare/1/warn",
			"personnummer_in_title/personnummer/2/warn",
			"protected_app/Cosmic/4/minimize",
			"popup/popup/5/minimize",
			"personnummer_in_title/personnummer/8/warn",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			snap := &platform.Snapshot{Windows: slices.Clone(windows), Processes: baseProcs()}
			if tc.share != nil {
				snap.Windows = append(snap.Windows, *tc.share)
			}
			in := testInput()
			shares, findings := Evaluate(snap, in)
			if (tc.share != nil) != (len(shares) == 1) {
				t.Fatalf("shares = %+v", shares)
			}
			if got := kinds(findings); !slices.Equal(got, tc.want) {
				t.Fatalf("findings\n got  %q\n want %q", got, tc.want)
			}
			for _, f := range findings {
				if f.Kind == FindUnapproved {
					continue
				}
				w, _ := snap.Window(f.Window)
				if f.Title != w.Title || f.PID != w.PID {
					t.Errorf("finding %+v does not describe window %+v", f, w)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestEvaluateFindingFields(t *testing.T) {
	snap := &platform.Snapshot{
		Windows: []platform.Window{
			screenShareWindow(),
			win(1, pidTakeCare, "TakeCare - Journal", ""),
			win(2, pidEditor, "brev "+testPnr, ""),
			win(3, 0, "okänd "+testPnr, ""),
			{ID: 4, Title: "Nytt mejl", Type: platform.TypeNotification, Visible: true},
			{ID: 5, PID: pidEditor, Title: "Påminnelse", Type: platform.TypeNotification, Visible: true},
		},
		Processes: baseProcs(),
	}
	_, got := Evaluate(snap, testInput())
	want := []Finding{
		{Kind: FindProtectedApp, Rule: "TakeCare", App: "TakeCare", Window: 1, PID: pidTakeCare, Process: "TakeCare.exe", Title: "TakeCare - Journal", Action: ActionWarn},
		{Kind: FindPnrInTitle, Rule: "personnummer", App: "gedit", Window: 2, PID: pidEditor, Process: "gedit", Title: "brev " + testPnr, Action: ActionWarn},
		{Kind: FindPnrInTitle, Rule: "personnummer", App: "unknown", Window: 3, PID: 0, Title: "okänd " + testPnr, Action: ActionWarn},
		{Kind: FindPopup, Rule: "popup", App: "notification", Window: 4, Title: "Nytt mejl", Action: ActionMinimize},
		{Kind: FindPopup, Rule: "popup", App: "gedit", Window: 5, PID: pidEditor, Process: "gedit", Title: "Påminnelse", Action: ActionMinimize},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestEvaluateRuleMatching(t *testing.T) {
	for _, tc := range []struct {
		name    string
		w       platform.Window
		proc    string
		rule    Rule
		matches bool
	}{
		{"process rule with .exe, process without", win(1, 2, "x", ""), "takecare", Rule{Processes: []Glob{MustGlob("TakeCare.exe")}}, true},
		{"process rule without .exe, process with", win(1, 2, "x", ""), "TAKECARE.EXE", Rule{Processes: []Glob{MustGlob("takecare")}}, true},
		{"process glob", win(1, 2, "x", ""), "Melior64.exe", Rule{Processes: []Glob{MustGlob("melior*")}}, true},
		{"other process", win(1, 2, "x", ""), "gedit", Rule{Processes: []Glob{MustGlob("TakeCare")}}, false},
		{"title case-insensitive", win(1, 2, "PMO – elevhälsa", ""), "x", Rule{Titles: []Glob{MustGlob("pmo *")}}, true},
		{"title needs whole match", win(1, 2, "Om PMO", ""), "x", Rule{Titles: []Glob{MustGlob("pmo*")}}, false},
		{"swedish letters fold", win(1, 2, "LIFECARE ÄLDREOMSORG", ""), "x", Rule{Titles: []Glob{MustGlob("*äldreomsorg")}}, true},
		{"class", win(1, 2, "x", "Treserva.Main"), "x", Rule{Classes: []Glob{MustGlob("treserva.*")}}, true},
		{"second glob of a list", win(1, 2, "Viva - Pulsen", ""), "x", Rule{Titles: []Glob{MustGlob("nope"), MustGlob("viva*")}}, true},
		{"empty rule", win(1, 2, "x", ""), "x", Rule{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.rule.Name = "R"
			snap := &platform.Snapshot{
				Windows:   []platform.Window{screenShareWindow(), tc.w},
				Processes: procs(map[int]string{pidChromium: "chromium", 2: tc.proc}),
			}
			_, fs := Evaluate(snap, Input{Rules: []Rule{tc.rule}})
			got := len(fs) == 1 && fs[0].Kind == FindProtectedApp && fs[0].Window == 1
			if got != tc.matches || len(fs) > 1 {
				t.Fatalf("findings %+v, want match=%v", fs, tc.matches)
			}
			if tc.matches && fs[0].Action != ActionMinimize {
				t.Errorf("empty rule action should default to minimize, got %q", fs[0].Action)
			}
		})
	}
}

func TestEvaluateStrongestActionFirstRule(t *testing.T) {
	snap := &platform.Snapshot{
		Windows:   []platform.Window{screenShareWindow(), win(1, pidTakeCare, "TakeCare Cosmic "+testPnr, "")},
		Processes: baseProcs(),
	}
	in := Input{Rules: []Rule{
		{Name: "first", Titles: []Glob{MustGlob("*TakeCare*")}, Action: ActionWarn},
		{Name: "second", Titles: []Glob{MustGlob("*Cosmic*")}, Action: ActionMinimize},
		{Name: "third", Processes: []Glob{MustGlob("TakeCare")}, Action: ActionWarn},
	}}
	_, fs := Evaluate(snap, in)
	if len(fs) != 1 || fs[0].Rule != "first" || fs[0].App != "first" || fs[0].Action != ActionMinimize || fs[0].Kind != FindProtectedApp {
		t.Fatalf("want one finding for rule first with minimize, got %+v", fs)
	}
}

func TestEvaluateSkipsOwnIndicators(t *testing.T) {
	// A rule that would match the browser, the indicator's owner, and a
	// personnummer in the indicator's origin: still no finding for it.
	share := onTop(win(1000, pidChromium, "191212121212.example.se is sharing your screen.", "chromium"))
	zoomBar := win(1001, pidZoom, "Screen sharing meeting controls "+testPnr, "ZPFloatToolbarClass")
	snap := &platform.Snapshot{
		Windows:   []platform.Window{share, zoomBar, win(1, pidChromium, "Journal - Chromium", "chromium")},
		Processes: append(baseProcs(), platform.Process{PID: pidZoom, Name: "Zoom.exe"}),
	}
	in := Input{Rules: []Rule{{Name: "browser", Processes: []Glob{MustGlob("chromium"), MustGlob("zoom")}}}}
	shares, fs := Evaluate(snap, in)
	if len(shares) != 2 {
		t.Fatalf("shares %+v", shares)
	}
	if got := kinds(fs); !slices.Equal(got, []string{"protected_app/browser/1/minimize"}) {
		t.Fatalf("got %q", got)
	}
}

func TestEvaluateUnapproved(t *testing.T) {
	snap := &platform.Snapshot{
		Windows: []platform.Window{
			win(1, pidSlack, "Huddle: #vård - Slack", "Slack"),
			win(2, pidZoom, "Zoom Workplace", "ZPPTMainFrmWndClassEx"),
		},
		Processes: []platform.Process{
			{PID: pidSlack, Name: "slack"},
			{PID: pidSlack + 1, PPID: pidSlack, Name: "slack"},
			{PID: pidZoom, Name: "Zoom.exe"},
			{PID: 900, Name: "Discord.exe"},
		},
	}
	in := testInput()
	shares, fs := Evaluate(snap, in)
	if len(shares) != 0 {
		t.Fatalf("no share expected, got %+v", shares)
	}
	want := []Finding{
		{Kind: FindUnapproved, Rule: "unapproved:Slack", App: "Slack", PID: pidSlack, Action: ActionWarn},
		{Kind: FindUnapproved, Rule: "unapproved:Discord", App: "Discord", PID: 900, Action: ActionWarn},
	}
	if !slices.Equal(fs, want) {
		t.Fatalf("got  %+v\nwant %+v", fs, want)
	}

	// A Meet share is an unapproved tool too; a Teams web share is not.
	snap.Windows = append(snap.Windows,
		onTop(win(10, pidChromium, "meet.google.com is sharing your screen.", "chromium")),
		onTop(win(11, pidChromium+1, "teams.microsoft.com is sharing your screen.", "chrome")))
	snap.Processes = append(snap.Processes, platform.Process{PID: pidChromium, Name: "chromium"}, platform.Process{PID: pidChromium + 1, Name: "chrome"})
	_, fs = Evaluate(snap, in)
	var apps []string
	for _, f := range fs {
		if f.Kind == FindUnapproved {
			apps = append(apps, f.App)
		}
	}
	if !slices.Equal(apps, []string{AppMeet, "Slack", "Discord"}) {
		t.Fatalf("unapproved apps %q", apps)
	}

	// Nil Approved: no check at all. Empty list: everything is unapproved.
	in.Approved = nil
	if _, fs := Evaluate(snap, in); slices.ContainsFunc(fs, func(f Finding) bool { return f.Kind == FindUnapproved }) {
		t.Fatalf("nil Approved must not check: %+v", fs)
	}
	in.Approved = []string{}
	_, fs = Evaluate(snap, in)
	n := 0
	for _, f := range fs {
		if f.Kind == FindUnapproved {
			n++
		}
	}
	if n != 5 { // Meet, Teams web, Slack, Zoom, Discord
		t.Fatalf("empty Approved: %d unapproved findings, want 5: %+v", n, fs)
	}
}

func TestEvaluateDeterministic(t *testing.T) {
	snap := benchSnapshot()
	in := benchInput()
	s1, f1 := Evaluate(snap, in)
	if len(s1) == 0 || len(f1) < 5 {
		t.Fatalf("benchmark snapshot should share and find things: %d shares, %d findings", len(s1), len(f1))
	}
	for i := 0; i < 5; i++ {
		slices.Reverse(snap.Windows)
		slices.Reverse(snap.Processes)
		s2, f2 := Evaluate(snap, in)
		if !slices.Equal(s1, s2) || !slices.Equal(f1, f2) {
			t.Fatalf("order depends on stacking:\n%+v\n%+v", f1, f2)
		}
	}
	seen := map[string]bool{}
	for _, f := range f1 {
		if seen[f.Key()] {
			t.Errorf("duplicate finding %s", f.Key())
		}
		seen[f.Key()] = true
	}
}

func TestEvaluateNil(t *testing.T) {
	if s, f := Evaluate(nil, testInput()); s != nil || f != nil {
		t.Fatal("nil snapshot must give nothing")
	}
	if s, f := Evaluate(&platform.Snapshot{}, testInput()); len(s) != 0 || len(f) != 0 {
		t.Fatal("empty snapshot must give nothing")
	}
}
