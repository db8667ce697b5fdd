package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = dispatch(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScanExitCodesAndRedaction(t *testing.T) {
	dir := t.TempDir()
	clean := write(t, dir, "clean.txt", "Ring 070-123 45 67 den 2024-01-15, order 5000123456.\n")
	hit := write(t, dir, "hit.txt", "Rad ett\nPatienten 19121212-1212 och samordningsnummer 701063-2391.\n")

	code, out, _ := run(t, "", "scan", clean)
	if code != exitOK || !strings.Contains(out, "nothing found") {
		t.Fatalf("clean: code %d out %q", code, out)
	}

	code, out, _ = run(t, "", "scan", "--json", hit)
	if code != exitFindings {
		t.Fatalf("hit: code %d, want %d", code, exitFindings)
	}
	var res struct {
		Findings []scanFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(res.Findings) != 2 {
		t.Fatalf("findings = %+v", res.Findings)
	}
	if f := res.Findings[0]; f.Rule != "personnummer" || f.Line != 2 || f.File != hit || f.Kind != "screen_content" || f.Match != "[nummer]" {
		t.Errorf("first = %+v", f)
	}
	if f := res.Findings[1]; f.Rule != "samordningsnummer" || f.Line != 2 {
		t.Errorf("second = %+v", f)
	}
	if strings.Contains(out, "1212") || strings.Contains(out, "2391") {
		t.Errorf("scan output leaks digits: %s", out)
	}

	code, out, _ = run(t, "Text 121212-1212\n", "scan", "-")
	if code != exitFindings || !strings.Contains(out, "-:1: screen_content (personnummer): [nummer]") {
		t.Fatalf("stdin: code %d out %q", code, out)
	}
}

func TestScanBadInputKeepsGoing(t *testing.T) {
	dir := t.TempDir()
	hit := write(t, dir, "hit.txt", "19121212-1212")
	code, out, errOut := run(t, "", "scan", filepath.Join(dir, "missing.txt"), dir, hit)
	if code != exitError {
		t.Fatalf("code %d, want %d (errors win over findings)", code, exitError)
	}
	if !strings.Contains(errOut, "missing.txt") || !strings.Contains(errOut, "is a directory") {
		t.Errorf("stderr = %q", errOut)
	}
	if !strings.Contains(out, "hit.txt:1:") {
		t.Errorf("the readable file was not scanned: %q", out)
	}
	if code, _, _ := run(t, "", "scan"); code != exitError {
		t.Errorf("scan with no files: code %d", code)
	}
}

func TestConfigCommands(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "good.toml", "mode = \"warn\"\n[[protected]]\nname = \"Journal X\"\ntitles = [\"*Journal X*\"]\n")
	bad := write(t, dir, "bad.toml", "mode = \"warn\"\nmdoe = 1\n")

	if code, out, errOut := run(t, "", "config", "check", good); code != exitOK || !strings.Contains(out, "ok") {
		t.Fatalf("good: %d %q %q", code, out, errOut)
	}
	code, _, errOut := run(t, "", "config", "check", bad)
	if code != exitError || !strings.Contains(errOut, bad+":2:1:") {
		t.Fatalf("bad: code %d stderr %q, want %s:2:1: ...", code, errOut, bad)
	}
	if code, _, errOut := run(t, "enabled = \"yes\"\n", "config", "check", "-"); code != exitError || !strings.Contains(errOut, ":1:") {
		t.Fatalf("stdin: %d %q", code, errOut)
	}

	code, out, _ := run(t, "", "config", "default")
	if code != exitOK || !strings.Contains(out, "[[protected]]") {
		t.Fatalf("default: %d", code)
	}
	// The printed default is itself a valid user file.
	if code, _, errOut := run(t, out, "config", "check", "-"); code != exitOK {
		t.Fatalf("default does not check: %s", errOut)
	}

	policy := write(t, dir, "policy.toml", "mode = \"block\"\n")
	code, out, errOut = run(t, "", "config", "show", "--config", good, "--policy", policy)
	if code != exitOK {
		t.Fatalf("show: %d %s", code, errOut)
	}
	if !strings.Contains(out, `mode = "block"`) || !strings.Contains(out, "Journal X") || !strings.Contains(out, "# note:") {
		t.Errorf("show did not merge with the policy winning:\n%s", out)
	}
}

func TestVersionAndUsageErrors(t *testing.T) {
	if code, out, _ := run(t, "", "version"); code != exitOK || !strings.HasPrefix(out, "shareguard ") {
		t.Fatalf("version: %d %q", code, out)
	}
	for _, args := range [][]string{{"frobnicate"}, {"config"}, {"config", "nope"}, {"check", "--bogus"}, {"run", "extra"}, {"scan", "--bogus", "x"}} {
		if code, _, errOut := run(t, "", args...); code != exitError || errOut == "" {
			t.Errorf("%v: code %d stderr %q", args, code, errOut)
		}
	}
}

// IT checks a policy before deploying it: policy-only keys pass with
// --policy, and the same file is refused as a user's own.
func TestConfigCheckPolicy(t *testing.T) {
	const example = "../../docs/policy.example.toml"
	if code, out, errOut := run(t, "", "config", "check", "--policy", example); code != exitOK || !strings.Contains(out, "ok") {
		t.Fatalf("config check --policy example: code %d\n%s%s", code, out, errOut)
	}
	code, _, errOut := run(t, "", "config", "check", example)
	if code != exitError || !strings.Contains(errOut, "audit.window_titles is only allowed in the machine policy") {
		t.Fatalf("config check of the example as a user file: code %d\n%s", code, errOut)
	}
	if code, _, errOut := run(t, "[audit]\nwindow_titles = \"redacted\"\n", "config", "check", "--policy", "-"); code != exitOK {
		t.Fatalf("config check --policy -: code %d\n%s", code, errOut)
	}
	if code, _, _ := run(t, "", "config", "check", "--policy", "/nonexistent/policy.toml"); code != exitError {
		t.Fatalf("config check --policy of a missing file: code %d", code)
	}
}
