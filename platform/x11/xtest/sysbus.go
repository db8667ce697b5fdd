//go:build linux

package xtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// The system services a SystemBus can run, where Debian installs them.
const (
	RealtimeKitDaemon = "/usr/libexec/rtkit-daemon"
	PolkitDaemon      = "/usr/lib/polkit-1/polkitd"
)

// SystemBus is a private D-Bus with the system bus's policy (deny by
// default, holes punched by the policy files packages install in
// /usr/share/dbus-1/system.d), for code that talks to system services.
// Its socket is in a temporary directory every user can reach, so a test
// can call it from a process of an unprivileged user.
type SystemBus struct {
	t       testing.TB
	dir     string
	out     logs
	Address string
}

// systemBusConfig is Debian's system.conf policy without what needs the
// real system (the messagebus user, fork, pid file, activation helper).
const systemBusConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus" send_member="UpdateActivationEnvironment"/>
  </policy>
  <includedir>/usr/share/dbus-1/system.d</includedir>
</busconfig>
`

// StartSystemBus starts the bus; it and everything started on it are
// stopped at cleanup. Nothing is bus-activated: each service is started
// by the test.
func StartSystemBus(t testing.TB) *SystemBus {
	t.Helper()
	Need(t, "dbus-daemon")
	// Not t.TempDir: its parent is private to us, and other users must
	// reach the socket.
	dir, err := os.MkdirTemp("", "xtest-sysbus-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &SystemBus{t: t, dir: dir}
	// HOME for whichever user a test runs on the bus.
	if err := os.Mkdir(filepath.Join(dir, "home"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "home"), 0o777); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "system.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, systemBusConfig, filepath.Join(dir, "system_bus_socket")), 0o644); err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=3")
	cmd.ExtraFiles = []*os.File{w}
	p := b.start(cmd, "dbus-daemon")
	w.Close()
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case b.Address = <-line:
	case <-p.done:
		t.Fatalf("xtest: system dbus-daemon exited: %v\n%s", p.err, b.Logs())
	case <-time.After(10 * time.Second):
		t.Fatal("xtest: system dbus-daemon did not start within 10s")
	}
	if b.Address == "" {
		t.Fatalf("xtest: system dbus-daemon printed no address\n%s", b.Logs())
	}
	return b
}

// Env is the environment of a program on this bus: HOME and XDG_* in the
// bus's directory, DBUS_SYSTEM_BUS_ADDRESS set, no session bus or display.
func (b *SystemBus) Env() []string {
	home := filepath.Join(b.dir, "home")
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
		"XDG_RUNTIME_DIR=" + filepath.Join(home, "run"),
		"DBUS_SYSTEM_BUS_ADDRESS=" + b.Address,
	}
}

// Dir is a temporary directory every user can read, removed at cleanup.
func (b *SystemBus) Dir() string { return b.dir }

// NeedRoot skips t unless it runs as root: rtkit-daemon and polkitd refuse
// to start otherwise (they drop to users of their own).
func NeedRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("xtest: rtkit-daemon and polkitd run only as root; run the test as root")
	}
}

// StartPolkit starts the real polkitd on the bus. When allowUID is not
// empty it is granted the actions, as polkit grants them to a user in an
// active local session: here no logind tells polkit about sessions, so a
// rule must. The rule goes into a private mount namespace's
// /etc/polkit-1/rules.d, so the machine's own rules stay as they are.
func (b *SystemBus) StartPolkit(allowUID string, actions ...string) {
	b.t.Helper()
	NeedRoot(b.t)
	Need(b.t, PolkitDaemon, "unshare")
	rules := filepath.Join(b.dir, "polkit-rules")
	if err := os.Mkdir(rules, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if allowUID != "" {
		u, err := user.LookupId(allowUID)
		if err != nil {
			b.t.Fatalf("xtest: polkit rules name users: %v", err)
		}
		var js strings.Builder
		js.WriteString("polkit.addRule(function(action, subject) {\n")
		for _, a := range actions {
			fmt.Fprintf(&js, "    if (action.id == %q && subject.user == %q) return polkit.Result.YES;\n", a, u.Username)
		}
		js.WriteString("});\n")
		if err := os.WriteFile(filepath.Join(rules, "50-xtest.rules"), []byte(js.String()), 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	cmd := exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c",
		`mount --bind "$1" /etc/polkit-1/rules.d && exec "$2" --no-debug`, "sh", rules, PolkitDaemon)
	cmd.Env = b.Env()
	b.start(cmd, "polkitd")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	b.waitName(ctx, "org.freedesktop.PolicyKit1")
}

// StartRealtimeKit starts the real rtkit-daemon on the bus with its
// default limits (polkit must run first: rtkit asks it about every call).
// One runs at a time on the machine, across test processes: it sets
// RLIMIT_NPROC to 3 for its user, which its own three threads fill.
func (b *SystemBus) StartRealtimeKit(args ...string) {
	b.t.Helper()
	NeedRoot(b.t)
	Need(b.t, RealtimeKitDaemon)
	b.lockRealtimeKit()
	cmd := exec.Command(RealtimeKitDaemon, append([]string{"--stderr"}, args...)...)
	cmd.Env = b.Env()
	p := b.start(cmd, "rtkit-daemon")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	go func() {
		select {
		case <-p.done:
			cancel() // waitName fails at once, with the daemon's last words
		case <-ctx.Done():
		}
	}()
	b.waitName(ctx, "org.freedesktop.RealtimeKit1")
}

// lockRealtimeKit waits until no other test runs an rtkit-daemon, and
// holds the machine-wide lock until cleanup.
func (b *SystemBus) lockRealtimeKit() {
	b.t.Helper()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "xtest-rtkit-daemon.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		b.t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		if time.Now().After(deadline) {
			f.Close()
			b.t.Fatal("xtest: another test has run rtkit-daemon for 3 minutes")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Registered before the daemon's stop, so it runs after it.
	b.t.Cleanup(func() { f.Close() })
}

// logs collects each daemon's output through a pipe: rtkit-daemon sets
// RLIMIT_FSIZE to 0 and would die of SIGXFSZ writing to a file.
type logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Logs is what the daemons on this bus printed so far.
func (b *SystemBus) Logs() string {
	b.out.mu.Lock()
	defer b.out.mu.Unlock()
	return b.out.buf.String()
}

// start runs a daemon in its own process group, stopped at cleanup.
func (b *SystemBus) start(cmd *exec.Cmd, name string) *Proc {
	b.t.Helper()
	w := &prefixed{name: name, to: &b.out}
	cmd.Stdout, cmd.Stderr = w, w
	cmd.Dir = b.dir
	if cmd.Env == nil {
		cmd.Env = b.Env()
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		b.t.Fatalf("xtest: start %s: %v", name, err)
	}
	p := &Proc{Cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	b.t.Cleanup(func() { stop(p) })
	return p
}

// prefixed writes each line with the daemon's name in front.
type prefixed struct {
	name string
	to   *logs
}

func (p *prefixed) Write(b []byte) (int, error) {
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line != "" {
			p.to.Write([]byte(p.name + ": " + line))
		}
	}
	return len(b), nil
}

func (b *SystemBus) waitName(ctx context.Context, name string) {
	b.t.Helper()
	bus, err := dbus.Connect(b.Address)
	if err != nil {
		b.t.Fatalf("xtest: connect system bus: %v", err)
	}
	defer bus.Close()
	for {
		var has bool
		err := bus.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
		if err == nil && has {
			return
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			b.t.Fatalf("xtest: %s not on the system bus: %v\n%s", name, err, b.Logs())
		}
	}
}
