//go:build windows

package audit

import (
	"path/filepath"
	"strings"
	"testing"
)

// Under Wine (8.0) RegisterEventSource and ReportEvent are stubs that
// succeed: the event goes to Wine's debug channel "eventlog" (trace, warn
// or err by type) and is stored nowhere, so these tests check the calls
// succeed for each type and through Log, not what a reader sees; the
// message itself is checked by the FormatEventLog tests.

func TestEventLogForwardEachSeverity(t *testing.T) {
	f, err := DialEventLog("")
	if err != nil {
		t.Fatalf("DialEventLog: %v", err)
	}
	for _, e := range []Event{
		{Event: Error, Detail: "disk full"},
		{Event: Finding, Kind: "pnr", Window: "19121212-1212"},
		{Event: Action, Action: "minimize", OK: Bool(true)},
		{Event: ShareStarted, App: "Teams"},
	} {
		if err := f.Forward(e); err != nil {
			t.Errorf("Forward(%s): %v", e.Event, err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := f.Forward(Event{Event: Started}); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("Forward after Close: %v", err)
	}
}

func TestEventLogThroughLog(t *testing.T) {
	f, err := DialEventLog("shareguard-test")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := Open(filepath.Join(t.TempDir(), "a.jsonl"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.SetForwarder(f)
	if err := l.Write(evSample); err != nil {
		t.Fatalf("Write with event log forwarder: %v", err)
	}
}

func TestEventLogNoSocketForwarders(t *testing.T) {
	for name, dial := range map[string]func(string) (Forwarder, error){"syslog": DialSyslog, "journald": DialJournal} {
		if f, err := dial(""); f != nil || err == nil || !strings.Contains(err.Error(), "not available on Windows") {
			t.Errorf("%s on Windows: %v, %v", name, f, err)
		}
	}
}
