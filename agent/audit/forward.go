package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Forwarder sends a copy of each (already redacted) event somewhere else,
// e.g. the system log, so a SIEM pipeline collects it unchanged.
type Forwarder interface {
	Forward(e Event) error
	Close() error
}

// SetForwarder makes every later Write also forward the event (nil: to
// the file only), closing the forwarder it replaces. A forwarding failure
// is returned by Write but never stops the file write.
func (l *Log) SetForwarder(f Forwarder) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fwd != nil && l.fwd != f {
		l.fwd.Close()
	}
	l.fwd = f
}

// Forwarding reports whether a forwarder is set.
func (l *Log) Forwarding() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fwd != nil
}

// Dial opens the forwarder a config's [audit] forward names: "syslog",
// "journald", "eventlog", or "" for none (nil, nil).
func Dial(to string) (Forwarder, error) {
	switch to {
	case "":
		return nil, nil
	case "syslog":
		return DialSyslog("")
	case "journald":
		return DialJournal("")
	case "eventlog":
		return DialEventLog("")
	}
	return nil, fmt.Errorf("unknown audit forward %q", to)
}

// severity maps events to syslog severities: actions and findings are
// notices an analyst may want to alert on, errors are errors.
func severity(e Event) int {
	switch e.Event {
	case Error, ConfigRejected:
		return 3 // err
	case Finding, Action:
		return 4 // warning
	}
	return 5 // notice
}

// fields lists an event's set fields in a fixed order, as JSON would.
func fields(e Event) [][2]string {
	var out [][2]string
	add := func(k, v string) {
		if v != "" {
			out = append(out, [2]string{k, v})
		}
	}
	add("event", e.Event)
	add("app", e.App)
	add("share_kind", e.ShareKind)
	add("process", e.Process)
	if e.PID != 0 {
		add("pid", strconv.Itoa(e.PID))
	}
	add("kind", e.Kind)
	add("rule", e.Rule)
	add("window", e.Window)
	add("action", e.Action)
	if e.OK != nil {
		add("ok", strconv.FormatBool(*e.OK))
	}
	if e.LatencyMS != nil {
		add("latency_ms", strconv.FormatFloat(*e.LatencyMS, 'f', -1, 64))
	}
	add("detail", e.Detail)
	return out
}

// sdID is the RFC 5424 structured-data id. 32473 is the private enterprise
// number reserved for documentation (RFC 5612); a deployment that owns a
// number can filter on the name part alone.
const sdID = "shareguard@32473"

// facilityLogAudit is syslog facility 13, "log audit".
const facilityLogAudit = 13

// FormatRFC5424 renders e as one RFC 5424 syslog message: the fields as
// structured data and the JSON line as the message, so collectors that
// understand either can use it.
func FormatRFC5424(e Event, hostname string, pid int) []byte {
	var b bytes.Buffer
	pri := facilityLogAudit*8 + severity(e)
	ts := e.Time.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
	if hostname == "" {
		hostname = "-"
	}
	fmt.Fprintf(&b, "<%d>1 %s %s shareguard %d %s [%s", pri, ts, sdToken(hostname, 255), pid, sdToken(e.Event, 32), sdID)
	for _, f := range fields(e) {
		b.WriteString(" ")
		b.WriteString(f[0])
		b.WriteString(`="`)
		b.WriteString(sdEscape(f[1]))
		b.WriteString(`"`)
	}
	b.WriteString("] ")
	js, _ := json.Marshal(e)
	b.Write(js)
	return b.Bytes()
}

// sdToken makes s a valid header token: printable US-ASCII, no spaces.
func sdToken(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		if r > 32 && r < 127 {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
		if b.Len() >= max {
			break
		}
	}
	if b.Len() == 0 {
		return "-"
	}
	return b.String()
}

// sdEscape escapes a structured-data parameter value (RFC 5424 6.3.3).
func sdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, `]`, `\]`).Replace(s)
}

// FormatJournal renders e in the systemd journal's native protocol:
// MESSAGE is the JSON line, each field is also SHAREGUARD_<NAME>.
func FormatJournal(e Event) []byte {
	var b bytes.Buffer
	js, _ := json.Marshal(e)
	journalField(&b, "MESSAGE", string(js))
	journalField(&b, "PRIORITY", strconv.Itoa(severity(e)))
	journalField(&b, "SYSLOG_IDENTIFIER", "shareguard")
	journalField(&b, "SHAREGUARD_TIME", e.Time.Format(time.RFC3339Nano))
	for _, f := range fields(e) {
		journalField(&b, "SHAREGUARD_"+strings.ToUpper(f[0]), f[1])
	}
	return b.Bytes()
}

// journalField writes NAME=value, or the binary form when the value has a
// newline (the protocol's rule).
func journalField(b *bytes.Buffer, name, value string) {
	if !strings.Contains(value, "\n") {
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(value)
		b.WriteByte('\n')
		return
	}
	b.WriteString(name)
	b.WriteByte('\n')
	n := uint64(len(value))
	for i := 0; i < 8; i++ {
		b.WriteByte(byte(n >> (8 * i)))
	}
	b.WriteString(value)
	b.WriteByte('\n')
}
