package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// `check` on a real X desktop: one look, findings with the action that
// would be taken, nothing acted on, and nothing unredacted printed.
func TestCheckOnRealDesktop(t *testing.T) {
	d := xtest.Start(t)
	d.Setenv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfgDir := t.TempDir()
	args := []string{"--config", filepath.Join(cfgDir, "none.toml"), "--policy", filepath.Join(cfgDir, "nopolicy.toml")}

	_, journal, err := d.Xterm(ctx, "TakeCare - Journal 19121212-1212")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "", append([]string{"check", "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("no share: code %d, want %d\n%s\n%s", code, exitOK, out, errOut)
	}

	if _, _, err := d.Xterm(ctx, "meet.google.com is sharing your screen."); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "", append([]string{"check", "--json"}, args...)...)
	if code != exitFindings {
		t.Fatalf("share: code %d, want %d\n%s\n%s", code, exitFindings, out, errOut)
	}
	var res struct {
		Shares []struct {
			App, Kind string
			PID       int
		}
		Findings []struct{ Kind, Rule, App, Window, Action string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(res.Shares) != 1 || res.Shares[0].App != "Google Meet" || res.Shares[0].Kind != "screen" || res.Shares[0].PID == 0 {
		t.Errorf("shares = %+v", res.Shares)
	}
	// Meet is not on the default approved list (Teams, Zoom).
	if len(res.Findings) != 2 {
		t.Fatalf("findings = %+v", res.Findings)
	}
	if u := res.Findings[0]; u.Kind != "unapproved_tool" || u.App != "Google Meet" || u.Action != "warn" || u.Window != "" {
		t.Errorf("unapproved finding = %+v", u)
	}
	f := res.Findings[1]
	if f.Kind != "protected_app" || f.Rule != "TakeCare" || f.Window != "TakeCare - Journal [nummer]" || f.Action != "minimize" {
		t.Errorf("finding = %+v", f)
	}
	if strings.Contains(out, "1212-1212") {
		t.Errorf("check printed the identity number:\n%s", out)
	}
	if st, err := d.WMState(journal); err != nil || st == 3 {
		t.Errorf("check acted on the window: WM_STATE %d (%v)", st, err)
	}

	code, out, _ = run(t, "", append([]string{"check"}, args...)...)
	if code != exitFindings || !strings.Contains(out, "capabilities:") || !strings.Contains(out, "do_not_disturb") {
		t.Errorf("text check: code %d\n%s", code, out)
	}
	for _, want := range []string{"capture_detection", "x11grab", "x11vnc", "Chrome Remote Desktop", "recorder_running", "OBS Studio", "tab share shows no indicator window and is not detected"} {
		if !strings.Contains(out, want) {
			t.Errorf("text check does not list %q among the capture sources:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "Journal") {
		t.Errorf("text check does not show the user their own window:\n%s", out)
	}

	// For a ticket: the same findings, no titles at all.
	for _, asJSON := range []bool{true, false} {
		a := append([]string{"check", "--no-titles"}, args...)
		if asJSON {
			a = append(a, "--json")
		}
		code, out, _ = run(t, "", a...)
		if code != exitFindings || !strings.Contains(out, "TakeCare") || strings.Contains(out, "Journal") || strings.Contains(out, `"window"`) || strings.Contains(out, "window=") {
			t.Errorf("check --no-titles (json %v): code %d\n%s", asJSON, code, out)
		}
	}
}

func TestCheckWithoutDisplayFails(t *testing.T) {
	t.Setenv("DISPLAY", "")
	code, _, errOut := run(t, "", "check", "--config", filepath.Join(t.TempDir(), "x.toml"))
	if code != exitError || !strings.Contains(errOut, "DISPLAY") {
		t.Fatalf("code %d stderr %q", code, errOut)
	}
}

// `check` sees a real ffmpeg recording the screen, which owns no window.
func TestCheckSeesScreenRecording(t *testing.T) {
	xtest.Need(t, "ffmpeg")
	d := xtest.Start(t, xtest.WithoutNotifications())
	d.Setenv(t)
	cfgDir := t.TempDir()
	args := []string{"check", "--json", "--config", filepath.Join(cfgDir, "none.toml"), "--policy", filepath.Join(cfgDir, "nopolicy.toml")}
	rec := d.Run("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "x11grab", "-framerate", "5",
		"-i", d.Display, "-t", "60", "-f", "null", "-")
	var out, errOut string
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		_, out, errOut = run(t, "", args...)
		var res struct {
			Shares []struct {
				App, Kind string
				PID       int
			}
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v\n%s\n%s", err, out, errOut)
		}
		if len(res.Shares) == 1 && res.Shares[0].App == "ffmpeg" && res.Shares[0].Kind == "recording" && res.Shares[0].PID == rec.Cmd.Process.Pid {
			return
		}
	}
	t.Fatalf("no recording share:\n%s\n%s", out, errOut)
}
