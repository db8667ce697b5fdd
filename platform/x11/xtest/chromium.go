//go:build linux

package xtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// startChromium starts Chromium on the share page. The page asks for the
// screen at load time: Chromium does not demand a user gesture for
// getDisplayMedia, and --auto-select-desktop-capture-source answers the
// picker.
func (d *Desktop) startChromium(s *Share, opt ShareOptions) error {
	d.t.Helper()
	profile := filepath.Join(d.dir, fmt.Sprintf("chromium-%d", time.Now().UnixNano()))
	if err := os.MkdirAll(profile, 0o700); err != nil {
		return fmt.Errorf("xtest: chromium profile: %w", err)
	}
	args := []string{
		"--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
		"--auto-select-desktop-capture-source=" + pickerName(opt.Source, opt.Lang),
		"--ozone-platform=x11", "--password-store=basic", "--no-default-browser-check",
		"--window-position=0,0", "--window-size=1280,800",
		// A page in a window that is covered or not focused must keep
		// running its timers and frame callbacks at full rate.
		"--disable-background-timer-throttling", "--disable-renderer-backgrounding",
		"--disable-backgrounding-occluded-windows",
	}
	var env []string
	if opt.Lang != "" {
		args = append(args, "--lang="+opt.Lang)
		env = []string{"LANGUAGE=" + opt.Lang, "LANG=" + localeFor(opt.Lang), "LC_ALL=" + localeFor(opt.Lang)}
	}
	args = append(args, s.URL)
	p, err := d.startEnv(env, nil, "chromium", args...)
	if err != nil {
		d.t.Fatal(err)
	}
	s.Proc = p
	return nil
}

// pickerName is what Chromium's picker calls the source in its UI
// language: the picker lists the entire screen under a localised name.
func pickerName(source, lang string) string {
	if source != "Entire screen" {
		return source
	}
	switch lang {
	case "sv":
		return "Hela skärmen" // sv.pak of Chromium 156
	}
	return source
}

// localeFor turns a language ("sv") into a POSIX locale name.
func localeFor(lang string) string {
	if strings.Contains(lang, "_") || strings.Contains(lang, ".") {
		return lang
	}
	return lang + "_" + strings.ToUpper(lang) + ".UTF-8"
}
