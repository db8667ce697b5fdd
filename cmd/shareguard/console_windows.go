package main

import (
	"os"

	"golang.org/x/sys/windows"
)

var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1

// attachConsole: the Windows build is a GUI-subsystem program (no console
// window at login, none to close by mistake), so it starts without
// standard handles. A CLI subcommand run from a console attaches to that
// console and prints there; output redirected to a file or pipe is left
// as it is. `run` never attaches: closing the console would stop it.
func attachConsole() {
	if h, err := windows.GetStdHandle(windows.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != windows.InvalidHandle {
		return // redirected
	}
	if r, _, _ := procAttachConsole.Call(attachParentProcess); r == 0 {
		return // started without a console (Explorer, a scheduled task)
	}
	if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = f, f
	}
	if f, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
		os.Stdin = f
	}
}
