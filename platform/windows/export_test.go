//go:build windows

package windows

// IsIconic reports whether a window is minimized, for the external tests.
func IsIconic(hwnd uintptr) bool { return isIconic(hwnd) }
