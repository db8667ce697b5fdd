package tray

import (
	"strings"

	"golang.org/x/sys/windows"
)

// localeEnv answers LANG with the user's preferred UI language (e.g.
// "sv-SE") when no locale variable is set, which is normal on Windows.
func localeEnv(getenv func(string) string) func(string) string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		if getenv(v) != "" {
			return getenv
		}
	}
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		return getenv
	}
	ui := strings.ReplaceAll(langs[0], "-", "_")
	return func(k string) string {
		if k == "LANG" {
			return ui
		}
		return getenv(k)
	}
}
