//go:build !linux

package tray

// displayProblem: Windows and macOS sessions always have a desktop.
func displayProblem(func(string) string) string { return "" }
