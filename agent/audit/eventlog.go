package audit

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/shareguard/shareguard/detectors/pnr"
)

// Windows Event Log event IDs, one per audit event kind, so a SIEM rule can
// filter on the ID alone (Winlogbeat event.code, Splunk EventCode, Sentinel
// EventID). They stay within 1..1000, the range EventCreate.exe's message
// table covers (see DialEventLog). The ranges group kinds: 1xx shares,
// 2xx findings and actions, 3xx configuration, 4xx agent lifecycle,
// 9xx errors.
//
//	share_started   100   Information
//	share_stopped   101   Information
//	finding         200   Warning
//	action          201   Warning
//	dnd             202   Information
//	config_reloaded 300   Information
//	config_rejected 301   Error
//	agent_started   400   Information
//	agent_stopped   401   Information
//	guard_paused    402   Information
//	guard_resumed   403   Information
//	error           900   Error
//	(unknown kind)  999   per severity
var eventIDs = map[string]uint32{
	ShareStarted:   100,
	ShareStopped:   101,
	Finding:        200,
	Action:         201,
	DND:            202,
	ConfigReloaded: 300,
	ConfigRejected: 301,
	Started:        400,
	Stopped:        401,
	Paused:         402,
	Resumed:        403,
	Error:          900,
}

const eventIDOther = 999

// eventLogType is a Windows event type (EVENTLOG_*_TYPE).
type eventLogType int

const (
	eventLogInfo eventLogType = iota
	eventLogWarning
	eventLogError
)

func (t eventLogType) String() string {
	return [...]string{"Information", "Warning", "Error"}[t]
}

// maxEventLogChars keeps the message under ReportEvent's limit of 31,839
// characters per insertion string (counted here in bytes, which are never
// fewer than UTF-16 units). maxEventLogField is what each free-text field
// is cut to when an event would be longer.
const (
	maxEventLogChars = 31000
	maxEventLogField = 2000
)

// FormatEventLog returns the Windows Event Log type, event ID and message
// for e. It follows the syslog severity (error and config_rejected are
// Error, findings and actions Warning, the rest Information). The message
// is the JSON line, then one key=value line per set field (time first), so
// collectors can use either: Winlogbeat/Sentinel can decode the first line
// as JSON, Splunk's automatic key=value extraction picks up the rest.
// Window and detail are redacted here too, although Log.Write already did,
// so a direct caller cannot leak a personnummer.
func FormatEventLog(e Event) (eventLogType, uint32, string) {
	e.Window = pnr.Redact(e.Window)
	e.Detail = pnr.Redact(e.Detail)
	typ := eventLogInfo
	switch severity(e) {
	case 3:
		typ = eventLogError
	case 4:
		typ = eventLogWarning
	}
	id, ok := eventIDs[e.Event]
	if !ok {
		id = eventIDOther
	}
	msg := eventLogMessage(e)
	if len(msg) > maxEventLogChars {
		// Shorten the free-text fields rather than cut the message, so
		// the JSON line stays valid and every key=value line is there.
		for _, p := range []*string{&e.App, &e.Kind, &e.Rule, &e.Window, &e.Action, &e.Detail} {
			*p = shorten(*p, maxEventLogField)
		}
		msg = eventLogMessage(e)
	}
	if len(msg) > maxEventLogChars {
		// Only escapes can still make it this long: cut as a last resort.
		msg = shorten(msg, maxEventLogChars-len("…(truncated)"))
	}
	return typ, id, msg
}

// eventLogMessage is the JSON line, then key=value lines, CRLF-separated
// (what Event Viewer shows as line breaks).
func eventLogMessage(e Event) string {
	var b strings.Builder
	js, _ := json.Marshal(e)
	b.Write(js)
	b.WriteString("\r\n")
	kv := append([][2]string{{"time", e.Time.UTC().Format(time.RFC3339Nano)}}, fields(e)...)
	for _, f := range kv {
		b.WriteString(f[0])
		b.WriteByte('=')
		b.WriteString(kvEscape(f[1]))
		b.WriteString("\r\n")
	}
	return b.String()
}

// shorten cuts s to at most n bytes on a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…(truncated)"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// kvEscape keeps a value on one line and free of NUL (which ReportEvent
// would end the string at): backslash, CR, LF, tab and other control
// characters are written as escapes.
func kvEscape(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == '\\' || r == 0x7f }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			const hex = "0123456789abcdef"
			b.WriteString(`\x`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
