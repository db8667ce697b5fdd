//go:build !windows

package tray

// iconFormat: GTK's and macOS's trays take PNG.
const iconFormat = "png"
