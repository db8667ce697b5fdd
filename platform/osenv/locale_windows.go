package osenv

import (
	"strings"

	"golang.org/x/sys/windows"
)

// Locale is the user's locale, e.g. "sv_SE": a locale variable if one is
// set (rare on Windows), else the user's preferred UI language.
func Locale(getenv func(string) string) string {
	if l := envLocale(getenv); l != "" {
		return l
	}
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		return ""
	}
	return strings.ReplaceAll(langs[0], "-", "_")
}
