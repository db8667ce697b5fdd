package config

import (
	"runtime"
	"strings"
)

// abs makes the Unix-style absolute paths the tests use absolute on this
// OS too ("C:/var/log/..." on Windows, where "/var/log" is not absolute).
func abs(p string) string {
	if runtime.GOOS == "windows" && strings.HasPrefix(p, "/") {
		return "C:" + p
	}
	return p
}

// osPaths applies abs to every `path = "/..."` in a test config.
func osPaths(src string) string {
	if runtime.GOOS != "windows" {
		return src
	}
	return strings.ReplaceAll(src, `path = "/`, `path = "C:/`)
}
