package config

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/detectors"
)

// protectedBy returns the names of the rules whose title globs match.
func protectedBy(c *Config, title string) []string {
	var hit []string
	for _, r := range c.Rules {
		for _, g := range r.Titles {
			if g.Match(title) {
				hit = append(hit, r.Name)
				break
			}
		}
	}
	return hit
}

func TestDefaultFileIsAValidUserFile(t *testing.T) {
	// `config default` output is copied as a starting user file.
	if err := Check("default.toml", assets.DefaultConfig); err != nil {
		t.Fatal(err)
	}
	c, err := Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Cosmic", "TakeCare", "Melior", "PMO", "NCS Cross", "VAS", "Asynja Visph", "Millennium",
		"ProReNata", "Lifecare", "Treserva", "Viva", "Pulsen Combine"}
	var names []string
	for _, r := range c.Rules {
		names = append(names, r.Name)
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("default rules %q, want %q", names, want)
	}
	if len(c.Sources) != 1 || c.Sources[0] != (Source{Layer: LayerDefault}) {
		t.Errorf("sources %v", c.Sources)
	}
}

func TestDefaultRulesTitles(t *testing.T) {
	c, err := Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	hits := map[string]string{
		"TakeCare - Journal":            "TakeCare",
		"takecare":                      "TakeCare",
		"Cosmic":                        "Cosmic",
		"Cosmic - Akutmottagningen":     "Cosmic",
		"Journal - COSMIC":              "Cosmic",
		"Cosmic R8.5":                   "Cosmic",
		"Cambio COSMIC - Vårdcentralen": "Cosmic",
		"Melior":                        "Melior",
		"Melior - Avd 12":               "Melior",
		"Siemens Melior":                "Melior",
		"PMO":                           "PMO",
		"CGM PMO - Elevhälsan":          "PMO",
		"NCS Cross - Ärende":            "NCS Cross",
		"VAS - Journal":                 "VAS",
		"Asynja Visph - Elevhälsa":      "Asynja Visph",
		"PowerChart Organizer for Svensson, Anna": "Millennium",
		"Millennium":                                    "Millennium",
		"ProReNata Journal - Google Chrome":             "ProReNata",
		"Lifecare Utförare":                             "Lifecare",
		"Procapita VoO":                                 "Lifecare",
		"Treserva - Ärendehantering":                    "Treserva",
		"Viva":                                          "Viva",
		"Viva - Ekonomiskt bistånd":                     "Viva",
		"Ansökan - Viva - Citrix Workspace":             "Viva",
		"Pulsen Combine - Sammanställning":              "Pulsen Combine",
		"https://takecare.regionen.se - Microsoft Edge": "TakeCare",
	}
	for title, rule := range hits {
		if got := protectedBy(c, title); len(got) != 1 || got[0] != rule {
			t.Errorf("%q protected by %q, want [%s]", title, got, rule)
		}
	}
	misses := []string{
		"Microsoft Viva Engage",
		"Viva Engage | Microsoft Teams",
		"Viva Insights - Microsoft Edge",
		"Viva La Vida - Coldplay - YouTube",
		"COSMIC Settings",
		"COSMIC Files",
		"cosmic-panel",
		"Cosmic rays - Wikipedia - Mozilla Firefox",
		"Ameliorating risk.docx - Word",
		"PMO - weekly status - Outlook",
		"PMO Office hours",
		"Vas från IKEA - Google Sök",
		"Millennium Falcon - Wikipedia",
		"Combine Files - Adobe Acrobat",
		"pro re nata - Wikipedia",
		"Take care of yourself - Outlook",
		"Terminal",
		"",
	}
	for _, title := range misses {
		if got := protectedBy(c, title); len(got) != 0 {
			t.Errorf("%q protected by %q, want none", title, got)
		}
	}
}

// The effective config rendered by TOML() parses back (as a user file)
// into the same effective config, alone and on top of the default.
func TestTOMLRoundTrip(t *testing.T) {
	def := mustDefault(t)
	pol := mustParse(t, LayerPolicy, `
mode = "block"
allow_pause = false
approved_tools = ["Microsoft Teams", "Webex \"Meetings\""]
[audit]
path = "/var/log/shareguard/audit.log"
[[protected]]
name = "Ärende\tsystem"
titles = ["*Ärende*", "[!a]x\\*"]
processes = ["arende"]
`)
	usr := mustParse(t, LayerUser, `
mode = "warn"
language = "sv"
reconcile_interval = "250ms"
pause_duration = "1h30m"
[actions]
popup = "minimize"
[[signature]]
name = "s"
app = "S"
kind = "tab"
class = "SClass"
meeting = true
[[signature]]
name = "r"
app = "R"
kind = "recording"
process = "rec"
args = ["-grab", "x11*"]
needs_client = true
`)
	want, notes := Merge(def, pol, usr)
	if len(notes) == 0 {
		t.Fatal("expected a note for mode")
	}
	out, err := want.TOML()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("# note: user config: mode = \"warn\" ignored")) {
		t.Errorf("notes missing from the rendering:\n%s", out)
	}
	if err := Check("show.toml", out); err != nil {
		t.Fatalf("rendered config is not a valid user file: %v\n%s", err, out)
	}
	back := mustParse(t, LayerUser, string(out))
	for _, d := range []*File{nil, def} {
		got, notes := Merge(d, nil, back)
		if len(notes) != 0 {
			t.Errorf("notes after round trip: %q", notes)
		}
		again, err := got.TOML()
		if err != nil {
			t.Fatal(err)
		}
		// Compare the parts that come from the file, not the provenance.
		if !sameEffective(t, want, got) {
			t.Errorf("round trip (default=%v) differs:\n%s\n---\n%s", d != nil, out, again)
		}
	}
}

// sameEffective compares two configs field by field, globs by pattern.
func sameEffective(t *testing.T, a, b *Config) bool {
	t.Helper()
	type rule struct {
		Name                       string
		Titles, Processes, Classes []string
		Action                     detectors.Action
	}
	type sig struct {
		Name, App, Title, Class, Process string
		Kind                             detectors.ShareKind
		Meeting, NeedsClient             bool
		Args                             []string
	}
	norm := func(c *Config) any {
		var rs []rule
		for _, r := range c.Rules {
			rs = append(rs, rule{r.Name, globStrings(r.Titles), globStrings(r.Processes), globStrings(r.Classes), r.Action})
		}
		var ss []sig
		for _, s := range c.Signatures {
			ss = append(ss, sig{s.Name, s.App, s.Title.String(), s.Class.String(), s.Process.String(), s.Kind, s.Meeting, s.NeedsClient, globStrings(s.Args)})
		}
		return []any{c.Enabled, c.Mode, c.Language, c.AllowPause, c.PauseDuration, c.ReconcileInterval, c.WholeScreen, c.RecorderRunning,
			c.ApprovedTools, c.Actions, c.Audit, rs, ss}
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

func BenchmarkLoadDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Load("", ""); err != nil {
			b.Fatal(err)
		}
	}
}
