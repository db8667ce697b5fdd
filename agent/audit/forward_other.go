//go:build !unix && !windows

package audit

import "errors"

var errNoForward = errors.New("audit forward: syslog and journald exist only on Linux/macOS")

// DialSyslog is not available on this OS.
func DialSyslog(path string) (Forwarder, error) { return nil, errNoForward }

// DialJournal is not available on this OS.
func DialJournal(path string) (Forwarder, error) { return nil, errNoForward }

// Forwards are the forward targets this OS has: none.
func Forwards() []string { return nil }
