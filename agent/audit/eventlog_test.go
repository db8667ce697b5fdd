package audit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var evSample = Event{
	Time: time.Date(2026, 11, 23, 10, 0, 0, 123456789, time.UTC), Event: Action, App: "TakeCare", PID: 42,
	Kind: "protected_app", Rule: `Take"Care]`, Window: "TakeCare - Journal 19121212-1212",
	Action: "minimize", OK: Bool(true), LatencyMS: Millis(420 * time.Microsecond), Detail: "line1\nline2\\x 19121212-1212",
}

func TestFormatEventLogMessage(t *testing.T) {
	typ, id, msg := FormatEventLog(evSample)
	if typ != eventLogWarning || id != 201 {
		t.Fatalf("action: type %v id %d, want Warning 201", typ, id)
	}
	if strings.Contains(msg, "1212-1212") {
		t.Fatalf("event log message not redacted:\n%s", msg)
	}
	lines := strings.Split(strings.TrimSuffix(msg, "\r\n"), "\r\n")
	var back Event
	if err := json.Unmarshal([]byte(lines[0]), &back); err != nil {
		t.Fatalf("first line is not the JSON event: %v\n%s", err, lines[0])
	}
	if back.Window != "TakeCare - Journal [nummer]" || back.App != "TakeCare" || back.PID != 42 {
		t.Errorf("JSON line: %+v", back)
	}
	want := []string{
		"time=2026-11-23T10:00:00.123456789Z",
		"event=action", "app=TakeCare", "pid=42", "kind=protected_app", `rule=Take"Care]`,
		"window=TakeCare - Journal [nummer]", "action=minimize", "ok=true", "latency_ms=0.42",
		`detail=line1\nline2\\x [nummer]`,
	}
	if got := lines[1:]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("key=value lines:\n got %q\nwant %q", got, want)
	}
}

func TestFormatEventLogTypesAndIDs(t *testing.T) {
	for _, c := range []struct {
		event string
		typ   eventLogType
		id    uint32
	}{
		{ShareStarted, eventLogInfo, 100}, {ShareStopped, eventLogInfo, 101},
		{Finding, eventLogWarning, 200}, {Action, eventLogWarning, 201}, {DND, eventLogInfo, 202},
		{ConfigReloaded, eventLogInfo, 300}, {ConfigRejected, eventLogError, 301},
		{Started, eventLogInfo, 400}, {Stopped, eventLogInfo, 401},
		{Paused, eventLogInfo, 402}, {Resumed, eventLogInfo, 403},
		{Error, eventLogError, 900}, {"something_new", eventLogInfo, 999},
	} {
		typ, id, msg := FormatEventLog(Event{Event: c.event})
		if typ != c.typ || id != c.id {
			t.Errorf("%s: %v %d, want %v %d", c.event, typ, id, c.typ, c.id)
		}
		if id < 1 || id > 1000 {
			t.Errorf("%s: id %d outside EventCreate's 1..1000", c.event, id)
		}
		if !strings.Contains(msg, "\r\nevent="+c.event+"\r\n") {
			t.Errorf("%s: message lacks event=: %q", c.event, msg)
		}
	}
}

func TestFormatEventLogControlAndSize(t *testing.T) {
	_, _, msg := FormatEventLog(Event{Event: Error, Detail: "a\x00b\tc\r" + strings.Repeat("é", 20000)})
	if strings.ContainsRune(msg, 0) {
		t.Fatal("NUL in message would cut ReportEvent's string")
	}
	if !strings.Contains(msg, `detail=a\x00b\tc\r`) {
		t.Errorf("control characters not escaped: %.200q", msg)
	}
	if len(msg) > maxEventLogChars || !strings.HasSuffix(msg, "…(truncated)\r\n") {
		t.Errorf("long message: %d bytes, suffix %q", len(msg), msg[len(msg)-20:])
	}
	var back Event
	if err := json.Unmarshal([]byte(strings.SplitN(msg, "\r\n", 2)[0]), &back); err != nil || !strings.HasSuffix(back.Detail, "é…(truncated)") {
		t.Errorf("shortened event's JSON line: %v, detail ends %q", err, back.Detail[len(back.Detail)-20:])
	}
}
