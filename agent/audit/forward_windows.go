//go:build windows

package audit

import (
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sys/windows/svc/eventlog"
)

var errNoSocketForward = errors.New(`audit forward: syslog and journald are not available on Windows; use forward = "eventlog"`)

// DialSyslog is not available on Windows.
func DialSyslog(path string) (Forwarder, error) { return nil, errNoSocketForward }

// DialJournal is not available on Windows.
func DialJournal(path string) (Forwarder, error) { return nil, errNoSocketForward }

// eventLogForwarder reports each event to the Application log.
type eventLogForwarder struct {
	mu  sync.Mutex
	log *eventlog.Log
}

// DialEventLog forwards events to the Windows Application event log under
// source ("" = "shareguard"); see FormatEventLog for types, IDs and the
// message.
//
// Registering the source is the installer's job, because it writes
// HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\<source> and
// so needs administrator rights:
//
//	eventlog.InstallAsEventCreate("shareguard", eventlog.Error|eventlog.Warning|eventlog.Info)
//
// (and eventlog.Remove on uninstall). Without it, RegisterEventSource still
// succeeds and events are still written, but Event Viewer shows "The
// description for Event ID N from source shareguard cannot be found ..."
// followed by our message as "the following information was included with
// the event"; collectors that read the raw insertion string (Winlogbeat's
// event_data.param1, Sentinel, Splunk's Message fallback) still get it.
func DialEventLog(source string) (Forwarder, error) {
	if source == "" {
		source = "shareguard"
	}
	l, err := eventlog.Open(source)
	if err != nil {
		return nil, fmt.Errorf("audit forward: open event log source %q: %w", source, err)
	}
	return &eventLogForwarder{log: l}, nil
}

func (f *eventLogForwarder) Forward(e Event) error {
	typ, id, msg := FormatEventLog(e)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.log == nil {
		return errors.New("audit forward: event log closed")
	}
	var err error
	switch typ {
	case eventLogError:
		err = f.log.Error(id, msg)
	case eventLogWarning:
		err = f.log.Warning(id, msg)
	default:
		err = f.log.Info(id, msg)
	}
	if err != nil {
		return fmt.Errorf("audit forward to event log (%s %d): %w", typ, id, err)
	}
	return nil
}

func (f *eventLogForwarder) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.log == nil {
		return nil
	}
	err := f.log.Close()
	f.log = nil
	return err
}

// Forwards are the forward targets this OS has.
func Forwards() []string { return []string{"eventlog"} }
