//go:build !windows

package osenv

// Locale is the user's locale, e.g. "sv_SE.UTF-8", or "" when unknown:
// LC_ALL, LC_MESSAGES, LANG or LANGUAGE on Unix desktops.
func Locale(getenv func(string) string) string { return envLocale(getenv) }
