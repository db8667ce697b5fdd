//go:build !windows

package main

// attachConsole: only the Windows GUI-subsystem build lacks a console.
func attachConsole() {}
