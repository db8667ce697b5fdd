package tray

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// hostProcAttr starts the tray host without a console window of its own.
func hostProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: windows.CREATE_NO_WINDOW}
}

// iconFormat: the Windows notification area takes .ico.
const iconFormat = "ico"
