//go:build !windows

package audit

import "errors"

// DialEventLog is Windows-only: the Windows Event Log does not exist here.
func DialEventLog(source string) (Forwarder, error) {
	return nil, errors.New("audit forward: the Windows Event Log (forward = \"eventlog\") is available only on Windows; use \"syslog\" or \"journald\"")
}
