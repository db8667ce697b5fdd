//go:build !unix

package audit

import "errors"

var errNoForward = errors.New("audit forward: syslog and journald exist only on Linux/macOS (Windows Event Log is not implemented yet)")

// DialSyslog is not available on this OS.
func DialSyslog(path string) (Forwarder, error) { return nil, errNoForward }

// DialJournal is not available on this OS.
func DialJournal(path string) (Forwarder, error) { return nil, errNoForward }
