//go:build !windows

package tray

// localeEnv: LANG and LC_* are the locale on Unix desktops.
func localeEnv(getenv func(string) string) func(string) string { return getenv }
