package tray

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shareguard/shareguard/agent"
	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/platform/fake"
	"github.com/shareguard/shareguard/platform/osenv"
)

// clearLocale unsets the locale variables for one test.
func clearLocale(t *testing.T) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
}

// spokenLanguages runs a real agent and a tray controller over it, both
// with the config's language unset, and returns the language of an alert
// the agent sends and of the tray's menu.
func spokenLanguages(t *testing.T) (alert, menu string) {
	t.Helper()
	cfg, err := config.Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Language = ""
	dir := t.TempDir()
	alog, err := audit.Open(filepath.Join(dir, "audit.jsonl"), 1<<20, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { alog.Close() })
	desk := fake.New()
	g, err := agent.New(agent.Options{Desktop: desk, Config: cfg, Audit: alog, StatePath: filepath.Join(dir, "state.json")})
	if err != nil {
		t.Fatal(err)
	}
	g.Rejected(errors.New("bad edit")) // alerts at once
	alerts := desk.Alerts()
	if len(alerts) != 1 {
		t.Fatalf("alerts: %v", alerts)
	}
	c, err := NewController(Options{Guard: g, Audit: alog, Settings: filepath.Join(dir, "cfg.toml"),
		OpenFile: func(string) error { return nil }, Quit: func() {}, Version: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	quit := Build(c.Input()).Quit.Title
	for _, lang := range []string{"sv", "en"} {
		str := assets.MustStrings(lang)
		if alerts[0].Summary == str.T("alert.config_rejected.summary") {
			alert = lang
		}
		if quit == str.T("tray.menu.quit") {
			menu = lang
		}
	}
	if alert == "" || menu == "" {
		t.Fatalf("unknown language: alert %q, menu %q", alerts[0].Summary, quit)
	}
	return alert, menu
}

// With no locale variable set, alerts and menu both follow osenv.Locale
// (on Windows the UI language; elsewhere none, so Swedish).
func TestAlertsAndMenuAgreeWithoutLocaleVars(t *testing.T) {
	clearLocale(t)
	want := assets.PickLanguage("", osenv.Locale(os.Getenv))
	alert, menu := spokenLanguages(t)
	if alert != want || menu != want {
		t.Errorf("locale %q: alert in %s, menu in %s, want both %s", osenv.Locale(os.Getenv), alert, menu, want)
	}
}

func TestAlertsAndMenuAgreeWithLANG(t *testing.T) {
	for _, c := range []struct{ lang, want string }{{"en_US.UTF-8", "en"}, {"sv_SE.UTF-8", "sv"}} {
		clearLocale(t)
		t.Setenv("LANG", c.lang)
		alert, menu := spokenLanguages(t)
		if alert != c.want || menu != c.want {
			t.Errorf("LANG=%s: alert in %s, menu in %s, want both %s", c.lang, alert, menu, c.want)
		}
	}
}
