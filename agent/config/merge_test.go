package config

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
)

func mustParse(t *testing.T, layer Layer, src string) *File {
	t.Helper()
	f, err := Parse(string(layer)+".toml", []byte(osPaths(src)), layer)
	if err != nil {
		t.Fatalf("parse %s: %v", layer, err)
	}
	return f
}

func mustDefault(t *testing.T) *File {
	t.Helper()
	f, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func hasNote(notes []string, sub string) bool {
	for _, n := range notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

// Each case: the policy sets a value, the user tries to weaken it (it must
// stay, with a note), and the user tries to strengthen it (it must apply,
// without a note).
func TestPolicyCannotBeWeakened(t *testing.T) {
	tests := []struct {
		name                 string
		policy, weak, strong string
		get                  func(*Config) any
		policyWant           any
		strongWant           any // nil: the policy's value always wins
		note                 string
	}{
		{"enabled", `enabled = false`, "", "", func(c *Config) any { return c.Enabled }, false, nil, ""},
		{"allow_quit", `allow_quit = false`, `allow_quit = true`, "", func(c *Config) any { return c.AllowQuit }, false, nil,
			`user config: allow_quit = true ignored: machine policy requires false`},
		{"whole_screen warn", `whole_screen = "warn"`, `whole_screen = "off"`, "", func(c *Config) any { return c.WholeScreen }, WholeScreenWarn, nil,
			`user config: whole_screen = "off" ignored: machine policy requires "warn"`},
		{"whole_screen off", `whole_screen = "off"`, "", `whole_screen = "warn"`, func(c *Config) any { return c.WholeScreen }, WholeScreenOff, WholeScreenWarn, ""},
		{"recorder_running warn", `recorder_running = "warn"`, `recorder_running = "off"`, "", func(c *Config) any { return c.RecorderRunning }, RecorderWarn, nil,
			`user config: recorder_running = "off" ignored: machine policy requires "warn"`},
		{"recorder_running off", `recorder_running = "off"`, "", `recorder_running = "warn"`, func(c *Config) any { return c.RecorderRunning }, RecorderOff, RecorderWarn, ""},
		{"enabled true", `enabled = true`, `enabled = false`, "", func(c *Config) any { return c.Enabled }, true, nil,
			`user config: enabled = false ignored: machine policy requires true`},
		{"mode", `mode = "block"`, `mode = "warn"`, "", func(c *Config) any { return c.Mode }, ModeBlock, nil,
			`user config: mode = "warn" ignored: machine policy requires "block"`},
		{"allow_pause", `allow_pause = false`, `allow_pause = true`, "", func(c *Config) any { return c.AllowPause }, false, nil,
			`user config: allow_pause = true ignored: machine policy requires false`},
		{"pause_duration", `pause_duration = "5m"`, `pause_duration = "1h"`, "", func(c *Config) any { return c.PauseDuration }, 5 * time.Minute, nil,
			`user config: pause_duration = "1h" ignored: machine policy requires "5m"`},
		{"pause_duration shorter is still the policy's", `pause_duration = "5m"`, `pause_duration = "1m"`, "", func(c *Config) any { return c.PauseDuration }, 5 * time.Minute, nil,
			`user config: pause_duration = "1m" ignored`},
		{"reconcile_interval", `reconcile_interval = "500ms"`, `reconcile_interval = "30s"`, "", func(c *Config) any { return c.ReconcileInterval }, 500 * time.Millisecond, nil,
			`user config: reconcile_interval = "30s" ignored: machine policy requires "500ms"`},
		{"audit.path", "[audit]\npath = \"/var/log/sg/audit.log\"", "[audit]\npath = \"/tmp/x.log\"", "", func(c *Config) any { return c.Audit.Path }, abs("/var/log/sg/audit.log"), nil,
			`user config: audit.path = "` + abs("/tmp/x.log") + `" ignored: machine policy requires "` + abs("/var/log/sg/audit.log") + `"`},
		{"audit.max_size_mb", "[audit]\nmax_size_mb = 50", "[audit]\nmax_size_mb = 1", "", func(c *Config) any { return c.Audit.MaxSizeMB }, 50, nil,
			`user config: audit.max_size_mb = 1 ignored: machine policy requires 50`},
		{"audit.keep", "[audit]\nkeep = 10", "[audit]\nkeep = 0", "", func(c *Config) any { return c.Audit.Keep }, 10, nil,
			`user config: audit.keep = 0 ignored: machine policy requires 10`},
	}
	for _, a := range []struct{ key, field string }{
		{"protected_app", "ProtectedApp"}, {"personnummer_in_title", "PnrInTitle"}, {"popup", "Popup"}, {"unapproved_tool", "UnapprovedTool"},
	} {
		get := func(c *Config) any { return reflect.ValueOf(c.Actions).FieldByName(a.field).Interface() }
		tests = append(tests,
			struct {
				name                 string
				policy, weak, strong string
				get                  func(*Config) any
				policyWant           any
				strongWant           any
				note                 string
			}{"actions." + a.key, "[actions]\n" + a.key + ` = "minimize"`, "[actions]\n" + a.key + ` = "warn"`, "", get, detectors.ActionMinimize, nil,
				`user config: actions.` + a.key + ` = "warn" ignored: machine policy requires "minimize"`},
			struct {
				name                 string
				policy, weak, strong string
				get                  func(*Config) any
				policyWant           any
				strongWant           any
				note                 string
			}{"actions." + a.key + " strengthened", "[actions]\n" + a.key + ` = "warn"`, "", "[actions]\n" + a.key + ` = "minimize"`, get, detectors.ActionWarn, detectors.ActionMinimize, ""},
		)
	}
	// Strengthening the boolean and mode settings.
	tests = append(tests,
		struct {
			name                 string
			policy, weak, strong string
			get                  func(*Config) any
			policyWant           any
			strongWant           any
			note                 string
		}{"enabled strengthened", `enabled = false`, "", `enabled = true`, func(c *Config) any { return c.Enabled }, false, true, ""},
		struct {
			name                 string
			policy, weak, strong string
			get                  func(*Config) any
			policyWant           any
			strongWant           any
			note                 string
		}{"mode strengthened", `mode = "warn"`, "", `mode = "block"`, func(c *Config) any { return c.Mode }, ModeWarn, ModeBlock, ""},
		struct {
			name                 string
			policy, weak, strong string
			get                  func(*Config) any
			policyWant           any
			strongWant           any
			note                 string
		}{"allow_pause strengthened", `allow_pause = true`, "", `allow_pause = false`, func(c *Config) any { return c.AllowPause }, true, false, ""},
	)

	def := mustDefault(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := mustParse(t, LayerPolicy, tt.policy)
			c, notes := Merge(def, pol, nil)
			if got := tt.get(c); got != tt.policyWant {
				t.Fatalf("policy alone: got %v, want %v", got, tt.policyWant)
			}
			if len(notes) != 0 {
				t.Errorf("notes without a user file: %q", notes)
			}
			if tt.weak != "" {
				c, notes = Merge(def, pol, mustParse(t, LayerUser, tt.weak))
				if got := tt.get(c); got != tt.policyWant {
					t.Errorf("user weakened the policy: got %v, want %v", got, tt.policyWant)
				}
				if !hasNote(notes, tt.note) || !reflect.DeepEqual(notes, c.Notes) {
					t.Errorf("notes %q (Config.Notes %q), want one containing %q", notes, c.Notes, tt.note)
				}
			}
			if tt.strong != "" {
				c, notes = Merge(def, pol, mustParse(t, LayerUser, tt.strong))
				if got := tt.get(c); got != tt.strongWant {
					t.Errorf("user could not strengthen: got %v, want %v", got, tt.strongWant)
				}
				if len(notes) != 0 {
					t.Errorf("notes for a stricter user value: %q", notes)
				}
			}
		})
	}
}

func TestNoPolicyUserApplies(t *testing.T) {
	def := mustDefault(t)
	usr := mustParse(t, LayerUser, `
enabled = false
mode = "warn"
language = "en"
allow_pause = false
pause_duration = "2h"
reconcile_interval = "5s"
approved_tools = ["Slack"]
[actions]
protected_app = "warn"
personnummer_in_title = "warn"
popup = "minimize"
[audit]
path = "/home/u/sg.log"
max_size_mb = 2
keep = 7
`)
	c, notes := Merge(def, nil, usr)
	if len(notes) != 0 {
		t.Errorf("notes: %q", notes)
	}
	want := Actions{ProtectedApp: "warn", PnrInTitle: "warn", Popup: "minimize", UnapprovedTool: "warn"}
	if c.Enabled || c.Mode != ModeWarn || c.Language != "en" || c.AllowPause || c.PauseDuration != 2*time.Hour ||
		c.ReconcileInterval != 5*time.Second || !slices.Equal(c.ApprovedTools, []string{"Slack"}) || c.Actions != want ||
		c.Audit != (Audit{Path: abs("/home/u/sg.log"), MaxSizeMB: 2, Keep: 7, WindowTitles: TitlesOmit}) {
		t.Errorf("user values not applied: %+v", c)
	}
	// Rules without their own action follow the user's protected_app.
	for _, r := range c.Rules {
		if r.Action != detectors.ActionWarn {
			t.Errorf("rule %s action %q, want warn", r.Name, r.Action)
		}
	}
}

func TestLanguageIsTheUsersChoice(t *testing.T) {
	c, notes := Merge(mustDefault(t), mustParse(t, LayerPolicy, `language = "sv"`), mustParse(t, LayerUser, `language = "en"`))
	if c.Language != "en" || len(notes) != 0 {
		t.Errorf("language %q notes %q", c.Language, notes)
	}
	c, _ = Merge(mustDefault(t), mustParse(t, LayerPolicy, `language = "sv"`), nil)
	if c.Language != "sv" {
		t.Errorf("policy language not inherited: %q", c.Language)
	}
}

func TestApprovedTools(t *testing.T) {
	def := mustDefault(t)
	pol := mustParse(t, LayerPolicy, `approved_tools = ["Microsoft Teams", "Webex"]`)
	tests := []struct {
		name  string
		user  string
		want  []string
		notes []string
	}{
		{"policy alone", ``, []string{"Microsoft Teams", "Webex"}, nil},
		{"user narrows", `approved_tools = ["webex"]`, []string{"Webex"}, nil},
		{"user cannot add", `approved_tools = ["Webex", "Slack", "Zoom"]`, []string{"Webex"},
			[]string{`user config: approved_tools "Slack" ignored: not approved by machine policy`, `user config: approved_tools "Zoom" ignored: not approved by machine policy`}},
		{"user approves nothing", `approved_tools = []`, []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, notes := Merge(def, pol, mustParse(t, LayerUser, tt.user))
			if !slices.Equal(c.ApprovedTools, tt.want) || c.ApprovedTools == nil {
				t.Errorf("approved %q, want %q", c.ApprovedTools, tt.want)
			}
			if !slices.Equal(notes, tt.notes) {
				t.Errorf("notes %q, want %q", notes, tt.notes)
			}
		})
	}
	c, _ := Merge(def, nil, nil)
	if !slices.Equal(c.ApprovedTools, []string{"Microsoft Teams", "Zoom"}) {
		t.Errorf("default approved %q", c.ApprovedTools)
	}
	c, _ = Merge(nil, nil, nil)
	if c.ApprovedTools != nil || c.Input().Approved != nil {
		t.Errorf("no layer set approved_tools, want nil (no check): %q", c.ApprovedTools)
	}
	c, _ = Merge(def, nil, mustParse(t, LayerUser, `approved_tools = []`))
	if in := c.Input(); in.Approved == nil || len(in.Approved) != 0 {
		t.Errorf("an empty list must approve nothing, not disable the check: %#v", in.Approved)
	}
}

func ruleByName(c *Config, name string) *detectors.Rule {
	for i := range c.Rules {
		if c.Rules[i].Name == name {
			return &c.Rules[i]
		}
	}
	return nil
}

func globs(gs []detectors.Glob) []string { return globStrings(gs) }

func TestProtectedRules(t *testing.T) {
	def := mustDefault(t)
	pol := mustParse(t, LayerPolicy, `
[actions]
protected_app = "warn"
[[protected]]
name = "Regional system"
titles = ["*RegSys*"]
action = "minimize"
[[protected]]
name = "takecare"
processes = ["tc"]
`)
	usr := mustParse(t, LayerUser, `
[[protected]]
name = "Regional System"
titles = ["*regsys*", "*RegSys 2*"]
action = "warn"
[[protected]]
name = "TakeCare"
classes = ["TCMain"]
action = "minimize"
[[protected]]
name = "My own"
titles = ["*Mine*"]
`)
	c, notes := Merge(def, pol, usr)

	reg := ruleByName(c, "Regional system")
	if reg == nil || !slices.Equal(globs(reg.Titles), []string{"*RegSys*", "*RegSys 2*"}) || reg.Action != detectors.ActionMinimize {
		t.Errorf("policy rule + user patterns: %+v", reg)
	}
	if !hasNote(notes, `user config: protected rule "Regional System" action = "warn" ignored: already "minimize"`) {
		t.Errorf("no note for the weaker user action: %q", notes)
	}
	tc := ruleByName(c, "TakeCare")
	if tc == nil || !slices.Equal(globs(tc.Titles), []string{"*TakeCare*"}) || !slices.Equal(globs(tc.Processes), []string{"tc"}) ||
		!slices.Equal(globs(tc.Classes), []string{"TCMain"}) || tc.Action != detectors.ActionMinimize {
		t.Errorf("default + policy + user TakeCare (user strengthens warn to minimize): %+v", tc)
	}
	if ruleByName(c, "takecare") != nil {
		t.Error("same-name rules were not merged")
	}
	if r := ruleByName(c, "My own"); r == nil || r.Action != detectors.ActionWarn {
		t.Errorf("user rule (action from policy's protected_app): %+v", r)
	}
	if r := ruleByName(c, "Melior"); r == nil || r.Action != detectors.ActionWarn {
		t.Errorf("default rule kept with the policy's protected_app: %+v", r)
	}

	// replace_defaults drops the embedded rules, not the policy's or user's.
	pol2 := mustParse(t, LayerPolicy, "replace_defaults = true\n[[protected]]\nname = \"Only\"\ntitles = [\"*only*\"]\n")
	c, _ = Merge(def, pol2, mustParse(t, LayerUser, "[[protected]]\nname = \"Mine\"\ntitles = [\"*m*\"]\n"))
	var names []string
	for _, r := range c.Rules {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, []string{"Only", "Mine"}) {
		t.Errorf("rules with replace_defaults: %q", names)
	}
}

func TestSignaturesUnion(t *testing.T) {
	pol := mustParse(t, LayerPolicy, "[[signature]]\nname = \"a\"\napp = \"A\"\ntitle = \"*a is sharing*\"\nkind = \"screen\"\n")
	usr := mustParse(t, LayerUser, "[[signature]]\nname = \"b\"\napp = \"B\"\nprocess = \"bee\"\nmeeting = true\n[[signature]]\nname = \"A\"\napp = \"Evil\"\ntitle = \"nothing\"\n")
	c, notes := Merge(mustDefault(t), pol, usr)
	if len(c.Signatures) != 2 {
		t.Fatalf("signatures: %+v", c.Signatures)
	}
	a, b := c.Signatures[0], c.Signatures[1]
	if a.Name != "a" || a.App != "A" || a.Kind != detectors.KindScreen || !a.Title.Match("Acme: a is sharing now") {
		t.Errorf("policy signature: %+v", a)
	}
	if b.Name != "b" || !b.Meeting || b.Kind != detectors.KindUnknown || !b.Process.MatchProcess("BEE.exe") || b.Title.IsSet() {
		t.Errorf("user signature: %+v", b)
	}
	if !hasNote(notes, `user config: signature "A" ignored`) {
		t.Errorf("notes: %q", notes)
	}
	if in := c.Input(); len(in.Signatures) != 2 {
		t.Errorf("Input signatures: %d", len(in.Signatures))
	}
}

// A configured signature takes the command-line words and the connected
// client the built-in capture signatures use, from the policy or the user.
func TestSignatureArgsAndClients(t *testing.T) {
	pol := mustParse(t, LayerPolicy, "[[signature]]\nname = \"vnc\"\napp = \"Acme VNC\"\nkind = \"remote\"\nprocess = \"acmevnc\"\nneeds_client = true\n")
	usr := mustParse(t, LayerUser, "[[signature]]\nname = \"grab\"\napp = \"Grabber\"\nkind = \"recording\"\nprocess = \"grabber\"\nargs = [\"--screen*\", \"full\"]\n")
	c, notes := Merge(mustDefault(t), pol, usr)
	if len(notes) != 0 || len(c.Signatures) != 2 {
		t.Fatalf("signatures %+v, notes %q", c.Signatures, notes)
	}
	vnc, grab := c.Signatures[0], c.Signatures[1]
	if !vnc.NeedsClient || vnc.Kind != detectors.KindRemote || len(vnc.Args) != 0 {
		t.Errorf("policy signature: %+v", vnc)
	}
	if grab.NeedsClient || grab.Kind != detectors.KindRecording || len(grab.Args) != 2 || !grab.Args[0].Match("--screen=0") || !grab.Args[1].Match("FULL") {
		t.Errorf("user signature: %+v", grab)
	}
	// What they mean: the detectors with the effective input.
	in := c.Input()
	snap := &platform.Snapshot{Processes: []platform.Process{
		{PID: 1, Name: "acmevnc", Clients: 0},
		{PID: 2, Name: "grabber", Args: []string{"grabber", "--screen=0", "full"}},
		{PID: 3, Name: "grabber", Args: []string{"grabber", "--window=3"}},
	}}
	shares := detectors.Shares(snap, in.Signatures)
	if len(shares) != 1 || shares[0].PID != 2 || shares[0].Kind != detectors.KindRecording {
		t.Fatalf("shares %+v, want only the full-screen grabber", shares)
	}
	snap.Processes[0].Clients = 1
	if shares := detectors.Shares(snap, in.Signatures); len(shares) != 2 || shares[0].App != "Acme VNC" {
		t.Fatalf("with a viewer: %+v", shares)
	}
	if w := detectors.WatchedProcesses(in.Signatures); !slices.Equal(w, []string{"acmevnc", "grabber"}) {
		t.Errorf("watched %q", w)
	}
}

func TestInput(t *testing.T) {
	c, _ := Merge(mustDefault(t), nil, mustParse(t, LayerUser, "[actions]\npopup = \"minimize\"\nunapproved_tool = \"minimize\"\npersonnummer_in_title = \"warn\"\n"))
	in := c.Input()
	if in.PopupAction != detectors.ActionMinimize || in.UnapprovedAction != detectors.ActionMinimize || in.PnrInTitleAction != detectors.ActionWarn {
		t.Errorf("actions: %+v", in)
	}
	if len(in.Rules) != len(c.Rules) || len(in.Rules) < 13 {
		t.Errorf("rules: %d", len(in.Rules))
	}
	in.Rules[0].Name = "changed"
	in.Approved[0] = "changed"
	if c.Rules[0].Name == "changed" || c.ApprovedTools[0] == "changed" {
		t.Error("Input shares slices with the Config")
	}
}

func TestMergeNilLayersUsesBaseline(t *testing.T) {
	c, notes := Merge(nil, nil, nil)
	if !c.Enabled || c.Mode != ModeBlock || c.PauseDuration != 15*time.Minute || c.ReconcileInterval != time.Second ||
		c.Actions.ProtectedApp != detectors.ActionMinimize || c.Audit.MaxSizeMB != 10 || len(notes) != 0 || len(c.Sources) != 0 {
		t.Errorf("baseline: %+v", c)
	}
	// The baseline must agree with the embedded default, so losing a key
	// there changes nothing.
	d, _ := Merge(mustDefault(t), nil, nil)
	for _, x := range []*Config{c, d} {
		x.Rules, x.Signatures, x.ApprovedTools, x.Sources, x.Notes = nil, nil, nil, nil, nil
	}
	if !reflect.DeepEqual(c, d) {
		t.Errorf("baseline %+v\n!= default %+v", c, d)
	}
}

// Only the machine policy decides whether audit events keep titles; the
// default leaves them out, and the rendered config says so in a comment
// that a user file can be made from.
func TestWindowTitlesPolicyOnly(t *testing.T) {
	def := mustDefault(t)
	c, _ := Merge(def, nil, nil)
	if c.Audit.WindowTitles != TitlesOmit {
		t.Fatalf("default window_titles = %q, want omit", c.Audit.WindowTitles)
	}
	pol := mustParse(t, LayerPolicy, "[audit]\nwindow_titles = \"redacted\"\n")
	usr := mustParse(t, LayerUser, "mode = \"block\"\n")
	c, _ = Merge(def, pol, usr)
	if c.Audit.WindowTitles != TitlesRedacted {
		t.Fatalf("policy window_titles = %q, want redacted", c.Audit.WindowTitles)
	}
	out, err := c.TOML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `# audit.window_titles = "redacted" (machine policy only)`) {
		t.Errorf("rendering does not show the setting:\n%s", out)
	}
	if _, err := Parse("show.toml", out, LayerUser); err != nil {
		t.Errorf("rendered config is not a valid user file: %v", err)
	}
}
