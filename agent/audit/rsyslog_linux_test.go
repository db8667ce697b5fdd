//go:build linux

package audit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A real rsyslogd receives our RFC 5424 messages on its own socket and
// parses the structured data: the SIEM side of `forward = "syslog"`.
func TestRealRsyslogParsesForwardedEvents(t *testing.T) {
	bin, err := exec.LookPath("rsyslogd")
	if err != nil {
		if os.Getenv("SHAREGUARD_REQUIRE_DESKTOP") != "" {
			t.Fatal("rsyslogd missing: install Debian package rsyslog (.ci/install-deps)")
		}
		t.Skip("rsyslogd missing: install Debian package rsyslog")
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "log.sock")
	out := filepath.Join(dir, "out.log")
	conf := filepath.Join(dir, "rsyslog.conf")
	// useSpecialParser off + the RFC 5424 parser: the message is parsed as
	// written, not re-stamped by the socket module.
	os.WriteFile(conf, []byte(`
global(workDirectory="`+dir+`")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="`+sock+`" UseSpecialParser="off" ParseHostname="on")
template(name="t" type="string" string="%syslogfacility%|%syslogseverity%|%app-name%|%msgid%|%structured-data%\n")
*.* action(type="omfile" file="`+out+`" template="t")
`), 0o600)
	cmd := exec.Command(bin, "-n", "-f", conf, "-i", filepath.Join(dir, "pid"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		cmd.Wait()
	})
	var fwd Forwarder
	for deadline := time.Now().Add(10 * time.Second); ; {
		if fwd, err = DialSyslog(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rsyslogd did not open its socket: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	defer fwd.Close()
	e := sample
	e.Window = "TakeCare - Journal [nummer]"
	if err := fwd.Forward(e); err != nil {
		t.Fatal(err)
	}
	var line string
	for deadline := time.Now().Add(10 * time.Second); ; {
		data, _ := os.ReadFile(out)
		if line = strings.TrimSpace(string(data)); line != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("rsyslogd wrote nothing")
		}
		time.Sleep(20 * time.Millisecond)
	}
	want := `13|4|shareguard|action|[shareguard@32473 event="action" app="TakeCare" pid="42" kind="protected_app" rule="Take\"Care\]" window="TakeCare - Journal [nummer\]" action="minimize" ok="true" latency_ms="0.42"]`
	if line != want {
		t.Fatalf("rsyslog parsed\n%s\nwant\n%s", line, want)
	}
}
