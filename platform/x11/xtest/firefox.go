//go:build linux

package xtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// firefoxPrefs go into a fresh profile's user.js.
// media.navigator.permission.disabled grants getDisplayMedia with no
// prompt and picks the primary monitor; the rest keep first-run pages and
// background chatter out of the way.
var firefoxPrefs = map[string]string{
	"media.navigator.permission.disabled":        "true",
	"browser.shell.checkDefaultBrowser":          "false",
	"browser.aboutwelcome.enabled":               "false",
	"browser.startup.homepage_override.mstone":   `"ignore"`,
	"browser.sessionstore.resume_from_crash":     "false",
	"datareporting.policy.dataSubmissionEnabled": "false",
	"toolkit.telemetry.reportingpolicy.firstRun": "false",
	"app.update.disabledForTesting":              "true",
	"app.normandy.enabled":                       "false",
	"network.captive-portal-service.enabled":     "false",
	"privacy.webrtc.hideGlobalIndicator":         "false", // the indicator is what the tests look for
	"browser.tabs.warnOnClose":                   "false",
}

// startFirefox starts Firefox ESR on the share page with a fresh profile
// in the desktop's directory, and sets up the click that lets the page
// ask for the screen: Firefox grants getDisplayMedia only in a user
// gesture, and a click through XTEST (xdotool) is one.
func (d *Desktop) startFirefox(ctx context.Context, s *Share) error {
	d.t.Helper()
	profile := filepath.Join(d.dir, fmt.Sprintf("firefox-%d", time.Now().UnixNano()))
	if err := os.MkdirAll(profile, 0o700); err != nil {
		return fmt.Errorf("xtest: firefox profile: %w", err)
	}
	var js strings.Builder
	for k, v := range firefoxPrefs {
		fmt.Fprintf(&js, "user_pref(%q, %s);\n", k, v)
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(js.String()), 0o600); err != nil {
		return fmt.Errorf("xtest: firefox profile: %w", err)
	}
	env := []string{"MOZ_CRASHREPORTER_DISABLE=1", "MOZ_ENABLE_WAYLAND=0"}
	p, err := d.startEnv(env, nil, "firefox-esr", "--no-remote", "--new-instance", "--profile", profile, s.URL)
	if err != nil {
		d.t.Fatal(err)
	}
	s.Proc = p
	select {
	case <-s.ready:
	case <-p.Done():
		return fmt.Errorf("xtest: firefox exited: %v", p.err)
	case <-ctx.Done():
		return fmt.Errorf("xtest: firefox did not load the share page: %w", ctx.Err())
	}
	s.click = func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		// The browser window, by the page's title: "<title> — Mozilla Firefox".
		id, err := d.findWindow(ctx, func(t string) bool { return strings.HasPrefix(t, sharePageTitle+" — ") })
		if err != nil {
			return fmt.Errorf("xtest: no Firefox window shows the share page: %w", err)
		}
		w := fmt.Sprint(id)
		out, err := d.Command(ctx, "xdotool", "windowactivate", "--sync", w, "mousemove", "--window", w, "300", "400", "click", "1").CombinedOutput()
		if err != nil {
			return fmt.Errorf("xtest: click the share page: %w: %s", err, out)
		}
		return nil
	}
	return nil
}
