//go:build unix

package audit

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func listen(t *testing.T) (string, *net.UnixConn) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "log.sock")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return path, c
}

func receive(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64<<10)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	return string(buf[:n])
}

var sample = Event{
	Time: time.Date(2026, 11, 23, 10, 0, 0, 123456789, time.UTC), Event: Action, App: "TakeCare", PID: 42,
	Kind: "protected_app", Rule: `Take"Care]`, Window: "TakeCare - Journal 19121212-1212",
	Action: "minimize", OK: Bool(true), LatencyMS: Millis(420 * time.Microsecond),
}

func TestSyslogForwardIsRFC5424AndRedacted(t *testing.T) {
	sock, srv := listen(t)
	fwd, err := DialSyslog(sock)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Open(filepath.Join(t.TempDir(), "a.jsonl"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.SetForwarder(fwd)
	l.KeepTitles(true)
	if err := l.Write(sample); err != nil {
		t.Fatal(err)
	}
	msg := receive(t, srv)
	// <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG; facility 13 (log
	// audit) * 8 + warning (4) = 108.
	re := regexp.MustCompile(`^<108>1 2026-11-23T10:00:00\.123456Z \S+ shareguard \d+ action \[shareguard@32473 (.*)\] (\{.*\})$`)
	m := re.FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("not RFC 5424 as expected:\n%s", msg)
	}
	for _, want := range []string{`event="action"`, `app="TakeCare"`, `pid="42"`, `rule="Take\"Care\]"`, `window="TakeCare - Journal [nummer\]"`, `ok="true"`, `latency_ms="0.42"`} {
		if !strings.Contains(m[1], want) {
			t.Errorf("structured data lacks %s: %s", want, m[1])
		}
	}
	if strings.Contains(msg, "1212-1212") {
		t.Errorf("forwarded event not redacted: %s", msg)
	}
}

func TestJournalForwardFields(t *testing.T) {
	sock, srv := listen(t)
	fwd, err := DialJournal(sock)
	if err != nil {
		t.Fatal(err)
	}
	e := sample
	e.Window = "TakeCare - Journal [nummer]"
	e.Detail = "two\nlines"
	if err := fwd.Forward(e); err != nil {
		t.Fatal(err)
	}
	msg := receive(t, srv)
	for _, want := range []string{"PRIORITY=4\n", "SYSLOG_IDENTIFIER=shareguard\n", "SHAREGUARD_EVENT=action\n", "SHAREGUARD_RULE=Take\"Care]\n", "SHAREGUARD_LATENCY_MS=0.42\n", "MESSAGE={\"time\":"} {
		if !strings.Contains(msg, want) {
			t.Errorf("journal message lacks %q:\n%q", want, msg)
		}
	}
	// A value with a newline uses the binary form: NAME\n<le64 len><data>\n.
	if !strings.Contains(msg, "SHAREGUARD_DETAIL\n\x09\x00\x00\x00\x00\x00\x00\x00two\nlines\n") {
		t.Errorf("multi-line field not in binary form:\n%q", msg)
	}
}

func TestForwarderSurvivesDaemonRestart(t *testing.T) {
	sock, srv := listen(t)
	fwd, err := DialSyslog(sock)
	if err != nil {
		t.Fatal(err)
	}
	defer fwd.Close()
	srv.Close()
	if err := fwd.Forward(sample); err == nil {
		t.Fatal("forward to a stopped daemon succeeded")
	}
	os.Remove(sock) // a restarting daemon replaces its socket
	srv2, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Close()
	if err := fwd.Forward(sample); err != nil {
		t.Fatalf("no redial after restart: %v", err)
	}
	if msg := receive(t, srv2); !strings.HasPrefix(msg, "<108>1 ") {
		t.Fatalf("after restart: %q", msg)
	}
}

func TestDialWithoutDaemon(t *testing.T) {
	if _, err := DialJournal(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Fatal("dialled a socket that does not exist")
	}
}
