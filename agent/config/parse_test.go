package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		layer Layer
		src   string
		want  []string // exact error lines, in order
	}{
		{"syntax: unterminated string", LayerUser,
			"mode = \"block\nenabled = true\n",
			[]string{`u.toml:1:14: syntax error: strings cannot contain newlines`}},
		{"syntax: duplicate key", LayerUser,
			"mode = \"block\"\nmode = \"warn\"\n",
			[]string{`u.toml:2:1: syntax error: Key 'mode' has already been defined.`}},
		{"unknown top-level key with suggestion", LayerUser,
			"enabled = true\nmdoe = \"warn\"\n",
			[]string{`u.toml:2:1: unknown key "mdoe" (did you mean "mode"?)`}},
		{"unknown key without suggestion", LayerUser,
			"\n\n   colour = \"red\"\n",
			[]string{`u.toml:3:4: unknown key "colour"`}},
		{"unknown key in [actions]", LayerUser,
			"[actions]\npopup = \"warn\"\npopups = \"warn\"\n",
			[]string{`u.toml:3:1: unknown key "actions.popups" (did you mean "popup"?)`}},
		{"unknown key in [audit]", LayerUser,
			"[audit]\nmax_size = 3\n",
			[]string{`u.toml:2:1: unknown key "audit.max_size" (did you mean "max_size_mb"?)`}},
		{"unknown key in a rule", LayerUser,
			"[[protected]]\nname = \"X\"\ntitle = [\"*X*\"]\n",
			[]string{`u.toml:3:1: unknown key "protected[0].title" (did you mean "titles"?)`}},
		{"unknown key in a second signature", LayerUser,
			"[[signature]]\nname = \"a\"\napp = \"A\"\ntitle = \"*a*\"\n\n[[signature]]\nname = \"b\"\napp = \"B\"\nprocess = \"b\"\nmeting = true\n",
			[]string{`u.toml:10:1: unknown key "signature[1].meting" (did you mean "meeting"?)`}},
		{"wrong type: bool", LayerUser,
			"enabled = \"yes\"\n",
			[]string{`u.toml:1:11: enabled: expected a boolean (true or false), found string`}},
		{"wrong type: duration as number", LayerUser,
			"pause_duration = 15\n",
			[]string{`u.toml:1:18: pause_duration: expected a string, found integer`}},
		{"wrong type: float for integer", LayerUser,
			"[audit]\nkeep = 1.5\n",
			[]string{`u.toml:2:8: audit.keep: expected an integer, found float`}},
		{"wrong type: [actions] not a table", LayerUser,
			"actions = \"warn\"\n",
			[]string{`u.toml:1:11: actions: expected a table, found string`}},
		{"wrong type: protected is a string", LayerUser,
			"protected = \"x\"\n",
			[]string{`u.toml:1:13: protected: expected [[protected]] tables, found string`}},
		{"wrong type inside approved_tools", LayerUser,
			"approved_tools = [\"Zoom\", 3]\n",
			[]string{`u.toml:1:27: approved_tools[1]: expected a string, found integer`}},
		{"approved_tools listed twice", LayerUser,
			"approved_tools = [\"Zoom\", \"zoom\"]\n",
			[]string{`u.toml:1:27: approved_tools[1]: "zoom" is listed twice`}},
		{"bad enum: mode", LayerUser,
			"mode = \"blocks\"\n",
			[]string{`u.toml:1:8: mode: invalid value "blocks" (allowed: "block", "warn")`}},
		{"bad enum: language", LayerUser,
			"language = \"de\"\n",
			[]string{`u.toml:1:12: language: invalid value "de" (allowed: "", "sv", "en")`}},
		{"bad enum: action via dotted key", LayerUser,
			"actions.popup = \"block\"\n",
			[]string{`u.toml:1:17: actions.popup: invalid value "block" (allowed: "warn", "minimize")`}},
		{"bad enum: rule action", LayerUser,
			"[[protected]]\nname = \"X\"\ntitles = [\"*X*\"]\naction = \"hide\"\n",
			[]string{`u.toml:4:10: protected[0].action: invalid value "hide" (allowed: "", "warn", "minimize")`}},
		{"bad enum: signature kind", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"S\"\nkind = \"desktop\"\ntitle = \"*s*\"\n",
			[]string{`u.toml:4:8: signature[0].kind: invalid value "desktop" (allowed: "screen", "window", "tab", "unknown", "recording", "remote")`}},
		{"bad enum: recorder_running", LayerUser,
			"recorder_running = \"block\"\n",
			[]string{`u.toml:1:20: recorder_running: invalid value "block" (allowed: "warn", "off")`}},
		{"signature args not a list", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"S\"\nprocess = \"rec\"\nargs = \"-grab\"\n",
			[]string{`u.toml:5:8: signature[0].args: expected an array of strings, found string`}},
		{"signature args with a bad glob", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"S\"\nprocess = \"rec\"\nargs = [\"grab\", \"[x\"]\n",
			[]string{`u.toml:5:17: signature[0].args[1]: bad glob "[x": unclosed '['`}},
		{"signature args matching everything", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"S\"\nprocess = \"rec\"\nargs = [\"*\"]\n",
			[]string{`u.toml:5:9: signature[0].args[0]: pattern "*" matches everything`}},
		{"signature needs_client not a bool", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"S\"\nprocess = \"vnc\"\nneeds_client = \"yes\"\n",
			[]string{`u.toml:5:16: signature[0].needs_client: expected a boolean (true or false), found string`}},
		{"signature args without a process", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"S\"\ntitle = \"*rec*\"\nargs = [\"grab\"]\n",
			[]string{`u.toml:5:1: signature[0].args: args and needs_client need a process`}},
		{"signature needs_client without a process", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"S\"\nclass = \"Vnc\"\nneeds_client = true\n",
			[]string{`u.toml:5:1: signature[0].needs_client: args and needs_client need a process`}},
		{"bad duration", LayerUser,
			"pause_duration = \"15 minutes\"\n",
			[]string{`u.toml:1:18: pause_duration: invalid duration "15 minutes" (use e.g. "15m", "1s", "500ms")`}},
		{"duration below range", LayerUser,
			"reconcile_interval = \"10ms\"\n",
			[]string{`u.toml:1:22: reconcile_interval: 10ms is out of range (100ms..1m)`}},
		{"duration above range", LayerUser,
			"reconcile_interval = \"2m\"\n",
			[]string{`u.toml:1:22: reconcile_interval: 2m is out of range (100ms..1m)`}},
		{"negative pause", LayerUser,
			"pause_duration = \"-5m\"\n",
			[]string{`u.toml:1:18: pause_duration: -5m is out of range (1m..24h)`}},
		{"integer out of range", LayerUser,
			"[audit]\nmax_size_mb = 0\n",
			[]string{`u.toml:2:15: audit.max_size_mb: 0 is out of range (1..1024)`}},
		{"relative audit path", LayerUser,
			"[audit]\npath = \"logs/a.log\"\n",
			[]string{`u.toml:2:8: audit.path: "logs/a.log" is not an absolute path (use "" for the default location)`}},
		{"bad glob in an array", LayerUser,
			"[[protected]]\nname = \"X\"\ntitles = [\"ok*\", \"[abc\"]\n",
			[]string{`u.toml:3:18: protected[0].titles[1]: bad glob "[abc": unclosed '['`}},
		{"glob matching everything", LayerUser,
			"[[protected]]\nname = \"X\"\nprocesses = [\"**\"]\n",
			[]string{`u.toml:3:14: protected[0].processes[0]: pattern "**" matches everything`}},
		{"empty pattern in a multi-line array", LayerUser,
			"[[protected]]\nname = \"X\"\nclasses = [\n  \"*ok*\", # comment, with \"quotes\"\n  \"\",\n]\n",
			[]string{`u.toml:5:3: protected[0].classes[1]: empty pattern`}},
		{"bad glob in a signature", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"S\"\nclass = \"x\\\\\"\n",
			[]string{`u.toml:4:9: signature[0].class: bad glob "x\\": trailing backslash`}},
		{"rule without a name", LayerUser,
			"[[protected]]\ntitles = [\"*X*\"]\n",
			[]string{`u.toml:1:1: protected[0]: protected rule has no name`}},
		{"rule with an empty name", LayerUser,
			"[[protected]]\nname = \"  \"\ntitles = [\"*X*\"]\n",
			[]string{`u.toml:2:8: protected[0].name: empty name`}},
		{"second rule without a matcher", LayerUser,
			"[[protected]]\nname=\"A\"\ntitles=[\"a\"]\n\n  [[protected]]\nname=\"B\"\ntitles=[]\n",
			[]string{`u.toml:5:3: protected[1]: protected rule "B" has no titles, processes or classes`}},
		{"duplicate rule names, case-insensitive", LayerUser,
			"[[protected]]\nname = \"Acme\"\ntitles = [\"a\"]\n[[protected]]\nname = \"ACME\"\ntitles = [\"b\"]\n",
			[]string{`u.toml:5:8: duplicate protected rule name "ACME" (first defined at line 2)`}},
		{"duplicate signature names", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"A\"\ntitle = \"a\"\n[[signature]]\nname = \"s\"\napp = \"B\"\ntitle = \"b\"\n",
			[]string{`u.toml:6:8: duplicate signature name "s" (first defined at line 2)`}},
		{"signature without app", LayerUser,
			"[[signature]]\nname = \"s\"\ntitle = \"*x*\"\n",
			[]string{`u.toml:1:1: signature[0]: signature has no app`}},
		{"signature without name and app", LayerUser,
			"[[signature]]\nprocess = \"x\"\n",
			[]string{`u.toml:1:1: signature[0]: signature has no name`, `u.toml:1:1: signature[0]: signature has no app`}},
		{"signature without a matcher", LayerUser,
			"[[signature]]\nname = \"s\"\napp = \"S\"\ntitle = \"\"\n",
			[]string{`u.toml:1:1: signature[0]: signature "s" has no title, class or process`}},
		{"window_titles in a user file", LayerUser,
			"[audit]\nwindow_titles = \"redacted\"\n",
			[]string{`u.toml:2:1: audit.window_titles is only allowed in the machine policy`}},
		{"window_titles omit in a user file too", LayerUser,
			"[audit]\nwindow_titles = \"omit\"\n",
			[]string{`u.toml:2:1: audit.window_titles is only allowed in the machine policy`}},
		{"bad enum: window_titles", LayerPolicy,
			"[audit]\nwindow_titles = \"clear\"\n",
			[]string{`u.toml:2:17: audit.window_titles: invalid value "clear" (allowed: "omit", "redacted")`}},
		{"replace_defaults in a user file", LayerUser,
			"mode = \"block\"\nreplace_defaults = true\n",
			[]string{`u.toml:2:1: replace_defaults is only allowed in the machine policy`}},
		{"rule as an inline table", LayerUser,
			"protected = [{name = \"A\", titles = [\"[x\"]}]\n",
			[]string{`u.toml:1:37: protected[0].titles[0]: bad glob "[x": unclosed '['`}},
		{"inline rule without a name", LayerUser,
			"protected = [\n  {titles = [\"x\"]},\n]\n",
			[]string{`u.toml:2:3: protected[0]: protected rule has no name`}},
		{"positions after multi-line strings and non-ASCII comments", LayerUser,
			"# åäö – inställningar\nlanguage = \"\"\"\nen\"\"\"\n[audit]\npath = '''\nx/y'''\n  mode = \"x\"\n",
			[]string{`u.toml:5:8: audit.path: "x/y" is not an absolute path (use "" for the default location)`, `u.toml:7:3: unknown key "audit.mode"`}},
		{"many errors, in file order", LayerPolicy,
			"mode = \"x\"\nenabled = 1\n[actions]\npopup = \"hide\"\n[[protected]]\nname = \"A\"\n",
			[]string{
				`u.toml:1:8: mode: invalid value "x" (allowed: "block", "warn")`,
				`u.toml:2:11: enabled: expected a boolean (true or false), found integer`,
				`u.toml:4:9: actions.popup: invalid value "hide" (allowed: "warn", "minimize")`,
				`u.toml:5:1: protected[0]: protected rule "A" has no titles, processes or classes`,
			}},
		{"date-time value", LayerUser,
			"pause_duration = 1979-05-27 07:32:00\nmode = 3\n",
			[]string{`u.toml:1:18: pause_duration: expected a string, found date-time`, `u.toml:2:8: mode: expected a string, found integer`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("u.toml", []byte(tt.src), tt.layer)
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			if f != nil {
				t.Errorf("File returned along with an error")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList: %v", err, err)
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(tt.want, "\n      "))
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	data := []byte("# " + strings.Repeat("x", MaxFileSize) + "\n")
	_, err := Parse("big.toml", data, LayerUser)
	if err == nil || err.Error() != "big.toml: file is larger than 1048576 bytes" {
		t.Fatalf("err = %v", err)
	}
}

func TestParseValid(t *testing.T) {
	src := `
enabled = false
mode = "warn"
language = "sv"
allow_pause = false
pause_duration = "1h30m"
reconcile_interval = "250ms"
approved_tools = [" Zoom "]
replace_defaults = true
actions = { popup = "minimize" }

[audit]
path = "/var/log/sg.log"
keep = 0

[[protected]]
name = "Acme"
processes = ["acme"]
action = "warn"

[[signature]]
name = "acme-share"
app = "Acme Meet"
title = "*sharing*"
meeting = true
`
	f, err := Parse("p.toml", []byte(osPaths(src)), LayerPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if *f.Enabled || *f.Mode != ModeWarn || *f.Language != "sv" || *f.AllowPause {
		t.Errorf("scalars: %+v", f)
	}
	if *f.PauseDuration != 90*time.Minute || *f.ReconcileInterval != 250*time.Millisecond {
		t.Errorf("durations: %v %v", *f.PauseDuration, *f.ReconcileInterval)
	}
	if !f.ApprovedToolsSet || len(f.ApprovedTools) != 1 || f.ApprovedTools[0] != "Zoom" {
		t.Errorf("approved: %q", f.ApprovedTools)
	}
	if !f.ReplaceDefaults {
		t.Error("replace_defaults not set")
	}
	if *f.Actions.Popup != detectors.ActionMinimize || f.Actions.ProtectedApp != nil {
		t.Errorf("actions: %+v", f.Actions)
	}
	if *f.Audit.Path != abs("/var/log/sg.log") || *f.Audit.Keep != 0 || f.Audit.MaxSizeMB != nil {
		t.Errorf("audit: %+v", f.Audit)
	}
	if len(f.Protected) != 1 || f.Protected[0].Action != detectors.ActionWarn || f.Protected[0].Processes[0] != "acme" {
		t.Errorf("protected: %+v", f.Protected)
	}
	if len(f.Signatures) != 1 || f.Signatures[0].Kind != detectors.KindUnknown || !f.Signatures[0].Meeting {
		t.Errorf("signatures: %+v", f.Signatures)
	}
}

func TestCheckIsUserLayer(t *testing.T) {
	if err := Check("x.toml", []byte("replace_defaults = false\n")); err == nil {
		t.Fatal("Check accepted replace_defaults")
	}
	if err := Check("x.toml", []byte("mode = \"warn\"\n")); err != nil {
		t.Fatal(err)
	}
	if err := Check("x.toml", nil); err != nil {
		t.Fatalf("empty file: %v", err)
	}
}

// FuzzParse: arbitrary input must never panic, and anything accepted must
// merge cleanly.
func FuzzParse(f *testing.F) {
	f.Add([]byte("mode = \"warn\"\n[[protected]]\nname = \"x\"\ntitles = [\"*x*\"]\n"))
	f.Add([]byte("a = [{b = [1, {c = '''x'''}]}]\n[x.y]\n[[x.z]]\n"))
	f.Add([]byte("recorder_running = \"off\"\n[[signature]]\nname = \"v\"\napp = \"V\"\nkind = \"remote\"\nprocess = \"vnc*\"\nargs = [\"-rfbport\", \"59*\"]\nneeds_client = true\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("f.toml", data, LayerPolicy)
		if err != nil {
			return
		}
		Merge(nil, file, nil)
	})
}
