package tray

import (
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent"
	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform/osenv"
)

var t0 = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)

func baseInput(lang string) Input {
	return Input{
		Status:         agent.Status{Enabled: true},
		Str:            assets.MustStrings(lang),
		AllowPause:     true,
		PauseDuration:  15 * time.Minute,
		AutostartKnown: true,
		Version:        "1.2.3",
		Now:            t0,
		Loc:            time.UTC,
	}
}

func zoomShare() []detectors.Share {
	return []detectors.Share{{App: detectors.AppZoom, Kind: detectors.KindScreen, PID: 7, Signature: "zoom-win-toolbar"}}
}

func minimized(at time.Time, rule string) audit.Event {
	return audit.Event{Time: at, Event: audit.Action, Kind: "protected_app", Rule: rule, App: rule,
		Action: "minimize", OK: audit.Bool(true), Window: "TakeCare - Andersson"}
}

func TestStatesInSwedish(t *testing.T) {
	in := baseInput("sv")
	v := Build(in)
	if v.Icon != assets.IconGuarding || v.Status.Title != "Skyddet är på – ingen skärmdelning" {
		t.Errorf("idle: %q %q", v.Icon, v.Status.Title)
	}
	if v.Pause.Title != "Pausa skyddet i 15 minuter" || !v.Pause.Visible || !v.Pause.Enabled {
		t.Errorf("pause item: %+v", v.Pause)
	}

	in.Status.Sharing, in.Status.Shares = true, zoomShare()
	v = Build(in)
	if v.Icon != assets.IconSharing || v.Status.Title != "Skärmdelning pågår – Zoom (hela skärmen)" {
		t.Errorf("sharing: %q %q", v.Icon, v.Status.Title)
	}

	in.Status.SteppedIn = true
	in.Recent = []audit.Event{minimized(t0.Add(-time.Minute), "TakeCare")}
	v = Build(in)
	if v.Icon != assets.IconSteppedIn || v.Tooltip != "shareguard: skyddet ingrep under skärmdelningen" {
		t.Errorf("stepped in: %q %q", v.Icon, v.Tooltip)
	}

	// Opening the menu (a click) acknowledges it: back to "sharing"...
	in.Acked = t0
	if v = Build(in); v.Icon != assets.IconSharing {
		t.Errorf("after the menu was opened: %q, want sharing", v.Icon)
	}
	// ...until the guard minimizes something again.
	in.Recent = append([]audit.Event{minimized(t0.Add(time.Second), "personnummer")}, in.Recent...)
	if v = Build(in); v.Icon != assets.IconSteppedIn {
		t.Errorf("new minimize after ack: %q, want stepped in", v.Icon)
	}
	// A warning alone after the ack does not count as stepping in.
	in.Recent = []audit.Event{{Time: t0.Add(2 * time.Second), Event: audit.Action, Rule: "popup", Action: "warn"}, minimized(t0.Add(-time.Minute), "TakeCare")}
	if v = Build(in); v.Icon != assets.IconSharing {
		t.Errorf("warning after ack: %q, want sharing", v.Icon)
	}

	// The share ends: the agent clears SteppedIn, the icon is idle again.
	in.Status = agent.Status{Enabled: true}
	if v = Build(in); v.Icon != assets.IconGuarding {
		t.Errorf("after the share: %q", v.Icon)
	}

	in.Status.Paused, in.Status.PausedUntil = true, t0.Add(15*time.Minute)
	v = Build(in)
	if v.Icon != assets.IconPaused || v.Status.Title != "Skyddet är pausat till 10:15" || v.Pause.Title != "Återuppta skyddet nu" || !v.Pause.Visible {
		t.Errorf("paused: %q %q %+v", v.Icon, v.Status.Title, v.Pause)
	}

	in.Status = agent.Status{Enabled: true, DisplayLost: true, Sharing: true, Shares: zoomShare()}
	v = Build(in)
	if v.Icon != assets.IconError || !strings.Contains(v.Status.Title, "kontakten med skärmen bröts") {
		t.Errorf("display lost: %q %q", v.Icon, v.Status.Title)
	}
}

func TestStatesInEnglish(t *testing.T) {
	in := baseInput("en")
	in.Status.Sharing, in.Status.Shares = true, zoomShare()
	v := Build(in)
	if v.Status.Title != "Screen share running – Zoom (entire screen)" || v.Tooltip != "shareguard: screen share running, the guard is on" {
		t.Errorf("sharing: %q %q", v.Status.Title, v.Tooltip)
	}
	if v.Quit.Title != "Quit" || v.Settings.Title != "Open settings" || v.Autostart.Title != "Start at login" || v.Version.Title != "shareguard version 1.2.3" {
		t.Errorf("menu: %+v", v)
	}
}

func TestConfigRejectedIsAnError(t *testing.T) {
	in := baseInput("sv")
	in.ConfigRejected = true
	v := Build(in)
	if v.Icon != assets.IconError || v.Status.Title != "Problem: inställningarna kunde inte läsas, de tidigare gäller" {
		t.Errorf("%q %q", v.Icon, v.Status.Title)
	}
	// A share matters more than a rejected edit (the old config guards it).
	in.Status.Sharing, in.Status.Shares = true, zoomShare()
	if v := Build(in); v.Icon != assets.IconSharing {
		t.Errorf("sharing with a rejected config: %q", v.Icon)
	}
}

func TestPauseOnlyWherePolicyAllows(t *testing.T) {
	in := baseInput("sv")
	in.AllowPause = false
	if v := Build(in); v.Pause.Visible || v.Pause.Enabled {
		t.Errorf("pause shown although policy forbids it: %+v", v.Pause)
	}
	in.AllowPause, in.Status.Enabled = true, false
	if v := Build(in); v.Pause.Visible || v.Icon != assets.IconPaused {
		t.Errorf("guard off in config: pause %+v icon %q", v.Pause, v.Icon)
	}
	in.Status.Enabled, in.PauseDuration = true, 2*time.Hour
	if v := Build(in); v.Pause.Title != "Pausa skyddet i 2 timmar" {
		t.Errorf("2h: %q", v.Pause.Title)
	}
	in.PauseDuration = 90 * time.Minute
	if v := Build(in); v.Pause.Title != "Pausa skyddet i 90 minuter" {
		t.Errorf("90m: %q", v.Pause.Title)
	}
}

func TestAppNamesOnlyFromKnownApps(t *testing.T) {
	in := baseInput("sv")
	// A browser share's app name comes from the indicator title's origin.
	in.Status.Sharing = true
	in.Status.Shares = []detectors.Share{{App: "journal.region.se", Kind: detectors.KindWindow, Signature: "chromium-window"}}
	v := Build(in)
	if v.Status.Title != "Skärmdelning pågår – webbläsare (ett fönster)" {
		t.Errorf("unknown origin: %q", v.Status.Title)
	}
	in.Status.Shares = []detectors.Share{{App: detectors.AppMeet, Kind: detectors.KindTab, Signature: "chromium-tab"}}
	if v := Build(in); v.Status.Title != "Skärmdelning pågår – Google Meet (en flik)" {
		t.Errorf("meet: %q", v.Status.Title)
	}
	in.Status.Shares = append(in.Status.Shares, zoomShare()...)
	if v := Build(in); v.Status.Title != "Skärmdelning pågår – 2 delningar" {
		t.Errorf("two: %q", v.Status.Title)
	}
}

func TestRecentEvents(t *testing.T) {
	in := baseInput("sv")
	v := Build(in)
	if !v.Events[0].Visible || v.Events[0].Title != "Inga händelser ännu" || v.Events[1].Visible {
		t.Errorf("no events: %+v", v.Events[:2])
	}
	var evs []audit.Event // newest first
	for i := 0; i < 15; i++ {
		evs = append(evs, minimized(t0.Add(-time.Duration(i)*time.Minute), "TakeCare"))
		evs = append(evs, audit.Event{Time: t0.Add(-time.Duration(i) * time.Minute), Event: audit.Finding, Rule: "TakeCare", Window: "TakeCare - Andersson"})
	}
	evs[0].Time = t0.Add(-24 * time.Hour)
	evs = append([]audit.Event{
		{Time: t0, Event: audit.ShareStarted, App: "evil.example", ShareKind: "screen"},
		{Time: t0, Event: audit.Action, Rule: "personnummer", Action: "minimize", OK: audit.Bool(false), Window: "19121212-1212"},
	}, evs...)
	in.Recent = evs
	v = Build(in)
	if len(v.Events) != RecentCount {
		t.Fatalf("%d event items", len(v.Events))
	}
	want := []string{
		"10:00  Skärmdelning startade – okänt program",
		"10:00  personnummer: kunde inte minimeras",
		"2026-03-03 10:00  TakeCare: minimerades",
		"09:59  TakeCare: minimerades",
	}
	for i, w := range want {
		if v.Events[i].Title != w {
			t.Errorf("event %d = %q, want %q", i, v.Events[i].Title, w)
		}
	}
	for _, e := range v.Events {
		if !e.Visible || e.Enabled {
			t.Errorf("event item %+v: want visible, not clickable", e)
		}
		if strings.Contains(e.Title, "Andersson") || strings.Contains(e.Title, "1212") || strings.Contains(e.Title, "evil") {
			t.Errorf("event line shows screen content: %q", e.Title)
		}
	}
}

func TestEveryTrayKeyInBothLanguages(t *testing.T) {
	sv, en := assets.MustStrings("sv"), assets.MustStrings("en")
	n := 0
	for _, k := range sv.Keys() {
		if !strings.HasPrefix(k, "tray.") {
			continue
		}
		n++
		if en.T(k) == k {
			t.Errorf("%s missing in en", k)
		}
	}
	for _, k := range en.Keys() {
		if strings.HasPrefix(k, "tray.") && sv.T(k) == k {
			t.Errorf("%s missing in sv", k)
		}
	}
	if n < 40 {
		t.Errorf("only %d tray keys", n)
	}
	// Every key the model can ask for exists.
	for _, st := range []agent.Status{{Enabled: true}, {Enabled: true, Paused: true}, {Enabled: true, DisplayLost: true}, {}, {Enabled: true, LastError: "x"}} {
		for _, lang := range assets.Languages {
			in := baseInput(lang)
			in.Status = st
			in.Recent = everyEvent()
			v := Build(in)
			for _, s := range append([]string{v.Tooltip, v.Status.Title, v.Pause.Title}, titles(v.Events)...) {
				if strings.Contains(s, "tray.") || strings.Contains(s, "{") {
					t.Errorf("%s: untranslated %q", lang, s)
				}
			}
		}
	}
}

func everyEvent() []audit.Event {
	var out []audit.Event
	for _, e := range []string{audit.ShareStarted, audit.ShareStopped, audit.Paused, audit.Resumed, audit.ConfigReloaded,
		audit.ConfigRejected, audit.Error, audit.Started, audit.Stopped, EventQuit} {
		out = append(out, audit.Event{Time: t0, Event: e})
	}
	return append(out, audit.Event{Time: t0, Event: audit.DND, Action: "on", OK: audit.Bool(true)},
		audit.Event{Time: t0, Event: audit.Action, Rule: "r", Action: "warn", OK: audit.Bool(true)})
}

func titles(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

// The tray's language is the one the agent's alerts use: the config's,
// else the locale's (osenv.Locale), else Swedish.
func TestLanguage(t *testing.T) {
	Language := func(configured string, getenv func(string) string) string {
		return assets.PickLanguage(configured, osenv.Locale(getenv))
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		configured string
		env        map[string]string
		want       string
	}{
		{"", map[string]string{"LANG": "sv_SE.UTF-8"}, "sv"},
		{"", map[string]string{"LANG": "en_GB.UTF-8"}, "en"},
		{"", map[string]string{"LC_ALL": "sv_FI.UTF-8", "LANG": "en_US.UTF-8"}, "sv"},
		{"", map[string]string{"LC_MESSAGES": "de_DE.UTF-8", "LANG": "sv_SE.UTF-8"}, "en"},
		{"en", map[string]string{"LANG": "sv_SE.UTF-8"}, "en"},
		{"sv", map[string]string{"LANG": "en_US.UTF-8"}, "sv"},
	}
	for _, c := range cases {
		if got := Language(c.configured, env(c.env)); got != c.want {
			t.Errorf("Language(%q, %v) = %q, want %q", c.configured, c.env, got, c.want)
		}
	}
	in := baseInput(Language("", env(map[string]string{"LANG": "en_US.UTF-8"})))
	if v := Build(in); v.Quit.Title != "Quit" {
		t.Errorf("English locale, quit = %q", v.Quit.Title)
	}
	in = baseInput(Language("", env(map[string]string{"LANG": "sv_SE.UTF-8"})))
	if v := Build(in); v.Quit.Title != "Avsluta" || v.Recent.Title != "Senaste händelser" || v.Settings.Title != "Öppna inställningar" {
		t.Errorf("Swedish locale: %q %q %q", v.Quit.Title, v.Recent.Title, v.Settings.Title)
	}
}

func TestContentScanStateShown(t *testing.T) {
	for _, c := range []struct{ lang, state, want string }{
		{"sv", "on", "Skärmläsning (OCR): på"},
		{"sv", "off", "avstängd i inställningarna"},
		{"sv", "unavailable", "inte tillgänglig i den här versionen"},
		{"en", "unavailable", "not available in this build"},
		{"en", "", "not available in this build"}, // unknown never reads as on
	} {
		in := baseInput(c.lang)
		in.ContentScan = c.state
		v := Build(in)
		if !v.Content.Visible || !strings.Contains(v.Content.Title, c.want) {
			t.Errorf("%s/%q: content item %+v, want %q", c.lang, c.state, v.Content, c.want)
		}
	}
}
