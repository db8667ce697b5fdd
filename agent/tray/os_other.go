//go:build !windows

package tray

import "syscall"

// hostProcAttr: nothing to add outside Windows.
func hostProcAttr() *syscall.SysProcAttr { return nil }

// iconFormat: GTK's and macOS's trays take PNG.
const iconFormat = "png"
