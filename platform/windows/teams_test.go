//go:build windows

package windows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sgwin "github.com/shareguard/shareguard/platform/windows"
	"github.com/shareguard/shareguard/platform/windows/internal/testwin"
)

// New Teams' share bar is known by its structure, whatever the language
// of its title: a topmost, toolbar-sized TeamsWebView window of ms-teams
// kept out of captures. The guard treats it as a share; the same window
// without the capture setting is not one.
func TestGuardSeesTeamsShareBarInAnyLanguage(t *testing.T) {
	dir := t.TempDir()
	auditPath := filepath.Join(dir, "audit.jsonl")
	nkey, skey := testKeys(t)
	guard := startGuard(t, auditPath, filepath.Join(dir, "state.json"), nkey, skey)
	audited := func(s string) bool {
		data, _ := os.ReadFile(auditPath)
		return strings.Contains(string(data), s)
	}
	const started = `"event":"share_started","app":"Microsoft Teams"`

	// A Teams window of the same shape that does not hide from captures
	// (a pinned meeting window, say) is not a share.
	plain := startHelper(t, "ms-teams.exe", "windows", []testwin.Spec{
		{Class: "TeamsWebView", Title: "Möte | Microsoft Teams", Topmost: true, Tool: true},
	})
	time.Sleep(1500 * time.Millisecond)
	if audited(started) {
		t.Fatal("a Teams window not kept out of captures was taken for a share")
	}
	plain.stop(t)

	bar := startHelper(t, "ms-teams.exe", "windows", []testwin.Spec{
		{Class: "TeamsWebView", Title: "Kontrollfält för delning | Microsoft Teams", Topmost: true, Tool: true, ExcludeFromCapture: true},
	})
	t.Logf("GetWindowDisplayAffinity of another process's window under this system: %#x", sgwin.DisplayAffinity(bar.hwnds[0]))
	journal := startHelper(t, "", "windows", []testwin.Spec{{Class: "CosmicMainWnd", Title: "Cosmic - Journal"}})
	if !eventually(10*time.Second, func() bool { return audited(started) }) {
		data, _ := os.ReadFile(auditPath)
		t.Fatalf("no Teams share from the share bar; audit:\n%s\nguard: %s", data, guard.stderr)
	}
	if !eventually(10*time.Second, func() bool { return isIconicHwnd(journal.hwnds[0]) }) {
		t.Error("protected window not minimized during the Teams share")
	}
	bar.stop(t)
	if !eventually(10*time.Second, func() bool { return audited(`"event":"share_stopped","app":"Microsoft Teams"`) }) {
		t.Error("share not over when the bar went")
	}
	if err := guard.stop(t); err != nil {
		t.Errorf("guard exit: %v; stderr: %s", err, guard.stderr)
	}
}
