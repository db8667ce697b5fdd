package tray

import "github.com/shareguard/shareguard/assets"

// Language picks the tray's language: the config's if set, else from the
// locale (LANG/LC_*; on Windows the user's UI language when those are
// unset), else assets' default.
func Language(configured string, getenv func(string) string) string {
	return assets.PickLanguage(configured, localeEnv(getenv))
}
